"""A NUL in a cookie or a header is a 400, never a 500 (issue 19: PostgreSQL refuses a NUL, so
a session cookie holding one broke every page), and the cookie that carried it is cleared so
the browser is not refused forever."""

import pytest
from django.conf import settings

PAGES = ["/", "/claims/", "/accounts/login/", "/api/claims/"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_a_nul_in_the_session_cookie_is_a_400_that_clears_it(client, path):
    client.cookies[settings.SESSION_COOKIE_NAME] = "abc\x00def"
    response = client.get(path)
    assert response.status_code == 400
    cleared = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cleared.value == "" and cleared["max-age"] == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "header", ["HTTP_USER_AGENT", "HTTP_ACCEPT_LANGUAGE", "HTTP_X_FORWARDED_FOR"]
)
def test_a_nul_in_a_header_is_a_400(client, header):
    response = client.post(
        "/accounts/login/", {"username": "a", "password": "b"}, **{header: "x\x00y"}
    )
    assert response.status_code == 400


@pytest.mark.django_db
def test_the_api_says_why_in_json(client):
    response = client.get("/api/claims/", HTTP_USER_AGENT="x\x00y")
    assert response.status_code == 400
    assert "NUL" in response.json()["error"]


@pytest.mark.django_db
def test_a_clean_request_passes(client):
    client.cookies["theme"] = "plain"
    assert client.get("/claims/", HTTP_USER_AGENT="Mozilla/5.0").status_code == 200
