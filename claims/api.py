"""The read-only JSON API under /api/ (documented in docs/api.md).

Plain views returning JsonResponse. Every response is public and the same for every
visitor (published claims only, even for signed-in editors), so it can carry a strong ETag
and `Access-Control-Allow-Origin: *`.
"""

import datetime
import functools
import hashlib
from collections import defaultdict
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.csrf import csrf_exempt

import scoring
from studies.doi import normalize_doi
from studies.models import DESIGN_LABELS, Study

from .models import Analysis, Claim, ClaimType, Evidence
from .presentation import claim_data, evidence_rows, site_url
from .services import approved_evidence, claim_scorecard, pooled_in_by_study

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
JSON_OPTIONS = {"ensure_ascii": False}

# Error messages: module constants so tests assert on them.
BAD_PAGE = "page must be a whole number from 1."
PAGE_OUT_OF_RANGE = "There is no page {page}; the last page is {last}."
BAD_PAGE_SIZE = f"page_size must be a whole number from 1 to {MAX_PAGE_SIZE}."
BAD_UPDATED_SINCE = (
    "updated_since must be an ISO 8601 date or date-time, e.g. 2025-01-31 or 2025-01-31T12:00:00Z."
)
BAD_CHOICE = "{name} must be one of: {allowed}."
REPEATED = (
    "{name} was given {count} times; give it once (a filter takes one value: to match "
    "several, make one request for each)."
)
# The certainty filter's values: GRADE levels, highest first (as in the claim records).
CERTAINTY_FILTER = tuple(value for value, _ in scoring.CERTAINTIES)
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


def _choice(request: HttpRequest, name: str, allowed) -> str:
    value = _single(request, name)
    if value and value not in allowed:
        raise BadRequest(BAD_CHOICE.format(name=name, allowed=", ".join(allowed)))
    return value


def parse_since(value: str) -> datetime.datetime:
    """An ISO date (midnight UTC) or date-time (UTC when it has no offset)."""
    try:
        moment = parse_datetime(value)
        if moment is None:
            day = parse_date(value)
            if day is None:
                raise ValueError(value)
            moment = datetime.datetime.combine(day, datetime.time())
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, datetime.UTC)
        # The database compares in UTC: a moment at the edge of the calendar may not fit.
        return moment.astimezone(datetime.UTC)
    except (ValueError, OverflowError):
        raise BadRequest(BAD_UPDATED_SINCE) from None


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


def stored_statement(claim: Claim) -> str:
    """GRADE's informative statement ("This may be true.") from the stored scores.

    The words depend only on the certainty and on which side leads (design.md §3.4), both
    stored, so a list gives the live scorecard's statement without scoring anything."""
    lead = scoring.lead_side(claim.pro_score, claim.against_score)
    return scoring.statement_for(claim.certainty or None, lead)


def claim_summary(claim: Claim, request: HttpRequest) -> dict:
    """One claim in a list (the full record is at api_url)."""
    return {
        "slug": claim.slug,
        "url": site_url(request, claim.get_absolute_url()),
        "api_url": site_url(request, reverse("api-claim", args=[claim.slug])),
        "statement": claim.statement,
        "plain_statement": claim.plain_statement,
        "claim_type": claim.claim_type,
        "topic": claim.topic,
        "population": claim.population,
        # Stored fields, equal to the live scorecard after every write (claims.score_sync).
        "verdict": claim.verdict,
        "certainty": claim.certainty or None,
        "verdict_statement": stored_statement(claim),
        "scores": {"pro": claim.pro_score, "against": claim.against_score},
        # As on the scorecard: no lead to overturn when the scores are equal.
        "fragile": claim.fragile if claim.pro_score != claim.against_score else None,
        "supporting_count": claim.supporting_count,
        "contradicting_count": claim.contradicting_count,
        "awaiting_appraisal_count": claim.awaiting_count,
        "created_at": claim.created_at.isoformat(),
        "updated_at": claim.last_changed_at.isoformat(),
        "scored_at": claim.scored_at.isoformat() if claim.scored_at else None,
    }


@api_view
def claim_list(request: HttpRequest) -> HttpResponse:
    claims = Claim.objects.published().with_counts()
    query = _single(request, "q").strip()[:200]
    # Newest first; a search keeps its own order, best match first.
    claims = claims.search(query) if query else claims.order_by("-created_at", "-pk")
    if topic := _single(request, "topic"):
        claims = claims.filter(topic=topic)
    if claim_type := _choice(request, "type", ClaimType.values):
        claims = claims.filter(claim_type=claim_type)
    if verdict := _choice(request, "verdict", scoring.VERDICTS):
        claims = claims.filter(verdict=verdict)
    if certainty := _choice(request, "certainty", CERTAINTY_FILTER):
        claims = claims.filter(certainty=certainty)
    if since := _single(request, "updated_since").strip():
        # An edit of the claim, of what its page shows (evidence, studies, mechanisms…) or a
        # new score: the same moment as the records' updated_at.
        claims = claims.with_last_changed().filter(last_changed__gte=parse_since(since))
    return _json(paginate(request, claims, lambda claim: claim_summary(claim, request)))


def claim_record(claim: Claim, request: HttpRequest) -> dict:
    """The full claim: /api/claims/<slug>/ and /claims/<slug>.json."""
    evidence = list(approved_evidence([claim.pk]))
    card = claim_scorecard(claim, evidence)
    return claim_data(claim, card, Analysis.objects.current_for(claim), evidence, request)


@api_view
def claim_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The same data as /claims/<slug>.json (which is indented and has no ETag)."""
    claim = Claim.objects.published().filter(slug=slug).first()
    if claim is None:
        return error(404, NOT_FOUND.format(thing="published claim"))
    return _json(claim_record(claim, request))


# Studies


def study_api_url(study: Study) -> str:
    if study.doi:
        return reverse("api-study", kwargs={"doi": study.doi})
    return reverse("api-study-by-id", kwargs={"pk": study.pk})


def study_summary(study: Study, request: HttpRequest) -> dict:
    data = {
        "id": study.pk,
        "doi": study.doi or None,
        "doi_url": study.doi_url or None,
        "url": site_url(request, study.get_absolute_url()),
        "api_url": site_url(request, study_api_url(study)),
        "title": study.title,
        "authors": study.authors,
        "journal": study.journal,
        "year": study.year,
        "design": study.design,
        "design_label": DESIGN_LABELS.get(study.design, study.design),
        "design_confirmed": study.design_confirmed,
        "sample_size": study.sample_size,
        "population": study.population,
        "duration_weeks": study.duration_weeks,
        "source_url": study.url or None,
        # What scoring reads of the study, named as in the claim JSON's evidence study.
        "retraction_status": study.retraction_status,
        "retraction_notice_doi": study.retraction_notice_doi or None,
        "retraction_date": study.retraction_date.isoformat() if study.retraction_date else None,
        "trial_registration": study.trial_registration or None,
    }
    if hasattr(study, "claim_count"):
        data["claim_count"] = study.claim_count
    return data


def study_reference(study: Study, request: HttpRequest) -> dict:
    """Another study, in a few fields: a review that pools this one, or a study a review pools."""
    return {
        "id": study.pk,
        "doi": study.doi or None,
        "title": study.title,
        "url": site_url(request, study.get_absolute_url()),
        "api_url": site_url(request, study_api_url(study)),
    }


@api_view
def study_list(request: HttpRequest) -> HttpResponse:
    studies = Study.objects.annotate(
        claim_count=Count(
            "evidence",
            filter=Q(evidence__status="approved", evidence__claim__status="published"),
            distinct=True,
        )
    )
    query = _single(request, "q").strip()[:200]
    if query:
        studies = studies.search(query)
    studies = studies.order_by("-year", "title", "pk")
    return _json(paginate(request, studies, lambda study: study_summary(study, request)))


def _study_claims(request: HttpRequest, study: Study) -> list[dict]:
    """The published claims the study informs, each with what this study's link is worth
    there: read off the claim's live scorecard, as the claim JSON reads it (its certainty, and
    whether it counts or why not). Three queries, however many claims."""
    links = list(
        study.evidence.filter(status=Evidence.Status.APPROVED, claim__status="published")
        .select_related("claim")
        .order_by("claim__slug")
    )
    by_claim = defaultdict(list)
    for item in approved_evidence([link.claim_id for link in links]):
        by_claim[item.claim_id].append(item)
    pooled = pooled_in_by_study({item.study_id for items in by_claim.values() for item in items})
    claims = []
    for link in links:
        claim, evidence = link.claim, by_claim[link.claim_id]
        card = claim_scorecard(claim, evidence, pooled)
        rows = {row.evidence.pk: row for row in evidence_rows(evidence, card)[link.stance]}
        row = rows.get(link.pk)
        if row is None:  # unlinked between the two reads
            continue
        claims.append(
            {
                "slug": claim.slug,
                "url": site_url(request, claim.get_absolute_url()),
                "api_url": site_url(request, reverse("api-claim", args=[claim.slug])),
                "plain_statement": claim.plain_statement,
                "statement": claim.statement,
                # The claim's stored verdict and certainty, as in the claim list.
                "verdict": claim.verdict,
                "claim_certainty": claim.certainty or None,
                "verdict_statement": stored_statement(claim),
                "scores": {"pro": claim.pro_score, "against": claim.against_score},
                "stance": link.stance,
                "finding": link.finding,
                # This study's link: it counts for nothing until an editor appraises it.
                "appraisal_status": link.appraisal_status,
                "certainty": row.certainty,
                "counted": row.counted,
                "not_counted": row.not_counted,
                "not_counted_note": row.not_counted_note or None,
            }
        )
    return claims


def _study_detail(request: HttpRequest, study: Study) -> HttpResponse:
    return _json(
        {
            **study_summary(study, request),
            "abstract": study.abstract,
            "pooled_in": [
                study_reference(review, request) for review in study.pooled_in.order_by("pk")
            ],
            "pools": [study_reference(pooled, request) for pooled in study.pools.order_by("pk")],
            "claims": _study_claims(request, study),
        }
    )


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
    return _study_detail(request, study)


@api_view
def study_detail_by_id(request: HttpRequest, pk: int) -> HttpResponse:
    """For studies without a DOI."""
    study = Study.objects.filter(pk=pk).first()
    if study is None:
        return error(404, NOT_FOUND.format(thing="study"))
    return _study_detail(request, study)


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
