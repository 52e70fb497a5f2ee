"""Effect sizes read against the claim: no effect, the smallest important effect, imprecision.

Pure functions over duck-typed objects (an Evidence's `effect_*` fields, a Claim's
`important_effect*` and `expected_direction`), so the forest plot, the JSON and the model's save
share one reading. Imports no model: `claims.models` imports this module.

The reading follows GRADE's minimally contextualised approach (Hultcrantz 2021, Zeng 2021) with
the words of Santesso 2020's informative statements: where the 95% CI lies relative to no effect
and to the claim's smallest important effect (the threshold). An important effect counts either
way: the threshold in the claimed direction and its mirror image in the other (−t for a
difference, 1/t for a ratio). With "any effect" (no threshold), or a threshold stated on another
measure, the threshold is no effect itself (GRADE's default when none is set).
"""

import math
from dataclasses import dataclass

# claims.models.EffectMeasure's values and labels (the model's choices are built from this).
MEASURE_LABELS = {
    "md": "Mean difference",
    "smd": "Standardised mean difference",
    "rr": "Risk ratio",
    "or": "Odds ratio",
    "hr": "Hazard ratio",
    "percent_change": "Percent change",
    "other": "Other",
}
# What kind of interval a link reports (claims.models.IntervalKind's values and labels): a
# frequentist confidence interval, or a Bayesian credible or highest-density interval. The
# reading below treats them alike: each gives the range of effects the data are compatible with.
INTERVAL_LABELS = {"ci": "95% CI", "cri": "95% credible interval", "hdi": "95% HDI"}
# In full, for captions and screen readers.
INTERVAL_NAMES = {
    "ci": "95% confidence interval",
    "cri": "95% credible interval",
    "hdi": "95% highest-density interval",
}
# Rows of several kinds on one plot: each row names its own.
MIXED_INTERVAL_LABEL = "95% interval"
MIXED_INTERVAL_NAME = "95% interval (each row says which kind)"
# The EffectMeasure values (claims.models.EffectMeasure) whose no-effect value is 1: they are
# positive and drawn on a log scale. Every other measure is a difference, no effect = 0.
RATIO_MEASURES = frozenset({"rr", "or", "hr"})
INCREASE, DECREASE = "increase", "decrease"
# Far beyond any reported effect: validation refuses larger values (a typing slip), and the forest
# plot lists a row written past it under "direction only" instead of breaking its axis.
LARGEST_VALUE = 1e6

IMPORTANT = "important"
POSSIBLY_IMPORTANT = "possibly_important"
LITTLE_OR_NONE = "little_or_none"
INCONCLUSIVE = "inconclusive"
KINDS = (IMPORTANT, POSSIBLY_IMPORTANT, LITTLE_OR_NONE, INCONCLUSIVE)

INCONCLUSIVE_WORDS = "compatible with both an important effect and none"
LITTLE_OR_NONE_WORDS = "little or no effect"
# With "any effect" nothing is said to be important: the reading cannot tell "little or no
# effect" from "inconclusive", and says why instead of naming an important effect.
NO_THRESHOLD_WORDS = "includes no effect (no smallest important effect is set for this claim)"
OTHER_SCALE_WORDS = (
    "includes no effect (the claim's smallest important effect is on another measure or unit)"
)
DERIVED_HELP = (
    "Derived from the CI and the claim's smallest important effect (a credible interval or HDI "
    "is read the same way)."
)


def interval_label(kind: str | None) -> str:
    """ "95% HDI": an unknown or empty kind is a confidence interval (the field's default)."""
    return INTERVAL_LABELS.get(kind or "ci", INTERVAL_LABELS["ci"])


def interval_name(kind: str | None) -> str:
    return INTERVAL_NAMES.get(kind or "ci", INTERVAL_NAMES["ci"])


def is_ratio(measure: str | None) -> bool:
    return measure in RATIO_MEASURES


def no_effect(measure: str | None) -> float:
    return 1.0 if is_ratio(measure) else 0.0


def _close(a: float, b: float) -> bool:
    # A CI "touching" a value exactly must count as including it, whatever the float rounding
    # (1 / 1.25 and 0.8 typed by an editor).
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def _le(a: float, b: float) -> bool:
    return a <= b or _close(a, b)


def _includes(lower: float, upper: float, value: float) -> bool:
    return _le(lower, value) and _le(value, upper)


def mirror(value: float, measure: str) -> float:
    """The same size of effect the other way: −t for a difference, 1/t for a ratio."""
    return 1.0 / value if is_ratio(measure) else -value


def threshold_for(claim, measure: str | None) -> float | None:
    """The claim's smallest important effect on `measure`'s scale, signed by its expected
    direction (a decrease: negative for a difference, below 1 for a ratio), or None when the
    claim says "any effect", states it on another measure, or the value cannot be one (a ratio
    ≤ 0 or = 1, a difference of 0: validation refuses them)."""
    value = getattr(claim, "important_effect", None)
    if value is None or not measure or getattr(claim, "important_effect_measure", "") != measure:
        return None
    base = no_effect(measure)
    if (is_ratio(measure) and value <= 0) or _close(value, base):
        return None
    direction = getattr(claim, "expected_direction", "")
    if direction not in (INCREASE, DECREASE):
        return float(value)  # no direction stated: as the editor entered it
    above = value if value > base else mirror(value, measure)
    return float(above if direction == INCREASE else mirror(above, measure))


@dataclass(frozen=True)
class EffectReading:
    """What a link's 95% CI says, in one of four kinds (None: no CI, nothing to read).

    - "important": the whole CI lies at or beyond an important effect (either way): the study
      shows an important effect ("an important increase"). With "any effect": the CI excludes
      no effect.
    - "possibly_important": the CI excludes no effect and includes the threshold: an effect,
      which may or may not be important.
    - "little_or_none": the whole CI lies between the important effects either way (with or
      without no effect in it): "little or no effect", a precise finding, not a gap.
    - "inconclusive": the CI includes both no effect and an important effect (or, with "any
      effect", includes no effect): "compatible with both an important effect and none". This
      is the GRADE imprecision the link's `imprecise` flag records.

    `threshold` is what the CI was read against (None: no effect itself), `direction` the way
    the estimate points ("increase", "decrease", or "" at no effect or without an estimate),
    `as_claimed` whether that is the claim's expected direction (None when either is unknown).
    """

    kind: str | None
    words: str
    measure: str = ""
    threshold: float | None = None
    direction: str = ""
    as_claimed: bool | None = None

    @property
    def imprecise(self) -> bool | None:
        return None if self.kind is None else self.kind == INCONCLUSIVE


NO_READING = EffectReading(kind=None, words="")


def has_ci(evidence) -> bool:
    return bool(getattr(evidence, "effect_measure", "")) and (
        getattr(evidence, "effect_ci_lower", None) is not None
        and getattr(evidence, "effect_ci_upper", None) is not None
    )


def _direction(value: float | None, measure: str) -> str:
    if value is None or _close(value, no_effect(measure)):
        return ""
    return INCREASE if value > no_effect(measure) else DECREASE


def _a(direction: str) -> str:
    return "a decrease" if direction == DECREASE else "an increase"


def _same_unit(claim, evidence) -> bool:
    """Whether the claim's threshold can be read against the link's CI: a claim, and no two
    different units (0.7 mm against a 0.1 cm threshold would read as important). An empty unit
    on either side is taken as the same."""
    return claim is not None and unit_matches(claim, getattr(evidence, "effect_unit", ""))


def unit_matches(claim, unit: str) -> bool:
    """Whether the claim's threshold is in `unit` (an empty unit on either side: the same)."""
    theirs = (getattr(claim, "important_effect_unit", "") or "").strip().lower()
    ours = (unit or "").strip().lower()
    return not theirs or not ours or theirs == ours


def reading(evidence, claim=None) -> EffectReading:
    """The link's CI read against no effect and the claim's threshold (see EffectReading)."""
    if not has_ci(evidence):
        return NO_READING
    measure = evidence.effect_measure
    lower, upper = sorted((float(evidence.effect_ci_lower), float(evidence.effect_ci_upper)))
    base = no_effect(measure)
    threshold = threshold_for(claim, measure) if _same_unit(claim, evidence) else None
    estimate = getattr(evidence, "effect_estimate", None)
    # The estimate's side, or the CI's when it excludes no effect and no estimate is given.
    direction = _direction(estimate if estimate is not None else (lower + upper) / 2, measure)
    if estimate is None and _includes(lower, upper, base):
        direction = ""
    expected = getattr(claim, "expected_direction", "") if claim is not None else ""
    as_claimed = (direction == expected) if direction and expected else None
    common = {
        "measure": measure,
        "threshold": threshold,
        "direction": direction,
        "as_claimed": as_claimed,
    }
    includes_none = _includes(lower, upper, base)

    if threshold is None:  # "any effect": no effect is the threshold
        if includes_none:
            stated = claim is not None and getattr(claim, "important_effect", None) is not None
            words = OTHER_SCALE_WORDS if stated else NO_THRESHOLD_WORDS
            return EffectReading(INCONCLUSIVE, words, **common)
        return EffectReading(IMPORTANT, _a(direction), **common)

    high, low = (
        max(threshold, mirror(threshold, measure)),
        min(threshold, mirror(threshold, measure)),
    )
    if _le(high, lower) or _le(upper, low):  # wholly at or beyond an important effect
        return EffectReading(IMPORTANT, f"an important {direction}", **common)
    includes_important = _includes(lower, upper, high) or _includes(lower, upper, low)
    if includes_none and includes_important:
        return EffectReading(INCONCLUSIVE, INCONCLUSIVE_WORDS, **common)
    if includes_important:  # excludes no effect, reaches an important one
        words = f"{_a(direction)}, possibly an important one"
        return EffectReading(POSSIBLY_IMPORTANT, words, **common)
    return EffectReading(LITTLE_OR_NONE, LITTLE_OR_NONE_WORDS, **common)


def is_imprecise(evidence, claim=None) -> bool | None:
    """GRADE imprecision from the CI: True when it includes both no effect and an important
    effect (with "any effect": when it includes no effect). None when the link has no CI: the
    editor's flag stands."""
    return reading(evidence, claim).imprecise


def pico_rows(claim) -> list[tuple[str, str]]:
    """The claim's question in plain labels for the page: (label, value) for each part known,
    and its smallest important effect (or "any effect"). Empty when no part is recorded."""
    parts = [
        ("Who", claim.population),
        ("What", claim.intervention),
        ("Compared with", claim.comparator),
        ("Outcome", claim.outcome),
        ("Over", claim.time_frame),
    ]
    rows = [(label, value) for label, value in parts if value]
    if not rows and claim.important_effect is None:
        return []
    if claim.important_effect is None:
        smallest = "any effect (none set)"
    else:
        measure = MEASURE_LABELS.get(claim.important_effect_measure, "effect").lower()
        article = "an" if measure[0] in "aeiou" else "a"
        unit = f" {claim.important_effect_unit}" if claim.important_effect_unit else ""
        value = f"{claim.important_effect:g}".replace("-", "\u2212")
        smallest = f"{article} {measure} of {value}{unit}"
    return [*rows, ("Smallest effect that matters", smallest)]


# Machine-readable (the JSON record, the API and the CSV export share these).


def pico_record(claim) -> dict:
    """The claim's PICO and its smallest important effect (None: any effect)."""
    measure = claim.important_effect_measure
    return {
        "population": claim.population,
        "intervention": claim.intervention,
        "comparator": claim.comparator,
        "outcome": claim.outcome,
        "time_frame": claim.time_frame,
        "expected_direction": claim.expected_direction or None,
        "important_effect": (
            {
                "value": claim.important_effect,
                "measure": measure,
                "measure_label": MEASURE_LABELS.get(measure, ""),
                "unit": claim.important_effect_unit,
            }
            if claim.important_effect is not None
            else None
        ),
    }


def effect_record(evidence, claim) -> dict | None:
    """A link's reported effect and how its CI reads against the claim; None when the link
    reports nothing of it."""
    measure = evidence.effect_measure
    reported = (
        measure,
        evidence.outcome,
        evidence.effect_estimate,
        evidence.effect_ci_lower,
        evidence.n_analysed,
    )
    if not any(value not in ("", None) for value in reported):
        return None
    read = reading(evidence, claim)
    return {
        "outcome": evidence.outcome,
        "measure": measure or None,
        "measure_label": MEASURE_LABELS.get(measure, ""),
        "estimate": evidence.effect_estimate,
        "ci_lower": evidence.effect_ci_lower,
        "ci_upper": evidence.effect_ci_upper,
        # Which kind of interval the bounds are (None without one): read the same way.
        "ci_kind": evidence.effect_ci_kind if has_ci(evidence) else None,
        "ci_label": interval_label(evidence.effect_ci_kind) if has_ci(evidence) else None,
        "unit": evidence.effect_unit,
        "time_point": evidence.effect_time_point,
        "n_analysed": evidence.n_analysed,
        "reported_in": evidence.effect_reported_in,
        "no_effect": no_effect(measure) if measure else None,
        "threshold": read.threshold,
        "reading": {"kind": read.kind, "words": read.words} if read.kind else None,
        "direction": read.direction or None,
        "as_claimed": read.as_claimed,
        "imprecise_derived": has_ci(evidence),
    }
