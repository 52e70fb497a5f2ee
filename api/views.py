"""The read-only JSON API under /api/ (documented in docs/api.md), and /claims/<slug>.json.

Plain views returning JsonResponse. Every API response is public and the same for every
visitor (published claims only, even for signed-in editors), so it can carry a strong ETag
and `Access-Control-Allow-Origin: *`.
"""

import functools
import hashlib
from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

import scoring
from claims.filters import API_FIELDS, CERTAINTY_FILTER, ClaimFilterForm, filter_claims
from claims.models import Claim, ClaimType, Evidence
from claims.page_cache import claim_or_404
from core.site import site_url
from studies.doi import normalize_doi
from studies.models import Study

from .records import claim_record, claim_summary, study_record, study_summary

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
JSON_OPTIONS = {"ensure_ascii": False}

# Error messages: module constants so tests assert on them (a bad filter value answers with
# the claims.filters form's error).
BAD_PAGE = "page must be a whole number from 1."
PAGE_OUT_OF_RANGE = "There is no page {page}; the last page is {last}."
BAD_PAGE_SIZE = f"page_size must be a whole number from 1 to {MAX_PAGE_SIZE}."
REPEATED = (
    "{name} was given {count} times; give it once (a filter takes one value: to match "
    "several, make one request for each)."
)
METHOD_NOT_ALLOWED = "This API is read-only: use GET, HEAD or OPTIONS."
NOT_FOUND = "No such {thing}."


class BadRequest(Exception):
    """Raised by a view for a bad query string: becomes a JSON error with this status."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message, "status": status}, status=status)


def api_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Read-only, CORS-open for GET/HEAD/OPTIONS, with an ETag and conditional GET (304).

    OPTIONS answers a CORS preflight itself; other methods get a JSON 405. A BadRequest
    raised by the view becomes a JSON error (400 unless it says otherwise).
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in SAFE_METHODS:
            response = error(405, METHOD_NOT_ALLOWED)
            response["Allow"] = ", ".join(SAFE_METHODS)
            return response
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Allow"] = ", ".join(SAFE_METHODS)
            response["Access-Control-Allow-Methods"] = ", ".join(SAFE_METHODS)
            response["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
            response["Access-Control-Max-Age"] = "86400"
        else:
            try:
                response = view(request, *args, **kwargs)
            except BadRequest as exc:
                response = error(exc.status, str(exc))
            if response.status_code == 200:
                response = _conditional(request, response)
        return _cors(response)

    # Nothing here acts on unsafe methods: answer them with a JSON 405, not a CSRF page.
    return csrf_exempt(wrapper)


def _conditional(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """A strong ETag from the body; answer 304 when the client already has it."""
    etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=60"
    return get_conditional_response(request, etag=etag, response=response)


def _cors(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "ETag"
    return response


def _json(data) -> JsonResponse:
    return JsonResponse(data, json_dumps_params=JSON_OPTIONS)


# Query parameters


def _single(request: HttpRequest, name: str) -> str:
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
        _single(request, name)
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


def paginate(request: HttpRequest, queryset, serialize) -> dict:
    """The page the query string asks for, as the list envelope (two queries)."""
    size = _positive_int(
        _single(request, "page_size"), DEFAULT_PAGE_SIZE, BAD_PAGE_SIZE, MAX_PAGE_SIZE
    )
    number = _positive_int(_single(request, "page"), 1, BAD_PAGE)
    paginator = Paginator(queryset, size)
    if number > paginator.num_pages:
        raise BadRequest(
            PAGE_OUT_OF_RANGE.format(page=number, last=paginator.num_pages), status=404
        )
    page = paginator.page(number)

    def link(n: int) -> str:
        params = request.GET.copy()
        params["page"] = n
        return site_url(request, f"{request.path}?{params.urlencode()}")

    return {
        "count": paginator.count,
        "page": number,
        "page_size": size,
        "num_pages": paginator.num_pages,
        "next": link(number + 1) if page.has_next() else None,
        "previous": link(number - 1) if page.has_previous() else None,
        "results": [serialize(item) for item in page.object_list],
    }


# Claims


@api_view
def claim_list(request: HttpRequest) -> HttpResponse:
    """Newest first; a search keeps its own order, best match first."""
    filters = _cleaned(request, ClaimFilterForm(request.GET, fields=API_FIELDS))
    claims = filter_claims(Claim.objects.published().with_counts(), filters)
    return _json(paginate(request, claims, lambda claim: claim_summary(claim, request)))


@api_view
def claim_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The same data as /claims/<slug>.json (which is indented and has no ETag)."""
    claim = Claim.objects.published().filter(slug=slug).first()
    if claim is None:
        return error(404, NOT_FOUND.format(thing="published claim"))
    return _json(claim_record(claim, request))


@require_safe
def claim_json(request: HttpRequest, slug: str) -> JsonResponse:
    """/claims/<slug>.json: the claim page's data, drafts included for editors (as the page)."""
    data = claim_record(claim_or_404(request, slug), request)
    return JsonResponse(data, json_dumps_params={**JSON_OPTIONS, "indent": 2})


# Studies


@api_view
def study_list(request: HttpRequest) -> HttpResponse:
    studies = Study.objects.annotate(
        claim_count=Count(
            "evidence",
            filter=Q(
                evidence__status=Evidence.Status.APPROVED,
                evidence__claim__status=Claim.Status.PUBLISHED,
            ),
            distinct=True,
        )
    )
    query = _single(request, "q").strip()[:200]
    if query:
        studies = studies.search(query)
    studies = studies.order_by("-year", "title", "pk")
    return _json(paginate(request, studies, lambda study: study_summary(study, request)))


@api_view
def study_detail(request: HttpRequest, doi: str) -> HttpResponse:
    """/api/studies/<doi>/: the DOI keeps its slash; any case or doi.org prefix is accepted."""
    try:
        doi = normalize_doi(doi)
    except ValidationError:
        return error(404, NOT_FOUND.format(thing="study: not a DOI"))
    study = Study.objects.filter(doi=doi).first()
    if study is None:
        return error(404, NOT_FOUND.format(thing="study with this DOI"))
    return _json(study_record(study, request))


@api_view
def study_detail_by_id(request: HttpRequest, pk: int) -> HttpResponse:
    """For studies without a DOI."""
    study = Study.objects.filter(pk=pk).first()
    if study is None:
        return error(404, NOT_FOUND.format(thing="study"))
    return _json(study_record(study, request))


@api_view
def index(request: HttpRequest) -> HttpResponse:
    """/api/: where everything is."""
    links = {
        "claims": reverse("api-claims"),
        "studies": reverse("api-studies"),
        "feed": reverse("feed-claims"),
        "sitemap": reverse("sitemap"),
    }
    return _json(
        {
            **{name: site_url(request, url) for name, url in links.items()},
            "documentation": "docs/api.md in the source repository",
            "claim_types": ClaimType.values,
            "verdicts": list(scoring.VERDICTS),
            "certainties": list(CERTAINTY_FILTER),
        }
    )
