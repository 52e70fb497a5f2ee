"""/robots.txt, /.well-known/security.txt and /favicon.ico: what crawlers and browsers ask for."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

pytestmark = pytest.mark.django_db

STATIC = Path(django_settings.BASE_DIR) / "static"


def lines_of(response) -> list[str]:
    return response.content.decode().splitlines()


def test_it_serves_robots_txt_as_plain_text(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = lines_of(response)
    assert lines[0] == "User-agent: *"
    for path in ("/admin/", "/accounts/", "/claims/?", "/*?q=", "/claims/*/export."):
        assert f"Disallow: {path}" in lines


def test_it_names_the_sitemap_absolutely(client, settings):
    settings.SITE_URL = "https://claims.example.org"
    lines = lines_of(client.get("/robots.txt"))
    assert "Sitemap: https://claims.example.org/sitemap.xml" in lines


def test_it_names_the_sitemap_on_the_request_host_without_site_url(client, settings):
    settings.SITE_URL = ""
    lines = lines_of(client.get("/robots.txt"))
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_it_leaves_claim_pages_and_the_sitemap_crawlable(client):
    disallowed = [
        line.split(": ", 1)[1]
        for line in lines_of(client.get("/robots.txt"))
        if line.startswith("Disallow: ")
    ]
    # robots.txt rules are prefixes (with * for any run of characters).
    patterns = [re.compile(re.escape(rule).replace(r"\*", ".*")) for rule in disallowed]
    for path in ("/", "/claims/", "/claims/a-claim/", "/sitemap.xml", "/about/scoring/"):
        assert not any(pattern.match(path) for pattern in patterns), path
    for path in ("/claims/?q=creatine", "/claims/?topic=Strength", "/claims/a-claim/export.bib"):
        assert any(pattern.match(path) for pattern in patterns), path


def test_it_answers_a_post_to_robots_txt_with_405(client):
    assert client.post("/robots.txt").status_code == 405


def test_it_serves_security_txt(client, settings):
    settings.SITE_URL = "https://claims.example.org"
    settings.SECURITY_CONTACT = ""
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    fields = dict(line.split(": ", 1) for line in lines_of(response))
    assert fields["Contact"] == "mailto:security@claims.example.org"
    assert fields["Canonical"] == "https://claims.example.org/.well-known/security.txt"
    assert fields["Preferred-Languages"] == "en"
    expires = datetime.datetime.strptime(fields["Expires"], "%Y-%m-%dT%H:%M:%SZ")
    ahead = expires.replace(tzinfo=datetime.UTC) - timezone.now()
    # RFC 9116: required, and less than a year ahead.
    assert datetime.timedelta(days=360) < ahead < datetime.timedelta(days=365)


def test_it_takes_the_security_contact_from_settings(client, settings):
    settings.SECURITY_CONTACT = "https://claims.example.org/security/"
    lines = lines_of(client.get("/.well-known/security.txt"))
    assert "Contact: https://claims.example.org/security/" in lines


def test_it_mails_security_at_the_request_host_without_site_url(client, settings):
    settings.SITE_URL, settings.SECURITY_CONTACT = "", ""
    settings.ALLOWED_HOSTS = ["claims.example.net"]
    response = client.get("/.well-known/security.txt", HTTP_HOST="claims.example.net")
    assert "Contact: mailto:security@claims.example.net" in lines_of(response)


@pytest.mark.parametrize(
    "site_url", ["http://127.0.0.1:8000", "http://localhost:8000", "http://[::1]:8000", ""]
)
def test_it_falls_back_to_the_from_address_on_a_host_with_no_mailbox(client, settings, site_url):
    """security@127.0.0.1 (or @localhost, or @testserver, the request's host here) reaches no
    one: with no SECURITY_CONTACT, a site on such a host gives DEFAULT_FROM_EMAIL, the address
    its own mail comes from, the one a reader can already answer."""
    settings.SITE_URL, settings.SECURITY_CONTACT = site_url, ""
    settings.DEFAULT_FROM_EMAIL = "Evidence Claims <team@claims.example.org>"
    lines = lines_of(client.get("/.well-known/security.txt"))
    assert "Contact: mailto:team@claims.example.org" in lines


def test_it_serves_favicon_ico_as_an_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    data = b"".join(response.streaming_content) if response.streaming else response.content
    assert data == (STATIC / "img" / "favicon.ico").read_bytes()
    # An ICO header (reserved 0, type 1, one image) whose one 32x32 image is a PNG.
    assert data[:6] == b"\x00\x00\x01\x00\x01\x00" and data[6:8] == b"\x20\x20"
    offset = int.from_bytes(data[18:22], "little")
    png = data[offset:]
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) == int.from_bytes(data[14:18], "little")
    assert (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")) == (32, 32)
    assert "max-age" in response["Cache-Control"]
    assert client.head("/favicon.ico").status_code == 200
    assert client.post("/favicon.ico").status_code == 405


def test_it_links_the_icon_from_every_page(client):
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in html


def test_the_share_image_is_a_1200_by_630_png():
    data = (STATIC / "img" / "og-card.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1200, 630)
