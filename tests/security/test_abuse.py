"""Abuse: login throttling (django-axes) and no user enumeration through password reset."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def log_in(client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_it_locks_out_a_username_and_address_after_repeated_failures(client, member):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "member", "wrong").status_code == 200
    response = log_in(client, "member", "wrong")
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.content.decode()
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    # Locked out even with the right password...
    assert log_in(client, "member", "pw-member-1").status_code == 429
    # ...but only for that username from that address.
    assert log_in(client, "member", "pw-member-1", ip="10.0.0.2").status_code == 302


def log_in_through_proxy(client, password: str, forwarded_for: str):
    """Behind one proxy every request comes from the proxy's address, 10.9.9.9."""
    return client.post(
        reverse("login"),
        {"username": "member", "password": password},
        REMOTE_ADDR="10.9.9.9",
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_it_throttles_by_the_address_the_proxy_saw_not_one_the_client_claims(
    client, member, settings
):
    settings.BEHIND_PROXY, settings.PROXY_COUNT = True, 1
    for n in range(settings.AXES_FAILURE_LIMIT):
        # The client forges a new left-hand X-Forwarded-For entry each time.
        log_in_through_proxy(client, "wrong", f"1.2.3.{n}, 203.0.113.7")
    assert log_in_through_proxy(client, "pw-member-1", "203.0.113.7").status_code == 429
    assert log_in_through_proxy(client, "pw-member-1", "198.51.100.4").status_code == 302


def test_it_does_not_lock_out_other_users_from_the_same_address(client, member, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "member", "wrong")
    assert log_in(client, "editor", "pw-editor-1").status_code == 302


def test_it_forgets_failures_after_a_successful_login(client, member):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "member", "wrong")
    assert log_in(client, "member", "pw-member-1").status_code == 302
    client.logout()
    assert log_in(client, "member", "wrong").status_code == 200


def test_it_cools_off_after_fifteen_minutes():
    from datetime import timedelta

    assert timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesBackend"


def without_csrf_tokens(response) -> str:
    """The page with its per-response CSRF token masked out."""
    return re.sub(r'("X-CSRFToken": "|value=")[A-Za-z0-9]{64}', r"\1…", response.content.decode())


def test_it_answers_password_reset_the_same_for_known_and_unknown_emails(client, member):
    url = reverse("password_reset")
    known = client.post(url, {"email": "member@example.org"}, follow=True)
    unknown = client.post(url, {"email": "nobody@example.org"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain
    assert known.status_code == unknown.status_code == 200
    assert without_csrf_tokens(known) == without_csrf_tokens(unknown)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["member@example.org"]


def test_it_names_no_account_when_a_login_fails(client, member):
    wrong_password = log_in(client, "member", "wrong").content.decode()
    no_such_user = log_in(client, "nobody", "wrong").content.decode()
    message = "Please enter a correct username and password"
    assert message in wrong_password and message in no_such_user
