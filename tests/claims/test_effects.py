"""claims.effects: a link's CI read against no effect and the claim's smallest important effect."""

from types import SimpleNamespace

import pytest

from claims import effects
from claims.effects import INCONCLUSIVE_WORDS, is_imprecise, reading, threshold_for
from claims.models import EffectMeasure


def claim(value=None, measure="", direction=""):
    return SimpleNamespace(
        important_effect=value, important_effect_measure=measure, expected_direction=direction
    )


def effect(lower, upper, measure="md", estimate=None):
    return SimpleNamespace(
        effect_measure=measure,
        effect_estimate=estimate,
        effect_ci_lower=lower,
        effect_ci_upper=upper,
    )


MD_UP = claim(2.0, "md", "increase")  # an increase of 2 mm or more matters
RR_DOWN = claim(0.8, "rr", "decrease")  # a 20% lower risk or more matters


def test_the_measures_and_their_no_effect_values():
    assert set(effects.MEASURE_LABELS) == set(EffectMeasure.values)
    assert dict(EffectMeasure.choices) == effects.MEASURE_LABELS
    assert [m for m in EffectMeasure.values if effects.is_ratio(m)] == ["rr", "or", "hr"]
    assert effects.no_effect("rr") == effects.no_effect("hr") == effects.no_effect("or") == 1
    for measure in ("md", "smd", "percent_change", "other"):
        assert effects.no_effect(measure) == 0


@pytest.mark.parametrize(
    ("the_claim", "measure", "expected"),
    [
        (claim(2, "md", "increase"), "md", 2),
        (claim(2, "md", "decrease"), "md", -2),
        (claim(-2, "md", "increase"), "md", 2),  # the direction signs it
        (claim(-2, "md", ""), "md", -2),  # no direction: as entered
        (claim(0.8, "rr", "decrease"), "rr", 0.8),
        (claim(1.25, "rr", "decrease"), "rr", 0.8),
        (claim(0.8, "rr", "increase"), "rr", 1.25),
        (claim(2, "md", "increase"), "smd", None),  # stated on another measure
        (claim(None, "md", "increase"), "md", None),  # any effect
        (claim(1, "rr", "increase"), "rr", None),  # 1 is no effect: refused by validation
    ],
)
def test_threshold_for_signs_the_claims_important_effect(the_claim, measure, expected):
    found = threshold_for(the_claim, measure)
    assert found is None if expected is None else found == pytest.approx(expected)


@pytest.mark.parametrize(
    ("lower", "upper", "kind", "words"),
    [
        (2.5, 5.0, "important", "an important increase"),
        (0.5, 3.0, "possibly_important", "an increase, possibly an important one"),
        (-1.0, 1.0, "little_or_none", "little or no effect"),
        (0.3, 1.5, "little_or_none", "little or no effect"),  # real but smaller than matters
        (-1.0, 3.0, "inconclusive", INCONCLUSIVE_WORDS),
        (-3.0, 1.0, "inconclusive", INCONCLUSIVE_WORDS),  # an important decrease, or none
        (-5.0, -2.5, "important", "an important decrease"),
        (-3.0, -0.5, "possibly_important", "a decrease, possibly an important one"),
    ],
)
def test_the_four_readings_of_a_difference(lower, upper, kind, words):
    read = reading(effect(lower, upper, estimate=(lower + upper) / 2), MD_UP)
    assert (read.kind, read.words) == (kind, words)
    assert read.threshold == 2.0
    assert is_imprecise(effect(lower, upper), MD_UP) is (kind == "inconclusive")


def test_little_or_no_effect_and_inconclusive_read_differently():
    precise, wide = reading(effect(-0.5, 0.5), MD_UP), reading(effect(-4.0, 4.0), MD_UP)
    assert precise.words == "little or no effect"
    assert wide.words == "compatible with both an important effect and none"


class TestTheBoundary:
    """A CI touching a value includes it."""

    def test_touching_the_threshold_from_below_with_no_effect_inside_is_imprecise(self):
        assert reading(effect(-1.0, 2.0), MD_UP).kind == "inconclusive"
        assert is_imprecise(effect(-1.0, 2.0), MD_UP) is True
        assert is_imprecise(effect(-1.0, 1.999), MD_UP) is False

    def test_a_ci_starting_exactly_at_the_threshold_is_an_important_effect(self):
        assert reading(effect(2.0, 4.0), MD_UP).kind == "important"
        assert reading(effect(1.999, 4.0), MD_UP).kind == "possibly_important"

    def test_touching_no_effect_exactly_includes_it(self):
        assert is_imprecise(effect(0.0, 3.0), MD_UP) is True  # 0 and 2 both inside
        assert reading(effect(0.0, 1.0), MD_UP).kind == "little_or_none"
        assert is_imprecise(effect(0.001, 3.0), MD_UP) is False
        assert reading(effect(0.001, 3.0), MD_UP).kind == "possibly_important"

    def test_touching_the_mirrored_threshold(self):
        assert is_imprecise(effect(-2.0, 0.5), MD_UP) is True
        assert is_imprecise(effect(-1.999, 0.5), MD_UP) is False

    def test_ratios_touch_on_their_own_scale(self):
        # 1/1.25 is 0.8: the mirror of a 0.8 threshold, whatever the float rounding.
        assert is_imprecise(effect(0.8, 1.1, "rr"), RR_DOWN) is True
        assert is_imprecise(effect(0.9, 1.25, "rr"), RR_DOWN) is True
        assert is_imprecise(effect(0.9, 1.2, "rr"), RR_DOWN) is False
        assert reading(effect(0.5, 0.8, "rr"), RR_DOWN).kind == "important"
        assert reading(effect(0.85, 1.0, "rr"), RR_DOWN).kind == "little_or_none"
        assert is_imprecise(effect(0.7, 1.0, "rr"), RR_DOWN) is True  # touches no effect

    def test_any_effect_is_imprecise_when_the_ci_includes_no_effect(self):
        any_effect = claim(None, "", "increase")
        assert is_imprecise(effect(0.0, 3.0), any_effect) is True
        assert is_imprecise(effect(-3.0, 0.0), any_effect) is True
        assert is_imprecise(effect(0.01, 3.0), any_effect) is False
        assert reading(effect(0.01, 3.0), any_effect).words == "an increase"
        assert is_imprecise(effect(0.9, 1.0, "hr"), any_effect) is True
        assert is_imprecise(effect(0.9, 0.99, "hr"), any_effect) is False


def test_a_threshold_on_another_measure_reads_against_no_effect():
    read = reading(effect(0.2, 0.9, "smd"), MD_UP)
    assert (read.kind, read.threshold) == ("important", None)
    assert reading(effect(-0.2, 0.9, "smd"), MD_UP).kind == "inconclusive"


def test_no_ci_no_reading_and_the_editors_flag_stands():
    for partial in (effect(None, None), effect(1.0, None), effect(1.0, 2.0, measure="")):
        assert reading(partial, MD_UP).kind is None
        assert is_imprecise(partial, MD_UP) is None
    assert reading(effect(1.0, 2.0), None).kind == "important"  # no claim: any effect


def test_the_direction_against_the_claim():
    with_estimate = reading(effect(-5.0, -2.5, estimate=-3.0), MD_UP)
    assert (with_estimate.direction, with_estimate.as_claimed) == ("decrease", False)
    assert reading(effect(2.5, 5.0, estimate=3.0), MD_UP).as_claimed is True
    assert reading(effect(2.5, 5.0), claim(2.0, "md")).as_claimed is None  # no direction
    across = reading(effect(-1.0, 3.0), MD_UP)
    assert (across.direction, across.as_claimed) == ("", None)  # no estimate, CI across 0


class TestWithoutAThreshold:
    """With "any effect" nobody has said what is important, so an interval including no effect
    is not "compatible with an important effect": it includes no effect, and the reader is told
    why it cannot be read as "little or no effect"."""

    def test_a_ci_including_no_effect_says_so_not_important(self):
        read = reading(effect(-0.046, 0.116), claim())
        assert read.kind == "inconclusive" and read.imprecise
        assert read.words == effects.NO_THRESHOLD_WORDS
        assert "important effect and none" not in read.words

    def test_a_threshold_on_another_measure_or_unit_is_named_as_the_reason(self):
        other_measure = reading(effect(-1.0, 1.0, measure="smd"), MD_UP)
        assert other_measure.words == effects.OTHER_SCALE_WORDS
        in_cm = SimpleNamespace(**vars(MD_UP), important_effect_unit="cm")
        in_mm = SimpleNamespace(**vars(effect(-1.0, 1.0)), effect_unit="mm")
        assert reading(in_mm, in_cm).words == effects.OTHER_SCALE_WORDS

    def test_with_a_threshold_the_wording_is_unchanged(self):
        assert reading(effect(-4.0, 4.0), MD_UP).words == INCONCLUSIVE_WORDS
