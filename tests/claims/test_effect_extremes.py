"""Absurd effect values: the model refuses them with a field error, and a row written past
validation (an update(), a restore) still gives pages, not a 500."""

import pytest
from django.core.exceptions import ValidationError

from claims.models import Claim, Evidence
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim():
    claim = make_claim(slug="extremes")
    link(claim, make_study(doi="10.1000/extremes"))
    return claim


@pytest.mark.parametrize("bound", [1e308, float("inf"), 2e6])
def test_it_refuses_an_absurd_ci_with_a_field_error(claim, bound):
    evidence = Evidence.objects.get(claim=claim)
    evidence.effect_measure, evidence.effect_estimate = "md", 0.0
    evidence.effect_ci_lower, evidence.effect_ci_upper = -bound, bound
    with pytest.raises(ValidationError) as error:
        evidence.full_clean()
    assert "effect_ci_upper" in error.value.message_dict


def test_it_refuses_an_absurd_threshold(claim):
    claim.important_effect, claim.important_effect_measure = 1e308, "md"
    with pytest.raises(ValidationError) as error:
        claim.full_clean()
    assert "important_effect" in error.value.message_dict


def test_a_row_written_past_validation_still_renders(claim, member_client, client):
    Evidence.objects.filter(claim=claim).update(
        effect_measure="md", effect_estimate=0.0, effect_ci_lower=-1e308, effect_ci_upper=1e308
    )
    Claim.objects.filter(pk=claim.pk).touch()
    assert member_client.get(claim.get_absolute_url()).status_code == 200
    assert client.get(f"/claims/{claim.slug}.json").status_code == 200
    assert client.get(f"/api/claims/{claim.slug}/").status_code == 200


def test_a_ci_in_another_unit_is_not_read_against_the_claims_threshold():
    """0.7 mm is 0.07 cm, below a 0.1 cm threshold: reading it against 0.1 as if in mm would
    call it important. Without a common unit the CI is read against no effect only."""
    from types import SimpleNamespace

    from claims.effects import IMPORTANT, INCONCLUSIVE, reading

    claim = SimpleNamespace(
        important_effect=0.1,
        important_effect_measure="md",
        important_effect_unit="cm",
        expected_direction="increase",
    )
    in_mm = SimpleNamespace(
        effect_measure="md",
        effect_estimate=0.7,
        effect_ci_lower=0.5,
        effect_ci_upper=0.9,
        effect_unit="mm",
    )
    assert reading(in_mm, claim).threshold is None
    assert reading(in_mm, claim).kind == IMPORTANT  # excludes no effect: "an increase"
    in_cm = SimpleNamespace(**{**vars(in_mm), "effect_unit": "cm"})
    assert reading(in_cm, claim).threshold == 0.1
    assert reading(in_cm, claim).kind != INCONCLUSIVE
