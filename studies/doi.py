"""DOI normalisation: the one place that decides what a DOI looks like here."""

import re
from urllib.parse import quote, unquote

from django.core.exceptions import ValidationError

DOI_PATTERN = re.compile(r"^10\.\d{4,9}/\S+$")
# C0 controls, DEL and C1 controls: `\S` lets most of them through, and a NUL (typed, or %00 in
# a DOI link) cannot even be compared on PostgreSQL.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
DOI_PREFIXES = (
    "https://doi.org/",
    "http://doi.org/",
    "https://dx.doi.org/",
    "http://dx.doi.org/",
    "doi.org/",
    "dx.doi.org/",
    "doi:",
)
# The example is not a real DOI: on a page, Zotero's DOI translator would offer a real one.
INVALID_DOI_MESSAGE = (
    "Enter a DOI such as 10.xxxx/abc123, as printed on the paper (a DOI link like "
    "https://doi.org/10.xxxx/… works too)."
)
DOI_MAX_LENGTH = 255


def normalize_doi(value: str) -> str:
    """Lower-case, strip resolver prefixes and whitespace; raise ValidationError if not a DOI.

    Percent-escapes are decoded only in a DOI link (where a browser put them), so a DOI that
    holds a literal "%" normalises to itself every time.
    """
    doi = (value or "").strip()
    lowered = doi.lower()
    for prefix in DOI_PREFIXES:
        if lowered.startswith(prefix):
            doi = doi[len(prefix) :].strip()
            if prefix != "doi:":
                doi = unquote(doi).strip()
            break
    doi = doi.lower()
    if len(doi) > DOI_MAX_LENGTH or not DOI_PATTERN.match(doi) or CONTROL_CHARACTERS.search(doi):
        raise ValidationError(INVALID_DOI_MESSAGE, code="invalid_doi")
    return doi


def validate_doi(value: str) -> None:
    """Field validator: the stored value must already be in normal form (Study.clean_fields
    normalises what an editor types before this runs)."""
    if value and normalize_doi(value) != value:
        raise ValidationError(INVALID_DOI_MESSAGE, code="invalid_doi")


def doi_url(doi: str) -> str:
    """https://doi.org/<doi>, the DOI percent-encoded except its slashes ("" for no DOI)."""
    return f"https://doi.org/{quote(doi, safe='/')}" if doi else ""
