"""The API's claim list counts once per "claims changed" version (claims.pagination, as the list
page): a COUNT(*) of every published claim cost 28 ms a request at 100,000 (issue 20)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_claim

pytestmark = pytest.mark.django_db


def counts(queries):
    """The paginator's count queries (the page's own query counts each claim's evidence too)."""
    return [q["sql"] for q in queries.captured_queries if '"__count"' in q["sql"]]


def test_a_second_request_reads_the_count_from_the_cache(client):
    for i in range(3):
        make_claim(slug=f"c{i}")
    assert client.get("/api/claims/").json()["count"] == 3
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/claims/").json()["count"] == 3
    assert counts(queries) == []


def test_the_count_follows_a_new_claim_at_once(client):
    make_claim(slug="first")
    assert client.get("/api/claims/").json()["count"] == 1
    make_claim(slug="second")
    assert client.get("/api/claims/").json()["count"] == 2


def test_each_filter_has_its_own_count(client):
    make_claim(slug="sleep", topic="Sleep")
    make_claim(slug="diet", topic="Diet")
    assert client.get("/api/claims/", {"topic": "Sleep"}).json()["count"] == 1
    assert client.get("/api/claims/").json()["count"] == 2
