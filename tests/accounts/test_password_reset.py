"""Password reset: limited per client address and per email address, and the answer is the
same whatever happens (known or unknown email, under or over a limit), so it names no member."""

import re

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = reverse("password_reset")
DONE = reverse("password_reset_done")


@pytest.fixture
def limits(settings):
    settings.PASSWORD_RESETS_PER_HOUR_PER_ADDRESS = 4
    settings.PASSWORD_RESETS_PER_HOUR_PER_EMAIL = 2


@pytest.fixture
def members(django_user_model):
    return [
        django_user_model.objects.create_user(f"m{i}", f"m{i}@example.org", "pw-member-1")
        for i in range(6)
    ]


def ask(client, email: str, ip: str = "10.0.0.1"):
    return client.post(URL, {"email": email}, REMOTE_ADDR=ip)


def page(response) -> str:
    return re.sub(r'value="[A-Za-z0-9]{64}"', 'value="…"', response.content.decode())


def test_it_sends_at_most_the_limit_of_links_to_one_email(client, limits, members):
    answers = [ask(client, "m0@example.org", ip=f"10.0.0.{i}") for i in range(4)]
    assert [(r.status_code, r["Location"]) for r in answers] == [(302, DONE)] * 4
    assert len(mail.outbox) == 2
    assert {tuple(m.to) for m in mail.outbox} == {("m0@example.org",)}


def test_it_counts_an_email_whatever_its_case(client, limits, members):
    for email in ("m0@example.org", "M0@Example.ORG", "m0@EXAMPLE.org"):
        assert ask(client, email, ip="10.0.0.9")["Location"] == DONE
    assert len(mail.outbox) == 2


def test_it_sends_at_most_the_limit_from_one_address(client, limits, members):
    for member in members[:5]:
        assert ask(client, member.email)["Location"] == DONE
    assert [m.to for m in mail.outbox] == [[member.email] for member in members[:4]]
    # another address is not held back by this one
    assert ask(client, members[5].email, ip="10.0.0.2")["Location"] == DONE
    assert mail.outbox[-1].to == [members[5].email]


def test_it_counts_unknown_emails_like_known_ones(client, limits, members):
    """Asking for strangers' addresses uses up an address's allowance the same way, so the
    limit itself cannot tell which addresses have accounts."""
    for i in range(4):
        assert ask(client, f"nobody{i}@example.org")["Location"] == DONE
    assert ask(client, "m0@example.org")["Location"] == DONE
    assert mail.outbox == []


def test_it_answers_the_same_over_the_limit_as_under_it(client, limits, members):
    under = client.post(URL, {"email": "m1@example.org"}, REMOTE_ADDR="10.0.0.3", follow=True)
    for _ in range(3):
        ask(client, "m1@example.org", ip="10.0.0.3")
    over = client.post(URL, {"email": "m1@example.org"}, REMOTE_ADDR="10.0.0.3", follow=True)
    unknown = client.post(URL, {"email": "x@example.org"}, REMOTE_ADDR="10.0.0.4", follow=True)
    assert under.redirect_chain == over.redirect_chain == unknown.redirect_chain
    assert under.status_code == over.status_code == unknown.status_code == 200
    assert page(under) == page(over) == page(unknown)
    assert len(mail.outbox) == 2


def test_it_still_refuses_an_invalid_email_with_a_form_error(client, limits):
    response = ask(client, "not an email")
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()


def test_it_has_default_limits(settings):
    assert settings.PASSWORD_RESETS_PER_HOUR_PER_ADDRESS == 10
    assert settings.PASSWORD_RESETS_PER_HOUR_PER_EMAIL == 3
