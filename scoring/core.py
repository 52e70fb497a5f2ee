"""The scoring model, second edition: which studies count, Pro and Against, and the certainty.

Which studies count (§3.1): a retracted item is not counted; then an item pooled in a review
that is itself still in (a meta-analysis or systematic review not retracted) is not counted;
then of several items from one trial only the one with the most points counts. An item not
counted is still listed, with its reason and the points it would earn.

Pro and Against (§3.2): each counted study earns points s = 100 × C × T × N × d: its GRADE
certainty for this claim (C, given by an editor or derived from the design's starting level,
rated down, and rated up only when it is observational and was not rated down), its design tier
(T), its sample size (N, on a log scale up to 400) and how fully its finding bears on the claim
(d). Each side is scored on its own: its points are sorted from largest down and added with
halving weights, E = Σ s(k) × 0.5^(k−1), so one strong study outweighs any number of much
weaker ones; then score = round(100 × (1 − exp(−E / 40))), an integer from 0 to 99. The two
scores need not sum to 100.

Certainty of the body of evidence (§3.3): one GRADE level for the claim, set by the stream (the
counted studies with the highest starting level), rated down for risk of bias, inconsistency,
indirectness, imprecision and publication bias and up for strong observational evidence, with a
plain reason for each step.

The verdict (§3.4) combines the two: very low certainty reads "Very uncertain", and a strong
verdict needs moderate or high certainty. A statement in GRADE's informative words says how
sure anyone can be, and a fragility check asks whether one strong study on the trailing side
would tie the scores. Every constant lives in the scoring table (scoring.weights) with its
source, and every sentence template in scoring.wording.

This module holds one study's certainty and points, a side's score, the verdict and its
statement; certainty.py the body of evidence, scorecard.py score() that puts it all together.
"""

import math
from collections.abc import Iterable, Mapping
from typing import Any

from . import weights as w
from .items import Item, as_item, check, check_claim_type, check_count
from .vocabulary import (
    INSUFFICIENT,
    LEANING_AGAINST,
    LEANING_SUPPORT,
    MIXED,
    MODERATE_SUPPORT,
    MODERATELY_CONTRADICTED,
    STRONG_SUPPORT,
    STRONGLY_CONTRADICTED,
    VERY_UNCERTAIN,
)

# Why an item is not counted (§3.1), in the order the rules apply.
RETRACTED = w.NOT_COUNTED["retracted"]
POOLED_IN = w.NOT_COUNTED["pooled_in"]
SAME_TRIAL = w.NOT_COUNTED["same_trial"]
NOT_COUNTED_REASONS = (RETRACTED, POOLED_IN, SAME_TRIAL)


def start_level(design: str, claim_type: str | None = None) -> str:
    """The GRADE level a design starts at for this claim type (§3.2)."""
    check("design", design, w.DESIGN_VALUES)
    check_claim_type(claim_type)
    return checked_start_level(design, claim_type)


def checked_start_level(design: str, claim_type: str | None) -> str:
    if design == "mechanistic" and claim_type == "mechanistic":
        return w.MECHANISTIC_CLAIM_START_LEVEL
    if design in w.OBSERVATIONAL_DESIGNS and claim_type in w.OBSERVATIONAL_DIRECT_CLAIM_TYPES:
        return w.OBSERVATIONAL_DIRECT_START_LEVEL
    return w.START_LEVEL[design]


def clamp(index: int) -> str:
    return w.LEVELS[min(max(index, 0), len(w.LEVELS) - 1)]


def certainty_for(
    design: str, claim_type: str | None = None, downgrades: int = 0, upgrades: int = 0
) -> str:
    """The GRADE level a design starts at for this claim type, rated down, then rated up only
    for an observational design that was not rated down (GRADE 9), clamped."""
    check_count("downgrades", downgrades)
    check_count("upgrades", upgrades)
    check("design", design, w.DESIGN_VALUES)
    check_claim_type(claim_type)
    return _certainty_for(design, claim_type, downgrades, upgrades)


def _certainty_for(design: str, claim_type: str | None, downgrades: int, upgrades: int) -> str:
    start = checked_start_level(design, claim_type)
    if design not in w.OBSERVATIONAL_DESIGNS or downgrades:
        upgrades = 0
    step = w.LEVEL_PER_UPGRADE * upgrades - w.LEVEL_PER_DOWNGRADE * downgrades
    return clamp(w.LEVELS.index(start) + step)


def effective_certainty(item: Item | Mapping[str, Any], claim_type: str | None = None) -> str:
    check_claim_type(claim_type)
    return checked_certainty(as_item(item), claim_type)


def checked_certainty(item: Item, claim_type: str | None) -> str:
    """effective_certainty of an item and claim type already checked (scorecard.score checks
    each item once, not once a figure)."""
    if item.certainty is not None:
        return item.certainty
    return _certainty_for(item.design, claim_type, item.downgrades, item.upgrades)


def sample_size_factor(n: float | None) -> float:
    if n is None:
        return w.SAMPLE_SIZE_UNKNOWN
    if n < 1:
        raise ValueError(f"sample_size must be at least 1, or None when unknown; got {n!r}")
    floor = w.SAMPLE_SIZE_FLOOR
    factor = floor + (1 - floor) * math.log10(n) / math.log10(w.SAMPLE_SIZE_FULL)
    return min(max(factor, floor), 1.0)


def points(item: Item | Mapping[str, Any], claim_type: str | None = None) -> float:
    check_claim_type(claim_type)
    item = as_item(item)
    return checked_points(item, checked_certainty(item, claim_type))


def checked_points(item: Item, certainty: str) -> float:
    """points of a checked item whose effective certainty is known."""
    return (
        100
        * w.CERTAINTY_MULTIPLIER[certainty]
        * w.DESIGN_TIER[item.design]
        * sample_size_factor(item.sample_size)
        * w.STRENGTH_FACTOR[item.strength]
    )


def effective(points_list: Iterable[float]) -> float:
    """E: the side's points, largest first, each weighted half the one before."""
    return sum(s * w.DECAY**k for k, s in enumerate(sorted(points_list, reverse=True)))


def round_half_up(x: float) -> int:
    """Round to the nearest integer, halves up (Python's round() would send 0.5 to 0)."""
    return math.floor(x + 0.5)


def scale(e: float) -> int:
    return round_half_up(100 * (1 - math.exp(-e / w.SCALE)))


def side_score(points_list: Iterable[float]) -> int:
    return scale(effective(points_list))


def verdict_for(pro: int, against: int, certainty: str | None) -> str:
    """The verdict label (§3.4) for the two scores and the certainty of the body of evidence.

    `certainty` is required: None means nothing is counted, which is insufficient evidence.
    """
    if certainty is not None:
        check("certainty", certainty, w.CERTAINTY_VALUES)
    if certainty is None or max(pro, against) < w.INSUFFICIENT_BELOW:
        return INSUFFICIENT
    if certainty == w.VERY_UNCERTAIN_AT:
        return VERY_UNCERTAIN
    strong_allowed = w.LEVELS.index(certainty) >= w.LEVELS.index(w.STRONG_NEEDS_AT_LEAST)
    if pro >= w.STRONG_AT_LEAST and against < w.STRONG_OTHER_BELOW:
        return STRONG_SUPPORT if strong_allowed else MODERATE_SUPPORT
    if against >= w.STRONG_AT_LEAST and pro < w.STRONG_OTHER_BELOW:
        return STRONGLY_CONTRADICTED if strong_allowed else MODERATELY_CONTRADICTED
    if pro - against >= w.MODERATE_GAP:
        return MODERATE_SUPPORT
    if against - pro >= w.MODERATE_GAP:
        return MODERATELY_CONTRADICTED
    if pro - against >= w.LEANING_GAP:
        return LEANING_SUPPORT
    if against - pro >= w.LEANING_GAP:
        return LEANING_AGAINST
    return MIXED


def statement_for(certainty: str | None, lead: str | None) -> str:
    """GRADE's informative statement (Santesso 2020) for a certainty and the leading side
    ("supports", "contradicts", or None on a tie)."""
    if certainty is None:
        return w.NO_CERTAINTY_STATEMENT
    check("certainty", certainty, w.CERTAINTY_VALUES)
    return w.STATEMENTS[lead][certainty]


def lead_side(pro: int, against: int) -> str | None:
    """Which side leads: "supports", "contradicts", or None on a tie."""
    if pro > against:
        return "supports"
    if against > pro:
        return "contradicts"
    return None
