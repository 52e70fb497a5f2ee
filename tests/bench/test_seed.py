"""bench.seed: a small, deterministic data set (the full size runs only in make bench)."""

import pytest

from bench.seed import SeedRefused, seed_bench
from claims.models import Claim, Evidence, IdealStudy, MechanismStep
from studies.models import Study
from tests.factories import make_claim

pytestmark = pytest.mark.django_db

SMALL = {"claims": 20, "studies": 300, "links": 900, "seed": 7}


def snapshot():
    return (
        sorted(Claim.objects.values_list("slug", "plain_statement", "verdict")),
        sorted(
            Evidence.objects.values_list(
                "claim__slug", "study__doi", "study__title", "stance", "certainty", "finding"
            )
        ),
        MechanismStep.objects.count(),
        IdealStudy.objects.count(),
    )


def test_it_seeds_the_requested_sizes_with_large_claims():
    summary = seed_bench(**SMALL)
    assert Claim.objects.count() == 20
    assert Study.objects.count() == 300
    assert Evidence.objects.count() == 900
    large = Claim.objects.get(slug="bench-large-1")
    assert large.evidence.count() == 250
    steps = MechanismStep.objects.filter(mechanism__analysis__claim=large)
    assert steps.count() == 18
    assert steps.filter(citations__isnull=False).exists()
    assert Claim.objects.exclude(scored_at=None).count() == 20
    assert summary.startswith("Seeded 20 claims, 300 studies, 900 evidence links")


def test_it_is_deterministic(django_db_blocker):
    seed_bench(**SMALL)
    first = snapshot()
    Evidence.objects.all().delete()
    MechanismStep.citations.through.objects.all().delete()
    Claim.objects.all().delete()
    Study.objects.all().delete()
    seed_bench(**SMALL)
    assert snapshot() == first


def test_it_refuses_a_database_with_other_claims():
    make_claim(slug="real-claim")
    with pytest.raises(SeedRefused, match="did not make"):
        seed_bench(**SMALL)


def test_it_refuses_to_seed_twice():
    seed_bench(**SMALL)
    with pytest.raises(SeedRefused, match="already holds bench data"):
        seed_bench(**SMALL)


def test_the_large_claim_page_keeps_a_flat_query_count(
    client, settings, django_assert_max_num_queries
):
    settings.FULL_VERDICT_REQUIRES_LOGIN = False
    seed_bench(**SMALL)
    # claim, evidence+studies, analysis, analysis+mechanisms, mechanisms, steps, citations,
    # ideal studies, pending submissions, related claims
    with django_assert_max_num_queries(15):
        response = client.get("/claims/bench-large-1/")
    html = response.content.decode()
    # The strongest 10 of each side, and a link to each whole list.
    assert html.count('class="evidence-item"') == 20
    assert "Show all" in html
    with django_assert_max_num_queries(15):
        everything = client.get("/claims/bench-large-1/?evidence=supports")
    assert everything.content.decode().count('class="evidence-item"') >= 100


def test_it_refuses_sizes_too_small_for_the_large_claims():
    with pytest.raises(SeedRefused, match="Need at least 4 claims"):
        seed_bench(**{**SMALL, "links": 700})
    assert not Claim.objects.exists()
