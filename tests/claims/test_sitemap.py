"""/sitemap.xml (an index) and its paginated sections /sitemap-<section>.xml?p=N."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from claims import sitemaps
from claims.models import Claim
from studies.models import Study
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
REFALO = "10.1080/02640414.2024.2321021"


def locations(response, tag="url"):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    root = ET.fromstring(response.content)
    return [node.find(f"{SITEMAP}loc").text for node in root.findall(f"{SITEMAP}{tag}")]


def test_it_serves_an_index_of_its_sections(client, demo):
    response = client.get("/sitemap.xml")
    assert ET.fromstring(response.content).tag == f"{SITEMAP}sitemapindex"
    assert locations(response, "sitemap") == [
        "http://testserver/sitemap-pages.xml",
        "http://testserver/sitemap-claims.xml",
        "http://testserver/sitemap-studies.xml",
    ]


def test_it_lists_pages_published_claims_and_studies_that_inform_them(client, demo):
    demo = list(demo)
    make_claim(slug="draft", status="draft")
    link(make_claim(slug="hidden", status="draft"), make_study(doi="10.1000/draft-only"))
    link(make_claim(slug="pending"), make_study(doi="10.1000/pending"), status="pending")
    make_study(doi="10.1000/unlinked")
    link(make_claim(slug="no-doi"), make_study(title="No DOI"))
    assert locations(client.get("/sitemap-pages.xml")) == [
        "http://testserver/",
        "http://testserver/claims/",
        "http://testserver/about/scoring/",
    ]
    claims = locations(client.get("/sitemap-claims.xml"))
    published = Claim.objects.published().order_by("pk")
    assert claims == [f"http://testserver{claim.get_absolute_url()}" for claim in published]
    assert "http://testserver/claims/draft/" not in claims
    studies = locations(client.get("/sitemap-studies.xml"))
    assert f"http://testserver/studies/{REFALO}/" in studies
    informing = Study.objects.filter(evidence__claim__in=demo).exclude(doi="").distinct()
    assert sorted(studies) == sorted(
        f"http://testserver{study.get_absolute_url()}" for study in informing
    )
    assert not any("/studies/id/" in url for url in studies)


def test_it_dates_a_claim_by_its_last_change(client):
    claim = make_claim()
    evidence = link(claim, make_study(doi="10.1000/x"))
    long_ago = timezone.now() - datetime.timedelta(days=60)
    Claim.objects.filter(pk=claim.pk).update(
        updated_at=long_ago, content_changed_at=long_ago, scored_at=None
    )
    root = ET.fromstring(client.get("/sitemap-claims.xml").content)
    assert root.find(f"{SITEMAP}url/{SITEMAP}lastmod").text == long_ago.date().isoformat()
    evidence.finding = "Y rose."
    evidence.save()
    root = ET.fromstring(client.get("/sitemap-claims.xml").content)
    assert root.find(f"{SITEMAP}url/{SITEMAP}lastmod").text == timezone.now().date().isoformat()


def test_it_splits_a_large_section_into_pages_listed_in_the_index(client, monkeypatch):
    monkeypatch.setattr(sitemaps.ClaimSitemap, "limit", 2)
    for i in range(5):
        make_claim(slug=f"c{i}")
    index = locations(client.get("/sitemap.xml"), "sitemap")
    assert [url for url in index if "claims" in url] == [
        "http://testserver/sitemap-claims.xml",
        "http://testserver/sitemap-claims.xml?p=2",
        "http://testserver/sitemap-claims.xml?p=3",
    ]
    assert locations(client.get("/sitemap-claims.xml", {"p": 3})) == [
        "http://testserver/claims/c4/"
    ]
    assert client.get("/sitemap-claims.xml", {"p": 4}).status_code == 404
    assert client.get("/sitemap-claims.xml", {"p": "x"}).status_code == 404
    assert client.get("/sitemap-nope.xml").status_code == 404


def test_it_keeps_each_page_within_the_protocols_limit():
    for sitemap in sitemaps.SITEMAPS.values():
        assert sitemap.limit <= 50_000


def test_it_reads_the_index_in_a_flat_number_of_queries(client, django_assert_max_num_queries):
    study = make_study(doi="10.1000/shared")
    for i in range(30):
        link(make_claim(slug=f"c{i}"), study)
    # the "claims changed" version (the cache key); claims: count, latest change; studies:
    # count, latest change
    with django_assert_max_num_queries(5):
        client.get("/sitemap.xml")


def test_it_puts_locations_on_site_url_when_set(client, demo, settings, monkeypatch):
    settings.ALLOWED_HOSTS = ["mirror.example.net"]
    settings.SITE_URL = "https://claims.example.org"
    monkeypatch.setattr(sitemaps.ClaimSitemap, "limit", 2)

    def get(url, **params):
        return client.get(url, params, headers={"Host": "mirror.example.net"})

    assert locations(get("/sitemap.xml"), "sitemap") == [
        "https://claims.example.org/sitemap-pages.xml",
        "https://claims.example.org/sitemap-claims.xml",
        "https://claims.example.org/sitemap-claims.xml?p=2",
        "https://claims.example.org/sitemap-claims.xml?p=3",
        "https://claims.example.org/sitemap-studies.xml",
    ]
    claims = locations(get("/sitemap-claims.xml")) + locations(get("/sitemap-claims.xml", p=3))
    assert len(claims) == 3
    assert all(url.startswith("https://claims.example.org/claims/") for url in claims)
    assert locations(get("/sitemap-pages.xml"))[0] == "https://claims.example.org/"
    studies = locations(get("/sitemap-studies.xml"))
    assert studies and all(url.startswith("https://claims.example.org/studies/") for url in studies)


def test_it_keeps_the_robots_header_and_the_404s_of_djangos_views(client):
    make_claim(slug="c0")
    for url in ("/sitemap.xml", "/sitemap-claims.xml"):
        assert client.get(url)["X-Robots-Tag"] == "noindex, noodp, noarchive"
    assert client.get("/sitemap-claims.xml", {"p": 2}).status_code == 404
