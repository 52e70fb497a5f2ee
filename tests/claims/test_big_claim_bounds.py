"""A claim's page does bounded work past its lists' bounds (issue 20: a 5,000-link claim
rendered cold in 1.3-1.5 s): whole Evidence and Study instances only for the rows it lists,
the forest plots drawing the strongest studies a side with "Show all" (htmx and without
JavaScript), every "Show all" link keeping the other lists as shown, and the scorecard
computed once per request."""

from html import unescape
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext

import scoring
from claims import findings
from claims.breakdown import BREAKDOWN_SHOWN
from claims.evidence_list import EVIDENCE_SHOWN
from claims.models import Evidence
from studies.models import Study
from tests.claims.test_claim_page import big_claim
from tests.claims.test_forest_plot_page import big_effects_claim

pytestmark = pytest.mark.django_db

FOREST_SHOWN = 10  # claims.findings.FOREST_SHOWN (not imported: the old code has none)
LISTED = max(EVIDENCE_SHOWN, BREAKDOWN_SHOWN)  # each side's rows the lists and breakdown show


def cold(client, url, **kwargs):
    """The page with every fragment rendered: queries, and the Evidence and Study instances
    initialised (a page of 5,000 links initialised 10,000)."""
    cache.clear()
    made = {Evidence: 0, Study: 0}

    def count(sender, **_):
        made[sender] += 1

    for model in made:
        post_init.connect(count, sender=model, weak=False)
    try:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, **kwargs)
    finally:
        for model in made:
            post_init.disconnect(count, sender=model)
    assert response.status_code == 200
    return len(queries), made, unescape(response.content.decode())


def section(html: str, marker: str) -> str:
    start = html.index(marker)
    return html[start : html.index("</section>", start)]


@pytest.mark.parametrize("query", ["", "?wording=scientific"])
def test_the_page_s_work_does_not_grow_with_links_past_the_bounds(member_client, query):
    small, large = big_claim("small", 3 * LISTED), big_claim("large", 12 * LISTED)
    small_queries, small_made, _ = cold(member_client, small.get_absolute_url() + query)
    large_queries, large_made, html = cold(member_client, large.get_absolute_url() + query)
    assert large_queries == small_queries
    assert large_made == small_made
    # Whole links only for the rows listed (each side's first few), not one per link.
    assert large_made[Evidence] <= 2 * LISTED
    assert html.count('class="evidence-item') == 2 * EVIDENCE_SHOWN


def test_a_list_shown_whole_loads_its_rows_whole_in_one_query(member_client):
    claim = big_claim("whole", 3 * LISTED)
    url = claim.get_absolute_url()
    some, _, _ = cold(member_client, url)
    every, made, html = cold(member_client, url, data={"evidence": "all"})
    assert every == some
    assert made[Evidence] == 3 * LISTED
    assert html.count('class="evidence-item') == 3 * LISTED


def test_the_forest_plots_draw_the_strongest_studies_a_side(member_client):
    links = 60  # 40 supporting, 20 contradicting (two in three support)
    claim = big_effects_claim("effects", links)
    url = claim.get_absolute_url()
    queries, _, html = cold(member_client, url)
    forest = section(html, 'id="effects"')
    assert forest.count('class="forest-mark"') == 2 * FOREST_SHOWN
    assert forest.count('<g class="forest-row forest-supports">') == FOREST_SHOWN
    assert f"{2 * FOREST_SHOWN} of {links}" in forest
    assert f'href="?forest=all#effects" data-hx-get="{url}?forest=all"' in forest
    assert f"({links - 2 * FOREST_SHOWN} more)" in forest
    # The direction of effect and the summary of findings still count every study.
    assert f"{links} studies" in section(html, 'id="summary-of-findings"')
    every_queries, _, every = cold(member_client, url, data={"forest": "all"})
    forest = section(every, 'id="effects"')
    assert forest.count('class="forest-mark"') == links
    assert "Show every study" not in forest
    assert every_queries == queries


def test_only_the_rows_drawn_get_their_text(member_client):
    claim = big_effects_claim("texts", 60)
    with mock.patch("claims.findings.reading", wraps=findings.reading) as read:
        cold(member_client, claim.get_absolute_url())
    assert read.call_count == 2 * FOREST_SHOWN


def test_htmx_swaps_in_every_study_of_the_plots(member_client):
    claim = big_effects_claim("swap", 30)
    cache.clear()
    response = member_client.get(
        claim.get_absolute_url(), {"forest": "all"}, headers={"HX-Request": "true"}
    )
    part = response.content.decode().strip()
    assert part.startswith('<section class="section forest" id="effects"')
    assert part.endswith("</section>")
    assert part.count('class="forest-mark"') == 30
    assert "<html" not in part
    # The focus lands on the intro, which takes the link's id.
    assert 'id="forest-more" tabindex="-1"' in part


def test_a_small_claim_draws_every_study_with_no_link(member_client):
    claim = big_effects_claim("few", 15)  # 10 supporting, 5 contradicting: none hidden
    _, _, html = cold(member_client, claim.get_absolute_url())
    forest = section(html, 'id="effects"')
    assert forest.count('class="forest-mark"') == 15
    assert "Show every study" not in forest and "Drawn here" not in forest


def test_show_all_on_the_breakdown_keeps_the_evidence_lists_and_back(member_client):
    claim = big_claim("state", 4 * LISTED)  # 14 contradicting
    url = claim.get_absolute_url()
    _, _, html = cold(member_client, url, data={"breakdown": "all"})
    evidence = section(html, 'id="evidence"')
    assert 'href="?evidence=supports&breakdown=all#supporting"' in evidence
    assert 'href="?evidence=contradicts&breakdown=all#contradicting"' in evidence
    # The fragments are keyed on it: the page without it links without it.
    member_client.get(url, {"breakdown": "all"})
    html = unescape(member_client.get(url).content.decode())
    assert 'href="?evidence=supports#supporting"' in section(html, 'id="evidence"')
    _, _, html = cold(member_client, url, data={"evidence": "supports"})
    assert 'href="?evidence=supports&breakdown=all#breakdown-heading"' in html


def test_every_show_all_keeps_the_forest_plots_and_the_wording(member_client):
    claim = big_effects_claim("forest-state", 3 * LISTED)
    url = claim.get_absolute_url()
    _, _, html = cold(member_client, url, data={"forest": "all", "wording": "scientific"})
    assert 'href="?wording=scientific&evidence=supports&forest=all#supporting"' in html
    assert 'href="?wording=scientific&breakdown=all&forest=all#breakdown-heading"' in html
    assert f'href="{url}?forest=all"' in html  # the wording toggle keeps it
    _, _, html = cold(member_client, url, data={"breakdown": "all", "evidence": "all"})
    assert 'href="?evidence=all&breakdown=all&forest=all#effects"' in html


@pytest.mark.parametrize(
    "query,headers",
    [
        ({}, {}),
        ({"evidence": "all"}, {}),
        ({"breakdown": "all"}, {}),
        ({"forest": "all"}, {}),
        ({"evidence": "supports"}, {"HX-Request": "true"}),
        ({"breakdown": "all"}, {"HX-Request": "true"}),
    ],
)
def test_the_scorecard_is_computed_once_a_request(member_client, query, headers):
    claim = big_effects_claim("once", 3 * LISTED)
    # The page scores its checked items (score_checked); score() checks, then does the same.
    with (
        mock.patch("scoring.score_checked", wraps=scoring.score_checked) as score,
        mock.patch("scoring.scorecard.score_checked", new=score),
    ):
        cold(member_client, claim.get_absolute_url(), data=query, headers=headers)
        assert score.call_count == 1
        # Another variant of the same version: its fragments miss, the summary does not.
        member_client.get(claim.get_absolute_url(), {"evidence": "contradicts"})
        assert score.call_count == 2
        member_client.get(claim.get_absolute_url())
        assert score.call_count <= 3


def test_a_cold_page_checks_each_scoring_item_once(member_client):
    """The page's items were checked by as_items, then again by score(): 2 checks an item."""
    claim = big_effects_claim("checked-once", 3 * LISTED)
    items = Evidence.objects.filter(claim=claim, appraisal_status="appraised").count()
    with mock.patch("scoring.items.as_item", wraps=scoring.items.as_item) as as_item:
        cold(member_client, claim.get_absolute_url())
    # A few more for the reference study of the fragility check and the sensitivity line.
    assert items <= as_item.call_count < items + 10
