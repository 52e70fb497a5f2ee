"""Review of issue 16: a new email address is confirmed by a signed link mailed to it (valid
three days; the address changes only on the click), the old address hears of it, a taken
address is not revealed, and wrong passwords on the account forms are limited (counted in
the database: 5 per 15 minutes per account)."""

import re
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.account_views import EMAIL_CONFIRMED, EMAIL_LINK_INVALID, EMAIL_SENT
from accounts.forms import TOO_MANY_WRONG_PASSWORDS, WRONG_PASSWORD
from accounts.models import PasswordCheckFailure
from accounts.services import WRONG_PASSWORDS_ALLOWED

pytestmark = pytest.mark.django_db

EMAIL = reverse("account-email")
DELETE = reverse("account-delete")
PASSWORD = "pw-member-1"  # tests/conftest.py


def request_change(client, email="new@example.org", password=PASSWORD):
    return client.post(EMAIL, {"email": email, "password": password}, follow=True)


def link_in(message) -> str:
    [url] = re.findall(r"https?://\S+/email/confirm/\S+/", message.body)
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_the_address_changes_only_when_the_link_is_followed(member_client, member, client):
    response = request_change(member_client)
    assert EMAIL_SENT.format(email="new@example.org") in messages_of(response)
    member.refresh_from_db()
    assert member.email == "member@example.org"  # until the click
    to_new, to_old = sorted(mail.outbox, key=lambda message: message.to != ["new@example.org"])
    assert to_new.to == ["new@example.org"]
    assert to_old.to == ["member@example.org"]
    assert "new@example.org" in to_old.body and "/email/confirm/" not in to_old.body
    assert "member@example.org" not in to_new.body + to_new.subject
    url = link_in(to_new)
    page = client.get(url)  # a mail scanner's GET changes nothing
    assert page.status_code == 200
    member.refresh_from_db()
    assert member.email == "member@example.org"
    confirmed = client.post(url, follow=True)
    assert EMAIL_CONFIRMED.format(email="new@example.org") in messages_of(confirmed)
    member.refresh_from_db()
    assert member.email == "new@example.org"
    again = client.post(url)  # used once: the old address it names is gone
    assert again.status_code == 400
    assert EMAIL_LINK_INVALID in again.content.decode()


def test_the_link_expires_after_three_days(member_client, member, client):
    request_change(member_client)
    url = link_in(next(m for m in mail.outbox if m.to == ["new@example.org"]))
    later = time.time() + timedelta(days=3, minutes=1).total_seconds()
    with mock.patch("django.core.signing.time.time", return_value=later):
        assert client.post(url).status_code == 400
    member.refresh_from_db()
    assert member.email == "member@example.org"


def test_a_forged_link_changes_nothing(client, member):
    url = reverse("account-email-confirm", kwargs={"token": "eyJ1IjoxfQ:forged:sig"})
    assert client.post(url).status_code == 400
    member.refresh_from_db()
    assert member.email == "member@example.org"


def test_a_taken_address_is_not_revealed_and_gets_no_link(member_client, member, editor):
    response = request_change(member_client, email="EDITOR@example.org")
    assert EMAIL_SENT.format(email="EDITOR@example.org") in messages_of(response)
    assert not any("/email/confirm/" in message.body for message in mail.outbox)
    assert [message.to for message in mail.outbox] == [["member@example.org"]]
    member.refresh_from_db()
    assert member.email == "member@example.org"


def test_an_address_taken_before_the_click_is_refused(member_client, member, client, editor):
    request_change(member_client)
    url = link_in(next(m for m in mail.outbox if m.to == ["new@example.org"]))
    editor.email = "new@example.org"
    editor.save()
    assert client.post(url).status_code == 400
    member.refresh_from_db()
    assert member.email == "member@example.org"


@pytest.mark.parametrize(
    ("url", "data"),
    [(EMAIL, {"email": "new@example.org"}), (DELETE, {"confirm": "delete my account"})],
)
def test_wrong_passwords_are_limited_per_account(member_client, member, url, data):
    for _ in range(WRONG_PASSWORDS_ALLOWED):
        response = member_client.post(url, {**data, "password": "wrong"})
        assert response.context["form"].errors["password"] == [WRONG_PASSWORD]
    assert PasswordCheckFailure.objects.filter(user=member).count() == WRONG_PASSWORDS_ALLOWED
    response = member_client.post(url, {**data, "password": PASSWORD})  # even the right one
    assert response.status_code == 200
    assert response.context["form"].errors["password"] == [TOO_MANY_WRONG_PASSWORDS]
    assert get_user_model().objects.filter(pk=member.pk, email="member@example.org").exists()
    assert not mail.outbox


def test_the_limit_lifts_after_fifteen_minutes(member_client, member):
    earlier = timezone.now() - timedelta(minutes=16)
    PasswordCheckFailure.objects.bulk_create(
        PasswordCheckFailure(user=member, at=earlier) for _ in range(WRONG_PASSWORDS_ALLOWED)
    )
    response = request_change(member_client)
    assert EMAIL_SENT.format(email="new@example.org") in messages_of(response)
