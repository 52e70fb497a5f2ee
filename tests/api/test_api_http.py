"""The API's HTTP behaviour: ETags and conditional GET, CORS, read-only."""

import pytest

from tests.factories import make_claim

pytestmark = pytest.mark.django_db

URLS = ["/api/", "/api/claims/", "/api/claims/a-claim/", "/api/studies/"]


@pytest.fixture(autouse=True)
def claim():
    return make_claim()


@pytest.mark.parametrize("url", URLS)
def test_it_answers_304_when_the_etag_matches(client, url):
    first = client.get(url)
    etag = first["ETag"]
    assert etag.startswith('"') and etag.endswith('"')
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again["Access-Control-Allow-Origin"] == "*"


def test_it_changes_the_etag_when_the_data_changes(client, claim):
    etag = client.get("/api/claims/a-claim/")["ETag"]
    claim.summary = "Now with a summary."
    claim.save()
    response = client.get("/api/claims/a-claim/", headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag


@pytest.mark.parametrize("url", URLS)
def test_it_allows_any_origin_to_read(client, url):
    response = client.get(url, headers={"Origin": "https://example.org"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert client.head(url)["Access-Control-Allow-Origin"] == "*"


def test_it_answers_a_preflight(client):
    response = client.options(
        "/api/claims/",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"},
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_it_is_read_only(client, method):
    response = getattr(client, method)("/api/claims/")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert response.json()["error"] == "This API is read-only: use GET, HEAD or OPTIONS."
    assert "Access-Control-Allow-Origin" not in response


def test_it_answers_a_preflight_for_the_claim_json(client):
    """A script sending If-None-Match asks first: 204 as the API answers, not a 405 page."""
    response = client.options(
        "/claims/a-claim.json",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "If-None-Match",
        },
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "If-None-Match" in response["Access-Control-Allow-Headers"]
    assert response["Access-Control-Max-Age"] == "86400"


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_it_keeps_the_claim_json_read_only_with_a_json_405(method):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)  # a 405, not the CSRF page's 403
    response = getattr(client, method)("/claims/a-claim.json")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert response.json()["error"] == "This API is read-only: use GET, HEAD or OPTIONS."


def test_it_sends_cors_headers_only_under_api_and_on_the_claim_json(client, claim):
    assert "Access-Control-Allow-Origin" not in client.get(claim.get_absolute_url())
    assert client.get("/claims/a-claim.json")["Access-Control-Allow-Origin"] == "*"


def test_it_differs_from_the_json_page_only_in_layout_and_headers(client, editor_client):
    """The data is the same; the bytes are not (the page is indented for people to read), and
    the page lets an editor see a draft, which nobody may keep a copy of."""
    api = client.get("/api/claims/a-claim/")
    page = client.get("/claims/a-claim.json")
    assert api.json() == page.json()
    assert api.content != page.content
    assert page.content.startswith(b'{\n  "slug"')  # indented for people to read
    assert b"\n" not in api.content
    for response in (api, page):
        assert response["Cache-Control"] == "public, max-age=60"
        assert response["Access-Control-Allow-Origin"] == "*"
        assert response["Last-Modified"] and response["ETag"]
    assert api["ETag"] != page["ETag"]  # not the same bytes
    make_claim(slug="draft", status="draft")
    draft = editor_client.get("/claims/draft.json")
    assert draft.status_code == 200
    assert draft["Cache-Control"] == "private, no-store"
    assert editor_client.get("/api/claims/draft/").status_code == 404
