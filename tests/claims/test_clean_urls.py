"""Addresses (issue 18 review): an upper-case slug moves for good to every page of the claim,
pages that do not exist answer 404, the list's address leaves out default values, and the
meta description follows the wording shown."""

import pytest
from django.urls import reverse

from claims.services import analysis_publish
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db

SLUG = "rir-training"


@pytest.fixture
def claim():
    claim = make_claim(
        slug=SLUG,
        plain_statement="Training with reps in reserve builds muscle.",
        statement="Resistance training stopped short of failure increases hypertrophy in adults.",
    )
    link(claim, make_study(doi="10.1000/rir", title="A trial", sample_size=18))
    analysis_publish(claim=claim)
    return claim


@pytest.mark.parametrize(
    ("path", "moved_to"),
    [
        ("/claims/RIR-Training/history/", f"/claims/{SLUG}/history/"),
        ("/claims/RIR-Training/changes/?page=1", f"/claims/{SLUG}/changes/?page=1"),
        ("/claims/RIR-Training/feed.atom", f"/claims/{SLUG}/feed.atom"),
        ("/claims/RIR-Training/export.bib", f"/claims/{SLUG}/export.bib"),
        ("/claims/Rir-Training/export.csv", f"/claims/{SLUG}/export.csv"),
    ],
)
def test_it_moves_an_upper_case_slug_for_good_on_every_page(client, claim, path, moved_to):
    response = client.get(path)
    assert response.status_code == 301
    assert response["Location"] == moved_to
    assert client.get(moved_to).status_code == 200


def test_an_upper_case_slug_of_no_claim_is_still_a_404(client, claim):
    assert client.get("/claims/No-Such-Claim/history/").status_code == 404
    assert client.get("/claims/No-Such-Claim/feed.atom").status_code == 404


def test_an_upper_case_slug_of_a_draft_is_a_404_for_readers(client, editor_client):
    make_claim(slug="a-draft", status="draft")
    assert client.get("/claims/A-Draft/history/").status_code == 404
    assert editor_client.get("/claims/A-Draft/history/").status_code == 301


@pytest.mark.parametrize("page", ["abc", "1.5", "999", "0"])
def test_the_list_answers_a_page_that_does_not_exist_with_404(client, claim, page):
    assert client.get(reverse("claim-list"), {"page": page}).status_code == 404


def test_the_list_moves_its_first_page_to_its_own_address(client, claim):
    response = client.get(reverse("claim-list"), {"page": "1"})
    assert (response.status_code, response["Location"]) == (302, "/claims/")
    assert client.get("/claims/").status_code == 200


@pytest.mark.parametrize("page", ["99", "2", "abc"])
def test_the_history_page_has_one_page_only(client, claim, page):
    url = reverse("claim-history", args=[SLUG])
    assert client.get(url, {"page": page}).status_code == 404
    assert client.get(url, {"page": "1"}).status_code == 200


@pytest.mark.parametrize("page", ["99", "abc"])
def test_the_changes_page_answers_a_page_that_does_not_exist_with_404(client, claim, page):
    url = reverse("claim-changes", args=[SLUG])
    assert client.get(url, {"page": page}).status_code == 404
    assert client.get(url, {"page": "1"}).status_code == 200


@pytest.mark.parametrize(
    ("query", "clean"),
    [
        ("?q=&topic=&type=causal&verdict=&sort=newest", "/claims/?type=causal"),
        ("?sort=newest", "/claims/"),
        ("?sort=relevance", "/claims/"),  # without a search, relevance is newest first
        ("?q=muscle&sort=relevance", "/claims/?q=muscle"),
        ("?type=causal&page=1", "/claims/?type=causal"),
    ],
)
def test_the_list_drops_default_values_from_its_address(client, claim, query, clean):
    response = client.get(f"/claims/{query}")
    assert response.status_code == 302
    assert response["Location"] == clean


@pytest.mark.parametrize(
    "query", ["", "?sort=strongest", "?q=muscle&sort=newest", "?type=causal", "?q=muscle"]
)
def test_the_list_keeps_values_that_are_not_defaults(client, claim, query):
    assert client.get(f"/claims/{query}").status_code == 200


def test_htmx_is_told_the_address_without_defaults(client, claim):
    response = client.get("/claims/?type=causal&sort=newest", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Push-Url"] == "/claims/?type=causal"


def test_the_pages_links_carry_no_default_values(client, claim, settings):
    settings.CLAIMS_PER_PAGE = 1
    make_claim(slug="second", plain_statement="Another claim.")
    make_claim(slug="third", plain_statement="A third claim.")
    html = client.get("/claims/?sort=newest&page=2", headers={"HX-Request": "true"}).content
    html = html.decode()
    assert 'href="?page=3"' in html
    assert "sort=newest" not in html.split('class="pagination"')[1]
    # Page 1 is the list's own address, without "page=1".
    assert 'href="/claims/" rel="prev"' in html


def test_the_meta_description_follows_the_scientific_wording(client, claim):
    url = reverse("claim-detail", args=[SLUG])
    plain = client.get(url).content.decode()
    scientific = client.get(url, {"wording": "scientific"}).content.decode()

    def description(html):
        start = html.index('<meta name="description" content="') + 34
        return html[start : html.index('"', start)]

    assert "reps in reserve" in description(plain)
    assert "stopped short of failure" in description(scientific)
    assert "reps in reserve" not in description(scientific)
