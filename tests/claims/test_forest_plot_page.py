"""The forest plot and the summary of findings on the claim page: members only, accessible,
no inline style or script, a flat number of queries."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Claim
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db

EFFECT = {"effect_measure": "md", "effect_unit": "mm", "outcome": "Muscle thickness"}


def pico_claim(slug="effects", **fields) -> Claim:
    return make_claim(
        slug=slug,
        outcome="Muscle thickness",
        important_effect=0.5,
        important_effect_measure="md",
        important_effect_unit="mm",
        expected_direction="increase",
        **fields,
    )


@pytest.fixture
def claim():
    claim = pico_claim()
    studies = [
        ("Refalo, M; Other, A", 2024, 18, (1.2, 0.8, 1.6)),  # important
        ("Ruple, B; Other, A", 2023, 30, (0.1, -0.2, 0.3)),  # little or no effect
        ("Smith, J; Other, A", 2022, 12, (0.4, -0.3, 1.1)),  # inconclusive
    ]
    for authors, year, n, (estimate, lower, upper) in studies:
        study = make_study(doi=f"10.1000/{year}", authors=authors, year=year, sample_size=n)
        link(
            claim,
            study,
            effect_estimate=estimate,
            effect_ci_lower=lower,
            effect_ci_upper=upper,
            n_analysed=n,
            **EFFECT,
        )
    direction_only = make_study(doi="10.1000/old", authors="Jones, K", year=2019)
    link(claim, direction_only, stance="contradicts")
    return claim


def section(html: str, element_id: str) -> str:
    match = re.search(rf'<section[^>]*id="{element_id}".*?</section>', html, re.S)
    assert match, element_id
    return match.group(0)


def plot_html(client, claim) -> str:
    return unescape(section(client.get(claim.get_absolute_url()).content.decode(), "effects"))


def test_it_draws_the_forest_plot_for_members(member_client, claim):
    html = member_client.get(claim.get_absolute_url()).content.decode()
    plot = section(html, "effects")
    assert plot.count("<svg") == 1  # one outcome and measure: one plot
    assert 'viewBox="0 0 320 ' in plot and 'role="img"' in plot
    assert re.search(r'<svg[^>]*aria-labelledby="forest-1-title forest-1-desc"', plot)
    assert '<title id="forest-1-title">' in plot and '<desc id="forest-1-desc">' in plot
    assert plot.count('class="forest-ci"') == 3 and plot.count('class="forest-mark"') == 3
    assert 'class="forest-null"' in plot
    assert plot.count('class="forest-threshold"') == 2  # the threshold and its mirror
    # The CSP: no inline style, no script.
    assert "style=" not in plot and "<script" not in plot
    assert "Muscle thickness: Mean difference, mm (linear scale)" in unescape(plot)


def test_it_gives_the_plot_an_accessible_table(member_client, claim):
    html = unescape(member_client.get(claim.get_absolute_url()).content.decode())
    plot = section(html, "effects")
    table = re.search(r"<table.*?</table>", plot, re.S).group(0)
    assert "<caption>Muscle thickness: Mean difference, mm (linear scale): each study" in table
    assert table.count('<th scope="col">') == 4 and table.count('<th scope="row">') == 3
    assert "1.2 (95% CI 0.8 to 1.6) mm" in table
    # "Little or no effect" and "inconclusive" read differently.
    assert "little or no effect" in table
    assert "compatible with both an important effect and none" in table
    assert "an important increase" in table


def test_it_lists_studies_without_an_effect_as_direction_only(member_client, claim):
    plot = unescape(
        section(member_client.get(claim.get_absolute_url()).content.decode(), "effects")
    )
    direction_only = plot.split("Direction only</h3>")[1]
    assert "Jones 2019</a>: contradicts the claim" in direction_only


def test_it_counts_directions_and_never_pools(member_client, claim):
    plot = unescape(
        section(member_client.get(claim.get_absolute_url()).content.decode(), "effects")
    )
    assert "3 studies (60 participants) point to an increase (the claim's direction)." in plot
    assert "Not pooled" in plot


def test_it_shows_no_plot_without_effects(member_client):
    claim = pico_claim(slug="no-effects")
    link(claim, make_study(doi="10.1000/none"))
    html = member_client.get(claim.get_absolute_url()).content.decode()
    assert "<svg" not in section(html, "effects")  # nothing to draw
    assert "No study here reports an effect size" in section(html, "effects")
    assert "Direction only" in section(html, "effects")  # the study is still listed
    assert "No effect sizes reported: direction only" in section(html, "summary-of-findings")


def test_it_shows_every_reader_the_plot_and_members_the_summary(client, claim):
    """How big the effects are is for every reader (issue 14's "a reader sees"); the summary
    of findings, like the full verdict, is in the gated part."""
    html = client.get(claim.get_absolute_url()).content.decode()
    assert "Sign up to see full verdict" in html
    assert "<svg" in section(html, "effects")
    assert 'id="summary-of-findings"' not in html


def test_it_matches_the_summary_of_findings_to_the_verdict_panel(member_client, claim):
    html = unescape(member_client.get(claim.get_absolute_url()).content.decode())
    panel = re.search(r'<section class="verdict-panel.*?</section>', html, re.S).group(0)
    sof = section(html, "summary-of-findings")
    statement = re.search(r'<p class="verdict-statement">(.*?)</p>', panel).group(1)
    certainty = re.search(r'<p class="certainty-level">(.*?)</p>', panel).group(1)
    reasons = re.findall(r"<li>(.*?)</li>", panel.split('class="certainty-reasons"')[1])
    assert f'<td data-label="What it means" class="sof-statement">{statement}</td>' in sof
    assert f'<td data-label="Certainty">{certainty}' in sof
    for reason in reasons[: len(re.findall(r"<li>", sof.split("sof-reasons")[1]))]:
        assert f"<li>{reason}</li>" in sof
    assert '<th scope="row">Muscle thickness</th>' in sof
    # The counted studies and participants, as scoring counts them (Jones has the default 40).
    assert "4 studies, 100 participants" in sof
    assert "Muscle thickness, mean difference: 0.1 to 1.2 mm (3 studies)" in sof


def big_effects_claim(slug: str, count: int) -> Claim:
    claim = pico_claim(slug=slug)
    for i in range(count):
        study = make_study(doi=f"10.1000/{slug}{i}", title=f"Study {i}", sample_size=20 + i)
        link(
            claim,
            study,
            stance="supports" if i % 3 else "contradicts",
            effect_estimate=0.1 * (i % 7) - 0.2,
            effect_ci_lower=0.1 * (i % 7) - 0.6,
            effect_ci_upper=0.1 * (i % 7) + 0.2,
            n_analysed=20 + i,
            **EFFECT,
        )
    return claim


def first_request_queries(client, claim) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(claim.get_absolute_url())
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_it_runs_as_many_queries_for_200_effects_as_for_1(
    member_client, django_assert_max_num_queries
):
    one, many = big_effects_claim("one", 1), big_effects_claim("many", 200)
    one_count, _ = first_request_queries(member_client, one)
    with django_assert_max_num_queries(one_count):
        # Every study drawn (the default draws the strongest a side: test_big_claim_bounds).
        response = member_client.get(many.get_absolute_url(), {"forest": "all"})
    html = response.content.decode()
    assert html.count('class="forest-mark"') == 200
    assert one_count <= 13  # as test_claim_page's 200-study page: no query of its own


def test_it_says_why_there_is_no_certainty_as_the_verdict_panel_does(member_client):
    claim = pico_claim(slug="unrated")
    html = unescape(member_client.get(claim.get_absolute_url()).content.decode())
    panel_line = re.search(r'<p class="verdict-certainty certainty-none">(.*?)</p>', html).group(1)
    sof = section(html, "summary-of-findings")
    assert f'<td data-label="Certainty">{panel_line}</td>' in sof
    assert "0 studies" in sof


def test_it_gives_the_summary_of_findings_as_a_record(claim):
    # claim_data in api/records.py can add it in one line: the figures the page shows.
    from claims.evidence_list import evidence_rows  # test-only: the rows the page builds
    from claims.findings import claim_forest, summary_of_findings
    from claims.services import approved_evidence, claim_scorecard

    evidence = list(approved_evidence([claim.pk]))
    card = claim_scorecard(claim, evidence)
    record = summary_of_findings(claim, card, claim_forest(claim, evidence_rows(evidence, card)))
    record = record.as_record()
    assert record["outcome"] == "Muscle thickness"
    assert (record["studies"], record["participants"]) == (card.counted, card.participants)
    assert record["effects"] == ["Muscle thickness, mean difference: 0.1 to 1.2 mm (3 studies)"]
    assert record["statement"] == card.statement


def test_it_gives_one_studys_interval_in_the_summary_of_findings(member_client):
    """One study: its estimate alone would read as if it were certain; its interval goes with it."""
    claim = make_claim(slug="one-study", expected_direction="increase")
    study = make_study(doi="10.1000/one", authors="Solo, A", year=2024, sample_size=18)
    link(
        claim,
        study,
        outcome="Vastus lateralis thickness",
        effect_measure="md",
        effect_estimate=0.033,
        effect_ci_lower=-0.046,
        effect_ci_upper=0.116,
        effect_unit="cm",
    )
    sof = unescape(
        section(member_client.get(claim.get_absolute_url()).content.decode(), "summary-of-findings")
    )
    assert "mean difference: 0.033 cm (95% CI \u22120.046 to 0.116; 1 study)" in sof


def test_it_draws_no_threshold_on_an_axis_in_another_unit(member_client):
    """A 0.5 cm threshold drawn on a mm axis would be ten times too small: the plot draws it
    only where the table's reading uses it (the same unit check)."""
    claim = make_claim(
        slug="threshold-in-cm",
        expected_direction="decrease",
        important_effect=0.5,
        important_effect_measure="md",
        important_effect_unit="cm",
    )
    link(
        claim,
        make_study(doi="10.1000/in-mm", authors="Mm, A", year=2023),
        outcome="CSA",
        effect_measure="md",
        effect_estimate=-0.2,
        effect_ci_lower=-0.4,
        effect_ci_upper=-0.1,
        effect_unit="mm",
    )
    plot = plot_html(member_client, claim)
    assert 'class="forest-threshold"' not in plot
    assert "smallest important effect at" not in plot
