"""/feeds/claims.atom, /sitemap.xml, and the claim page's canonical URL and Open Graph tags."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from claims.models import Claim
from tests.conftest import make_claim, make_study

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_it_serves_an_atom_feed_of_published_claims(client, demo):
    response = client.get("/feeds/claims.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 5
    links = {entry.find(f"{ATOM}link").get("href") for entry in entries}
    assert links == {f"http://testserver{claim.get_absolute_url()}" for claim in demo}
    title = entries[0].find(f"{ATOM}title").text
    assert any(title.startswith(f"{claim.verdict}: ") for claim in demo)


def test_it_puts_re_scored_claims_first_with_their_score_time(client):
    long_ago = timezone.now() - datetime.timedelta(days=60)
    old = make_claim(slug="old", plain_statement="Old <b>claim</b>")
    make_claim(slug="newer")
    make_claim(slug="draft", status="draft")
    rescored_at = timezone.now() + datetime.timedelta(minutes=5)
    Claim.objects.filter(slug="old").update(
        created_at=long_ago, updated_at=long_ago, scored_at=rescored_at
    )
    feed = ET.fromstring(client.get("/feeds/claims.atom").content)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}link").get("href") for e in entries] == [
        "http://testserver/claims/old/",
        "http://testserver/claims/newer/",
    ]
    updated = datetime.datetime.fromisoformat(entries[0].find(f"{ATOM}updated").text)
    assert abs(updated - rescored_at) < datetime.timedelta(seconds=1)
    published = datetime.datetime.fromisoformat(entries[0].find(f"{ATOM}published").text)
    assert abs(published - long_ago) < datetime.timedelta(seconds=1)
    assert entries[0].find(f"{ATOM}title").text == f"{old.verdict}: Old <b>claim</b>"


def test_it_escapes_html_in_entry_summaries(client):
    make_claim(statement="X <script>alert(1)</script> Y")
    summary = ET.fromstring(client.get("/feeds/claims.atom").content).find(
        f"{ATOM}entry/{ATOM}summary"
    )
    # The XML text is the HTML a reader renders: the tag stays escaped text.
    assert "&lt;script&gt;" in summary.text


def test_it_serves_a_sitemap(client, demo):
    demo = list(demo)
    make_claim(slug="draft", status="draft")
    make_study(title="No DOI")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    urls = {
        url.find(f"{SITEMAP}loc").text
        for url in ET.fromstring(response.content).findall(f"{SITEMAP}url")
    }
    assert "http://testserver/" in urls
    assert "http://testserver/claims/" in urls
    for claim in demo:
        assert f"http://testserver{claim.get_absolute_url()}" in urls
    assert "http://testserver/claims/draft/" not in urls
    assert "http://testserver/studies/10.1080/02640414.2024.2321021/" in urls
    assert not any("/studies/id/" in url for url in urls)


def test_it_gives_claim_pages_a_canonical_url_and_open_graph_tags(client, demo):
    claim = demo.get(slug="failure-fatigue-adds-no-hypertrophy")
    html = client.get(claim.get_absolute_url(), {"wording": "scientific"}).content.decode()
    url = f"http://testserver{claim.get_absolute_url()}"
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="When lifting weights, pushing muscles' in html
    assert f'<meta property="og:description" content="{claim.verdict} (Pro ' in html
    assert 'type="application/atom+xml"' in html
