"""The lists at scale (issue 20): counts and the sitemap cached under the "claims changed"
version and never stale, pages past the first read by key, the lists' indexes used."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims import search_words
from claims.filters import filter_claims
from claims.models import Claim
from claims.services import claims_rescore
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def shown_count(client, **params) -> int:
    html = client.get(reverse("claim-list"), params).content.decode()
    return int(re.search(r'id="results-heading">(\d+) claim', html).group(1))


def slugs_on(client, **params) -> list[str]:
    # follow: the defaults (page=1, sort=newest) redirect to the address without them
    html = client.get(reverse("claim-list"), params, follow=True).content.decode()
    return re.findall(r'href="/claims/(c\d+)/"', html)


def counting_queries(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT(")]


@pytest.fixture
def many(settings):
    settings.CLAIMS_PER_PAGE = 3
    start = timezone.now() - datetime.timedelta(days=1)
    return [
        make_claim(
            slug=f"c{i}",
            plain_statement=f"Claim number {i}",
            topic="sleep" if i % 2 else "diet",
            created_at=start + datetime.timedelta(minutes=i),
        )
        for i in range(8)
    ]


def test_it_counts_the_list_once_then_reads_the_count_from_the_cache(client, many):
    with CaptureQueriesContext(connection) as first:
        assert shown_count(client) == 8
    with CaptureQueriesContext(connection) as second:
        assert shown_count(client) == 8
    assert len(counting_queries(first)) == 1
    assert counting_queries(second) == []


def test_it_moves_the_count_at_once_when_a_claim_is_published(client, many):
    assert shown_count(client) == 8
    draft = make_claim(slug="c100", status=Claim.Status.DRAFT)
    assert shown_count(client) == 8
    draft.status = Claim.Status.PUBLISHED
    draft.save()
    assert shown_count(client) == 9
    draft.status = Claim.Status.DRAFT
    draft.save()
    assert shown_count(client) == 8


def test_it_moves_the_count_when_a_claim_is_deleted(client, many):
    assert shown_count(client) == 8
    many[0].delete()
    assert shown_count(client) == 7


def test_it_moves_a_filtered_count_when_a_bulk_write_touches_the_claims(client, many):
    assert shown_count(client, topic="sleep") == 4
    # A bulk write: no signal, but the convention's touch() moves the version.
    Claim.objects.filter(slug="c0").update(topic="sleep")
    Claim.objects.filter(slug="c0").touch()
    assert shown_count(client, topic="sleep") == 5


def test_it_moves_a_verdict_count_when_a_rescore_changes_a_verdict(client, many):
    verdict = many[0].verdict
    assert shown_count(client, verdict=verdict) == 8
    link(many[0], make_study(doi="10.1000/strong", sample_size=900), certainty="high")
    claims_rescore()  # written with raw SQL: no signal
    assert shown_count(client, verdict=verdict) == 7


def test_it_keeps_each_search_and_filter_its_own_count(client, many):
    assert shown_count(client, topic="sleep") == 4
    assert shown_count(client, topic="diet") == 4
    assert shown_count(client, q="number") == 8
    assert shown_count(client) == 8


@pytest.mark.parametrize("sort", ["newest", "strongest"])
def test_it_shows_every_page_in_the_lists_order(client, many, sort):
    expected = [claim.slug for claim in filter_claims(Claim.objects.published(), {"sort": sort})]
    pages = [slugs_on(client, sort=sort, page=n) for n in (1, 2, 3)]
    assert sum(pages, []) == expected
    assert [len(page) for page in pages] == [3, 3, 2]


def test_it_keeps_a_searchs_order_past_its_first_page(client, many):
    found = filter_claims(Claim.objects.published(), {"q": "number"})
    expected = [claim.slug for claim in found]
    pages = [slugs_on(client, q="number", page=n) for n in (1, 2, 3)]
    assert sum(pages, []) == expected


def test_it_reads_a_later_page_by_key_in_a_flat_number_of_queries(
    client, many, django_assert_max_num_queries
):
    for claim in many:
        link(claim, make_study(doi=f"10.1000/{claim.slug}"))
    shown_count(client)  # the count and topics cached
    # the version; the page's keys; those claims with their link counts
    with django_assert_max_num_queries(3):
        assert slugs_on(client, page=2) == ["c4", "c3", "c2"]


def test_it_updates_the_topics_when_a_claim_is_saved(client, many):
    client.get(reverse("claim-list"))
    Claim.objects.filter(slug="c0").update(topic="focus")
    Claim.objects.filter(slug="c0").touch()
    html = client.get(reverse("claim-list")).content.decode()
    assert 'value="focus"' in html


def test_list_version_moves_with_every_kind_of_write(many):
    versions = [Claim.objects.list_version()]

    def moved():
        versions.append(Claim.objects.list_version())
        return versions[-1] != versions[-2]

    claim = make_claim(slug="new", status=Claim.Status.DRAFT)
    assert moved()  # created
    claim.status = Claim.Status.PUBLISHED
    claim.save()
    assert moved()  # published
    Claim.objects.filter(pk=claim.pk).touch()
    assert moved()  # touched after a bulk write
    claim.delete()
    assert moved()  # deleted
    assert not moved()  # nothing written


def test_it_serves_the_sitemap_index_from_the_cache_in_one_query(
    client, many, django_assert_num_queries
):
    first = client.get("/sitemap.xml")
    with django_assert_num_queries(1):  # the version
        again = client.get("/sitemap.xml")
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]


def test_it_lists_a_newly_published_claim_in_the_sitemap_at_once(client, many):
    def locations():
        root = ET.fromstring(client.get("/sitemap-claims.xml").content)
        return [node.find(f"{SITEMAP}loc").text for node in root]

    assert len(locations()) == 8
    make_claim(slug="fresh")
    assert "http://testserver/claims/fresh/" in locations()


def test_it_answers_404_for_an_unknown_sitemap_section(client):
    assert client.get("/sitemap-nope.xml").status_code == 404


LIST_QUERIES = {
    "claim_newest": lambda: Claim.objects.published().order_by("-created_at", "-pk"),
    "claim_topic_newest": lambda: filter_claims(Claim.objects.published(), {"topic": "sleep"}),
    "claim_verdict_newest": lambda: filter_claims(Claim.objects.published(), {"verdict": "x"}),
    "claim_strongest": lambda: filter_claims(Claim.objects.published(), {"sort": "strongest"}),
    "claim_last_changed": lambda: (
        Claim.objects.published().with_last_changed().order_by("-last_changed", "-pk")
    ),
    "claim_featured_newest": lambda: Claim.objects.published().filter(featured=True),
}


@pytest.mark.parametrize("index", list(LIST_QUERIES))
def test_the_lists_order_matches_its_index_on_postgresql(many, index):
    if connection.vendor != "postgresql":
        pytest.skip("the planner's choice is PostgreSQL's")
    sql, params = LIST_QUERIES[index]()[:20].query.sql_with_params()
    with connection.cursor() as cursor:
        # A tiny table is read whole; without that option the index must still serve.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan, plan
    assert "Sort" not in plan.replace("Sort Key", ""), plan


def test_a_near_spelling_search_reads_the_vocabularys_trigram_index_on_postgresql(many):
    if connection.vendor != "postgresql":
        pytest.skip("pg_trgm is PostgreSQL's")
    with CaptureQueriesContext(connection) as queries:
        Claim.objects.search("numbr")  # nothing as typed: found again by near spellings
    sql = next(q["sql"] for q in queries.captured_queries if search_words.TABLE in q["sql"])
    assert "<%" not in " ".join(q["sql"] for q in queries.captured_queries)  # no wording read
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert f"{search_words.TABLE}_trgm" in plan, plan
