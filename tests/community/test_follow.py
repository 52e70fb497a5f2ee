"""Following a claim from its page: the button (htmx, and a plain form without JavaScript),
never anyone else's state on a cached page, the following page and its preference."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from claims.models import Claim
from community.follows import follow_claim
from community.models import Follow, FollowDelivery, FollowSettings
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def claim():
    claim = make_claim()
    link(claim, make_study(doi="10.1000/one"))
    return Claim.objects.get(pk=claim.pk)


def test_a_member_follows_and_unfollows_with_htmx(claim, member, member_client):
    button = member_client.get(f"/claims/{claim.slug}/follow/", **HTMX)
    assert button.status_code == 200
    assert b"Follow this claim</button>" in button.content
    assert "no-store" in button["Cache-Control"]  # their own state: never cached

    followed = member_client.post(f"/claims/{claim.slug}/follow/", **HTMX)
    assert followed.status_code == 200 and b"You follow this claim." in followed.content
    assert b"<html" not in followed.content  # only the partial, swapped in place
    follow = Follow.objects.get(user=member, claim=claim)
    # It starts from the claim as it is: nothing to mail yet.
    assert (follow.notified_verdict, follow.notified_certainty) == (claim.verdict, claim.certainty)
    assert follow.notified_study_ids == [claim.evidence.get().study_id]

    member_client.post(f"/claims/{claim.slug}/follow/", **HTMX)  # a double click
    assert Follow.objects.filter(user=member).count() == 1

    unfollowed = member_client.post(f"/claims/{claim.slug}/unfollow/", **HTMX)
    assert b"Follow this claim</button>" in unfollowed.content
    assert not Follow.objects.filter(user=member).exists()


def test_without_javascript_the_form_posts_and_comes_back(claim, member, member_client):
    page = member_client.get(f"/claims/{claim.slug}/follow/")
    assert b"<html" in page.content and f'action="/claims/{claim.slug}/follow/"'.encode() in (
        page.content
    )
    response = member_client.post(f"/claims/{claim.slug}/follow/")
    assert response.status_code == 302 and response["Location"] == f"/claims/{claim.slug}/"
    # The message waits for the next page (the claim's, or any other).
    assert b"You follow this claim." in member_client.get("/accounts/following/").content
    back = member_client.post(f"/claims/{claim.slug}/unfollow/", {"next": "/accounts/following/"})
    assert back["Location"] == "/accounts/following/"
    off_site = member_client.post(f"/claims/{claim.slug}/follow/", {"next": "https://evil.test/"})
    assert off_site["Location"] == f"/claims/{claim.slug}/"


def test_following_needs_the_csrf_token(claim, member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    assert client.post(f"/claims/{claim.slug}/follow/", **HTMX).status_code == 403
    assert not Follow.objects.exists()


def test_a_draft_claim_cannot_be_followed(member_client, member):
    draft = make_claim(slug="draft-claim", status=Claim.Status.DRAFT)
    assert member_client.post(f"/claims/{draft.slug}/follow/").status_code == 404
    assert member_client.get(f"/claims/{draft.slug}/follow/", **HTMX).status_code == 404
    assert not Follow.objects.exists()


def test_the_claim_page_shows_nobody_else_s_state(claim, member, member_client, client):
    follow_claim(user=member, claim=claim)
    url = claim.get_absolute_url()
    anonymous = client.get(url).content.decode()
    assert "Log in</a> to follow this claim" in anonymous
    assert "You follow" not in anonymous and "csrfmiddlewaretoken" not in anonymous
    # A member's page loads their button apart, so the page itself (and its ETag) holds no state.
    own = member_client.get(url).content.decode()
    assert f'data-hx-get="/claims/{claim.slug}/follow/" data-hx-trigger="load"' in own
    assert "You follow" not in own
    # Following does not move the page version: the anonymous copy stays cached.
    version = Claim.objects.get(pk=claim.pk).cache_version
    member_client.post(f"/claims/{claim.slug}/unfollow/")
    assert Claim.objects.get(pk=claim.pk).cache_version == version


def test_the_claim_page_links_its_feed(claim, client):
    html = client.get(claim.get_absolute_url()).content.decode()
    assert (
        '<link rel="alternate" type="application/atom+xml" '
        'title="This claim\'s versions and verdict changes" '
        f'href="/claims/{claim.slug}/feed.atom">'
    ) in html


def test_the_following_page_lists_each_claim_with_its_verdict_now(member, member_client):
    claims = [make_claim(slug=f"claim-{n}", plain_statement=f"Claim number {n}.") for n in range(3)]
    for c in claims:
        link(c, make_study(doi=f"10.1000/s{c.pk}"))
        follow_claim(user=member, claim=c)
    page = member_client.get("/accounts/following/").content.decode()
    for c in Claim.objects.filter(pk__in=[c.pk for c in claims]):
        assert f"Claim number {c.slug[-1]}." in page
        assert c.verdict in page
    assert "One email for each change" in page and "A daily digest" in page


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/accounts/following/").status_code == 200
    return len(queries)


def test_the_following_page_s_queries_do_not_grow_with_the_follows(member, member_client):
    follow_claim(user=member, claim=make_claim(slug="first"))
    one = _queries(member_client)
    for n in range(5):
        follow_claim(user=member, claim=make_claim(slug=f"more-{n}"))
    assert _queries(member_client) == one


def test_the_preference_is_saved_and_a_bad_value_shows_an_error(member, member_client):
    response = member_client.post("/accounts/following/", {"delivery": "daily"})
    assert response.status_code == 302
    assert FollowSettings.objects.get(user=member).delivery == FollowDelivery.DAILY_DIGEST
    bad = member_client.post("/accounts/following/", {"delivery": "hourly"})
    assert bad.status_code == 200 and b"Select a valid choice" in bad.content
    assert FollowSettings.objects.get(user=member).delivery == FollowDelivery.DAILY_DIGEST


def test_the_keyboard_focus_follows_the_press_not_the_page_load(claim, member_client):
    """Review (issue 18): Enter on "Follow this claim" swapped the button and dropped focus on
    <body>. The button swapped in after a press carries autofocus (htmx focuses it); the one the
    page loads on its own does not, so loading the page never moves the reader."""
    loaded = member_client.get(f"/claims/{claim.slug}/follow/", **HTMX).content.decode()
    assert "autofocus" not in loaded
    followed = member_client.post(f"/claims/{claim.slug}/follow/", **HTMX).content.decode()
    assert '<button type="submit" class="link-button" autofocus>Unfollow</button>' in followed
    unfollowed = member_client.post(f"/claims/{claim.slug}/unfollow/", **HTMX).content.decode()
    assert '<button type="submit" autofocus>Follow this claim</button>' in unfollowed
