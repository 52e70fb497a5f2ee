"""Friendly 403 pages: a refused CSRF check and a page the user may not open say what to do,
with no traceback or Django diagnostics, with DEBUG on or off."""

import pytest
from django.test import Client
from django.urls import reverse

DIAGNOSTICS = ("Traceback", "CSRF verification failed", "CSRF_FAILURE_VIEW", "settings.py", "Help")


@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize(
    ("name", "signed_in"), [("login", False), ("password_reset", False), ("logout", True)]
)
def test_it_answers_a_form_without_its_csrf_token_with_a_friendly_403(
    settings, member, debug, name, signed_in
):
    settings.DEBUG = debug
    client = Client(enforce_csrf_checks=True)
    if signed_in:
        client.force_login(member)
    response = client.post(reverse(name), {"username": "member", "password": "x"})
    html = response.content.decode()
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
    assert "We couldn't accept that form" in html
    assert "reload the page" in html
    assert not [text for text in DIAGNOSTICS if text in html]


def test_it_renders_the_csrf_page_without_the_database():
    """Like the 500 page: no django_db mark, so any query here would fail the test."""
    from django.test import RequestFactory

    from config.middleware import csrf_failure

    response = csrf_failure(RequestFactory().post("/"), reason="CSRF cookie not set.")
    assert response.status_code == 403
    assert "CSRF cookie not set" not in response.content.decode()


@pytest.mark.parametrize("debug", [True, False])
def test_it_answers_a_page_the_user_may_not_open_with_a_friendly_403(
    settings, django_user_model, debug
):
    settings.DEBUG = debug
    staff = django_user_model.objects.create_user("helper", "h@example.org", "pw", is_staff=True)
    client = Client()
    client.force_login(staff)
    response = client.get(reverse("admin:claims_claim_add"))  # staff, but no permissions
    html = response.content.decode()
    assert response.status_code == 403
    assert "You can't open this page" in html and "helper" in html
    assert "Traceback" not in html and "PermissionDenied" not in html
