"""The claim page for reference managers: a COinS context object per study (Zotero's COinS
translator reads them), and one string per study's DOI for Zotero's DOI translator, which
scans the page's text and links (no upper-case copy, none with a trailing "/", no example DOI
in a form)."""

from urllib.parse import parse_qs

import pytest
from lxml import html as lxml_html

from claims.models import Claim
from tests.factories import link, make_claim, make_study
from tests.zotero_doi import zotero_dois

pytestmark = pytest.mark.django_db


def coins_of(page: bytes) -> list[dict[str, list[str]]]:
    root = lxml_html.document_fromstring(page)
    return [parse_qs(span.get("title"), strict_parsing=True) for span in root.find_class("Z3988")]


@pytest.fixture
def claim():
    claim = make_claim()
    article = make_study(
        doi="10.1000/ABC.1",
        title="Failure & fatigue",
        subtitle="a trial",
        authors="Refalo, Martin C.; King, Martin Luther, Jr.",
        journal="J Sports Sci",
        year=2024,
        volume="42",
        issue="1",
        pages="85–101",
        issn="0264-0414, 1466-447X",
    )
    book = make_study(title="The Big Book", authors="Doe, Jane", work_type="book", year=2020)
    link(claim, article)
    link(claim, book)
    return claim


def test_it_gives_each_study_a_coins_object(member_client, claim):
    page = member_client.get(claim.get_absolute_url()).content
    book, article = sorted(coins_of(page), key=lambda kev: kev["rft_val_fmt"])
    assert article == {
        "ctx_ver": ["Z39.88-2004"],
        "rft_val_fmt": ["info:ofi/fmt:kev:mtx:journal"],
        "rft.genre": ["article"],
        "rft.atitle": ["Failure & fatigue: a trial"],
        "rft.jtitle": ["J Sports Sci"],
        "rft.aulast": ["Refalo"],
        "rft.aufirst": ["Martin C."],
        "rft.au": ["Refalo, Martin C.", "King, Martin Luther, Jr."],
        "rft.date": ["2024"],
        "rft.volume": ["42"],
        "rft.issue": ["1"],
        "rft.spage": ["85"],
        "rft.epage": ["101"],
        "rft.pages": ["85–101"],
        "rft.issn": ["0264-0414", "1466-447X"],
        "rft_id": ["info:doi/10.1000/abc.1"],
    }
    assert book["rft_val_fmt"] == ["info:ofi/fmt:kev:mtx:book"]
    assert book["rft.genre"] == ["book"] and book["rft.btitle"] == ["The Big Book"]
    assert "rft.atitle" not in book and "rft_id" not in book
    assert book["rft.aulast"] == ["Doe"] and book["rft.aufirst"] == ["Jane"]


def test_its_coins_title_is_escaped(member_client, claim):
    html = member_client.get(claim.get_absolute_url()).content.decode()
    assert 'class="Z3988" title="ctx_ver=Z39.88-2004&amp;rft_val_fmt=' in html
    assert "Failure+%26+fatigue" in html  # the title's "&" is part of a value, not a separator


def test_zotero_finds_one_doi_per_study_on_a_members_demo_claim_page(demo, member_client):
    pages = 0
    for claim in Claim.objects.filter(status=Claim.Status.PUBLISHED):
        page = member_client.get(claim.get_absolute_url()).content
        studies = {e.study.doi for e in claim.evidence.select_related("study") if e.study.doi}
        assert sorted(zotero_dois(page)) == sorted(studies), claim.slug
        assert len(coins_of(page)) == claim.evidence.count()
        pages += 1
    assert pages >= 3


def test_it_shows_an_explanations_doi_in_lower_case_linked_to_the_study(member_client):
    claim = make_claim(explanation="As 10.1000/ABC.1 and https://doi.org/10.1000/OTHER found.")
    study = make_study(doi="10.1000/abc.1")
    link(claim, study)
    html = member_client.get(claim.get_absolute_url()).content.decode()
    assert f'<a href="{study.link_url}">10.1000/abc.1</a>' in html
    assert ">https://doi.org/10.1000/other</a>" in html
    assert "ABC" not in html and "OTHER" not in html


def test_the_submit_form_shows_no_example_doi(member_client, claim):
    page = member_client.get(f"/claims/{claim.slug}/submit/").content
    assert b'name="doi"' in page
    assert zotero_dois(page) == []


def test_the_anonymous_claim_page_gives_each_study_one_coins_object(client, claim):
    """The evidence list is for members, but a reader's Zotero on the public page still finds
    every study the claim rests on: one context object each, never two for one study."""
    page = client.get(claim.get_absolute_url()).content
    assert b"gate-heading" in page  # the anonymous view
    found = sorted(
        kev["rft.btitle" if "rft.btitle" in kev else "rft.atitle"][0] for kev in coins_of(page)
    )
    assert found == ["Failure & fatigue: a trial", "The Big Book"]


def test_zotero_finds_one_coins_per_study_on_an_anonymous_demo_claim_page(demo, client):
    for claim in Claim.objects.filter(status=Claim.Status.PUBLISHED):
        page = client.get(claim.get_absolute_url()).content
        ids = [kev.get("rft_id", [kev.get("rft.atitle", [""])[0]])[0] for kev in coins_of(page)]
        assert len(ids) == len(set(ids)) == claim.evidence.count(), claim.slug
