from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from .doi import normalize_doi
from .models import Study


def _render_study(request: HttpRequest, study: Study) -> HttpResponse:
    evidence = study.evidence.filter(status="approved", claim__status="published").select_related(
        "claim"
    )
    return render(request, "studies/study_detail.html", {"study": study, "evidence": evidence})


@require_safe
def study_detail(request: HttpRequest, doi: str) -> HttpResponse:
    from django.core.exceptions import ValidationError
    from django.http import Http404

    try:
        doi = normalize_doi(doi)
    except ValidationError:
        raise Http404("Not a DOI") from None
    return _render_study(request, get_object_or_404(Study, doi=doi))


@require_safe
def study_detail_by_id(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_study(request, get_object_or_404(Study, pk=pk))
