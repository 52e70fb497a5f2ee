"""The score breakdown lists each side's strongest contributions, with "Show all" working with
htmx (the table swapped in) and without JavaScript (?breakdown=all): at 5,000 links the whole
table was 1.70 MB of a 1.74 MB page (issue 20)."""

from html import unescape

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.breakdown import BREAKDOWN_SHOWN
from tests.claims.test_claim_page import big_claim

pytestmark = pytest.mark.django_db

# 60 links: 40 supporting, 20 contradicting (big_claim: two in three support).
LINKS = 60


def breakdown_of(html: str) -> str:
    start = html.index('id="breakdown-heading"')
    return html[start : html.index("</section>", start)]


def rows_in(html: str) -> int:
    return html.count('<td data-label="Side">')


def get(client, url, **kwargs):
    cache.clear()  # cold: every fragment rendered, so counts compare
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **kwargs)
    assert response.status_code == 200
    return len(queries), response


def text_of(response) -> str:
    return unescape(response.content.decode())


def test_it_shows_the_strongest_contributions_a_side(member_client):
    claim = big_claim("wide", LINKS)
    _, response = get(member_client, claim.get_absolute_url())
    breakdown = breakdown_of(text_of(response))
    assert rows_in(breakdown) == 2 * BREAKDOWN_SHOWN
    assert breakdown.count('<td data-label="Side">Pro</td>') == BREAKDOWN_SHOWN
    assert f"The strongest contributions, up to {BREAKDOWN_SHOWN} a side" in breakdown
    assert f"Show all {LINKS} studies' contributions</a>" in breakdown
    assert 'href="?breakdown=all#breakdown-heading"' in breakdown
    assert f'data-hx-get="{claim.get_absolute_url()}?breakdown=all"' in breakdown
    assert f"({LINKS - 2 * BREAKDOWN_SHOWN} more)" in breakdown


def test_it_lists_every_study_without_javascript(member_client):
    claim = big_claim("wide", LINKS)
    url = claim.get_absolute_url()
    some, _ = get(member_client, url)
    every, response = get(member_client, url, data={"breakdown": "all"})
    breakdown = breakdown_of(text_of(response))
    assert rows_in(breakdown) == LINKS
    assert "Show all" not in breakdown
    # The focus lands on the caption, which takes the link's id.
    assert '<caption id="breakdown-more" tabindex="-1">Every study' in breakdown
    assert every == some  # no query per study


def test_it_swaps_in_the_whole_table_with_htmx(member_client):
    claim = big_claim("wide", LINKS)
    url = claim.get_absolute_url()
    page, _ = get(member_client, url)
    count, response = get(
        member_client, url, data={"breakdown": "all"}, headers={"HX-Request": "true"}
    )
    part = response.content.decode().strip()
    assert part.startswith('<div class="table-wrap" id="breakdown-table">')
    assert part.endswith("</div>")
    assert rows_in(part) == LINKS
    assert "<html" not in part and "Evidence from studies" not in part
    assert count <= page


def test_it_keeps_the_wording_and_evidence_lists_in_the_link(member_client):
    claim = big_claim("wide", LINKS)
    _, response = get(
        member_client,
        claim.get_absolute_url(),
        data={"wording": "scientific", "evidence": "supports"},
    )
    breakdown = breakdown_of(text_of(response))
    assert 'href="?wording=scientific&evidence=supports&breakdown=all#breakdown-heading"' in (
        breakdown
    )


def test_it_gives_each_breakdown_its_own_etag(member_client):
    claim = big_claim("wide", LINKS)
    url = claim.get_absolute_url()
    member_client.get(url)  # sets the CSRF cookie, part of a member's ETag
    some = member_client.get(url)["ETag"]
    every = member_client.get(url, {"breakdown": "all"})["ETag"]
    assert some != every
    # An unknown value is the default breakdown: one cached copy.
    assert member_client.get(url, {"breakdown": "everything"})["ETag"] == some


def test_it_lists_a_small_claim_whole(member_client):
    claim = big_claim("small", 6)
    _, response = get(member_client, claim.get_absolute_url())
    breakdown = breakdown_of(text_of(response))
    assert rows_in(breakdown) == 6
    assert "Every study's contribution" in breakdown and "Show all" not in breakdown


def test_the_gate_ignores_the_parameter(client, settings):
    settings.FULL_VERDICT_REQUIRES_LOGIN = True
    claim = big_claim("gated", 3)
    url = claim.get_absolute_url()
    plain = client.get(url)
    asked = client.get(url, {"breakdown": "all"}, headers={"HX-Request": "true"})
    assert asked["ETag"] == plain["ETag"]
    assert 'id="breakdown-heading"' not in asked.content.decode()


def test_the_direction_only_list_is_bounded_too(member_client):
    """Studies without an effect size were each listed under the forest plot: at 5,000 links,
    545 kB of the page. The first 20 are; the rest are counted and one link away."""
    claim = big_claim("directions", LINKS)
    _, response = get(member_client, claim.get_absolute_url())
    html = text_of(response)
    start = html.index('id="effects"')
    forest = html[start : html.index("</section>", start)]
    listed = forest.split('<ul class="forest-direction-only">')[1].split("</ul>")[0]
    assert listed.count("<li>") == 20
    assert f"And {LINKS - 20} more reporting only a direction" in forest
    assert f'href="{claim.get_absolute_url()}?evidence=all#evidence"' in forest
