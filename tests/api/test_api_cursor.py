"""/api/claims/ by cursor (keyset): every claim once, newest first, with no COUNT and the same
queries on the last page as on the first; the page-number form is unchanged beside it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.cursor import BAD_CURSOR, encode
from claims.models import Claim
from tests.factories import make_claim

pytestmark = pytest.mark.django_db

MOMENT = datetime.datetime(2025, 3, 1, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def claims():
    """Seven published claims, three of them created at the same moment (ties go by id), and a
    draft the API never lists."""
    made = [make_claim(slug=f"claim-{i}", topic="sleep" if i % 2 else "muscle") for i in range(7)]
    for i, claim in enumerate(made):
        moment = MOMENT if i in (2, 3, 4) else MOMENT + datetime.timedelta(hours=i + 1)
        Claim.objects.filter(pk=claim.pk).update(created_at=moment)
    make_claim(slug="a-draft", status=Claim.Status.DRAFT)
    return made


def walk(client, params: dict) -> tuple[list[str], list[int]]:
    """Every page from an empty cursor on: the slugs in order, and each page's query count."""
    url, slugs, counts = "/api/claims/", [], []
    data = {**params, "cursor": ""}
    while url:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, data)
        assert response.status_code == 200, response.content
        # No count of the list: only the page's own claims are counted (their evidence).
        assert not any(q["sql"].startswith("SELECT COUNT(") for q in queries.captured_queries)
        body = response.json()
        assert set(body) == {"page_size", "next", "results"}
        slugs += [claim["slug"] for claim in body["results"]]
        counts.append(len(queries))
        url, data = body["next"], None
    return slugs, counts


def test_it_walks_every_claim_once_in_the_page_forms_order(client, claims):
    slugs, counts = walk(client, {"page_size": 2})
    numbered = client.get("/api/claims/", {"page_size": 100}).json()
    assert slugs == [claim["slug"] for claim in numbered["results"]]
    assert len(slugs) == 7 and "a-draft" not in slugs
    assert len(counts) == 4 and len(set(counts)) == 1  # the last page costs what the first does


def test_its_next_link_keeps_the_filters(client, claims):
    first = client.get("/api/claims/", {"cursor": "", "page_size": 1, "topic": "sleep"}).json()
    assert "topic=sleep" in first["next"] and "page_size=1" in first["next"]
    assert first["next"].startswith("http://testserver/api/claims/?")
    slugs, _ = walk(client, {"page_size": 1, "topic": "sleep"})
    assert slugs == [f"claim-{i}" for i in (5, 1, 3)]


def test_the_last_page_has_no_next(client, claims):
    body = client.get("/api/claims/", {"cursor": "", "page_size": 7}).json()
    assert len(body["results"]) == 7 and body["next"] is None
    empty = client.get("/api/claims/", {"cursor": "", "topic": "nothing"}).json()
    assert empty == {"page_size": 20, "next": None, "results": []}


def test_a_claim_added_meanwhile_moves_nothing(client, claims):
    first = client.get("/api/claims/", {"cursor": "", "page_size": 3}).json()
    make_claim(slug="brand-new")  # newest: before the first page, not inside the walk
    rest, _ = walk_from(client, first["next"])
    seen = [c["slug"] for c in first["results"]] + rest
    assert len(seen) == 7 and "brand-new" not in seen


def walk_from(client, url):
    slugs = []
    while url:
        body = client.get(url).json()
        slugs += [claim["slug"] for claim in body["results"]]
        url = body["next"]
    return slugs, None


@pytest.mark.parametrize(
    "cursor",
    ["not-a-cursor", "1740830400000000", "-1-2", "1.5-2", "1-2-3", "123456789012345678-1", "1-x"],
)
def test_it_refuses_a_bad_cursor_with_a_json_400(client, claims, cursor):
    response = client.get("/api/claims/", {"cursor": cursor})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"error": BAD_CURSOR, "status": 400}


def test_it_refuses_a_bad_page_size_with_a_cursor(client, claims):
    response = client.get("/api/claims/", {"cursor": "", "page_size": "0"})
    assert response.status_code == 400 and "page_size" in response.json()["error"]


def test_it_refuses_a_cursor_given_twice(client, claims):
    response = client.get("/api/claims/?cursor=&cursor=")
    assert response.status_code == 400
    assert response.json()["error"].startswith("cursor was given 2 times")


@pytest.mark.parametrize("params", [{"page": "1"}, {"q": "claim"}])
def test_a_page_number_or_a_search_answers_by_number(client, claims, params):
    """A search has no position to resume from, and `page` asks for the numbered form: the
    cursor is then not read (any value the document allows is accepted)."""
    body = client.get("/api/claims/", {**params, "cursor": "1-1"}).json()
    assert body["page"] == 1 and "count" in body


@pytest.mark.parametrize("params", [{"page": "1"}, {"q": "claim"}])
def test_a_malformed_cursor_is_refused_even_unread(client, claims, params):
    response = client.get("/api/claims/", {**params, "cursor": "garbage"})
    assert response.status_code == 400 and response.json()["error"] == BAD_CURSOR


def test_any_cursor_of_the_form_is_a_position(client, claims):
    assert client.get("/api/claims/", {"cursor": "0-0"}).json()["results"] == []
    everything = client.get("/api/claims/", {"cursor": "99999999999999999-999999999999999999"})
    assert len(everything.json()["results"]) == 7


def test_a_cursor_is_a_position_not_a_page(client, claims):
    """A cursor made from a claim lists the claims older than it, whatever page it was on."""
    middle = Claim.objects.get(slug="claim-3")
    body = client.get("/api/claims/", {"cursor": encode(middle), "page_size": 100}).json()
    assert [claim["slug"] for claim in body["results"]] == ["claim-2"]


def test_the_page_form_is_unchanged(client, claims):
    body = client.get("/api/claims/", {"page_size": 3}).json()
    assert body["count"] == 7 and body["num_pages"] == 3 and body["page"] == 1
    assert body["next"] == "http://testserver/api/claims/?page_size=3&page=2"
