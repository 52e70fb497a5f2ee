"""The claim page's evidence card: a study's funding, conflicts and registration, when known."""

import re
from html import unescape

import pytest

from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db


def card(html: str, title: str) -> str:
    match = re.search(
        rf'<article class="evidence-item[^"]*">\s*<h4><a[^>]*>{title}</a>.*?</article>', html, re.S
    )
    assert match, title
    return unescape(match.group(0))


def test_it_shows_the_study_facts_line_only_when_known(member_client):
    claim = make_claim()
    link(
        claim,
        make_study(
            doi="10.1000/funded",
            title="Funded trial",
            funding="A supplement maker.",
            conflicts_of_interest="Two authors consult for it.",
            trial_registration="NCT01234567",
        ),
    )
    link(
        claim,
        make_study(
            doi="10.1000/registered", title="Registered trial", trial_registration="ISRCTN12345678"
        ),
    )
    link(claim, make_study(doi="10.1000/bare", title="Bare trial"))
    html = member_client.get(claim.get_absolute_url()).content.decode()
    assert (
        '<p class="evidence-study-facts"><span>Funding: A supplement maker.</span> · '
        "<span>Conflicts of interest: Two authors consult for it.</span> · "
        "<span>Registration: NCT01234567</span></p>"
    ) in card(html, "Funded trial")
    assert '<p class="evidence-study-facts"><span>Registration: ISRCTN12345678</span></p>' in card(
        html, "Registered trial"
    )
    assert "evidence-study-facts" not in card(html, "Bare trial")


def test_it_shows_the_links_effect_on_its_card(member_client):
    claim = make_claim()
    link(
        claim,
        make_study(doi="10.1000/measured", title="Measured trial"),
        outcome="Muscle thickness",
        effect_measure="md",
        effect_estimate=1.2,
        effect_ci_lower=0.8,
        effect_ci_upper=1.6,
        effect_unit="mm",
        effect_time_point="8 weeks",
        effect_reported_in="Table 2",
        n_analysed=18,
    )
    link(claim, make_study(doi="10.1000/unmeasured", title="Unmeasured trial"))
    html = member_client.get(claim.get_absolute_url()).content.decode()
    assert (
        '<p class="evidence-effect">Effect <span class="muted">(Muscle thickness, 8 weeks; '
        "Table 2)</span>: mean difference 1.2 (95% CI 0.8 to 1.6) mm, n = 18</p>"
    ) in card(html, "Measured trial")
    assert "evidence-effect" not in card(html, "Unmeasured trial")


def test_the_card_writes_negative_effects_with_a_real_minus(member_client):
    claim = make_claim(slug="negative-effect")
    link(
        claim,
        make_study(doi="10.1000/negative", title="Negative trial"),
        effect_measure="md",
        effect_estimate=-0.036,
        effect_ci_lower=-0.113,
        effect_ci_upper=0.047,
        effect_unit="cm",
    )
    html = member_client.get(claim.get_absolute_url()).content.decode()
    assert "mean difference \u22120.036 (95% CI \u22120.113 to 0.047) cm" in card(
        html, "Negative trial"
    )
