"""/api/studies/ (with its batch lookup by DOI), /api/studies/<doi>/ and /api/studies/id/<pk>/."""

from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Q
from django.db.models.functions import Coalesce, Greatest
from django.http import HttpRequest, HttpResponse

from claims.filters import parse_since
from claims.models import Claim, Evidence
from studies.doi import normalize_doi
from studies.models import Study

from .http import BadRequest, api_view, error, json_response, newest
from .records import study_record, study_summary
from .views import NOT_FOUND, paginate, single

MAX_DOIS = 100

TOO_MANY_DOIS = f"doi was given {{count}} times; look up at most {MAX_DOIS} DOIs at once."
BAD_DOI = (
    "doi “{doi}” is not a DOI: give each as 10.1080/02640414.2024.2321021 (a doi: or "
    "https://doi.org/ prefix works too)."
)


def _with_claims_changed(studies):
    """`claims_changed`: the latest change of any claim linked to each study
    (Claim.last_changed_at), whatever its status or the link's: unpublishing a claim or
    rejecting a link saves or touches the claim, and must move the Last-Modified of every
    answer that showed it."""
    claim = "evidence__claim__"
    scored = Coalesce(f"{claim}scored_at", f"{claim}updated_at")  # as with_last_changed
    return studies.annotate(
        claims_changed=Max(Greatest(f"{claim}updated_at", f"{claim}content_changed_at", scored))
    )


def _with_claim_counts(studies):
    """`claim_count`: the published claims each study informs through an approved link."""
    return _with_claims_changed(studies).annotate(
        claim_count=Count(
            "evidence",
            filter=Q(
                evidence__status=Evidence.Status.APPROVED,
                evidence__claim__status=Claim.Status.PUBLISHED,
            ),
            distinct=True,
        )
    )


def _last_modified(studies):
    """The newest edit of these studies or change of a claim linked to them."""
    return newest(
        moment for study in studies for moment in (study.updated_at, study.claims_changed)
    )


def _filtered(request: HttpRequest, studies):
    """The list's filters, `q` and `updated_since` (a bad date is a 400), and whether any
    was given."""
    query = single(request, "q").strip()[:200]
    since = single(request, "updated_since").strip()
    if query:
        studies = studies.search(query)
    if since:
        try:
            studies = studies.filter(updated_at__gte=parse_since(since))
        except ValidationError as exc:
            raise BadRequest(exc.messages[0]) from None
    return studies, bool(query or since)


@api_view
def study_list(request: HttpRequest) -> HttpResponse:
    """Every study, newest year first; `doi` (repeatable) looks studies up instead.
    Last-Modified: the page's most recently edited study or changed claim (its counts)."""
    # An empty doi= (a form's blank field) asks for nothing: it is the plain list.
    if any(value.strip() for value in request.GET.getlist("doi")):
        return _lookup(request)
    studies, _ = _filtered(request, _with_claim_counts(Study.objects.all()))
    studies = studies.order_by("-year", "title", "pk")
    data, page = paginate(request, studies, lambda study: study_summary(study, request))
    return json_response(data, _last_modified(page))


def _asked_dois(request: HttpRequest) -> list[str]:
    """The doi values, normalised, each once, in the order asked (blank ones skipped)."""
    asked = [value for value in request.GET.getlist("doi") if value.strip()]
    if len(asked) > MAX_DOIS:
        raise BadRequest(TOO_MANY_DOIS.format(count=len(asked)))
    dois = []
    for value in asked:
        try:
            doi = normalize_doi(value)
        except ValidationError:
            raise BadRequest(BAD_DOI.format(doi=value[:300])) from None
        if doi not in dois:
            dois.append(doi)
    return dois


def _lookup(request: HttpRequest) -> HttpResponse:
    """?doi=…&doi=…: the studies with these DOIs, in the order asked, and the DOIs no study
    has. `q`, `updated_since` and paging work as on the list, on the studies found (one page
    holds them all unless page_size says less). One query, however many DOIs (two with a filter)."""
    dois = _asked_dois(request)
    asked = Study.objects.filter(doi__in=dois)
    filtered, narrowed = _filtered(request, _with_claim_counts(asked))
    found = {study.doi: study for study in filtered}
    # A filter may leave out a study that exists: not_found is only for DOIs no study has.
    known = set(asked.values_list("doi", flat=True)) if narrowed else set(found)
    studies = [found[doi] for doi in dois if doi in found]
    data, page = paginate(
        request, studies, lambda study: study_summary(study, request), default_size=MAX_DOIS
    )
    data["not_found"] = [doi for doi in dois if doi not in known]
    return json_response(data, _last_modified(page))


def _study_response(studies, request: HttpRequest, missing: str) -> HttpResponse:
    """The full record of the study in `studies`, or a 404 saying `missing`. Last-Modified:
    the study's edit, or a later change of a claim linked to it (the record carries the
    verdicts of the published ones; a claim unpublished leaves it)."""
    study = _with_claims_changed(studies).first()
    if study is None:
        return error(404, NOT_FOUND.format(thing=missing))
    return json_response(study_record(study, request), _last_modified([study]))


@api_view
def study_detail(request: HttpRequest, doi: str) -> HttpResponse:
    """/api/studies/<doi>/: the DOI keeps its slash; any case or doi.org prefix is accepted.
    Anything else under /api/studies/ lands here too (/api/studies/id/abc/): no such study."""
    try:
        doi = normalize_doi(doi)
    except ValidationError:
        return error(404, NOT_FOUND.format(thing="study"))
    return _study_response(Study.objects.filter(doi=doi), request, "study with this DOI")


@api_view
def study_detail_by_id(request: HttpRequest, pk: int) -> HttpResponse:
    """For studies without a DOI."""
    return _study_response(Study.objects.filter(pk=pk), request, "study")
