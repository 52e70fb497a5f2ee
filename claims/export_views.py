"""A claim's studies as files for reference managers and spreadsheets."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from core.site import site_url

from . import exports, exports_csv
from .evidence_list import evidence_rows
from .page_cache import claim_or_404
from .services import claim_evidence, claim_scorecard


@require_safe
def claim_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """/claims/<slug>/export.bib, .ris or .csv (the URL pattern allows only those three).

    Like the claim page, the live scorecard: every approved link, counted or not."""
    claim = claim_or_404(request, slug)
    evidence = claim_evidence(claim)
    card = claim_scorecard(claim, evidence)
    rows = exports.flatten(evidence_rows(evidence, card))
    claim_url = site_url(request, claim.get_absolute_url())
    if fmt == "bib":
        text = exports.to_bibtex(rows, claim_url, card, claim.plain_statement)
    elif fmt == "ris":
        text = exports.to_ris(rows, claim_url, card, claim.plain_statement)
    else:
        text = exports_csv.to_csv(rows, card, claim)
    response = HttpResponse(text, content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{claim.slug}.{fmt}"'
    return response
