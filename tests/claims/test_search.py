"""ClaimQuerySet.search() and claims/search.py: PostgreSQL full-text search or SQLite FTS5."""

import pytest
from django.db import connection

from claims import search_index
from claims.models import Claim
from tests.factories import make_claim

pytestmark = pytest.mark.django_db


def slugs(queryset):
    return [claim.slug for claim in queryset]


@pytest.fixture
def claims():
    return [
        make_claim(
            slug="creatine",
            plain_statement="Creatine supplementation increases muscle strength.",
            statement="In trained adults, creatine monohydrate increases maximal strength.",
            topic="supplements",
        ),
        make_claim(
            slug="failure",
            plain_statement="Training to failure builds more muscle.",
            statement="Resistance training to momentary failure increases hypertrophy.",
            topic="hypertrophy",
        ),
        make_claim(
            slug="sleep",
            plain_statement="Sleeping longer improves recovery.",
            statement="Sleep extension improves recovery of muscle function.",
            topic="recovery",
        ),
    ]


def test_it_uses_the_database_full_text_index():
    assert connection.vendor in ("sqlite", "postgresql")


def test_it_matches_every_word(claims):
    assert slugs(Claim.objects.search("creatine strength")) == ["creatine"]
    assert slugs(Claim.objects.search("creatine sleep")) == []


def test_it_matches_the_scientific_wording_and_the_topic(claims):
    assert slugs(Claim.objects.search("hypertrophy")) == ["failure"]
    assert slugs(Claim.objects.search("supplements")) == ["creatine"]


def test_it_matches_word_prefixes_and_stems(claims):
    assert slugs(Claim.objects.search("creat")) == ["creatine"]
    assert slugs(Claim.objects.search("improving")) == ["sleep"]


def test_it_ranks_the_plain_wording_above_the_rest(claims):
    make_claim(
        slug="muscle-in-topic-only",
        plain_statement="Walking daily helps.",
        statement="Daily walking helps.",
        topic="muscle",
    )
    found = list(Claim.objects.search("muscle"))
    assert found[0].slug in ("creatine", "failure")  # "muscle" in the plain wording
    assert all(claim.search_rank is not None for claim in found)
    assert found[-1].slug == "muscle-in-topic-only"


def test_it_ignores_punctuation_and_returns_nothing_for_no_words(claims):
    assert slugs(Claim.objects.search('"creatine" (strength) -')) == ["creatine"]
    assert slugs(Claim.objects.search("!!! ***")) == []


def test_it_follows_edits_deletes_and_bulk_inserts(claims):
    Claim.objects.filter(slug="sleep").update(plain_statement="Naps improve recovery.")
    assert slugs(Claim.objects.search("naps")) == ["sleep"]
    Claim.objects.filter(slug="sleep").delete()
    assert slugs(Claim.objects.search("naps")) == []
    Claim.objects.bulk_create(
        [
            Claim(
                slug="bulk",
                statement="Sauna use.",
                plain_statement="Saunas help.",
                claim_type="causal",
            )
        ]
    )
    assert slugs(Claim.objects.search("sauna")) == ["bulk"]


def test_it_composes_with_other_filters(claims):
    Claim.objects.filter(slug="failure").update(status=Claim.Status.DRAFT)
    assert slugs(Claim.objects.published().search("increases")) == ["creatine"]
    assert Claim.objects.published().with_counts().search("increases").count() == 1


def test_it_serves_the_claim_list(client, claims):
    html = client.get("/claims/", {"q": "creatine"}).content.decode()
    assert "Creatine supplementation" in html
    assert "Training to failure" not in html


def test_the_claim_list_shows_search_results_best_match_first(client, claims):
    # Newer, but "muscle" only in its topic: newest-first would put it on top.
    make_claim(
        slug="muscle-in-topic-only",
        plain_statement="Walking daily helps.",
        statement="Daily walking helps.",
        topic="muscle",
    )
    html = client.get("/claims/", {"q": "muscle"}).content.decode()
    assert '<option value="" selected>Best match</option>' in html
    assert html.index("/claims/muscle-in-topic-only/") > html.index("/claims/failure/")

    newest = client.get("/claims/", {"q": "muscle", "sort": "newest"}).content.decode()
    assert newest.index("/claims/muscle-in-topic-only/") < newest.index("/claims/failure/")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="only SQLite drops them on a rebuild")
def test_it_puts_the_index_back_after_a_migration_rebuilt_the_table(claims):
    with connection.cursor() as cursor:  # what a migration that rebuilds claims_claim leaves
        for name in search_index.SQLITE_TRIGGER_NAMES:
            cursor.execute(f"DROP TRIGGER {name}")
    make_claim(slug="written-meanwhile", plain_statement="Saunas help.")
    assert slugs(Claim.objects.search("sauna")) == []

    search_index.repair_after_migrate(sender=None)

    assert slugs(Claim.objects.search("sauna")) == ["written-meanwhile"]
    Claim.objects.filter(slug="written-meanwhile").update(plain_statement="Naps help.")
    assert slugs(Claim.objects.search("naps")) == ["written-meanwhile"]
