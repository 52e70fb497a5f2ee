"""The study page as reference managers and search engines read it: Highwire citation_* meta
(Google Scholar, Zotero's Embedded Metadata translator), schema.org JSON-LD expanded with PyLD,
a canonical link and its own description, and one DOI string for Zotero's DOI translator."""

import json

import pytest
from lxml import html as lxml_html

from studies.citation_meta import page_range
from tests.factories import make_study
from tests.jsonld import expand, values
from tests.zotero_doi import zotero_dois

pytestmark = pytest.mark.django_db

SCHEMA = "https://schema.org/"


@pytest.fixture
def article():
    return make_study(
        doi="10.1000/refalo.2024",
        title="Similar muscle hypertrophy",
        subtitle="failure versus 1-2 RIR",
        authors="Refalo, Martin C.; King, Martin Luther, Jr.; Hypertrophy Research Group",
        journal="Journal of Sports Sciences",
        year=2024,
        volume="42",
        issue="1",
        pages="85–101",
        issn="0264-0414, 1466-447X",
        pmid="38394044",
        work_type="journal-article",
    )


def head_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return lxml_html.document_fromstring(response.content).find("head")


def metas(head) -> list[tuple[str, str]]:
    return [(m.get("name"), m.get("content")) for m in head.iter("meta") if m.get("name")]


def jsonld_of(head) -> dict:
    (script,) = head.xpath("script[@type='application/ld+json']")
    return json.loads(script.text)


def test_it_splits_a_page_range():
    assert page_range("85–101") == ("85", "101")
    assert page_range("85 - 101") == ("85", "101")
    assert page_range("e15679") == ("e15679", "")
    assert page_range("") == ("", "")


def test_the_zotero_emulator_reads_text_and_links_as_the_translator_does():
    page = """<html><head><script>10.1000/in-script</script></head><body>
    <p>See 10.1000/ABC, and (10.1000/x).</p><a href="/studies/10.1000/abc/">a</a>
    <a href="https://doi.org/10.1000/abc">b</a><!-- 10.1000/comment --></body></html>"""
    assert zotero_dois(page) == ["10.1000/ABC", "10.1000/x", "10.1000/abc/", "10.1000/abc"]


def test_it_gives_highwire_citation_tags(client, article):
    tags = [
        tag for tag in metas(head_of(client, article.get_absolute_url())) if "citation_" in tag[0]
    ]
    assert tags == [
        ("citation_title", "Similar muscle hypertrophy: failure versus 1-2 RIR"),
        ("citation_author", "Refalo, Martin C."),
        # The suffix after the given names: Zotero's cleanAuthor takes the second comma part
        # as the given name and drops the rest ("King, Martin Luther, Jr." lost the "Jr.").
        ("citation_author", "King, Martin Luther Jr."),
        ("citation_author", "Hypertrophy Research Group"),
        ("citation_publication_date", "2024"),
        ("citation_journal_title", "Journal of Sports Sciences"),
        ("citation_volume", "42"),
        ("citation_issue", "1"),
        ("citation_firstpage", "85"),
        ("citation_lastpage", "101"),
        ("citation_issn", "0264-0414"),
        ("citation_issn", "1466-447X"),
        ("citation_doi", "10.1000/refalo.2024"),
        ("citation_pmid", "38394044"),
    ]


def test_it_names_a_chapters_book_and_leaves_out_what_is_missing(client):
    chapter = make_study(title="A chapter", journal="The Big Book", work_type="book-chapter")
    tags = dict(metas(head_of(client, chapter.get_absolute_url())))
    assert tags["citation_inbook_title"] == "The Big Book"  # Google Scholar
    assert tags["citation_book_title"] == "The Big Book"  # Zotero
    assert "citation_journal_title" not in tags
    assert "citation_doi" not in tags and "citation_volume" not in tags


def test_it_has_a_canonical_url_and_its_own_description(client, settings, article):
    settings.SITE_URL = "https://evidence.example"
    canonical = "https://evidence.example/studies/10.1000/refalo.2024/"
    for url in (article.get_absolute_url(), article.link_url, f"/studies/id/{article.pk}/"):
        head = head_of(client, url)
        assert head.xpath("link[@rel='canonical']/@href") == [canonical]
        og = {m.get("property"): m.get("content") for m in head.iter("meta") if m.get("property")}
        assert og["og:type"] == "article" and og["og:url"] == canonical
        assert og["og:title"] == "Similar muscle hypertrophy"
    description = dict(metas(head))["description"]
    assert description == (
        "Design, size and the claims this study informs: Similar muscle hypertrophy: failure "
        "versus 1-2 RIR (Refalo et al. 2024)."
    )


def test_it_publishes_a_scholarly_article_that_expands(client, settings, article):
    settings.SITE_URL = "https://evidence.example"
    (node,) = expand(jsonld_of(head_of(client, article.get_absolute_url())))
    assert node["@type"] == [SCHEMA + "ScholarlyArticle"]
    assert node["@id"] == "https://evidence.example/studies/10.1000/refalo.2024/"
    assert values([node], "headline") == ["Similar muscle hypertrophy: failure versus 1-2 RIR"]
    assert values([node], "author", "name") == [
        "Martin C. Refalo",
        "Martin Luther King, Jr.",
        "Hypertrophy Research Group",
    ]
    assert values([node], "author", "familyName") == ["Refalo", "King"]
    assert values([node], "author", "givenName") == ["Martin C.", "Martin Luther"]
    assert values([node], "author", "honorificSuffix") == ["Jr."]
    authors = node[SCHEMA + "author"]
    assert [a["@type"] for a in authors] == [
        [SCHEMA + "Person"],
        [SCHEMA + "Person"],
        [SCHEMA + "Organization"],
    ]
    assert values([node], "datePublished") == ["2024"]
    assert values([node], "isPartOf", "issueNumber") == ["1"]
    assert values([node], "isPartOf", "isPartOf", "volumeNumber") == ["42"]
    periodical = values([node], "isPartOf", "isPartOf", "isPartOf", "name")
    assert periodical == ["Journal of Sports Sciences"]
    issns = values([node], "isPartOf", "isPartOf", "isPartOf", "issn")
    assert issns == ["0264-0414", "1466-447X"]
    assert values([node], "pageStart") == ["85"] and values([node], "pageEnd") == ["101"]
    assert values([node], "pagination") == ["85–101"]
    assert values([node], "sameAs") == ["https://doi.org/10.1000/refalo.2024"]
    assert values([node], "identifier", "value") == ["10.1000/refalo.2024", "38394044"]


def test_it_types_a_book_as_a_book(client):
    book = make_study(title="A whole book", work_type="book", authors="Doe, Jane")
    (node,) = expand(jsonld_of(head_of(client, book.get_absolute_url())))
    assert node["@type"] == [SCHEMA + "Book"]


def test_its_jsonld_cannot_close_the_script(client):
    title = 'Less </script><script>alert(1)</script> & "more"'
    study = make_study(doi="10.1000/script", title=title)
    page = client.get(study.get_absolute_url()).content.decode()
    script = page.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert "<" not in script and "&" not in script.replace("\\u0026", "")
    assert json.loads(script)["name"] == title


def test_zotero_finds_the_one_doi_of_a_study_page(client, article):
    for url in (article.get_absolute_url(), article.link_url, "/studies/10.1000/REFALO.2024/"):
        assert zotero_dois(client.get(url).content) == ["10.1000/refalo.2024"]


def test_zotero_finds_only_the_reviews_own_doi_on_its_page(client):
    review = make_study(doi="10.1000/review", title="The review", design="meta_analysis_rct")
    for n in range(2):
        make_study(doi=f"10.1000/trial{n}", title=f"Trial {n}").pooled_in.add(review)
    page = client.get(review.get_absolute_url()).content
    assert zotero_dois(page) == ["10.1000/review"]
    assert b"Trial 0" in page and b"Trial 1" in page


def test_it_serves_the_page_at_both_addresses(client, article):
    assert article.link_url == "/studies/10.1000/refalo.2024"
    assert client.get("/studies/10.1000/refalo.2024/").status_code == 200
    assert client.get("/studies/10.1000/refalo.2024").status_code == 200
    assert client.get("/studies/10.1000/unknown").status_code == 404


SICI = "10.1002/(sici)1097-4636(199606)31:2<217::aid-jbm9>3.0.co;2-n"


def test_a_sici_doi_has_one_form_in_every_href_of_its_page(client):
    """Every href holds the DOI encoded by one rule (studies.doi.quote_doi): the doi.org links,
    the study's own links and the sign-up and log-in `next`, which is not encoded twice (it
    was "%253C"). Zotero's DOI translator (as emulated) stops at the "<" in the page's text,
    so it also sees the DOI's first part, "10.1002/(sici)1097-4636(199606)31:2": that text
    cannot match an href, where "<" must be "%3C"; it is the DOI as printed, kept readable."""
    study = make_study(doi=SICI)
    encoded = "10.1002/(sici)1097-4636(199606)31:2%3C217::aid-jbm9%3E3.0.co%3B2-n"
    assert study.doi_url == f"https://doi.org/{encoded}"
    assert study.link_url == f"/studies/{encoded}"
    assert study.get_absolute_url() == f"/studies/{encoded}/"
    for url in (study.link_url, study.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200
        hrefs = lxml_html.document_fromstring(response.content).xpath("//a/@href")
        assert f"/accounts/login/?next=/studies/{encoded}" in hrefs
        assert zotero_dois(response.content) == ["10.1002/(sici)1097-4636(199606)31:2", encoded]


def test_the_next_link_still_brings_a_reader_back_to_the_sici_study(client, django_user_model):
    study = make_study(doi=SICI)
    page = lxml_html.document_fromstring(client.get(study.link_url).content)
    [login] = [href for href in page.xpath("//a/@href") if href.startswith("/accounts/login/")]
    django_user_model.objects.create_user("reader", password="a-long-password-1")
    response = client.post(
        login, {"login": "reader", "username": "reader", "password": "a-long-password-1"}
    )
    assert response.status_code == 302
    assert client.get(response["Location"]).context["study"] == study


def test_a_retracted_study_offers_its_notice_as_its_own_canonical_doi(client):
    """Decision: a retraction notice is a document of its own (Crossref registers it with its
    own DOI and metadata), so offering it to Zotero beside the study is right; what must not
    happen is a second form of either. The notice's DOI is shown and linked in its canonical
    form (lower case, no resolver prefix, encoded by the DOI rule), whatever the editor typed,
    so the page holds the study's DOI once and the notice's once."""
    study = make_study(
        doi="10.1000/retracted.1",
        retraction_status="retracted",
        retraction_notice_doi="https://doi.org/10.1000/NOTICE.(1)",
    )
    assert study.retraction_notice_doi == "10.1000/notice.(1)"
    page = client.get(study.link_url).content
    assert zotero_dois(page) == ["10.1000/notice.(1)", "10.1000/retracted.1"]
    assert b"NOTICE" not in page
