"""One-click unsubscribe (RFC 8058) and tokens that die with their follow; the no-JS follow
form returns to the claim."""

import pytest
from django.core import mail, signing
from django.test import Client

from claims.models import Claim
from community.follows import follow_claim, unsubscribe_token
from community.models import Follow
from studies.models import Stance
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db

ONE_CLICK = "List-Unsubscribe=One-Click"


@pytest.fixture
def claim():
    claim = make_claim()
    link(claim, make_study(title="Small trial", doi="10.1000/small", year=2020))
    return Claim.objects.get(pk=claim.pk)


@pytest.fixture
def follow(claim, member):
    return follow_claim(user=member, claim=claim)


def mail_a_change(claim, capture):
    review = make_study(
        title="Big review", doi="10.1000/review", design="meta_analysis_rct", sample_size=2000
    )
    with capture(execute=True):
        link(claim, review, stance=Stance.CONTRADICTS, certainty="high")
    assert len(mail.outbox) == 1
    return mail.outbox[0]


def test_it_offers_one_click_unsubscribe_in_the_headers(
    claim, follow, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://claims.example.org"
    message = mail_a_change(claim, django_capture_on_commit_callbacks)
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith("<https://claims.example.org/unsubscribe/") and header.endswith("/>")
    assert message.extra_headers["List-Unsubscribe-Post"] == ONE_CLICK
    assert message.message()["List-Unsubscribe-Post"] == ONE_CLICK  # really in the mail sent


def test_it_offers_no_one_click_over_plain_http(
    claim, follow, settings, django_capture_on_commit_callbacks
):
    """RFC 8058 asks for an HTTPS URI; the development origin is http://localhost."""
    settings.SITE_URL = ""
    message = mail_a_change(claim, django_capture_on_commit_callbacks)
    assert message.extra_headers["List-Unsubscribe"].startswith("<http://localhost")
    assert "List-Unsubscribe-Post" not in message.extra_headers


def test_it_unsubscribes_a_one_click_post_without_csrf_or_login(follow):
    provider = Client(enforce_csrf_checks=True)  # a mail provider: no cookie, no CSRF token
    url = f"/unsubscribe/{unsubscribe_token(follow)}/"
    response = provider.post(url, ONE_CLICK, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert not Follow.objects.filter(pk=follow.pk).exists()


def test_it_unsubscribes_the_confirm_form_without_a_session(follow):
    reader = Client(enforce_csrf_checks=True)
    url = f"/unsubscribe/{unsubscribe_token(follow)}/"
    assert reader.get(url).status_code == 200
    assert Follow.objects.filter(pk=follow.pk).exists()  # a GET (a link scanner) removes nothing
    assert reader.post(url).status_code == 200
    assert not Follow.objects.filter(pk=follow.pk).exists()


def test_it_refuses_a_token_of_an_earlier_follow(claim, member, follow, client):
    old = unsubscribe_token(follow)
    follow.delete()
    again = follow_claim(user=member, claim=claim)
    response = client.post(f"/unsubscribe/{old}/", ONE_CLICK, content_type="text/plain")
    assert response.status_code == 400
    assert b"earlier" in response.content
    assert Follow.objects.filter(pk=again.pk).exists()
    assert client.post(f"/unsubscribe/{unsubscribe_token(again)}/").status_code == 200
    assert not Follow.objects.filter(pk=again.pk).exists()


def test_a_token_with_its_ids_changed_is_refused(claim, member, follow, client):
    """The ids in a token are readable (no secret); the signature is what counts."""
    token = unsubscribe_token(follow)
    forged = signing.dumps([member.pk, claim.pk + 1, 0], salt="not-the-salt", compress=True)
    assert client.post(f"/unsubscribe/{forged}/").status_code == 400
    tampered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    assert client.post(f"/unsubscribe/{tampered}/").status_code == 400
    assert Follow.objects.filter(pk=follow.pk).exists()


def test_a_second_click_after_unsubscribing_is_not_an_error(follow, client):
    url = f"/unsubscribe/{unsubscribe_token(follow)}/"
    client.post(url)
    again = client.post(url)
    assert again.status_code == 200 and b"You no longer follow" in again.content


def test_without_javascript_following_returns_to_the_claim(claim, member, member_client):
    form = member_client.get(f"/claims/{claim.slug}/follow/")
    assert f'name="next" value="{claim.get_absolute_url()}"'.encode() in form.content
    response = member_client.post(
        f"/claims/{claim.slug}/follow/", {"next": claim.get_absolute_url()}
    )
    assert response.status_code == 302 and response["Location"] == claim.get_absolute_url()
    # The message waits for the next page (the claim's, or any other).
    assert b"You follow this claim." in member_client.get("/accounts/following/").content
    back = member_client.post(f"/claims/{claim.slug}/unfollow/")  # no next: still the claim
    assert back["Location"] == claim.get_absolute_url()
    off_site = member_client.post(f"/claims/{claim.slug}/follow/", {"next": "//evil.test/x"})
    assert off_site["Location"] == claim.get_absolute_url()


def test_a_token_signed_before_a_key_rotation_still_works(follow, client, settings):
    old_key = settings.SECRET_KEY
    token = unsubscribe_token(follow)
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "a-new-key-" + "x" * 50, [old_key]
    assert client.post(f"/unsubscribe/{token}/").status_code == 200
    assert not Follow.objects.filter(pk=follow.pk).exists()


def test_a_token_under_a_key_no_longer_kept_is_refused(follow, client, settings):
    token = unsubscribe_token(follow)
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "a-new-key-" + "x" * 50, []
    response = client.post(f"/unsubscribe/{token}/")
    assert response.status_code == 400 and b"not valid" in response.content
    assert Follow.objects.filter(pk=follow.pk).exists()
