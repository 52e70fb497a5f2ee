"""Search at any corpus size (issue 20): PostgreSQL ranks and counts only the first
SEARCH_RANKED claims the indexes find, and the list says so; the Studies section ranks the first
STUDY_CANDIDATES studies found; near spellings are searched only when the words as typed find
nothing. Run on PostgreSQL with DATABASE_URL set (the bounds are PostgreSQL's)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import search
from claims.models import Claim
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the bounds are PostgreSQL's (SQLite ranks its first 200 by bm25)")


@pytest.fixture
def many_claims():
    for i in range(12):
        claim = make_claim(slug=f"creatine-{i}", plain_statement=f"Creatine helps sprint {i}.")
        link(claim, make_study(doi=f"10.1000/cr{i}", title=f"Creatine and sprinting {i}"))


def listing(client, q):
    return client.get("/claims/", {"q": q}).content.decode()


def test_it_ranks_and_counts_only_the_first_matches_found(
    client, postgresql, many_claims, monkeypatch
):
    monkeypatch.setattr(search, "SEARCH_RANKED", 5)
    with CaptureQueriesContext(connection) as queries:
        html = listing(client, "creatine")
    assert "5 or more claims matching" in html
    assert "The best matches among the first 5 found are shown." in html
    assert html.count('class="claim-card') <= 5
    ranked = [q["sql"] for q in queries.captured_queries if "ts_rank" in q["sql"]]
    assert ranked and all("IN (" in sql for sql in ranked)  # ranked among the found only


def test_below_the_bound_it_counts_every_match(client, postgresql, many_claims):
    html = listing(client, "creatine")
    assert "12 claims matching" in html
    assert "or more claims" not in html


def test_the_studies_section_ranks_only_the_first_studies_found(
    client, postgresql, many_claims, monkeypatch
):
    monkeypatch.setattr(search, "STUDY_CANDIDATES", 3)
    found = search.studies_for_list("sprinting", 10)
    assert len(found) == 3


def test_a_near_spelling_is_not_searched_when_the_words_as_typed_find_claims(postgresql):
    exact = make_claim(slug="exact", plain_statement="Lifting builds strength.")
    make_claim(slug="near", plain_statement="Lifting builds strenght.")  # a typo in the text
    assert [c.slug for c in Claim.objects.published().search("strength")] == [exact.slug]
    # ...and is, when they find nothing.
    assert {c.slug for c in Claim.objects.published().search("strrength")} >= {"exact"}


def test_a_near_spelling_search_still_needs_every_word(postgresql):
    make_claim(slug="exact", plain_statement="Training builds strength.")
    assert list(Claim.objects.published().search("trainig zebra")) == []


def test_a_word_no_study_holds_reads_the_index_not_the_table(postgresql):
    make_study(doi="10.1000/one", title="Creatine and sprinting")
    with CaptureQueriesContext(connection) as queries:
        search.studies_for_list("cardiovasculr", 10)
    sqls = [q["sql"] for q in queries.captured_queries]
    assert "SET enable_seqscan = off" in sqls and "RESET enable_seqscan" in sqls
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"  # reset after the search
