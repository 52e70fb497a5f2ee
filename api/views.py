"""The read-only JSON API under /api/ (documented in docs/api.md), and /claims/<slug>.json.

Plain views returning JsonResponse. Every API response is public and the same for every
visitor (published claims only, even for signed-in editors), so it can carry a strong ETag
and `Access-Control-Allow-Origin: *` (the HTTP rules are api/http.py).
"""

import functools
from pathlib import Path

import yaml
from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve, reverse

import scoring
from claims.filters import API_FIELDS, CERTAINTY_FILTER, ClaimFilterForm, filter_claims
from claims.models import Claim, ClaimType
from claims.page_cache import claim_or_404, lower_case_slug
from claims.pagination import ClaimPaginator, list_key
from claims.version_cache import versioned
from core.site import site_url

from .cursor import cursor_page
from .cursor import decode as decode_cursor
from .http import (
    PUBLIC_CACHE,
    BadRequest,
    api_view,
    cors,
    error,
    json_response,
    newest,
    read_only,
)
from .records import claim_record, claim_summary

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
JSON_CONTENT_TYPE = "application/json"
OPENAPI_FILE = Path(__file__).with_name("openapi.yaml")
NOT_FOUND_ROUTE = "api-not-found"
# A draft, seen by an editor: nobody else may keep a copy.
PRIVATE_CACHE = "private, no-store"

# Error messages: module constants so tests assert on them (a bad filter value answers with
# the claims.filters form's error).
BAD_PAGE = "page must be a whole number from 1."
PAGE_OUT_OF_RANGE = "There is no page {page}; the last page is {last}."
BAD_PAGE_SIZE = f"page_size must be a whole number from 1 to {MAX_PAGE_SIZE}."
REPEATED = (
    "{name} was given {count} times; give it once (a filter takes one value: to match "
    "several, make one request for each)."
)
NOT_FOUND = "No such {thing}."
NO_SUCH_PATH = "Nothing is at {path}: the API's endpoints are listed at {index}."


# Query parameters


def single(request: HttpRequest, name: str) -> str:
    """The parameter's one value ("" when absent). Given twice it is a 400: QueryDict.get
    would silently take the last, and ?certainty=low&certainty=very_low would answer for
    very_low alone as if it had been asked for both."""
    values = request.GET.getlist(name)
    if len(values) > 1:
        raise BadRequest(REPEATED.format(name=name, count=len(values)))
    return values[0] if values else ""


def _cleaned(request: HttpRequest, form: forms.Form) -> dict:
    """The form's cleaned data, or a 400 for the first bad parameter in the form's order
    (given twice, or a bad value)."""
    for name in form.fields:
        single(request, name)
        if name in form.errors:
            raise BadRequest(form.errors[name][0])
    return form.cleaned_data


def _positive_int(value: str | None, default: int, message: str, maximum=None) -> int:
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except ValueError:
        raise BadRequest(message) from None
    if number < 1 or (maximum is not None and number > maximum):
        raise BadRequest(message)
    return number


def paginate(
    request: HttpRequest,
    queryset,
    serialize,
    default_size: int = DEFAULT_PAGE_SIZE,
    paginator_class=Paginator,
) -> tuple[dict, list]:
    """The page the query string asks for, as the list envelope, and the page's objects (two
    queries; the claims' count is cached: `paginator_class` a ClaimPaginator)."""
    size = _positive_int(single(request, "page_size"), default_size, BAD_PAGE_SIZE, MAX_PAGE_SIZE)
    number = _positive_int(single(request, "page"), 1, BAD_PAGE)
    paginator = paginator_class(queryset, size)
    if number > paginator.num_pages:
        raise BadRequest(
            PAGE_OUT_OF_RANGE.format(page=number, last=paginator.num_pages), status=404
        )
    page = paginator.page(number)
    objects = list(page.object_list)

    def link(n: int) -> str:
        params = request.GET.copy()
        params["page"] = n
        return site_url(request, f"{request.path}?{params.urlencode()}")

    envelope = {
        "count": paginator.count,
        "page": number,
        "page_size": size,
        "num_pages": paginator.num_pages,
        "next": link(number + 1) if page.has_next() else None,
        "previous": link(number - 1) if page.has_previous() else None,
        "results": [serialize(item) for item in objects],
    }
    return envelope, objects


# Claims


@api_view
def claim_list(request: HttpRequest) -> HttpResponse:
    """Newest first; a search keeps its own order, best match first. Paged by cursor when
    `cursor` is given (even empty) without `page` or `q` (api.cursor), else by number.
    Last-Modified: the page's most recently changed claim, or a claim that left the list
    since."""
    filters = _cleaned(request, ClaimFilterForm(request.GET, fields=API_FIELDS))
    claims = filter_claims(Claim.objects.published().with_counts().with_list_changed(), filters)

    def serialize(claim: Claim) -> dict:
        return claim_summary(claim, request)

    if cursor := single(request, "cursor"):
        decode_cursor(cursor)  # a malformed one is a 400, even where page or q leave it unread
    if "cursor" in request.GET and not single(request, "page") and not filters.get("q"):
        size = _positive_int(
            single(request, "page_size"), DEFAULT_PAGE_SIZE, BAD_PAGE_SIZE, MAX_PAGE_SIZE
        )
        data, page = cursor_page(request, claims, serialize, size)
    else:
        # The count is cached under the "claims changed" version, as the list page's (issue 20:
        # a COUNT(*) of every published claim, 28 ms at 100,000).
        key = list_key("api", filters)
        data, page = paginate(
            request, claims, serialize, paginator_class=functools.partial(ClaimPaginator, key=key)
        )
    changed = [date for claim in page for date in (claim.last_changed_at, claim.list_changed)]
    return json_response(data, newest(changed))


@read_only
def claim_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The same data as /claims/<slug>.json (which is indented), cached under the claim's
    version: a 304 reads the claim alone (claims.version_cache)."""
    claim = Claim.objects.published().defer("search_vector").filter(slug=slug).first()
    if claim is None:
        return cors(error(404, NOT_FOUND.format(thing="published claim")))
    response = versioned(
        request, claim, "api", lambda: _record_json(request, claim), JSON_CONTENT_TYPE
    )
    response["Cache-Control"] = PUBLIC_CACHE
    return cors(response)


def _record_json(request: HttpRequest, claim: Claim, **dumps) -> bytes:
    """The claim's record as JSON bytes, as json_response writes it (a cache miss only)."""
    return json_response(claim_record(claim, request), **dumps).content


@read_only
def claim_json(request: HttpRequest, slug: str) -> HttpResponse:
    """/claims/<slug>.json: the claim page's data, drafts included for editors (as the page).
    A published claim is the same for everyone: public, cacheable, readable from any site
    (the 301 from an upper-case slug too)."""
    return cors(_claim_json(request, slug))


@lower_case_slug
def _claim_json(request: HttpRequest, slug: str) -> HttpResponse:
    claim = claim_or_404(request, slug)
    response = versioned(
        request,
        claim,
        "json",
        lambda: _record_json(request, claim, indent=2),
        JSON_CONTENT_TYPE,
    )
    published = claim.status == Claim.Status.PUBLISHED
    response["Cache-Control"] = PUBLIC_CACHE if published else PRIVATE_CACHE
    return response


# The index, the OpenAPI document and every other path


@api_view
def index(request: HttpRequest) -> HttpResponse:
    """/api/: where everything is. Last-Modified: the latest change of a published claim."""
    links = {
        "claims": reverse("api-claims"),
        "studies": reverse("api-studies"),
        "schema": reverse("api-schema"),
        "dumps": reverse("api-dumps"),
        "feed": reverse("feed-claims"),
        "sitemap": reverse("sitemap"),
    }
    latest = Claim.objects.published().with_last_changed().aggregate(latest=Max("last_changed"))
    return json_response(
        {
            **{name: site_url(request, url) for name, url in links.items()},
            "documentation": "docs/api.md in the source repository",
            "claim_types": ClaimType.values,
            "verdicts": list(scoring.VERDICTS),
            "certainties": list(CERTAINTY_FILTER),
        },
        latest["latest"],
    )


@functools.cache
def openapi_document() -> dict:
    """api/openapi.yaml, read once: the OpenAPI 3.1 description of every endpoint."""
    return yaml.safe_load(OPENAPI_FILE.read_text(encoding="utf-8"))


@api_view
def schema(request: HttpRequest) -> HttpResponse:
    """/api/schema/: the OpenAPI document as JSON, served from this site's origin."""
    document = {**openapi_document(), "servers": [{"url": site_url(request, "/")}]}
    response = json_response(document)
    response["Content-Type"] = "application/vnd.oai.openapi+json"
    return response


@api_view
def not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    """Every other /api/ path: a JSON 404 (and a JSON 405 for a method the API has not).

    The catch-all matches /api/claims too, so Django's APPEND_SLASH never sees it: redirect
    here when the address with a slash is an endpoint (api_view adds the CORS header)."""
    if settings.APPEND_SLASH and not request.path_info.endswith("/"):
        try:
            match = resolve(request.path_info + "/")
        except Resolver404:
            match = None
        if match is not None and match.url_name != NOT_FOUND_ROUTE:
            return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
    return error(404, NO_SUCH_PATH.format(path=request.path, index=site_url(request, "/api/")))
