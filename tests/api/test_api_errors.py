"""Every /api/ path answers JSON: a 404 for what is no endpoint, a 405 for a method the API has
not, and a trailing-slash redirect a browser on another site may follow (CORS)."""

import pytest

from tests.factories import make_claim

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["/api/nope", "/api/nope/", "/api/claims/a/b/c/", "/api/schema/x/", "/api/%0A/"]
)
def test_it_answers_an_unknown_path_with_a_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["status"] == 404
    assert data["error"].startswith("Nothing is at /api/")
    assert "http://testserver/api/" in data["error"]
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("path", ["/api/nope/", "/api/claims/", "/api/studies/10.1000/x/"])
@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "TRACE", "PROPFIND"])
def test_it_answers_any_other_method_with_a_json_405(client, path, method):
    response = client.generic(method, path)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert response.json() == {
        "error": "This API is read-only: use GET, HEAD or OPTIONS.",
        "status": 405,
    }


def test_it_redirects_to_the_slash_with_the_cors_header(client):
    make_claim()
    response = client.get("/api/claims?type=causal", headers={"Origin": "https://example.org"})
    assert response.status_code == 301
    assert response["Location"] == "/api/claims/?type=causal"
    assert response["Access-Control-Allow-Origin"] == "*"
    followed = client.get(response["Location"])
    assert followed.status_code == 200 and followed.json()["count"] == 1


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("/api", "/api/"),  # CommonMiddleware's APPEND_SLASH (outside api/urls.py)
        ("/api/studies/10.1000/x", "/api/studies/10.1000/x/"),
        ("/api/claims/a-claim", "/api/claims/a-claim/"),
    ],
)
def test_it_sends_the_cors_header_on_every_slash_redirect(client, path, location):
    response = client.get(path)
    assert response.status_code == 301
    assert response["Location"] == location
    assert response["Access-Control-Allow-Origin"] == "*"


def test_it_sends_the_cors_header_on_the_nul_refusal(client):
    response = client.get("/api/claims/", {"q": "a\x00b"})
    assert response.status_code == 400
    assert response["Access-Control-Allow-Origin"] == "*"
