"""/api/studies/ (with its batch lookup by DOI), /api/studies/<doi>/ and /api/studies/id/<pk>/."""

from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse

from claims.filters import parse_since
from claims.models import Claim, Evidence
from studies.doi import normalize_doi
from studies.models import Study

from .http import BadRequest, api_view, error, json_response, newest
from .records import study_record, study_summary
from .views import NOT_FOUND, paginate, single

MAX_DOIS = 100
LIST_PARAMETERS = ("q", "updated_since", "page", "page_size")

TOO_MANY_DOIS = f"doi was given {{count}} times; look up at most {MAX_DOIS} DOIs at once."
BAD_DOI = (
    "doi “{doi}” is not a DOI: give each as 10.1080/02640414.2024.2321021 (a doi: or "
    "https://doi.org/ prefix works too)."
)
DOI_WITH_OTHERS = "doi looks studies up by DOI and takes no other parameter: drop {names}."


def _with_claim_counts(studies):
    """`claim_count`: the published claims each study informs through an approved link."""
    return studies.annotate(
        claim_count=Count(
            "evidence",
            filter=Q(
                evidence__status=Evidence.Status.APPROVED,
                evidence__claim__status=Claim.Status.PUBLISHED,
            ),
            distinct=True,
        )
    )


@api_view
def study_list(request: HttpRequest) -> HttpResponse:
    """Every study, newest year first; `doi` (repeatable) looks studies up instead.
    Last-Modified: the page's most recently edited study."""
    if "doi" in request.GET:
        return _lookup(request)
    studies = _with_claim_counts(Study.objects.all())
    query = single(request, "q").strip()[:200]
    if query:
        studies = studies.search(query)
    if since := single(request, "updated_since").strip():
        try:
            studies = studies.filter(updated_at__gte=parse_since(since))
        except ValidationError as exc:
            raise BadRequest(exc.messages[0]) from None
    studies = studies.order_by("-year", "title", "pk")
    data, page = paginate(request, studies, lambda study: study_summary(study, request))
    return json_response(data, newest(study.updated_at for study in page))


def _lookup(request: HttpRequest) -> HttpResponse:
    """?doi=…&doi=…: the studies with these DOIs, in the order asked (a DOI asked twice is
    answered once), and the DOIs no study has. One query, however many DOIs."""
    if others := [name for name in LIST_PARAMETERS if name in request.GET]:
        raise BadRequest(DOI_WITH_OTHERS.format(names=", ".join(others)))
    asked = request.GET.getlist("doi")
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
    found = {study.doi: study for study in _with_claim_counts(Study.objects.filter(doi__in=dois))}
    studies = [found[doi] for doi in dois if doi in found]
    data = {
        "count": len(studies),
        "results": [study_summary(study, request) for study in studies],
        "not_found": [doi for doi in dois if doi not in found],
    }
    return json_response(data, newest(study.updated_at for study in studies))


def _study_response(study: Study, request: HttpRequest) -> HttpResponse:
    """The full record. Last-Modified: the study's edit, or a later change of a published
    claim it informs (the record carries their verdicts)."""
    claims = (
        Claim.objects.published()
        .filter(evidence__study=study, evidence__status=Evidence.Status.APPROVED)
        .with_last_changed()
        .aggregate(latest=Max("last_changed"))
    )
    return json_response(study_record(study, request), newest([study.updated_at, claims["latest"]]))


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
    return _study_response(study, request)


@api_view
def study_detail_by_id(request: HttpRequest, pk: int) -> HttpResponse:
    """For studies without a DOI."""
    study = Study.objects.filter(pk=pk).first()
    if study is None:
        return error(404, NOT_FOUND.format(thing="study"))
    return _study_response(study, request)
