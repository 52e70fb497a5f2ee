"""Privacy (issue 18): django-axes' log-in records (IP address, browser, username) neither
outlive the account they name nor stay for ever, and the privacy page says what is kept, for
how long, and how to delete it."""

from datetime import timedelta
from importlib import import_module

import pytest
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import PasswordCheckFailure
from accounts.services import login_records_purge
from accounts.tasks import purge_login_records

pytestmark = pytest.mark.django_db


def log_in(client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def rows(username: str) -> tuple[int, int]:
    return (
        AccessAttempt.objects.filter(username=username).count(),
        AccessLog.objects.filter(username=username).count(),
    )


def test_deleting_an_account_deletes_the_log_in_records_naming_it(member, django_user_model):
    django_user_model.objects.create_user("other", "other@example.org", "pw-other-1")
    client, other = Client(), Client()
    log_in(client, "member", "wrong", ip="10.0.0.7")  # a failure from another address stays
    assert log_in(client, "member", "pw-member-1").status_code == 302
    log_in(other, "other", "wrong")
    log_in(other, "other", "pw-other-1")
    assert rows("member") == (1, 1)  # the failure from 10.0.0.7, the log-in from 10.0.0.1
    response = client.post(
        reverse("account-delete"), {"password": "pw-member-1", "confirm": "delete my account"}
    )
    assert response.status_code == 302
    assert not get_user_model().objects.filter(username="member").exists()
    assert rows("member") == (0, 0)
    assert rows("other") == (0, 1)  # someone else's records are not touched


def make_log(username: str, age: timedelta) -> AccessLog:
    row = AccessLog.objects.create(
        username=username, ip_address="10.0.0.1", user_agent="UA", http_accept="*/*", path_info="/"
    )
    AccessLog.objects.filter(pk=row.pk).update(attempt_time=timezone.now() - age)  # auto_now_add
    return row


def make_attempt(username: str, age: timedelta) -> AccessAttempt:
    row = AccessAttempt.objects.create(
        username=username,
        ip_address="10.0.0.1",
        user_agent="UA",
        http_accept="*/*",
        path_info="/accounts/login/",
        get_data="",
        post_data="",
        failures_since_start=1,
    )
    AccessAttempt.objects.filter(pk=row.pk).update(attempt_time=timezone.now() - age)
    return row


def test_the_daily_purge_deletes_log_in_records_past_the_retention(settings):
    settings.AXES_LOG_RETENTION_DAYS = 30
    old = make_log("old", timedelta(days=31))
    recent = make_log("recent", timedelta(days=29))
    assert login_records_purge() == 1
    assert not AccessLog.objects.filter(pk=old.pk).exists()
    assert AccessLog.objects.filter(pk=recent.pk).exists()
    settings.AXES_LOG_RETENTION_DAYS = 7  # the setting decides
    assert login_records_purge() == 1
    assert not AccessLog.objects.exists()


def test_the_purge_deletes_failed_attempts_whose_lockout_is_over(settings):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    expired = make_attempt("expired", timedelta(minutes=16))
    locking = make_attempt("locking", timedelta(minutes=5))
    login_records_purge()
    assert not AccessAttempt.objects.filter(pk=expired.pk).exists()
    assert AccessAttempt.objects.filter(pk=locking.pk).exists()  # still locks its pair out


def test_the_purge_deletes_stale_wrong_passwords_and_expired_sessions(member):
    stale = PasswordCheckFailure.objects.create(user=member, at=timezone.now() - timedelta(hours=1))
    fresh = PasswordCheckFailure.objects.create(user=member)
    store = import_module(settings.SESSION_ENGINE).SessionStore
    gone, kept = store(), store()
    gone.set_expiry(-1)
    for session in (gone, kept):
        session["x"] = 1
        session.save()
    login_records_purge()
    assert list(PasswordCheckFailure.objects.all()) == [fresh]
    assert not PasswordCheckFailure.objects.filter(pk=stale.pk).exists()
    keys = set(Session.objects.values_list("session_key", flat=True))
    assert kept.session_key in keys and gone.session_key not in keys


def test_beat_runs_the_purge_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["purge-login-records"]
    assert entry["task"] == "accounts.tasks.purge_login_records" == purge_login_records.name
    assert entry["schedule"].hour == {3} and entry["schedule"].day_of_week == set(range(7))
    make_log("old", timedelta(days=settings.AXES_LOG_RETENTION_DAYS + 1))
    assert purge_login_records() == 1  # the task body, run as the worker would


def test_the_privacy_page_states_what_is_kept_for_how_long(client, settings):
    settings.AXES_LOG_RETENTION_DAYS = 12
    html = client.get("/privacy/").content.decode()
    for words in (
        "email address",
        "display name",
        "contributions",
        "IP address",
        "deleted after 12 days",
        "Server logs",
        'href="/accounts/delete/"',
        "records of your log-ins and failed log-ins",
    ):
        assert words in html, words
    assert "administrators clear these logs" not in html  # no longer true: they are purged
