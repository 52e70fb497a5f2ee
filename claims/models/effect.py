"""Effect sizes: the measure vocabulary, an evidence link's effect fields, and their validation.

The claim's side (PICO and the smallest important effect) lives on Claim; how a CI reads against
it is claims.effects (pure functions, no models).
"""

import math

from django import forms
from django.db import models
from django.db.models import Q

from ..effects import (
    IMPORTANT,
    INTERVAL_LABELS,
    LARGEST_VALUE,
    MEASURE_LABELS,
    POSSIBLY_IMPORTANT,
    RATIO_MEASURES,
    is_ratio,
    no_effect,
)


class EffectMeasure(models.TextChoices):
    MD = "md", MEASURE_LABELS["md"]
    SMD = "smd", MEASURE_LABELS["smd"]
    RR = "rr", MEASURE_LABELS["rr"]
    OR = "or", MEASURE_LABELS["or"]
    HR = "hr", MEASURE_LABELS["hr"]
    PERCENT_CHANGE = "percent_change", MEASURE_LABELS["percent_change"]
    OTHER = "other", MEASURE_LABELS["other"]


class IntervalKind(models.TextChoices):
    """A frequentist confidence interval, or a Bayesian one (credible, highest-density)."""

    CI = "ci", INTERVAL_LABELS["ci"]
    CRI = "cri", INTERVAL_LABELS["cri"]
    HDI = "hdi", INTERVAL_LABELS["hdi"]


class ExpectedDirection(models.TextChoices):
    INCREASE = "increase", "Increase"
    DECREASE = "decrease", "Decrease"


RATIOS = sorted(RATIO_MEASURES)
MEASURE_NEEDED = "Choose the effect measure: an estimate or a CI means nothing without it."
CI_NEEDS_BOTH = "Give both bounds of the 95% interval, or neither."
CI_ORDER = "The lower bound of the CI must not be above the upper bound."
ESTIMATE_OUTSIDE_CI = "The estimate must lie within its CI (lower ≤ estimate ≤ upper)."
RATIO_POSITIVE = "A ratio (risk, odds, hazard) is always above 0: no effect is 1."
VALUE_TOO_LARGE = f"Enter a value between −{LARGEST_VALUE:,.0f} and {LARGEST_VALUE:,.0f}."
N_ANALYSED_ABOVE_SAMPLE = (
    "{n} analysed is more than the study's {sample_size} participants: correct the n analysed, "
    "or the study's sample size."
)
THRESHOLD_MEASURE_NEEDED = "Choose the measure the smallest important effect is stated on."
THRESHOLD_RATIO = "A ratio threshold must be above 0 and not 1 (1 is no effect)."
THRESHOLD_DIFFERENCE = "A difference threshold cannot be 0 (0 is no effect): leave it empty "
THRESHOLD_DIFFERENCE += 'for "any effect".'


def n_analysed_errors(n, sample_size) -> dict[str, str]:
    """More analysed than the study had (Evidence.clean). Without the study's size (not
    reported) any n goes."""
    if n is None or not sample_size or n <= sample_size:
        return {}
    return {"n_analysed": N_ANALYSED_ABOVE_SAMPLE.format(n=n, sample_size=sample_size)}


def effect_errors(measure, estimate, lower, upper) -> dict[str, str]:
    """Field errors for an evidence link's effect (Evidence.clean)."""
    errors = {}
    values = {"effect_estimate": estimate, "effect_ci_lower": lower, "effect_ci_upper": upper}
    if not measure and any(value is not None for value in values.values()):
        errors["effect_measure"] = MEASURE_NEEDED
    if (lower is None) != (upper is None):
        errors["effect_ci_lower" if lower is None else "effect_ci_upper"] = CI_NEEDS_BOTH
    for field, value in values.items():
        if value is not None and not (math.isfinite(value) and abs(value) <= LARGEST_VALUE):
            errors[field] = VALUE_TOO_LARGE
    if is_ratio(measure):
        for field, value in values.items():
            if value is not None and value <= 0:
                errors[field] = RATIO_POSITIVE
    if errors:
        return errors
    if lower is not None and upper is not None:
        if lower > upper:
            errors["effect_ci_upper"] = CI_ORDER
        elif estimate is not None and not lower <= estimate <= upper:
            errors["effect_estimate"] = ESTIMATE_OUTSIDE_CI
    return errors


STANCE_AGAINST_EFFECT = (
    "This link says the study {stance} a claimed {expected}, but its own 95% interval shows "
    "{shown}. "
    "Check the sign of the effect (and which arm is subtracted from which) or the stance."
)


def stance_errors(stance: str, reading, expected: str) -> dict[str, str]:
    """A stance its own effect contradicts (Evidence.clean). Only where the CI settles the
    direction: a supporting link whose CI lies wholly the other way, or a contradicting one
    whose CI shows an important effect as claimed; an uncertain CI is the editor's judgement."""
    if reading.kind is None or not expected or reading.as_claimed is None:
        return {}
    settled = reading.kind in (IMPORTANT, POSSIBLY_IMPORTANT)
    against = stance == "supports" and settled and not reading.as_claimed
    against |= stance == "contradicts" and reading.kind == IMPORTANT and reading.as_claimed
    if not against:
        return {}
    message = STANCE_AGAINST_EFFECT.format(stance=stance, expected=expected, shown=reading.words)
    return {"stance": message}


def threshold_errors(value, measure) -> dict[str, str]:
    """Field errors for a claim's smallest important effect (Claim.clean)."""
    if value is None:
        return {}
    if not (math.isfinite(value) and abs(value) <= LARGEST_VALUE):
        return {"important_effect": VALUE_TOO_LARGE}
    if not measure:
        return {"important_effect_measure": THRESHOLD_MEASURE_NEEDED}
    if is_ratio(measure) and (value <= 0 or value == no_effect(measure)):
        return {"important_effect": THRESHOLD_RATIO}
    if not is_ratio(measure) and value == 0:
        return {"important_effect": THRESHOLD_DIFFERENCE}
    return {}


def _null_or(field: str, condition: Q) -> Q:
    return Q(**{f"{field}__isnull": True}) | condition


def evidence_effect_constraints() -> list[models.CheckConstraint]:
    """What any write path must respect (clean() says it field by field first)."""
    estimate, lower, upper = "effect_estimate", "effect_ci_lower", "effect_ci_upper"
    ratio = Q(effect_measure__in=RATIOS)
    return [
        models.CheckConstraint(
            condition=Q(effect_measure="") | Q(effect_measure__in=EffectMeasure.values),
            name="evidence_effect_measure_valid",
        ),
        models.CheckConstraint(
            condition=Q(effect_ci_kind__in=IntervalKind.values),
            name="evidence_effect_ci_kind_valid",
        ),
        models.CheckConstraint(
            condition=~Q(effect_measure="")
            | Q(
                effect_estimate__isnull=True,
                effect_ci_lower__isnull=True,
                effect_ci_upper__isnull=True,
            ),
            name="evidence_effect_has_measure",
            violation_error_message=MEASURE_NEEDED,
        ),
        models.CheckConstraint(
            condition=Q(effect_ci_lower__isnull=True, effect_ci_upper__isnull=True)
            | Q(effect_ci_lower__isnull=False, effect_ci_upper__isnull=False),
            name="evidence_effect_ci_both_bounds",
            violation_error_message=CI_NEEDS_BOTH,
        ),
        models.CheckConstraint(
            condition=_null_or(lower, Q(effect_ci_lower__lte=models.F(upper))),
            name="evidence_effect_ci_ordered",
            violation_error_message=CI_ORDER,
        ),
        models.CheckConstraint(
            condition=_null_or(
                estimate,
                _null_or(lower, Q(effect_ci_lower__lte=models.F(estimate)))
                & _null_or(upper, Q(effect_ci_upper__gte=models.F(estimate))),
            ),
            name="evidence_effect_estimate_in_ci",
            violation_error_message=ESTIMATE_OUTSIDE_CI,
        ),
        models.CheckConstraint(
            condition=~ratio
            | (
                _null_or(estimate, Q(effect_estimate__gt=0))
                & _null_or(lower, Q(effect_ci_lower__gt=0))
                & _null_or(upper, Q(effect_ci_upper__gt=0))
            ),
            name="evidence_effect_ratio_positive",
            violation_error_message=RATIO_POSITIVE,
        ),
    ]


def claim_threshold_constraints() -> list[models.CheckConstraint]:
    ratio = Q(important_effect_measure__in=RATIOS)
    return [
        models.CheckConstraint(
            condition=Q(important_effect_measure="")
            | Q(important_effect_measure__in=EffectMeasure.values),
            name="claim_important_effect_measure_valid",
        ),
        models.CheckConstraint(
            condition=Q(expected_direction__in=["", *ExpectedDirection.values]),
            name="claim_expected_direction_valid",
        ),
        models.CheckConstraint(
            condition=Q(important_effect__isnull=True) | ~Q(important_effect_measure=""),
            name="claim_important_effect_has_measure",
            violation_error_message=THRESHOLD_MEASURE_NEEDED,
        ),
        models.CheckConstraint(
            condition=Q(important_effect__isnull=True)
            | (ratio & Q(important_effect__gt=0) & ~Q(important_effect=1))
            | (~ratio & ~Q(important_effect=0)),
            name="claim_important_effect_not_null_effect",
            violation_error_message=THRESHOLD_RATIO,
        ),
    ]


class AnyFloatFormField(forms.FloatField):
    """Keeps "1e309" (infinity once parsed) and "nan" as typed: the model's clean refuses them
    with its one range error on the field. Django's own "Enter a number." would leave the field
    empty for clean, which then finds a bound missing: two errors for one field."""

    def validate(self, value):
        forms.Field.validate(self, value)  # required or not; no finiteness check here


class EffectValueField(models.FloatField):
    """A FloatField whose form field leaves the range to the model (AnyFloatFormField)."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": AnyFloatFormField, **kwargs})

    def deconstruct(self):
        # Only the form field differs: to migrations (and their history) a plain FloatField.
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.FloatField", args, kwargs


class EffectFields(models.Model):
    """An evidence link's reported effect (issue 14): all optional, validated in Evidence.clean
    and by the constraints above."""

    outcome = models.CharField(
        "outcome measured", max_length=300, blank=True, help_text="As the paper reports it."
    )
    effect_measure = models.CharField(max_length=16, choices=EffectMeasure.choices, blank=True)
    effect_estimate = EffectValueField("point estimate", null=True, blank=True)
    effect_ci_lower = EffectValueField("95% interval, lower", null=True, blank=True)
    effect_ci_upper = EffectValueField("95% interval, upper", null=True, blank=True)
    effect_ci_kind = models.CharField(
        "interval kind",
        max_length=4,
        choices=IntervalKind.choices,
        default=IntervalKind.CI,
        help_text="A Bayesian analysis reports a credible or highest-density interval (HDI); "
        "it is shown as what it is, and read the same way as a confidence interval.",
    )
    effect_unit = models.CharField(
        "unit", max_length=40, blank=True, help_text="For a difference: mm, cm², kg, %, points."
    )
    effect_time_point = models.CharField(
        "time point", max_length=120, blank=True, help_text="e.g. 8 weeks."
    )
    n_analysed = models.PositiveIntegerField("n analysed", null=True, blank=True)
    effect_reported_in = models.CharField(
        "reported in", max_length=120, blank=True, help_text='"Table 2", "Figure 3".'
    )

    class Meta:
        abstract = True

    @property
    def has_effect(self) -> bool:
        return bool(self.effect_measure) and self.effect_estimate is not None
