"""With SITE_URL set, every absolute URL the API and the claim JSON give is on it, whatever
host the request came to."""

import pytest
from django.urls import reverse

from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db

SITE = "https://claims.example.org"


@pytest.fixture
def site(settings):
    settings.ALLOWED_HOSTS = ["claims.example.org", "mirror.example.net"]
    settings.SITE_URL = SITE


@pytest.fixture
def claim():
    claim = make_claim(slug="on-site")
    link(claim, make_study(doi="10.1000/site", title="With a DOI"))
    link(claim, make_study(title="Without a DOI"))
    return claim


def get(client, url, **params):
    response = client.get(url, params, headers={"Host": "mirror.example.net"})
    assert response.status_code == 200, response.content
    return response.json()


def all_urls(data) -> list[str]:
    """Every string in the JSON that looks like an absolute URL."""
    if isinstance(data, dict):
        return [url for value in data.values() for url in all_urls(value)]
    if isinstance(data, list):
        return [url for value in data for url in all_urls(value)]
    is_url = isinstance(data, str) and data.startswith(("http://", "https://"))
    return [data] if is_url and "doi.org" not in data else []


def test_it_puts_the_claim_json_and_its_studies_on_site_url(client, site, claim):
    for name in ("claim-json", "api-claim"):
        data = get(client, reverse(name, args=[claim.slug]))
        assert data["url"] == f"{SITE}/claims/on-site/"
        assert f"{SITE}/studies/10.1000/site/" in [e["study"]["url"] for e in data["evidence"]]
        urls = all_urls(data)
        assert len(urls) == 3  # the claim and its two studies
        assert all(url.startswith(f"{SITE}/") for url in urls), urls


def test_it_puts_the_api_lists_and_their_pages_on_site_url(client, site, claim):
    make_claim(slug="second")
    claims = get(client, "/api/claims/", page_size=1)
    assert claims["results"][0]["api_url"].startswith(f"{SITE}/api/claims/")
    assert claims["next"] == f"{SITE}/api/claims/?page_size=1&page=2"
    studies = get(client, "/api/studies/")
    urls = all_urls(claims) + all_urls(studies)
    assert len(urls) == 3 + 4  # list: url, api_url, next; studies: url, api_url each
    assert all(url.startswith(f"{SITE}/") for url in urls), urls


def test_it_puts_a_study_and_its_claims_on_site_url(client, site, claim):
    data = get(client, "/api/studies/10.1000/site/")
    assert data["api_url"] == f"{SITE}/api/studies/10.1000/site/"
    assert data["claims"][0]["url"] == f"{SITE}/claims/on-site/"
    assert data["claims"][0]["api_url"] == f"{SITE}/api/claims/on-site/"
    assert all(url.startswith(f"{SITE}/") for url in all_urls(data))


def test_it_puts_the_index_on_site_url(client, site):
    data = get(client, "/api/")
    assert data["claims"] == f"{SITE}/api/claims/"
    assert data["sitemap"] == f"{SITE}/sitemap.xml"
    assert data["schema"] == f"{SITE}/api/schema/"
    assert data["dumps"] == f"{SITE}/api/dumps/"
    assert len(all_urls(data)) == 6


def test_it_uses_the_requested_host_without_site_url(client, settings, claim):
    settings.ALLOWED_HOSTS = ["mirror.example.net"]
    settings.SITE_URL = ""
    data = get(client, reverse("api-claim", args=[claim.slug]))
    assert data["url"] == "http://mirror.example.net/claims/on-site/"
