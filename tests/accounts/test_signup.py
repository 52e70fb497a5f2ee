import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import make_claim

pytestmark = pytest.mark.django_db

URL = reverse("signup")
GATE = "Sign up to see full verdict"


def data(**fields):
    return {
        "username": "newcomer",
        "email": "newcomer@example.org",
        "password1": "a-long-unusual-passphrase",
        "password2": "a-long-unusual-passphrase",
        **fields,
    }


def test_it_shows_the_form_with_the_next_page(client):
    response = client.get(URL, {"next": "/claims/a-claim/"})
    content = response.content.decode()
    assert response.status_code == 200
    assert 'name="username"' in content and 'name="email"' in content
    assert 'name="next" value="/claims/a-claim/"' in content


def test_it_signs_up_logs_in_and_returns_to_the_claim_page(client):
    claim = make_claim()
    page = claim.get_absolute_url()
    assert GATE in client.get(page).content.decode()

    response = client.post(URL, data(next=page))
    assert response.status_code == 302
    assert response["Location"] == page
    user = get_user_model().objects.get(username="newcomer")
    assert user.email == "newcomer@example.org"
    assert client.session["_auth_user_id"] == str(user.pk)

    content = client.get(page).content.decode()
    assert GATE not in content
    assert "Welcome, newcomer" in content


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/claims/", "//evil.example/", "javascript:alert(1)"]
)
def test_it_never_redirects_off_site(client, next_url):
    response = client.post(URL, data(next=next_url))
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_it_goes_home_without_a_next_page(client):
    assert client.post(URL, data())["Location"] == reverse("home")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"password1": "password", "password2": "password"}, "This password is too common."),
        ({"password1": "8412379065", "password2": "8412379065"}, "entirely numeric"),
        ({"password1": "short-1", "password2": "short-1"}, "too short"),
        ({"password2": "something-else-entirely"}, "The two password fields didn"),
        ({"email": ""}, "This field is required."),
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"username": "member"}, "A user with that username already exists."),
    ],
)
def test_it_refuses_bad_sign_ups_with_clear_errors(client, member, fields, message):
    response = client.post(URL, data(**fields))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not get_user_model().objects.filter(username="newcomer").exists()
    assert "_auth_user_id" not in client.session


def test_it_refuses_a_password_like_the_username(client):
    response = client.post(
        URL, data(username="newcomer42", password1="newcomer42", password2="newcomer42")
    )
    assert "too similar to the username" in response.content.decode()


def test_it_sends_members_who_are_already_in_on_their_way(member_client):
    response = member_client.get(URL, {"next": "/claims/a-claim/"})
    assert response.status_code == 302
    assert response["Location"] == "/claims/a-claim/"


def test_it_answers_an_empty_post_with_field_errors(client):
    response = client.post(URL, {})
    assert response.status_code == 200
    assert response.context["form"].is_bound
    assert "This field is required." in response.content.decode()


def test_it_limits_new_accounts_from_one_address_and_keeps_what_was_typed(client, settings):
    settings.SIGNUPS_PER_HOUR_PER_ADDRESS = 2
    for n in range(2):
        fresh = type(client)()
        response = fresh.post(URL, data(username=f"first{n}"), REMOTE_ADDR="192.0.2.1")
        assert response.status_code == 302
    refused = client.post(URL, data(username="third"), REMOTE_ADDR="192.0.2.1")
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "Too many new accounts have been made from your network" in html
    assert 'value="third"' in html
    assert not get_user_model().objects.filter(username="third").exists()
    elsewhere = client.post(URL, data(username="third"), REMOTE_ADDR="198.51.100.9")
    assert elsewhere.status_code == 302
