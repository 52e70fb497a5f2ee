"""The claim list's search (issue 18): studies found by title, authors, DOI and journal, typos
forgiven, clean URLs, the form restored from the URL, out-of-range pages 404.

Runs on SQLite (the difflib fallback) and on PostgreSQL (pg_trgm) with DATABASE_URL set."""

import pytest
from django.db import connection
from django.urls import reverse

from claims.models import Claim
from claims.search import search_claims, search_studies
from studies.models import Study
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db

REFALO = "10.1080/02640414.2024.2321021"


@pytest.fixture
def found():
    claim = make_claim(
        slug="failure",
        plain_statement="Training to failure builds more muscle.",
        statement="Resistance training to momentary failure increases hypertrophy.",
        topic="Hypertrophy",
    )
    refalo = make_study(
        doi=REFALO,
        title="Similar muscle hypertrophy following eight weeks of resistance training",
        authors="Refalo, M. C.; Helms, E. R.",
        journal="Journal of Sports Sciences",
    )
    link(claim, refalo)
    ruple = make_study(
        doi="10.14814/phy2.15679",
        title="The effects of near failure training on strength",
        authors="Ruple, Bradley A.",
        journal="Physiological Reports",
    )
    link(claim, ruple)
    draft = make_claim(slug="draft", plain_statement="A draft about sleep.", status="draft")
    link(
        draft, make_study(doi="10.1000/draft", title="Sleep and hypertrophy", authors="Hidden, A.")
    )
    return claim, refalo, ruple


def listing(client, **params):
    return client.get(reverse("claim-list"), params)


def studies_section(html: str) -> str:
    start = html.index('id="studies-heading"')
    return html[start : html.index("</section>", start)]


@pytest.mark.parametrize(
    "query",
    ["Refalo", "helms", "similar muscle", REFALO, f"https://doi.org/{REFALO}", "sports sciences"],
)
def test_it_finds_a_study_by_author_title_doi_or_journal(client, found, query):
    _, refalo, _ = found
    html = listing(client, q=query).content.decode()
    section = studies_section(html)
    assert f'href="{refalo.get_absolute_url()}"' in section
    assert "Similar muscle hypertrophy" in section
    # ...with the claim it informs, linked.
    assert 'href="/claims/failure/"' in section
    assert "Physiological Reports" not in section


def test_it_ranks_a_title_match_above_a_journal_match():
    ranked = make_study(doi="10.1000/a", title="Strength and sleep", journal="Physiology")
    titled = make_study(doi="10.1000/b", title="Physiology of sleep", journal="Sleep")
    results = list(search_studies(Study.objects.all(), "physiology"))
    assert results == [titled, ranked]


def test_it_lists_only_studies_that_inform_a_published_claim(client, found):
    html = listing(client, q="hypertrophy").content.decode()
    section = studies_section(html)
    assert "Similar muscle hypertrophy" in section
    assert "Sleep and hypertrophy" not in html


def test_it_forgives_a_typo_in_a_claim_word(found):
    assert [claim.slug for claim in search_claims(Claim.objects.published(), "trainig")] == [
        "failure"
    ]


def test_it_still_needs_every_word(found):
    assert list(search_claims(Claim.objects.published(), "trainig zebra")) == []


@pytest.mark.parametrize("query", ["Refallo", "hypertrophie"])
def test_it_forgives_a_typo_in_a_study(client, found, query):
    html = listing(client, q=query).content.decode()
    assert "Similar muscle hypertrophy" in studies_section(html)


def test_it_shows_no_studies_section_without_a_search(client, found):
    assert 'id="studies-heading"' not in listing(client).content.decode()


@pytest.mark.parametrize("query", ["!!!", "doi.org/", "10.", "x" * 500])
def test_it_answers_odd_searches(client, found, query):
    assert listing(client, q=query).status_code == 200


def test_it_redirects_a_url_with_empty_parameters_to_the_clean_one(client, found):
    response = client.get("/claims/?q=&topic=&type=causal&verdict=&sort=newest")
    assert response.status_code == 302
    assert response["Location"] == "/claims/?type=causal"  # newest is the default sort
    assert client.get("/claims/?q=&topic=")["Location"] == "/claims/"


def test_it_tells_htmx_the_clean_url(client, found):
    response = client.get("/claims/?q=&type=causal", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Push-Url"] == "/claims/?type=causal"


def test_it_keeps_a_clean_url(client, found):
    response = client.get("/claims/?type=causal", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "HX-Push-Url" not in response


def test_it_renders_the_form_from_the_query(client, found):
    html = listing(client, type="causal", q="muscle").content.decode()
    assert '<option value="causal" selected>' in html
    assert 'value="muscle"' in html


def test_it_sends_htmx_the_form_as_the_url_says_so_back_restores_it(client, found):
    response = client.get("/claims/?type=causal", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.strip().startswith('<section id="results"')
    # The form comes along, swapped out of band, so htmx's history snapshot holds its state.
    assert 'data-hx-swap-oob="true"' in html
    assert '<option value="causal" selected>' in html
    assert 'data-hx-push-url="true"' in html


def test_it_answers_a_history_restore_with_the_whole_page(client, found):
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    html = client.get("/claims/?type=causal", headers=headers).content.decode()
    assert "<html" in html and '<option value="causal" selected>' in html


@pytest.mark.parametrize("page", ["999", "0", "-1"])
def test_it_answers_an_out_of_range_page_with_404(client, found, page):
    assert listing(client, page=page).status_code == 404


def test_it_answers_a_page_that_is_not_a_number_with_404(client, found):
    assert listing(client, page="nonsense").status_code == 404


def test_the_api_finds_a_study_by_its_doi_org_link(client, found):
    data = client.get("/api/studies/", {"q": f"https://doi.org/{REFALO.upper()}"}).json()
    assert [study["doi"] for study in data["results"]] == [REFALO]


def test_it_shows_a_claim_found_despite_a_typo(client, found):
    html = listing(client, q="trainig").content.decode()
    assert "1 claim matching" in html and 'href="/claims/failure/"' in html


def test_it_lists_studies_in_a_flat_number_of_queries(client, django_assert_max_num_queries):
    for i in range(15):
        claim = make_claim(slug=f"c{i}", plain_statement=f"Muscle claim {i}")
        link(claim, make_study(doi=f"10.1000/m{i}", title=f"Muscle study {i}"))
    # the "claims changed" version, count, page of claims with counts, topics, the studies
    # found, then ranked, their claims; on SQLite also the FTS rank and the fallback's two
    # vocabularies (claims' words, studies' words); on PostgreSQL the claims found before they
    # are ranked, and the planner setting set and reset around each search (claims.search).
    with django_assert_max_num_queries(10 if connection.vendor == "sqlite" else 12):
        html = listing(client, q="muscle").content.decode()
    assert studies_section(html).count("<li>") == 10
