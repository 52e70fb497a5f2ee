"""Log in, log out, password change and reset: Django's views with our templates."""

import re

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db

RESET = reverse("password_reset")


def test_it_links_the_login_page_to_sign_up_and_reset(client):
    content = client.get(reverse("login"), {"next": "/claims/a-claim/"}).content.decode()
    assert f"{reverse('signup')}?next=/claims/a-claim/" in content
    assert reverse("password_reset") in content


def test_it_logs_a_member_in_and_back_to_the_page(client, member):
    response = client.post(
        reverse("login"),
        {"username": "member", "password": "pw-member-1", "next": "/claims/a-claim/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/claims/a-claim/"


def test_it_logs_out_on_post(member_client):
    response = member_client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in member_client.session


def test_it_asks_for_login_before_changing_a_password(client):
    url = reverse("password_change")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_it_changes_a_password(member_client, member):
    response = member_client.post(
        reverse("password_change"),
        {
            "old_password": "pw-member-1",
            "new_password1": "another-long-passphrase",
            "new_password2": "another-long-passphrase",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("password_change_done")
    assert "Password changed" in response.content.decode()
    member.refresh_from_db()
    assert member.check_password("another-long-passphrase")


@pytest.mark.parametrize("url_name", ["password_reset", "password_reset_done"])
def test_it_shows_the_reset_pages_to_anyone(client, url_name):
    assert client.get(reverse(url_name)).status_code == 200


def test_it_says_the_same_for_known_and_unknown_emails(client, member):
    known = client.post(RESET, {"email": "member@example.org"}, follow=True)
    unknown = client.post(RESET, {"email": "nobody@example.org"}, follow=True)
    done = [(reverse("password_reset_done"), 302)]
    assert known.redirect_chain == unknown.redirect_chain == done
    assert without_tokens(known) == without_tokens(unknown)
    assert "If an account uses that address" in known.content.decode()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["member@example.org"]


def without_tokens(response) -> str:
    return re.sub(r'"X-CSRFToken": "\w+"', "", response.content.decode())


def test_it_resets_a_password_from_the_emailed_link(client, member):
    client.post(RESET, {"email": "member@example.org"})
    (message,) = mail.outbox
    assert message.subject == "Reset your Evidence Claims password"
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_url,
        {"new_password1": "a-fresh-passphrase-9", "new_password2": "a-fresh-passphrase-9"},
        follow=True,
    )
    assert "Password set" in response.content.decode()
    member.refresh_from_db()
    assert member.check_password("a-fresh-passphrase-9")


def test_it_explains_an_expired_reset_link(client):
    response = client.get(reverse("password_reset_confirm", args=["MQ", "bad-token"]))
    assert "This link has expired" in response.content.decode()
