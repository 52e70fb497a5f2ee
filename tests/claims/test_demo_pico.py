"""The demo claims' PICO, from their seed wording; effects only as the papers report them."""

import re
from html import unescape

import pytest

from claims import effects
from claims.effects import NO_THRESHOLD_WORDS
from claims.models import Claim, Evidence
from claims.services import claim_scorecard

pytestmark = pytest.mark.django_db


def test_every_demo_claim_states_its_question(demo):
    for claim in Claim.objects.all():
        assert claim.population and claim.intervention and claim.comparator, claim.slug
        assert claim.outcome, claim.slug
        assert claim.important_effect is None, "no seed states a smallest important effect"
    firing = Claim.objects.get(slug="near-failure-training-motor-unit-firing-rate")
    assert (firing.time_frame, firing.expected_direction) == ("5 weeks", "increase")
    assert "4–6 repetitions in reserve" in firing.comparator
    csa = Claim.objects.get(slug="near-failure-training-vastus-lateralis-csa")
    assert csa.expected_direction == "decrease"
    no_difference = Claim.objects.get(slug="failure-fatigue-adds-no-hypertrophy")
    assert no_difference.expected_direction == ""  # a claim of no difference


# What is known of the papers (tests/claims/test_demo_appraisal.py's docstring): Refalo et al.
# 2024's abstract, vastus lateralis thickness, failure minus RIR, 0.033 cm (HDI −0.046 to
# 0.116), 18 participants, 8 weeks. Nothing for Ruple 2023, Hermann 2025 or Goli 2026.
REFALO = "10.1080/02640414.2024.2321021"
REFALO_VL = {
    "outcome": "Vastus lateralis thickness, failure minus RIR",
    "effect_measure": "md",
    "effect_estimate": 0.033,
    "effect_ci_lower": -0.046,
    "effect_ci_upper": 0.116,
    "effect_unit": "cm",
    "effect_time_point": "8 weeks",
    "n_analysed": 18,
    "effect_reported_in": "Abstract (Bayesian model; HDI)",
}


def test_the_demo_invents_no_figures(demo):
    """Only the figures the Refalo abstract reports, on its three links; the interval is an
    HDI and says so. The other studies stay "direction only", their imprecise flag the editor's."""
    for evidence in Evidence.objects.select_related("study"):
        entered = {name: getattr(evidence, name) for name in REFALO_VL}
        if evidence.study.doi == REFALO:
            assert entered == REFALO_VL, evidence.claim.slug
            evidence.full_clean()  # lower ≤ estimate ≤ upper, the stance fits the interval
            assert "HDI" in evidence.effect_reported_in
            # "Any effect" (no threshold): an interval including 0 is inconclusive, derived.
            reading = evidence.effect_reading()
            assert (reading.kind, reading.words) == (effects.INCONCLUSIVE, NO_THRESHOLD_WORDS)
            assert evidence.imprecise is True and evidence.imprecise_derived
            continue
        assert evidence.effect_measure == "" and evidence.effect_estimate is None
        assert evidence.effect_ci_lower is None and evidence.n_analysed is None
        assert not evidence.imprecise_derived
    ruple = Evidence.objects.get(claim__slug="near-failure-training-vastus-lateralis-csa")
    assert ruple.outcome == "Distal vastus lateralis muscle cross-sectional area"
    assert ruple.effect_time_point == "After 5 weeks"


def section(html: str, element_id: str) -> str | None:
    match = re.search(rf'<section[^>]*id="{element_id}".*?</section>', html, re.S)
    return unescape(match.group(0)) if match else None


def cells(html: str, css_class: str) -> list[str]:
    return [unescape(text) for text in re.findall(rf'class="{css_class}">([^<]*)<', html)]


def test_each_demo_page_shows_the_effects_and_findings_matching_the_verdict(demo, member_client):
    """Issue 14's "done when" on the demo: the Refalo effect with its interval and plain
    reading in the forest plot; the summary of findings saying what the verdict panel says."""
    for claim in demo:
        html = member_client.get(claim.get_absolute_url()).content.decode()
        statement = claim_scorecard(claim).statement
        assert cells(html, "verdict-statement") == [statement], claim.slug
        findings = section(html, "summary-of-findings")
        assert cells(findings, "sof-statement") == [statement], claim.slug
        plot = section(html, "effects")
        if not claim.evidence.filter(study__doi=REFALO).exists():
            # No figures reported: the studies are listed by the way they point, not drawn.
            assert "<svg" not in plot and "Direction only" in plot, claim.slug
            assert "direction only" in findings, claim.slug
            continue
        for words in ("Refalo et al. 2024", "0.033", "−0.046", "0.116", NO_THRESHOLD_WORDS):
            assert words in plot, (claim.slug, words)
        assert "0.033 cm" in findings, claim.slug
