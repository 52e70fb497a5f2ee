"""The demo claims' PICO, from their seed wording; effects only as the seeds state them."""

import pytest

from claims.models import Claim, Evidence

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


def test_the_demo_invents_no_figures(demo):
    # The seeds give no estimate, CI or n: outcomes and time points only, so every demo link
    # is "direction only" and its imprecise flag is still the editor's.
    for evidence in Evidence.objects.all():
        assert evidence.effect_measure == "" and evidence.effect_estimate is None
        assert evidence.effect_ci_lower is None and evidence.n_analysed is None
    ruple = Evidence.objects.get(claim__slug="near-failure-training-vastus-lateralis-csa")
    assert ruple.outcome == "Distal vastus lateralis muscle cross-sectional area"
    assert ruple.effect_time_point == "After 5 weeks"
