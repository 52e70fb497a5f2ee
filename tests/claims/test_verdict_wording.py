"""The verdict panel, the legend and the "How scores work" page in words a reader can parse
(issue 18 review): each line of the panel says something the others do not, the verdict is a
real heading, "what would change" is plain language, the legend explains the demo's own verdict
and the step levels, and links to the matching part of the full page."""

import re

import pytest
from django.urls import reverse

from claims.models import MechanismStep

pytestmark = pytest.mark.django_db

SEED_002 = "rir-training-matches-failure-volume-and-growth"


def panel(html: str) -> str:
    start = html.index('<section class="verdict-panel')
    return html[start : html.index("</section>", start)]


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def page_html(demo, client):
    return client.get(demo.get(slug=SEED_002).get_absolute_url()).content.decode()


def test_the_verdict_is_a_heading(page_html):
    assert '<h2 class="verdict-label" id="verdict-heading">Very uncertain</h2>' in page_html
    assert '<p class="verdict-label"' not in page_html


def test_each_line_of_the_panel_says_something_else(page_html):
    words = text(panel(page_html)).lower()
    # The label and GRADE's statement say "very uncertain"; the sentence under the scores
    # does not say it a third time, nor name the certainty level the certainty line names.
    assert words.count("very uncertain") == 2
    assert words.count("very low certainty") == 1
    sentence = page_html.split('<p class="verdict-sentence">')[1].split("</p>")[0]
    assert "which way the studies point" in sentence
    # The scores are said once, by the bars and "Supports is higher" (issue 18: the sentence
    # restated them); GRADE's definition of the level stands beside the level.
    assert "out of 100" not in sentence and "score" not in sentence.replace("scores show", "")
    meaning = page_html.split('<p class="certainty-meaning">')[1].split("</p>")[0]
    assert "likely to be substantially different" in meaning
    assert words.count("out of 100") == 2  # Pro and Against, once each


def test_what_would_change_reads_in_plain_words(page_html):
    line = text(page_html.split('<p class="what-would-change">')[1].split("</p>")[0])
    assert re.fullmatch(
        r"What would change the verdict: One more study (against|in support), of the kind rated "
        r"(very low|low|moderate|high) certainty \(an? [a-z -]+[A-Za-z ]* of \d+ people\), would "
        r"move this to [A-Z][a-z ]+\.",
        line,
    ), line
    assert "(n=" not in line and "would make this" not in line


def test_the_legend_explains_the_demo_verdict_and_the_step_levels(page_html):
    legend = page_html.split('<details class="legend"')[1].split("</details>")[0]
    words = text(legend)
    assert "Very uncertain" in words and "very uncertain whether the claim is true" in words
    for level in (MechanismStep.VERIFIED, MechanismStep.SUPPORTED, MechanismStep.PLAUSIBLE):
        assert f"<dt>{level}</dt>" in legend
    assert "<dt>Inferred from N studies</dt>" in legend
    assert "measured this step directly" in words
    assert "awaiting appraisal" in words
    about = reverse("about-scoring")
    for anchor in ("#verdict", "#certainty", "#step-levels"):
        assert f'href="{about}{anchor}"' in legend


def test_the_full_page_explains_step_levels_at_the_legends_anchor(client):
    html = client.get(reverse("about-scoring")).content.decode()
    section = html.split('id="step-levels"')[1].split("</section>")[0]
    words = text(section)
    assert "as directly measured in" in words and "as inferred from" in words
    assert "Inferred from N studies" in words and MechanismStep.VERIFIED in words
    assert 'id="verdict"' in html and 'id="certainty"' in html


def test_the_rir_bottom_line_is_hedged_as_very_low_certainty(demo):
    line = demo.get(slug=SEED_002).bottom_line
    assert "may" in line and "we are very uncertain" in line
    assert "is a reasonable choice" not in line  # advice stated as fact
