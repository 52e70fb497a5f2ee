"""A refused password is said under the field it was typed in, and a sign-up that failed on
another field keeps the passwords typed (issue 18); the same placement on the password change
and reset pages, which never show a password back."""

import lxml.html
import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

pytestmark = pytest.mark.django_db

SIGNUP = reverse("signup")
GOOD = "a-long-unusual-passphrase"
TOO_COMMON = "This password is too common."
MISMATCH = "The two password fields didn’t match."


def signup_data(**fields):
    return {
        "username": "newcomer",
        "email": "newcomer@example.org",
        "password1": GOOD,
        "password2": GOOD,
        **fields,
    }


def errors_under(response, name: str) -> list[str]:
    """The error messages in the field group of the input called `name`."""
    tree = lxml.html.fromstring(response.content.decode())
    group = tree.xpath(f"//input[@name='{name}']/parent::div")[0]
    return [li.text_content() for li in group.xpath(".//ul[contains(@class, 'errorlist')]/li")]


def value_of(response, name: str) -> str | None:
    tree = lxml.html.fromstring(response.content.decode())
    return tree.xpath(f"//input[@name='{name}']")[0].get("value")


def test_a_common_password_is_refused_under_the_first_password_field(client):
    response = client.post(SIGNUP, signup_data(password1="password", password2="password"))
    assert response.status_code == 200
    assert TOO_COMMON in errors_under(response, "password1")
    assert errors_under(response, "password2") == []
    # A refused password is typed again: it is not shown back.
    assert value_of(response, "password1") is None
    assert value_of(response, "password2") is None


def test_a_mismatch_stays_under_the_confirmation(client):
    response = client.post(SIGNUP, signup_data(password2="another-long-passphrase"))
    assert errors_under(response, "password2") == [MISMATCH]
    assert errors_under(response, "password1") == []
    assert value_of(response, "password1") is None and value_of(response, "password2") is None


def test_the_passwords_stay_when_only_another_field_failed(client, django_user_model):
    django_user_model.objects.create_user("newcomer", "old@example.org", "pw-member-1")
    response = client.post(SIGNUP, signup_data())
    assert response.status_code == 200
    assert errors_under(response, "username")  # taken
    assert value_of(response, "password1") == GOOD
    assert value_of(response, "password2") == GOOD


def test_the_passwords_are_not_shown_on_a_fresh_form(client):
    response = client.get(SIGNUP)
    assert value_of(response, "password1") is None


def test_the_password_change_says_too_common_under_the_new_password(client, member):
    client.force_login(member)
    response = client.post(
        reverse("password_change"),
        {"old_password": "pw-member-1", "new_password1": "password", "new_password2": "password"},
    )
    assert response.status_code == 200
    assert TOO_COMMON in errors_under(response, "new_password1")
    assert errors_under(response, "new_password2") == []
    assert value_of(response, "new_password1") is None


def test_the_reset_link_says_too_common_under_the_new_password(client, member):
    uid = urlsafe_base64_encode(force_bytes(member.pk))
    token = default_token_generator.make_token(member)
    form_url = client.get(reverse("password_reset_confirm", args=[uid, token]))["Location"]
    response = client.post(form_url, {"new_password1": "password", "new_password2": "password"})
    assert response.status_code == 200
    assert TOO_COMMON in errors_under(response, "new_password1")
    assert errors_under(response, "new_password2") == []
    assert value_of(response, "new_password1") is None


def autofocused(response) -> list[str]:
    tree = lxml.html.fromstring(response.content.decode())
    return [element.get("name") for element in tree.xpath("//*[@autofocus]")]


def test_the_keyboard_goes_to_the_field_in_error(client):
    """Review: a refused password left the focus on the username (Django's autofocus)."""
    assert autofocused(client.get(SIGNUP)) == ["username"]  # a fresh form starts there
    common = client.post(SIGNUP, signup_data(password1="password", password2="password"))
    assert autofocused(common) == ["password1"]
    mismatch = client.post(SIGNUP, signup_data(password2="another-long-passphrase"))
    assert autofocused(mismatch) == ["password2"]
