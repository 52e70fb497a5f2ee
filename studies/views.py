from urllib.parse import unquote

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from core.site import site_url

from .citation_meta import highwire_tags, page_description, scholarly_article
from .doi import normalize_doi
from .models import Study


def _render_study(request: HttpRequest, study: Study) -> HttpResponse:
    """The study with what scoring needs readers to see: its retraction status, the reviews
    that pool it (or the studies a review pools), the other publications of its trial, and
    who funded it. Five queries whatever the study."""
    # Literal values: Evidence.Status and Claim.Status live in claims, a layer above studies.
    evidence = study.evidence.filter(status="approved", claim__status="published").select_related(
        "claim"
    )
    same_trial = (
        Study.objects.filter(trial_registration__iexact=study.trial_registration).exclude(
            pk=study.pk
        )
        if study.trial_registration
        else Study.objects.none()
    )
    # One address whichever URL was asked for: the DOI form (studies/urls.py).
    canonical_url = site_url(request, study.get_absolute_url())
    return render(
        request,
        "studies/study_detail.html",
        {
            "study": study,
            "canonical_url": canonical_url,
            "description": page_description(study),
            "citation_tags": highwire_tags(study),
            "jsonld": scholarly_article(study, canonical_url),
            # Back here after logging in; the sign-up and log-in links carry it with its "/"
            # unescaped, so not the canonical path (Zotero reads "10.1000/abc/" in that). As a
            # path, not an address: the links encode it once, by the DOI's rule (studies.doi).
            "next_path": unquote(study.link_url),
            "evidence": evidence,
            "pooled_in": study.pooled_in.order_by("-year", "title"),
            "pools": study.pools.order_by("-year", "title"),
            "same_trial": same_trial.order_by("-year", "title"),
        },
    )


@require_safe
def study_detail(request: HttpRequest, doi: str) -> HttpResponse:
    try:
        doi = normalize_doi(doi)
    except ValidationError:
        raise Http404("Not a DOI") from None
    return _render_study(request, get_object_or_404(Study, doi=doi))


@require_safe
def study_detail_by_id(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_study(request, get_object_or_404(Study, pk=pk))
