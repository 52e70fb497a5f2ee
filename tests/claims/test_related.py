"""Related claims: the claims sharing studies with a claim, most shared first."""

import pytest
from django.utils import timezone

from claims.models import Claim
from claims.services import claims_rescore
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


def etag_of(client, claim) -> str:
    client.get(claim.get_absolute_url())  # a member's first visit sets the CSRF cookie
    response = client.get(claim.get_absolute_url())
    assert response.status_code == 200
    return response["ETag"]


def revalidate(client, claim, etag):
    return client.get(claim.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)


@pytest.mark.parametrize("reader", ["client", "member_client"])
def test_a_claim_that_starts_sharing_a_study_changes_the_etag(request, reader):
    """A browser revalidating the page must get the new Related claims, not a 304 for good."""
    client = request.getfixturevalue(reader)
    study = make_study(doi="10.1000/shared-later")
    main = make_claim(slug="main")
    link(main, study)
    etag = etag_of(client, main)
    assert revalidate(client, main, etag).status_code == 304
    newcomer = make_claim(slug="newcomer", plain_statement="A newcomer shares the study.")
    link(newcomer, study)
    response = revalidate(client, main, etag)
    assert response.status_code == 200
    assert "A newcomer shares the study." in response.content.decode()
    assert response["ETag"] != etag


@pytest.mark.parametrize("reader", ["client", "member_client"])
def test_an_unpublished_claim_leaves_every_related_list_at_once(request, reader):
    client = request.getfixturevalue(reader)
    study = make_study(doi="10.1000/hub-of-three")
    pages = [make_claim(slug=f"page-{i}") for i in range(2)]
    leaving = make_claim(slug="leaving", plain_statement="This one is unpublished.")
    for claim in (*pages, leaving):
        link(claim, study)
    for claim in pages:  # cached, with the leaving claim listed
        assert "This one is unpublished." in client.get(claim.get_absolute_url()).content.decode()
    leaving.status = Claim.Status.DRAFT
    leaving.save()
    for claim in pages:
        html = client.get(claim.get_absolute_url()).content.decode()
        assert "This one is unpublished." not in html


def test_a_related_claims_new_verdict_shows_at_once(client):
    study = make_study(doi="10.1000/verdict-moves", design="rct", sample_size=400)
    main = make_claim(slug="main")
    other = make_claim(slug="other")
    link(main, study)
    link(other, study, stance="supports", certainty="high")
    html = client.get(main.get_absolute_url()).content.decode()
    before = Claim.objects.get(pk=other.pk).verdict
    assert f"verdict-{before.lower().replace(' ', '-')}" in html
    # A strong contradicting study changes the other claim's verdict through a rescore alone.
    strong = make_study(doi="10.1000/strong-against", sample_size=800)
    link(other, strong, stance="contradicts", certainty="high")
    after = Claim.objects.get(pk=other.pk).verdict
    assert after != before
    html = client.get(main.get_absolute_url()).content.decode()
    related = html[html.index('id="related-heading"') :]
    assert f">{after}</span>" in related


def test_moving_a_link_to_another_study_refreshes_the_old_studys_claims(client):
    old, new = make_study(doi="10.1000/old"), make_study(doi="10.1000/new")
    main = make_claim(slug="main")
    link(main, old)
    mover = make_claim(slug="mover", plain_statement="The mover.")
    moving = link(mover, old)
    assert "The mover." in client.get(main.get_absolute_url()).content.decode()
    moving.study = new
    moving.save()
    assert "The mover." not in client.get(main.get_absolute_url()).content.decode()


def test_a_score_change_that_keeps_the_verdict_leaves_the_related_pages_alone():
    """The list shows verdicts, not scores: a rescore that keeps them touches no neighbour."""
    study = make_study(doi="10.1000/same-verdict")
    main, other = make_claim(slug="main"), make_claim(slug="other")
    link(main, study)
    link(other, study, certainty="low")
    before = Claim.objects.get(pk=main.pk).cache_version
    verdict = Claim.objects.get(pk=other.pk).verdict
    Claim.objects.filter(pk=other.pk).update(scored_at=None)  # counts as changed, same verdict
    claims_rescore(claims=Claim.objects.filter(pk=other.pk))
    assert Claim.objects.get(pk=other.pk).verdict == verdict
    assert Claim.objects.get(pk=main.pk).cache_version == before


def test_a_neighbours_change_moves_the_page_version_but_not_the_claims_updated_at(client):
    """Related claims are on the page, so its version moves; the claim itself did not change, so
    the API's updated_at, the feed and the sitemap must not say it did."""
    study = make_study(doi="10.1000/neighbours")
    main, other = make_claim(slug="main"), make_claim(slug="other")
    link(main, study)
    link(other, study)
    before = Claim.objects.get(pk=main.pk)
    since = timezone.now().isoformat().replace("+00:00", "Z")
    other.plain_statement = "Reworded."
    other.save()
    after = Claim.objects.get(pk=main.pk)
    assert after.cache_version != before.cache_version
    assert after.last_changed_at == before.last_changed_at
    listed = client.get("/api/claims/", {"updated_since": since}).json()
    assert "main" not in [claim["slug"] for claim in listed["results"]]
