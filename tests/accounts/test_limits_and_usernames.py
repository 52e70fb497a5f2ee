"""Issue 19 on accounts: limits that hold whatever happens to the cache, usernames unique in any
case, racing sign-ups and over-long usernames as form errors, mail links on SITE_URL.

Before: sign-up and reset counters lived in each worker's cache (a flood of Host variants
evicted them; each worker counted its own); "raceX" and "RACEX" were two accounts; two
identical sign-ups at once gave one a 500; a 256-character username at login was a 500 on
PostgreSQL (django-axes' 255-character column); the reset mail linked to the request's Host."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.forms import USERNAME_TAKEN, SignupForm
from accounts.models import RateLimitHit
from accounts.services import login_records_purge
from tests.accounts.test_signup import data

pytestmark = pytest.mark.django_db

SIGNUP = reverse("signup")


def test_the_sign_up_limit_holds_when_the_cache_is_emptied(client, settings):
    settings.SIGNUPS_PER_HOUR_PER_ADDRESS = 2
    for n in range(2):
        response = type(client)().post(SIGNUP, data(username=f"n{n}"), REMOTE_ADDR="192.0.2.7")
        assert response.status_code == 302
        cache.clear()  # what a flood of Host variants did to the in-memory counters
    refused = client.post(SIGNUP, data(username="third"), REMOTE_ADDR="192.0.2.7")
    assert refused.status_code == 429


def test_the_reset_limit_holds_when_the_cache_is_emptied(client, settings):
    settings.PASSWORD_RESETS_PER_HOUR_PER_EMAIL = 2
    get_user_model().objects.create_user("resetter", "resetter@example.org", "pw-1234-abcd")
    for _ in range(4):
        client.post(reverse("password_reset"), {"email": "resetter@example.org"})
        cache.clear()
    assert len(mail.outbox) == 2


def test_limits_keep_no_plain_address_and_are_purged_after_an_hour(client):
    client.post(reverse("password_reset"), {"email": "who@example.org"}, REMOTE_ADDR="192.0.2.8")
    keys = list(RateLimitHit.objects.values_list("key", flat=True))
    assert keys and not any("192.0.2.8" in key or "who@" in key for key in keys)
    from datetime import timedelta

    from django.utils import timezone

    login_records_purge(now=timezone.now() + timedelta(hours=1, minutes=1))
    assert not RateLimitHit.objects.exists()


@pytest.mark.parametrize("variant", ["RACEX", "Racex", "raceX"])
def test_a_username_taken_in_another_case_is_refused(client, variant):
    get_user_model().objects.create_user("racex", "a@example.org", "pw-1234-abcd")
    response = client.post(SIGNUP, data(username=variant))
    assert response.status_code == 200
    assert response.context["form"].errors["username"] == [USERNAME_TAKEN]
    assert get_user_model().objects.filter(username__iexact="racex").count() == 1


def test_the_database_refuses_case_variants_too():
    get_user_model().objects.create_user("dbracer", "a@example.org", "pw-1234-abcd")
    with pytest.raises(IntegrityError), transaction.atomic():
        get_user_model().objects.create_user("DBRacer", "b@example.org", "pw-1234-abcd")


def test_a_sign_up_that_loses_a_race_gets_a_form_error(client, monkeypatch):
    original = SignupForm.save

    def save_after_a_rival(self, *args, **kwargs):
        # The rival's identical sign-up commits between this form's check and its save.
        get_user_model().objects.create_user("racer", "rival@example.org", "pw-1234-abcd")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SignupForm, "save", save_after_a_rival)
    response = client.post(SIGNUP, data(username="racer"))
    assert response.status_code == 200
    assert response.context["form"].errors["username"] == [USERNAME_TAKEN]
    # (The rival's row was written in this request's transaction here, so it rolled back too.)
    assert not get_user_model().objects.filter(email="newcomer@example.org").exists()


@pytest.mark.parametrize("length", [151, 256, 5000])
def test_an_over_long_username_at_login_is_a_form_error_and_never_stored(client, length):
    response = client.post(reverse("login"), {"username": "u" * length, "password": "x"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not AccessAttempt.objects.exists()


def test_a_wrong_password_at_login_still_counts_for_axes(client):
    client.post(reverse("login"), {"username": "someone", "password": "wrong"})
    assert AccessAttempt.objects.filter(username="someone").exists()


def test_the_reset_mail_links_to_site_url_whatever_the_host(client, settings):
    settings.SITE_URL = "https://claims.example.org"
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    get_user_model().objects.create_user("linked", "linked@example.org", "pw-1234-abcd")
    client.post(
        reverse("password_reset"), {"email": "linked@example.org"}, HTTP_HOST="localhost:9999"
    )
    body = mail.outbox[0].body
    assert "https://claims.example.org/accounts/reset/" in body
    assert "localhost" not in body


def test_the_email_change_link_is_on_site_url(client, settings):
    settings.SITE_URL = "https://claims.example.org"
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    user = get_user_model().objects.create_user("mover", "old@example.org", "pw-1234-abcd")
    client.force_login(user)
    client.post(
        reverse("account-email"),
        {"email": "new@example.org", "password": "pw-1234-abcd"},
        HTTP_HOST="localhost:9999",
    )
    body = mail.outbox[0].body
    assert "https://claims.example.org/accounts/email/confirm/" in body
    assert "localhost" not in body
