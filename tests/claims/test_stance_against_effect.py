"""An evidence link's stance must not contradict its own effect: a study "supporting" a claimed
increase whose whole CI lies below no effect is a data-entry slip (a sign flipped, or the wrong
stance), and the admin refuses it with a message naming both; an uncertain CI is left alone."""

import pytest
from django.core.exceptions import ValidationError

from claims.models import Claim
from studies.models import Stance
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim():
    return make_claim(expected_direction="increase")


def effect(**fields):
    return {"effect_measure": "md", "effect_unit": "mm", **fields}


def clean(evidence, **fields):
    for name, value in fields.items():
        setattr(evidence, name, value)
    evidence.full_clean()


def test_it_refuses_a_supporting_study_whose_ci_points_the_other_way(claim):
    evidence = link(claim, make_study(), certainty="")
    with pytest.raises(ValidationError) as refused:
        clean(evidence, **effect(effect_estimate=-2.0, effect_ci_lower=-3.0, effect_ci_upper=-1.0))
    message = refused.value.message_dict["stance"][0]
    assert "decrease" in message and "supports" in message and "increase" in message


def test_it_refuses_a_contradicting_study_showing_the_claimed_effect(claim):
    Claim.objects.filter(pk=claim.pk).update(important_effect=0.5, important_effect_measure="md")
    claim.refresh_from_db()
    evidence = link(claim, make_study(), certainty="", stance=Stance.CONTRADICTS)
    with pytest.raises(ValidationError) as refused:
        clean(evidence, **effect(effect_estimate=2.0, effect_ci_lower=1.0, effect_ci_upper=3.0))
    assert "an important increase" in refused.value.message_dict["stance"][0]


@pytest.mark.parametrize(
    ("stance", "values"),
    [
        (Stance.SUPPORTS, (2.0, 1.0, 3.0)),  # agrees
        (Stance.SUPPORTS, (-0.5, -2.0, 1.0)),  # CI includes no effect: not a contradiction
        (Stance.CONTRADICTS, (-2.0, -3.0, -1.0)),  # agrees
        (Stance.CONTRADICTS, (0.5, -1.0, 2.0)),  # inconclusive: a judgement, allowed
    ],
)
def test_it_accepts_a_stance_its_effect_does_not_contradict(claim, stance, values):
    evidence = link(claim, make_study(), certainty="", stance=stance)
    estimate, lower, upper = values
    clean(
        evidence, **effect(effect_estimate=estimate, effect_ci_lower=lower, effect_ci_upper=upper)
    )


def test_it_has_nothing_to_check_without_an_expected_direction():
    evidence = link(make_claim(expected_direction=""), make_study(), certainty="")
    clean(evidence, **effect(effect_estimate=-2.0, effect_ci_lower=-3.0, effect_ci_upper=-1.0))
