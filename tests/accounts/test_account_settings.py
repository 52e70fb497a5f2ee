"""A member's own account: change email (password required, a valid address, confirmed
from the new address: tests/accounts/test_email_change.py), change password (Django's
page), delete the account (password and a typed confirmation; contributions stay, credited
to "a former member"; follows and profile go; the member is logged out)."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from accounts.forms import CONFIRM_MISMATCH, WRONG_PASSWORD
from accounts.models import Profile
from community.follows import follow_claim
from community.models import Follow, Submission
from community.services import submission_accept
from tests.factories import make_claim, make_study, make_submission

pytestmark = pytest.mark.django_db

EMAIL = reverse("account-email")
DELETE = reverse("account-delete")
PASSWORD = "pw-member-1"  # tests/conftest.py


def test_it_asks_the_new_address_to_confirm_with_the_password(member_client, member):
    response = member_client.post(EMAIL, {"email": "new@example.org", "password": PASSWORD})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.email == "member@example.org"  # until the link is followed
    assert any(message.to == ["new@example.org"] for message in mail.outbox)


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"email": "new@example.org", "password": "wrong"}, "password", WRONG_PASSWORD),
        (
            {"email": "not an address", "password": PASSWORD},
            "email",
            "Enter a valid email address.",
        ),
        ({"email": "", "password": PASSWORD}, "email", "This field is required."),
    ],
)
def test_it_refuses_a_bad_email_change_and_keeps_what_was_typed(
    member_client, member, editor, data, field, error
):
    response = member_client.post(EMAIL, data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [error]
    member.refresh_from_db()
    assert member.email == "member@example.org"
    if data["email"]:
        assert f'value="{data["email"]}"' in response.content.decode()


def test_the_password_change_page_is_still_djangos(member_client):
    assert member_client.get(reverse("password_change")).status_code == 200


@pytest.fixture
def contributions(member, editor):
    claim = make_claim(slug="credited")
    make_study(doi="10.5555/accepted", title="Accepted trial")
    accepted = make_submission(claim, member, doi="10.5555/accepted")
    submission_accept(submission=accepted, moderator=editor)
    pending = make_submission(claim, member, doi="10.5555/pending")
    follow_claim(user=member, claim=claim)
    Profile.objects.create(user=member, display_name="Lifter Jo")
    return claim, accepted, pending


def test_deleting_the_account_keeps_contributions_credited_to_a_former_member(
    member_client, member, contributions, client
):
    claim, accepted, pending = contributions
    before = client.get(claim.get_absolute_url()).content.decode()
    assert "Contributors: <bdi>Lifter Jo</bdi>" in before
    response = member_client.post(
        DELETE, {"password": PASSWORD, "confirm": "Delete my account"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert not get_user_model().objects.filter(pk=member.pk).exists()
    assert not response.context["user"].is_authenticated  # logged out
    for submission in (accepted, pending):
        submission.refresh_from_db()
        assert submission.submitted_by is None
    assert Submission.objects.get(pk=accepted.pk).status == "accepted"
    assert not Follow.objects.filter(claim=claim).exists()
    assert not Profile.objects.filter(display_name="Lifter Jo").exists()
    page = client.get(claim.get_absolute_url()).content.decode()  # the page moved
    assert "Contributors: <bdi>a former member</bdi>" in page and "Lifter Jo" not in page


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"password": "wrong", "confirm": "delete my account"}, "password", WRONG_PASSWORD),
        ({"password": PASSWORD, "confirm": "yes"}, "confirm", CONFIRM_MISMATCH),
        ({"password": PASSWORD, "confirm": ""}, "confirm", "This field is required."),
    ],
)
def test_it_refuses_to_delete_without_the_password_and_the_words(
    member_client, member, data, field, error
):
    response = member_client.post(DELETE, data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [error]
    assert get_user_model().objects.filter(pk=member.pk).exists()
    assert member_client.get(reverse("my-contributions")).status_code == 200  # still in


@pytest.mark.parametrize("url", [EMAIL, DELETE, reverse("account-display-name")])
def test_the_account_pages_are_for_signed_in_members(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
