"""The sitemap index and every section page against the sitemaps.org XSDs (tests/data), read
with lxml as a search engine's validator reads them."""

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import etree

from claims import sitemaps
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "data"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def schemas():
    return {
        name: etree.XMLSchema(etree.parse(str(DATA / f"{name}.xsd")))
        for name in ("sitemap", "siteindex")
    }


def valid(schemas, name: str, response) -> etree._Element:
    assert response.status_code == 200, response.status_code
    root = etree.fromstring(response.content)
    schema = schemas[name]
    assert schema.validate(root), [str(error) for error in schema.error_log]
    return root


def validate_every_page(client, schemas) -> list[str]:
    """Validate the index, then each page it lists; returns the pages' locations."""
    index = valid(schemas, "siteindex", client.get("/sitemap.xml"))
    pages = [node.findtext(f"{SITEMAP}loc") for node in index.iter(f"{SITEMAP}sitemap")]
    for page in pages:
        parts = urlsplit(page)
        valid(schemas, "sitemap", client.get(parts.path, query_string=parts.query))
    return pages


def test_it_validates_the_index_and_each_section_of_the_demo(client, demo, schemas):
    # A DOI with the characters a SICI carries: the <loc> must still be a valid anyURI.
    sici = make_study(doi="10.1002/(sici)1097-4571(199806)49:8<693::aid-asi4>3.0.co;2-0")
    link(demo.first(), sici)
    pages = validate_every_page(client, schemas)
    assert [urlsplit(page).path for page in pages] == [
        "/sitemap-pages.xml",
        "/sitemap-claims.xml",
        "/sitemap-studies.xml",
    ]


def test_it_validates_every_page_of_a_split_section(client, schemas, monkeypatch):
    monkeypatch.setattr(sitemaps.ClaimSitemap, "limit", 2)
    for number in range(5):
        link(make_claim(slug=f"claim-{number}"), make_study(doi=f"10.1000/s{number}"))
    pages = validate_every_page(client, schemas)
    assert sum("sitemap-claims.xml" in page for page in pages) == 3


def test_it_leaves_empty_sections_out_so_a_new_site_validates(client, schemas):
    # The XSD asks for at least one <url>: an empty section may not be listed.
    make_claim(slug="draft", status="draft")
    pages = validate_every_page(client, schemas)
    assert [urlsplit(page).path for page in pages] == ["/sitemap-pages.xml"]
    assert client.get("/sitemap-claims.xml").status_code == 404
    assert client.get("/sitemap-studies.xml").status_code == 404
