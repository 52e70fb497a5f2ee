"""DOI normalisation: the one place that decides what a DOI looks like here."""

import re
import unicodedata
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
# Registered DOIs are plain ASCII. A pasted one may carry what the eye cannot see (a zero-width
# space, a right-to-left override that shows the DOI reversed) or a letter that only looks Latin
# (Cyrillic "а"): refused by name, so the reader knows what to retype. Compatibility forms are
# folded first (NFKC): a PDF's "ﬁ" ligature or full-width digits become the plain letters.
INVISIBLE_MESSAGE = (
    "This DOI holds an invisible character ({name}): retype it, or copy it from the paper's "
    "doi.org link."
)
LOOK_ALIKE_MESSAGE = (
    "This DOI holds “{char}” ({name}), which is not a plain letter or digit: DOIs are ASCII; "
    "retype it from the paper."
)
# "." and ".." between slashes would step out of the path of every URL built from the DOI
# (Crossref's /works/<doi>): no registered DOI has them.
DOT_SEGMENT = re.compile(r"(?:^|/)\.{1,2}(?:/|$)")
DOT_SEGMENT_MESSAGE = "A DOI has no “.” or “..” between two slashes: check it against the paper."
# SICI DOIs hold "<" and ">" around digits (…35:4<401::aid-jbm1>3.0.co;2-s); "<" before a letter,
# "/", "!" or "?" starts markup, which no DOI holds.
MARKUP = re.compile(r"<[a-z/!?]")
MARKUP_MESSAGE = "A DOI holds no markup such as “<{tag}”: check it against the paper."
# What a DOI pasted from a sentence or a link picks up at its end: a full stop, a comma, a
# semicolon or colon, a slash. A DOI may end in one, but a copied one is far likelier. Not ")":
# SICI DOIs end in one (10.1002/(sici)1097-4636(199706)35:4<401::aid-jbm1>3.0.co;2-s).
DOI_TRAILING = ".,;:/"
_TRAILING = re.compile(rf"[\s{re.escape(DOI_TRAILING)}]+$")


def normalize_doi(value: str) -> str:
    """Lower-case, strip resolver prefixes and whitespace; raise ValidationError if not a DOI.

    Percent-escapes are decoded only in a DOI link (where a browser put them), so a DOI that
    holds a literal "%" normalises to itself every time. Trailing punctuation (DOI_TRAILING)
    is dropped: "10.14814/phy2.15679/" and "10.14814/phy2.15679." are 10.14814/phy2.15679.
    """
    doi = unicodedata.normalize("NFKC", value or "").strip()
    lowered = doi.lower()
    for prefix in DOI_PREFIXES:
        if lowered.startswith(prefix):
            doi = doi[len(prefix) :].strip()
            if prefix != "doi:":
                doi = unquote(doi).strip()
            break
    doi = _TRAILING.sub("", unicodedata.normalize("NFKC", doi)).lower()
    if len(doi) > DOI_MAX_LENGTH or CONTROL_CHARACTERS.search(doi):
        raise ValidationError(INVALID_DOI_MESSAGE, code="invalid_doi")
    _refuse_what_no_doi_holds(doi)  # named first: a leading BOM would fail the pattern unnamed
    if not DOI_PATTERN.match(doi):
        raise ValidationError(INVALID_DOI_MESSAGE, code="invalid_doi")
    decoded = unquote(doi)
    if decoded != doi:
        # Its escapes, decoded where a link is built, may not spell what the DOI may not hold
        # (issue 19 review: "10.1000/%2e%2e/evil" linked to doi.org/evil).
        if CONTROL_CHARACTERS.search(decoded):
            raise ValidationError(INVALID_DOI_MESSAGE, code="invalid_doi")
        _refuse_what_no_doi_holds(decoded)
    return doi


def _refuse_what_no_doi_holds(doi: str) -> None:
    for char in doi:
        if char.isascii():
            continue
        name = f"U+{ord(char):04X} {unicodedata.name(char, 'UNNAMED')}"
        invisible = unicodedata.category(char) in {"Cf", "Zs", "Zl", "Zp", "Cn", "Co", "Cs"}
        message = INVISIBLE_MESSAGE if invisible else LOOK_ALIKE_MESSAGE
        raise ValidationError(message.format(name=name, char=char), code="invalid_doi")
    if DOT_SEGMENT.search(doi):
        raise ValidationError(DOT_SEGMENT_MESSAGE, code="invalid_doi")
    if markup := MARKUP.search(doi):
        tag = doi[markup.start() + 1 : markup.start() + 8].split(">")[0]
        raise ValidationError(MARKUP_MESSAGE.format(tag=tag), code="invalid_doi")


def validate_doi(value: str) -> None:
    """Field validator: the stored value must already be in normal form (Study.clean_fields
    normalises what an editor types before this runs)."""
    if value and normalize_doi(value) != value:
        raise ValidationError(INVALID_DOI_MESSAGE, code="invalid_doi")


# What a DOI keeps as it is in every href of ours (doi.org links, study links, `next`): "/" and
# the "(", ")" and ":" of Lancet and SICI DOIs, so a link holds the DOI as the page's text shows
# it to Zotero's DOI translator. The rest is percent-encoded: a SICI DOI's "<" and ">" would
# break an href, and reference managers split a RIS UR at ";".
DOI_HREF_SAFE = "/():"


def quote_doi(text: str) -> str:
    """The DOI (or an address ending in one) percent-encoded by the one rule above."""
    return quote(text, safe=DOI_HREF_SAFE)


def doi_url(doi: str) -> str:
    """https://doi.org/<doi>, the DOI percent-encoded by quote_doi ("" for no DOI)."""
    return f"https://doi.org/{quote_doi(doi)}" if doi else ""
