from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import DatabaseError, connection
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import get_conditional_response, quote_etag
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

import scoring
from core.db_outage import outage

from . import page_version, search, versions
from .about import about_scoring_context
from .changes import claim_changes
from .exports import CONTENT_TYPES
from .filters import (
    LIST_FIELDS,
    ClaimFilterForm,
    claim_sort,
    filter_claims,
    is_default,
    published_topics,
)
from .history import only_version, score_chart, version_history
from .models import Claim, ClaimType
from .page import ClaimPage
from .page_cache import (
    FRAGMENT_TIMEOUT,
    PageKey,
    claim_for_page,
    claim_or_404,
    lower_case_slug,
    shows_full_verdict,
)
from .pagination import ClaimPaginator, list_key
from .search import search_capped, studies_for_list

# The claim list's "Studies" section shows this many, best first.
STUDIES_SHOWN = 10


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
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def claim_list(request: HttpRequest) -> HttpResponse:
    # The form sends its empty fields and defaults too: the address shown and shared leaves
    # them out.
    clean_url = _without_empty_parameters(request)
    if clean_url and not request.htmx:
        return HttpResponseRedirect(clean_url)
    form = ClaimFilterForm(request.GET, fields=LIST_FIELDS, on_page=True)
    # A bad value filters nothing and its error shows beside its field; the others still apply.
    form.is_valid()
    filters = form.cleaned_data
    claims = filter_claims(Claim.objects.published().with_counts(), filters)
    # The count and the topics are cached under the "claims changed" version (one query).
    version = Claim.objects.list_version()
    paginator = ClaimPaginator(
        claims, settings.CLAIMS_PER_PAGE, key=list_key("list", filters), version=version
    )
    page = _page_or_404(paginator, request.GET.get("page"))
    template = "claims/claim_list.html"
    # htmx asks for the results (and the form, out of band); restoring history, for the page.
    if request.htmx and not request.headers.get("HX-History-Restore-Request"):
        template += "#results"
    query = filters.get("q", "")
    response = render(
        request,
        template,
        {
            "page": page,
            "form": form,
            "query": query,
            # PostgreSQL ranks and counts the first SEARCH_RANKED matches only (claims.search).
            "search_capped": bool(query) and search_capped(page.paginator.count),
            "search_ranked": f"{search.SEARCH_RANKED:,}",  # read when used: a test lowers it
            # The studies the search found, under the claims, on the first page only.
            "studies": studies_for_list(query, STUDIES_SHOWN) if query and page.number == 1 else [],
            "studies_shown": STUDIES_SHOWN,
            "form_out_of_band": template.endswith("#results"),
            "filters": filters,
            # The filter fields stay unfolded while any of them is in use.
            "filtered": any(request.GET.get(name) for name in ("topic", "type", "verdict", "sort")),
            "sort": claim_sort(filters),
            "topics": published_topics(version),
            "claim_types": ClaimType.choices,
            "verdicts": scoring.VERDICTS,
            "querystring": urlencode(_clean_parameters(request, without=("page",))),
        },
    )
    if clean_url:  # htmx pushes this address, not the one it asked with
        response["HX-Push-Url"] = clean_url
    return response


def _clean_parameters(request: HttpRequest, without=()) -> list[tuple[str, str]]:
    """The list's parameters less the empty ones, the defaults (filters.is_default) and
    `without`."""
    query = request.GET.get("q", "").strip()
    return [
        (name, value)
        for name, values in request.GET.lists()
        for value in values
        if value.strip() and name not in without and not is_default(name, value, query)
    ]


def _without_empty_parameters(request: HttpRequest) -> str:
    """The list's address without its empty or default parameters, or "" when it has none."""
    cleaned = _clean_parameters(request)
    if len(cleaned) == sum(len(values) for _, values in request.GET.lists()):
        return ""
    return f"{request.path}?{urlencode(cleaned)}" if cleaned else request.path


def _page_or_404(paginator: Paginator, number: str | None) -> Page:
    """The page asked for, the first when none is; 404 for one that is not a page number or
    is past either end (no page silently stands in for another)."""
    try:
        return paginator.page(number or 1)
    except (PageNotAnInteger, EmptyPage):
        raise Http404("No such page of claims.") from None


@require_safe
@vary_on_headers("HX-Request")
@cache_control(private=True, no_cache=True)
def claim_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # Queries on a warm cache: the claim's version (none for anonymous readers when the cache
    # is shared: claims.page_version), plus session and user for members.
    # Anonymous readers get the whole page from the cache; for members, the heavy parts are
    # computed only when their {% cache %} fragment misses (claims.page).
    claim = claim_for_page(request, slug)
    if claim is None:
        # Slugs are lower case: "/claims/RIR-Training-…/" (typed, or from a title-cased
        # link) moves for good to the claim's address when that claim exists.
        if slug != slug.lower() and claim_for_page(request, slug.lower()) is not None:
            return HttpResponsePermanentRedirect(_same_query(request, slug.lower()))
        raise Http404("No such claim.")
    key = PageKey(request, claim)
    # A page showing a message ("You are logged out.") is never a 304 (PageKey.has_messages).
    etag = None if key.has_messages else quote_etag(key.etag)
    if etag and (response := get_conditional_response(request, etag=etag)) is not None:
        return _with_etag(response, key)
    if key.anonymous_page and (content := page_version.cached_page(key.anonymous_page)):
        return _with_etag(HttpResponse(content), key)
    if not request.user.is_authenticated:  # only the version was read
        claim = Claim.objects.published().defer("search_vector").filter(pk=claim.pk).first()
        if claim is None:  # unpublished or deleted a moment ago
            raise Http404("No such claim.")
    template = "claims/claim_detail.html"
    if key.fragment:
        template += f"#{key.fragment}"
    page = ClaimPage(claim, key)
    # next_path: base.html's sign-up and log-in links (page.next_path says why).
    context = {"page": page, "claim": claim, "next_path": page.next_path}
    response = render(request, template, context)
    if key.anonymous_page:
        page_version.keep_page(key.anonymous_page, response.content, FRAGMENT_TIMEOUT)
    return _with_etag(response, key)


def _same_query(request: HttpRequest, slug: str) -> str:
    url = reverse("claim-detail", kwargs={"slug": slug})
    query = request.GET.urlencode()
    return f"{url}?{query}" if query else url


def _with_etag(response: HttpResponse, key: PageKey) -> HttpResponse:
    if not key.has_messages:  # shown once: a browser must not revalidate it into a 304
        response["ETag"] = quote_etag(key.etag)
    return response


@require_safe
@lower_case_slug
def claim_history(request: HttpRequest, slug: str) -> HttpResponse:
    claim = claim_or_404(request, slug)
    if (request.GET.get("page") or "1") != "1":  # one page, whatever the count of versions
        raise Http404("The history has one page.")
    versions = version_history(claim)
    return render(
        request,
        "claims/claim_history.html",
        {
            "claim": claim,
            "versions": versions,
            "chart": score_chart(versions) if versions else None,
            "only_version": only_version(versions),
        },
    )


@require_safe
@lower_case_slug
def claim_changes_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The claim's audit trail for readers; read fresh on every request (never cached)."""
    claim = claim_or_404(request, slug)
    number = request.GET.get("page")
    changes = claim_changes(claim, number)
    # claim_changes serves the last page past the end and the first for "abc": 404 instead.
    if number and number != str(changes.number):
        raise Http404("No such page of changes.")
    return render(request, "claims/claim_changes.html", {"claim": claim, "changes": changes})


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """ "ok" when the database answers, else 503 (CONN_HEALTH_CHECKS reconnects next time). A
    shared cache that does not answer is named, still 200: pages are served uncached."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        outage.failed()  # the pages fail fast too while it cannot connect (core.db_outage)
        return HttpResponse("database unavailable", content_type="text/plain", status=503)
    outage.recovered()  # it answered: the pages need not wait for their own probe
    if not getattr(cache, "is_available", lambda: True)():
        return HttpResponse("ok (cache unavailable)", content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


@require_safe
def about_scoring(request: HttpRequest) -> HttpResponse:
    return render(request, "claims/about_scoring.html", about_scoring_context())


def _published_claim(slug: str) -> Claim | None:
    return Claim.objects.published().defer("search_vector").filter(slug=slug).first()


def _version_or_redirect(request: HttpRequest, slug: str, n: str, *, mechanisms: bool = True):
    """(claim, analysis) of a published version, or 404; a 301 from /v/01/ to /v/1/ (one
    address per version; an upper-case slug's 301 is lower_case_slug's). Drafts have no
    permanent links, not even for editors."""
    claim = _published_claim(slug)
    if claim is None:
        raise Http404("No such claim.")
    number = int(n)
    analysis = versions.version_or_none(claim, number, mechanisms=mechanisms)
    if analysis is None:
        raise Http404("No such version of this claim.")
    if n != str(number):
        match = request.resolver_match
        url = reverse(match.view_name, kwargs={**match.kwargs, "n": number})
        return HttpResponsePermanentRedirect(url)
    return claim, analysis


@require_safe
@lower_case_slug
def claim_version(request: HttpRequest, slug: str, n: str) -> HttpResponse:
    """/claims/<slug>/v/<n>/: the claim as version n was published (claims.versions)."""
    found = _version_or_redirect(request, slug, n)
    if isinstance(found, HttpResponse):
        return found
    claim, analysis = found
    page = versions.VersionPage(request, claim, analysis)
    context = {"page": page, "claim": claim, "full": shows_full_verdict(request)}
    return render(request, "claims/claim_version.html", context)


@require_safe
@lower_case_slug
def claim_version_cite(request: HttpRequest, slug: str, n: str, fmt: str) -> HttpResponse:
    """/claims/<slug>/v/<n>/cite.bib or .ris: the version's citation as a file."""
    found = _version_or_redirect(request, slug, n, mechanisms=False)
    if isinstance(found, HttpResponse):
        return found
    claim, analysis = found
    title = versions.VersionPage(request, claim, analysis).title
    cite = versions.version_citation(request, claim, analysis, title)
    text = cite.bibtex if fmt == "bib" else cite.ris
    response = HttpResponse(text, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{cite.key}.{fmt}"'
    return response
