"""The claim page's retraction banner and the claim JSON's "retractions", driven by the
retraction watch on recorded Crossref relations (tests/retraction_server.py)."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from claims.page import ClaimPage
from claims.page_cache import PageKey
from studies.models import Study
from studies.retraction_watch import check_study
from tests.factories import link, make_claim, make_study
from tests.retraction_server import (
    MEHRA_NEJM,
    WAKEFIELD,
    WAKEFIELD_NOTICE,
)

pytestmark = pytest.mark.django_db

RETRACTED = "A study this verdict relied on was retracted on 6 February 2010"
CONCERN = "A study this verdict relied on is under an expression of concern"


@pytest.fixture
def claim():
    claim = make_claim(slug="mmr")
    link(claim, make_study(doi=WAKEFIELD, title="Wakefield 1998", sample_size=12))
    link(claim, make_study(doi="10.5555/other", title="A large cohort", sample_size=900))
    return claim


def page(client, claim):
    response = client.get(claim.get_absolute_url())
    assert response.status_code == 200
    return response


def etag(client, claim):
    page(client, claim)  # the first answer sets the CSRF cookie, which the ETag covers
    return page(client, claim)["ETag"]


def test_a_retraction_shows_the_banner_and_moves_the_page(client, retractions, claim):
    before_etag = etag(client, claim)
    before = page(client, claim).content.decode()  # cached now
    assert "retraction-banner" not in before
    check_study(Study.objects.get(doi=WAKEFIELD))
    response = page(client, claim)
    html = response.content.decode()
    assert response["ETag"] != before_etag
    assert RETRACTED in html
    assert f'href="https://doi.org/{WAKEFIELD_NOTICE}"' in html
    assert "Wakefield 1998</a> no longer counts towards the verdict." in html
    # The banner sits above the verdict.
    assert html.index("retraction-banner") < html.index('class="verdict-panel')


def test_lifting_removes_the_banner(client, retractions, claim):
    check_study(Study.objects.get(doi=WAKEFIELD))
    assert RETRACTED in page(client, claim).content.decode()
    retractions.serve(WAKEFIELD, "wakefield-1998-lifted")
    check_study(Study.objects.get(doi=WAKEFIELD))
    assert "retraction-banner" not in page(client, claim).content.decode()


def test_an_expression_of_concern_has_its_own_words(client, retractions, claim):
    study = make_study(doi=MEHRA_NEJM, title="Mehra 2020")
    link(claim, study)
    check_study(study)
    html = page(client, claim).content.decode()
    assert f"{CONCERN}</strong> (notice:" in html  # no date was deposited: no "since"
    assert "Mehra 2020</a> still counts" in html


def test_a_correction_shows_no_banner(client, retractions, claim):
    retractions.serve(WAKEFIELD, "wakefield-1998-corrected")
    check_study(Study.objects.get(doi=WAKEFIELD))
    assert Study.objects.get(doi=WAKEFIELD).retraction_status == "corrected"
    assert "retraction-banner" not in page(client, claim).content.decode()


def test_a_study_awaiting_appraisal_is_not_one_the_verdict_relied_on(client, claim):
    link(
        claim,
        make_study(
            doi="10.5555/submitted",
            retraction_status="retracted",
            retraction_notice_doi="10.5555/notice",
        ),
        appraisal_status="awaiting",
    )
    assert "retraction-banner" not in page(client, claim).content.decode()


def test_the_notices_take_no_query_per_study(claim, django_assert_num_queries):
    for n in range(3):
        link(
            claim,
            make_study(
                doi=f"10.5555/retracted-{n}",
                title=f"Retracted {n}",
                retraction_status="retracted",
                retraction_notice_doi=f"10.5555/notice-{n}",
            ),
        )
    request = RequestFactory().get(claim.get_absolute_url())
    request.user = type("Anonymous", (), {"is_authenticated": False, "is_staff": False})()
    claim_page = ClaimPage(claim, PageKey(request, claim))
    with django_assert_num_queries(1):  # the approved links with their studies
        notices = claim_page.retraction_notices
    assert [study.title for study in notices] == ["Retracted 0", "Retracted 1", "Retracted 2"]


def test_the_claim_json_lists_the_retractions(client, retractions, claim):
    url = reverse("claim-json", args=[claim.slug])
    assert client.get(url).json()["retractions"] == []
    check_study(Study.objects.get(doi=WAKEFIELD))
    data = client.get(url).json()
    (notice,) = data["retractions"]
    assert notice == {
        "doi": WAKEFIELD,
        "title": "Wakefield 1998",
        "url": notice["url"],
        "retraction_status": "retracted",
        "notice_doi": WAKEFIELD_NOTICE,
        "notice_url": f"https://doi.org/{WAKEFIELD_NOTICE}",
        "date": "2010-02-06",
    }
    assert notice["url"].endswith(Study.objects.get(doi=WAKEFIELD).get_absolute_url())
    wakefield = next(e for e in data["evidence"] if e["study"]["doi"] == WAKEFIELD)
    assert wakefield["counted"] is False and wakefield["not_counted"] == "retracted"
