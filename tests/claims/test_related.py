"""Related claims: the claims sharing studies with a claim, most shared first."""

import pytest

from claims.models import Claim
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db


@pytest.fixture
def web():
    studies = [make_study(doi=f"10.1000/s{i}", title=f"S{i}") for i in range(4)]
    main = make_claim(slug="main")
    for study in studies[:3]:
        link(main, study)
    two = make_claim(slug="two")
    link(two, studies[0])
    link(two, studies[1], stance="contradicts")
    one = make_claim(slug="one")
    link(one, studies[2])
    link(make_claim(slug="unrelated"), studies[3])
    link(make_claim(slug="draft", status="draft"), studies[0])
    link(make_claim(slug="pending-only"), studies[0], status="pending")
    pending_main = make_claim(slug="shares-a-pending-study")
    other = make_study(doi="10.1000/pending", title="P")
    link(main, other, status="pending")
    link(pending_main, other)
    return main


def test_it_ranks_published_claims_by_shared_approved_studies(web, django_assert_num_queries):
    with django_assert_num_queries(1):
        related = list(Claim.objects.published().related_to(web))
    assert [(claim.slug, claim.shared_count) for claim in related] == [("two", 2), ("one", 1)]


def test_it_shows_related_claims_on_the_claim_page(client, web):
    html = client.get(web.get_absolute_url()).content.decode()
    assert "Related claims" in html
    assert html.index('href="/claims/two/"') < html.index('href="/claims/one/"')
    assert "2 shared studies" in html and "1 shared study" in html
    assert 'href="/claims/unrelated/"' not in html


def test_it_limits_the_page_to_five_related_claims(client):
    study = make_study(doi="10.1000/hub")
    main = make_claim(slug="hub")
    link(main, study)
    for i in range(7):
        link(make_claim(slug=f"spoke-{i}"), study)
    html = client.get(main.get_absolute_url()).content.decode()
    assert html.count("shared study") == 5


def test_it_links_the_demo_claims_that_share_refalo(client, demo):
    claim = demo.get(slug="failure-fatigue-adds-no-hypertrophy")
    slugs = [c.slug for c in Claim.objects.published().related_to(claim)]
    assert sorted(slugs) == [
        "quadriceps-regional-hypertrophy-failure-vs-rir",
        "rir-training-matches-failure-volume-and-growth",
    ]


def test_it_shows_nothing_when_no_claim_shares_a_study(client):
    claim = make_claim()
    assert "Related claims" not in client.get(claim.get_absolute_url()).content.decode()
