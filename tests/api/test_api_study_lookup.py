"""Studies for data consumers: authors as people, updated_since, the %2B message and the
batch lookup by DOI."""

import datetime

import pytest

from api.study_views import BAD_DOI, MAX_DOIS
from claims.filters import BAD_UPDATED_SINCE, BAD_UPDATED_SINCE_PLUS
from studies.models import Study
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db

REFALO = "10.1080/02640414.2024.2321021"
DAY = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)


def test_it_gives_authors_as_people_and_keeps_the_text(client):
    authors = "King, Martin Luther, Jr.; Lee, J.; Smith, John Jr.; The CONSORT Group; Doe"
    claim = make_claim()
    link(claim, make_study(doi="10.1000/people", authors=authors))
    expected = [
        {"family": "King", "given": "Martin Luther", "suffix": "Jr."},
        {"family": "Lee", "given": "J."},
        {"family": "Smith", "given": "John", "suffix": "Jr."},
        {"literal": "The CONSORT Group"},
        {"literal": "Doe"},
    ]
    listed = client.get("/api/studies/").json()["results"][0]
    whole = client.get("/api/studies/10.1000/people/").json()
    in_claim = client.get("/api/claims/a-claim/").json()["evidence"][0]["study"]
    for record in (listed, whole, in_claim):
        assert record["authors"] == expected
        assert record["authors_text"] == authors


def test_it_gives_no_authors_as_an_empty_array(client):
    make_study(doi="10.1000/anon", authors="")
    record = client.get("/api/studies/10.1000/anon/").json()
    assert record["authors"] == [] and record["authors_text"] == ""


def _dated(doi: str, when: datetime.datetime) -> Study:
    study = make_study(doi=doi)
    Study.objects.filter(pk=study.pk).update(updated_at=when)
    return study


@pytest.mark.parametrize(
    "since",
    ["2026-12-01T10:00:00Z", "2026-12-01T11:00:00+01:00", "2026-12-01 10:00", "2026-12-02"],
)
def test_it_filters_studies_by_updated_since(client, since):
    _dated("10.1000/old", DAY)  # 09:00 UTC
    _dated("10.1000/new", DAY + datetime.timedelta(days=1, hours=2))  # 2 Dec, 11:00 UTC
    data = client.get("/api/studies/", {"updated_since": since}).json()
    assert [study["doi"] for study in data["results"]] == ["10.1000/new"]


def test_it_takes_updated_since_at_its_exact_moment(client):
    _dated("10.1000/edge", DAY)
    data = client.get("/api/studies/", {"updated_since": "2026-12-01T09:00:00Z"}).json()
    assert data["count"] == 1


@pytest.mark.parametrize("url", ["/api/studies/", "/api/claims/"])
def test_it_names_percent_2b_for_an_unencoded_plus(client, url):
    # What a client sends with a raw "+": the query string decodes it as a space.
    response = client.get(f"{url}?updated_since=2026-12-01T10:00:00+01:00")
    assert response.status_code == 400
    message = response.json()["error"]
    assert message == BAD_UPDATED_SINCE_PLUS
    assert "%2B" in message
    encoded = client.get(f"{url}?updated_since=2026-12-01T10:00:00%2B01:00")
    assert encoded.status_code == 200


@pytest.mark.parametrize("since", ["yesterday", "2026-13-01", "2026-12-01T10:00:00 0100x"])
def test_it_refuses_other_bad_dates_with_the_general_message(client, since):
    response = client.get("/api/studies/", {"updated_since": since})
    assert response.status_code == 400
    assert response.json()["error"] == BAD_UPDATED_SINCE


def test_it_looks_studies_up_by_doi_in_the_order_asked(client, demo):
    make_study(doi="10.1000/second")
    asked = ["10.1000/SECOND", "10.9999/missing", f"https://doi.org/{REFALO}", f"doi:{REFALO}"]
    response = client.get("/api/studies/", {"doi": asked})
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {
        *("count", "page", "page_size", "num_pages", "next", "previous"),
        *("results", "not_found"),
    }
    assert data["count"] == 2 and data["page_size"] == MAX_DOIS
    assert [study["doi"] for study in data["results"]] == ["10.1000/second", REFALO]
    assert data["results"][1]["claim_count"] == 3
    assert data["not_found"] == ["10.9999/missing"]
    assert response["ETag"] and response["Access-Control-Allow-Origin"] == "*"


def test_it_looks_up_in_one_query_however_many_dois(client, django_assert_max_num_queries):
    for i in range(30):
        make_study(doi=f"10.1000/many{i}")
    dois = [f"10.1000/many{i}" for i in range(30)]
    with django_assert_max_num_queries(1):
        data = client.get("/api/studies/", {"doi": dois}).json()
    assert [study["doi"] for study in data["results"]] == dois


def test_it_names_a_bad_doi(client):
    response = client.get("/api/studies/", {"doi": ["10.1000/fine", "nonsense"]})
    assert response.status_code == 400
    assert response.json()["error"] == BAD_DOI.format(doi="nonsense")
    assert "“nonsense”" in response.json()["error"]


def test_it_refuses_more_than_a_hundred_dois(client):
    dois = [f"10.1000/d{i}" for i in range(MAX_DOIS + 1)]
    response = client.get("/api/studies/", {"doi": dois})
    assert response.status_code == 400
    assert "at most 100" in response.json()["error"]
    assert client.get("/api/studies/", {"doi": dois[:MAX_DOIS]}).status_code == 200


def test_it_finds_a_doi_pasted_with_trailing_punctuation(client):
    make_study(doi="10.14814/phy2.15679")
    for pasted in ("10.14814/phy2.15679/", "10.14814/phy2.15679.", "10.14814/phy2.15679;"):
        single = client.get(f"/api/studies/{pasted}/")
        assert single.status_code == 200, pasted
        data = client.get("/api/studies/", {"doi": pasted}).json()
        assert [study["doi"] for study in data["results"]] == ["10.14814/phy2.15679"], pasted
        assert data["not_found"] == []


def test_it_ignores_an_empty_doi(client):
    make_study(doi="10.1000/x")
    listed = client.get("/api/studies/", {"doi": ""})
    assert listed.status_code == 200
    assert "not_found" not in listed.json() and listed.json()["count"] == 1
    looked_up = client.get("/api/studies/", {"doi": ["", "10.1000/x", " "]}).json()
    assert looked_up["not_found"] == [] and looked_up["count"] == 1


def test_it_filters_and_pages_a_lookup_as_the_list(client):
    """q, updated_since and paging apply to the studies found; not_found stays the DOIs no
    study has (a study a filter leaves out exists)."""
    old = make_study(doi="10.1000/old", title="Old muscle trial")
    make_study(doi="10.1000/new", title="New muscle trial")
    make_study(doi="10.1000/other", title="Sleep")
    Study.objects.update(updated_at=DAY)
    Study.objects.filter(pk=old.pk).update(updated_at=DAY - datetime.timedelta(days=30))
    asked = ["10.1000/old", "10.1000/new", "10.1000/other", "10.9999/missing"]

    def dois(**params) -> tuple[list, list]:
        response = client.get("/api/studies/", {"doi": asked, **params})
        assert response.status_code == 200
        data = response.json()
        return [study["doi"] for study in data["results"]], data["not_found"]

    assert dois(q="muscle") == (["10.1000/old", "10.1000/new"], ["10.9999/missing"])
    since = (DAY - datetime.timedelta(days=1)).isoformat()
    assert dois(updated_since=since) == (["10.1000/new", "10.1000/other"], ["10.9999/missing"])
    assert dois(page_size=2, page=2) == (["10.1000/other"], ["10.9999/missing"])
    bad = client.get("/api/studies/", {"doi": asked, "updated_since": "yesterday"})
    assert bad.status_code == 400
    assert client.get("/api/studies/", {"doi": asked, "page": 3}).status_code == 404


def test_it_documents_the_lookup(client):
    from tests.api.test_api_docs import documented_fields

    data = client.get("/api/studies/", {"doi": "10.1000/x"}).json()
    assert set(data) == documented_fields()["Lookup by DOI"]
