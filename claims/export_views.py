"""A claim's studies as files for reference managers and spreadsheets."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from core.site import site_url

from . import exports, exports_csl, exports_csv
from .evidence_list import evidence_rows
from .page_cache import claim_or_404, lower_case_slug
from .services import claim_evidence, claim_scorecard
from .version_cache import versioned

# The file name's extension per format (CSL-JSON's is the one Pandoc and citeproc look for).
FILE_EXTENSIONS = {"bib": "bib", "ris": "ris", "csv": "csv", "json": "csl.json"}


@require_safe
@lower_case_slug
def claim_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """/claims/<slug>/export.bib, .ris, .csv or .json (CSL-JSON); the URL pattern allows only
    those four.

    Like the claim page, the live scorecard: every approved link, counted or not. Cached under
    the claim's version (claims.version_cache): a 304 reads the claim and nothing else."""
    claim = claim_or_404(request, slug)
    response = versioned(
        request,
        claim,
        f"export.{fmt}",
        lambda: export_text(request, claim, fmt),
        exports.CONTENT_TYPES[fmt],
    )
    filename = f"{claim.slug}.{FILE_EXTENSIONS[fmt]}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_text(request: HttpRequest, claim, fmt: str) -> str:
    evidence = claim_evidence(claim)
    card = claim_scorecard(claim, evidence)
    rows = exports.flatten(evidence_rows(evidence, card))
    claim_url = site_url(request, claim.get_absolute_url())
    if fmt == "bib":
        return exports.to_bibtex(rows, claim_url, card, claim.plain_statement)
    if fmt == "ris":
        return exports.to_ris(rows, claim_url, card, claim.plain_statement)
    if fmt == "json":
        return exports_csl.to_csl_json(rows, claim_url, card, claim.plain_statement)
    return exports_csv.to_csv(rows, card, claim)
