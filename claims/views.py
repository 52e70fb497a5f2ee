import functools

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_safe
from django.views.decorators.vary import vary_on_headers

import scoring

from .about import about_scoring_context
from .api import claim_record
from .cache import FRAGMENT_TIMEOUT, RELATED_TIMEOUT, ClaimPage, claim_etag
from .filters import published_topics
from .history import score_chart, version_history
from .models import Claim, ClaimType
from .presentation import (
    certainty_words,
    claim_review_jsonld,
    evidence_mode,
    evidence_sides,
    page_description,
    verdict_sentence,
    wording_toggle,
)


def _get_claim(request: HttpRequest, slug: str) -> Claim:
    """A published claim; editors may also preview drafts."""
    claims = Claim.objects.all() if request.user.is_staff else Claim.objects.published()
    return get_object_or_404(claims, slug=slug)


def shows_full_verdict(request: HttpRequest) -> bool:
    return request.user.is_authenticated or not settings.FULL_VERDICT_REQUIRES_LOGIN


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    claims = Claim.objects.published().with_counts()
    return render(
        request,
        "claims/home.html",
        {
            "featured": claims.filter(featured=True)[:4],
            "recent": claims.order_by("-created_at")[:8],
        },
    )


@require_safe
@vary_on_headers("HX-Request")
def claim_list(request: HttpRequest) -> HttpResponse:
    claims = Claim.objects.published().with_counts()
    query = request.GET.get("q", "").strip()[:200]
    filters = {
        "topic": request.GET.get("topic", ""),
        "claim_type": request.GET.get("type", ""),
        "verdict": request.GET.get("verdict", ""),
    }
    if query:
        claims = claims.search(query)
    for field, value in filters.items():
        if value:
            claims = claims.filter(**{field: value})
    # A search is ranked best match first (search() orders it) unless the reader asks otherwise.
    sort = request.GET.get("sort") or ("relevance" if query else "newest")
    if sort == "strongest":
        claims = claims.strongest_first()
    elif not (sort == "relevance" and query):
        sort = "newest"
        claims = claims.order_by("-created_at", "-pk")
    page = Paginator(claims, settings.CLAIMS_PER_PAGE).get_page(request.GET.get("page"))
    template = "claims/claim_list.html"
    if request.htmx:
        template += "#results"
    return render(
        request,
        template,
        {
            "page": page,
            "query": query,
            "filters": filters,
            # The filter fields stay unfolded while any of them is in use.
            "filtered": any(filters.values()) or bool(request.GET.get("sort")),
            "sort": sort,
            "topics": published_topics(),
            "claim_types": ClaimType.choices,
            "verdicts": scoring.VERDICTS,
            "querystring": _querystring_without_page(request),
        },
    )


def _querystring_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _claim_for_page(request: HttpRequest, slug: str) -> Claim | None:
    """The claim of a claim page, fetched once per request (the ETag check and view share it).

    Anonymous readers are usually served the whole page from the cache, so for them only the
    claim's version is read here; the view loads the rest when it has to render.
    """
    if not hasattr(request, "_claim_for_page"):
        if not request.user.is_authenticated:
            claim = Claim.objects.published_version(slug)
        else:
            claims = Claim.objects.all() if request.user.is_staff else Claim.objects.published()
            claim = claims.defer("search_vector").filter(slug=slug).first()
        request._claim_for_page = claim
    return request._claim_for_page


def _wording(request: HttpRequest) -> str:
    return "scientific" if request.GET.get("wording") == "scientific" else "plain"


def _evidence(request: HttpRequest) -> str:
    """Which evidence lists are shown whole; "" when the gate hides them (so a gated page has
    one cached copy and one ETag, whatever `?evidence=` says)."""
    if not shows_full_verdict(request):
        return ""
    return evidence_mode(request.GET.get("evidence"))


def _fragment(request: HttpRequest) -> str:
    """The partial htmx asks for instead of the whole page: "statement" (the wording toggle),
    "evidence-list" (one side's whole list, `?evidence=supports` or `contradicts`), or ""."""
    if not request.htmx:
        return ""
    if request.GET.get("wording"):
        return "statement"
    if _evidence(request) in ("supports", "contradicts"):
        return "evidence-list"
    return ""


def _claim_page_key(request: HttpRequest, claim: Claim) -> str:
    """The claim page's ETag, computed once per request (the ETag check and view share it)."""
    if not hasattr(request, "_claim_page_key"):
        request._claim_page_key = claim_etag(
            claim,
            request,
            wording=_wording(request),
            evidence=_evidence(request),
            fragment=_fragment(request),
        )
    return request._claim_page_key


def _claim_page_etag(request: HttpRequest, slug: str) -> str | None:
    claim = _claim_for_page(request, slug)
    return _claim_page_key(request, claim) if claim else None


def _anonymous_page_key(request: HttpRequest, claim: Claim) -> str | None:
    """The cache key of an anonymous reader's whole page, or None when it must be rendered.

    Anonymous pages hold no CSRF token and nothing about the reader, so every anonymous reader
    of one version (and origin: the key is the ETag) gets the same bytes; a pending message
    ("You have logged out") is rendered.
    """
    if request.user.is_authenticated or len(get_messages(request)):
        return None
    return f"claim-page-anonymous:{_claim_page_key(request, claim)}"


@require_safe
@vary_on_headers("HX-Request")
@cache_control(private=True, no_cache=True)
@condition(etag_func=_claim_page_etag)
def claim_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # Queries on a warm cache: the claim (shared with the ETag check), plus session and user
    # for members. Anonymous readers get the whole page from the cache; for members, the heavy
    # parts are computed only when their {% cache %} fragment misses.
    claim = _claim_for_page(request, slug)
    if claim is None:
        raise Http404("No such claim.")
    page_key = _anonymous_page_key(request, claim)
    if page_key and (content := cache.get(page_key)) is not None:
        return HttpResponse(content)
    if not request.user.is_authenticated:  # only the version was read
        claim = Claim.objects.published().defer("search_vector").filter(pk=claim.pk).first()
        if claim is None:  # unpublished or deleted a moment ago
            raise Http404("No such claim.")
    page = ClaimPage(claim)
    summary = page.summary()
    card, analysis = summary["card"], summary["analysis"]
    template = "claims/claim_detail.html"
    if fragment := _fragment(request):
        template += f"#{fragment}"
    evidence, wording = _evidence(request), _wording(request)
    sides = functools.cache(lambda: evidence_sides(page.rows(), evidence, wording))
    context = {
        "claim": claim,
        # Sign-up and log-in links come back here; without the query string, so a cached
        # anonymous page does not carry one reader's parameters to the next.
        "next_path": request.path,
        "card": card,
        "analysis": analysis,
        "rows": page.rows,
        "evidence": evidence,
        "sides": sides,
        # The one side an htmx "Show all" asks for (the evidence-list partial).
        "side": lambda: sides().get(evidence),
        "verdict_sentence": verdict_sentence(card),
        "certainty_words": certainty_words(card.certainty),
        "counts": summary["counts"],
        "out_of_date": summary["out_of_date"],
        "description": page_description(card, claim.plain_statement),
        "og_description": page_description(card, claim.statement),
        "wording": wording,
        "wording_toggle": wording_toggle(claim.get_absolute_url(), wording, evidence),
        "full": shows_full_verdict(request),
        "pending_submissions": summary["pending_submissions"],
        "jsonld": claim_review_jsonld(claim, card, analysis, request),
        "what_would_change": page.what_would_change,
        "sensitivity": page.sensitivity,
        "related": page.related,
        "wording_warning": summary["wording_warning"],
        "analysis_with_mechanisms": page.analysis_with_mechanisms,
        "fragment_timeout": FRAGMENT_TIMEOUT,
        "related_timeout": RELATED_TIMEOUT,
    }
    response = render(request, template, context)
    if page_key:
        cache.set(page_key, response.content, RELATED_TIMEOUT)
    return response


@require_safe
def claim_json(request: HttpRequest, slug: str) -> JsonResponse:
    data = claim_record(_get_claim(request, slug), request)
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})


@require_safe
def claim_history(request: HttpRequest, slug: str) -> HttpResponse:
    claim = _get_claim(request, slug)
    versions = version_history(claim)
    return render(
        request,
        "claims/claim_history.html",
        {
            "claim": claim,
            "versions": versions,
            "chart": score_chart(versions) if versions else None,
        },
    )


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """ "ok" when the database answers, else 503 (CONN_HEALTH_CHECKS reconnects next time)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable", content_type="text/plain", status=503)
    return HttpResponse("ok", content_type="text/plain")


@require_safe
def about_scoring(request: HttpRequest) -> HttpResponse:
    return render(request, "claims/about_scoring.html", about_scoring_context())
