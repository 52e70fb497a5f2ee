"""The Pro/Against scoring model.

Each study linked to a claim earns points s = 100 × C × T × N × d: its GRADE certainty for
this claim (C, given by an editor or derived from the design's starting level, rated down and
up), its design tier (T), its sample size (N, on a log scale up to 400) and how fully its
finding bears on the claim (d). Each side is scored on its own: its points are sorted from
largest down and added with halving weights, E = Σ s(k) × 0.5^(k−1), so one strong study
outweighs any number of much weaker ones; then score = round(100 × (1 − exp(−E / 40))), an
integer from 0 to 99. The two scores need not sum to 100. A verdict label follows from the
pair, and a fragility check asks whether one strong study on the trailing side would tie it.
Every constant lives in scoring.weights with the source that justifies it.
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from . import weights as w

INSUFFICIENT = "Insufficient evidence"
STRONG_SUPPORT = "Strong support"
STRONGLY_CONTRADICTED = "Strongly contradicted"
MODERATE_SUPPORT = "Moderate support"
MODERATELY_CONTRADICTED = "Moderately contradicted"
LEANING_SUPPORT = "Leaning support"
LEANING_AGAINST = "Leaning against"
MIXED = "Mixed evidence"

VERDICTS = (
    INSUFFICIENT,
    STRONG_SUPPORT,
    STRONGLY_CONTRADICTED,
    MODERATE_SUPPORT,
    MODERATELY_CONTRADICTED,
    LEANING_SUPPORT,
    LEANING_AGAINST,
    MIXED,
)

NO_STUDIES = "No studies have been scored yet."


@dataclass(frozen=True)
class Item:
    """One study's link to a claim, as the scoring model sees it.

    When `certainty` is given it is used as is and `downgrades`/`upgrades` are ignored;
    when it is None it is derived from the design (see `certainty_for`).
    """

    stance: str
    design: str
    certainty: str | None = None
    sample_size: int | None = None
    strength: str = "clear"
    downgrades: int = 0
    upgrades: int = 0
    key: Any = None


ITEM_FIELDS = tuple(f.name for f in fields(Item))


@dataclass(frozen=True)
class Contribution:
    key: Any
    stance: str
    design: str
    certainty: str
    certainty_derived: bool
    sample_size: int | None
    strength: str
    points: float
    rank: int
    weight: float
    share: float


@dataclass(frozen=True)
class Scorecard:
    pro: int
    against: int
    verdict: str
    caption: str
    balance: str
    caveat: str
    fragile: bool
    pro_effective: float
    against_effective: float
    contributions: tuple[Contribution, ...]


REFERENCE_STUDY = Item(
    stance="supports",
    design=w.REFERENCE_STUDY["design"],
    certainty=w.REFERENCE_STUDY["certainty"],
    sample_size=w.REFERENCE_STUDY["sample_size"],
    strength=w.REFERENCE_STUDY["strength"],
)


def _check(field: str, value: Any, allowed: Iterable[str]) -> None:
    allowed = tuple(allowed)
    if value not in allowed:
        raise ValueError(f"{field} must be one of {', '.join(allowed)}; got {value!r}")


def _check_count(field: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{field} must be a whole number of 0 or more; got {value!r}")


def as_item(item: Item | Mapping[str, Any]) -> Item:
    """An Item from an Item or a dict with Item's keys, checked field by field."""
    if isinstance(item, Mapping):
        unknown = set(item) - set(ITEM_FIELDS)
        if unknown:
            raise ValueError(f"unknown item field(s): {', '.join(sorted(map(str, unknown)))}")
        if "stance" not in item or "design" not in item:
            raise ValueError(f"an item needs a stance and a design; got {dict(item)!r}")
        item = Item(**item)
    elif not isinstance(item, Item):
        raise ValueError(f"an item must be a scoring.Item or a dict; got {item!r}")
    _check("stance", item.stance, w.STANCES)
    _check("design", item.design, w.DESIGN_VALUES)
    if item.certainty is not None:
        _check("certainty", item.certainty, w.CERTAINTY_VALUES)
    _check("strength", item.strength, w.STRENGTH_FACTOR)
    _check_count("downgrades", item.downgrades)
    _check_count("upgrades", item.upgrades)
    n = item.sample_size
    if n is not None and (
        isinstance(n, bool) or not isinstance(n, int | float) or not math.isfinite(n) or n < 1
    ):
        raise ValueError(f"sample_size must be at least 1, or None when unknown; got {n!r}")
    return item


def certainty_for(
    design: str, claim_type: str | None = None, downgrades: int = 0, upgrades: int = 0
) -> str:
    """The GRADE level a design starts at for this claim type, rated down then up, clamped."""
    _check("design", design, w.DESIGN_VALUES)
    _check_count("downgrades", downgrades)
    _check_count("upgrades", upgrades)
    start = w.START_LEVEL[design]
    if design == "mechanistic" and claim_type == "mechanistic":
        start = w.MECHANISTIC_CLAIM_START_LEVEL
    step = w.LEVEL_PER_DOWNGRADE * downgrades - w.LEVEL_PER_UPGRADE * upgrades
    index = w.LEVELS.index(start) - step
    return w.LEVELS[min(max(index, 0), len(w.LEVELS) - 1)]


def effective_certainty(item: Item | Mapping[str, Any], claim_type: str | None = None) -> str:
    item = as_item(item)
    if item.certainty is not None:
        return item.certainty
    return certainty_for(item.design, claim_type, item.downgrades, item.upgrades)


def sample_size_factor(n: float | None) -> float:
    if n is None:
        return w.SAMPLE_SIZE_UNKNOWN
    if n < 1:
        raise ValueError(f"sample_size must be at least 1, or None when unknown; got {n!r}")
    floor = w.SAMPLE_SIZE_FLOOR
    factor = floor + (1 - floor) * math.log10(n) / math.log10(w.SAMPLE_SIZE_FULL)
    return min(max(factor, floor), 1.0)


def points(item: Item | Mapping[str, Any], claim_type: str | None = None) -> float:
    item = as_item(item)
    return (
        100
        * w.CERTAINTY_MULTIPLIER[effective_certainty(item, claim_type)]
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


def verdict_for(pro: int, against: int) -> str:
    if max(pro, against) < w.INSUFFICIENT_BELOW:
        return INSUFFICIENT
    if pro >= w.STRONG_AT_LEAST and against < w.STRONG_OTHER_BELOW:
        return STRONG_SUPPORT
    if against >= w.STRONG_AT_LEAST and pro < w.STRONG_OTHER_BELOW:
        return STRONGLY_CONTRADICTED
    if pro - against >= w.MODERATE_GAP:
        return MODERATE_SUPPORT
    if against - pro >= w.MODERATE_GAP:
        return MODERATELY_CONTRADICTED
    if pro - against >= w.LEANING_GAP:
        return LEANING_SUPPORT
    if against - pro >= w.LEANING_GAP:
        return LEANING_AGAINST
    return MIXED


def _ranked(indexed_points: list[tuple[int, float]]) -> dict[int, tuple[int, float, float]]:
    """index -> (rank, weight, share) for one side; ties keep their input order."""
    ordered = sorted(indexed_points, key=lambda pair: -pair[1])  # sorted() is stable
    e = sum(s * w.DECAY**k for k, (_, s) in enumerate(ordered))
    result = {}
    for k, (index, s) in enumerate(ordered):
        weight = s * w.DECAY**k
        result[index] = (k + 1, weight, weight / e if e else 0.0)
    return result


def _balance(
    pro_points: list[float], against_points: list[float], pro: int, against: int
) -> tuple[str, str, bool]:
    """(balance, caveat, fragile): would one strong study on the trailing side tie or lead?"""
    if not pro_points and not against_points:
        return NO_STUDIES, "", False
    if pro == against:
        return "Evenly balanced.", "", False
    reference = points(REFERENCE_STUDY)
    if pro > against:
        fragile = side_score([*against_points, reference]) >= pro
        caveat = (
            "Support is ahead, but a single strong opposing study can change this."
            if fragile
            else "The lead holds even against one strong opposing study."
        )
        return "Supports is higher.", caveat, fragile
    fragile = side_score([*pro_points, reference]) >= against
    caveat = (
        "Against is ahead, but a single strong supporting study can change this."
        if fragile
        else "The lead holds even against one strong supporting study."
    )
    return "Against is higher.", caveat, fragile


def score(items: Iterable[Item | Mapping[str, Any]], claim_type: str | None = None) -> Scorecard:
    """The scorecard for one claim's evidence; contributions follow the input order."""
    checked = [as_item(item) for item in items]
    certainties = [effective_certainty(item, claim_type) for item in checked]
    all_points = [points(item, claim_type) for item in checked]
    sides = {
        stance: [(i, s) for i, s in enumerate(all_points) if checked[i].stance == stance]
        for stance in w.STANCES
    }
    ranks = {**_ranked(sides["supports"]), **_ranked(sides["contradicts"])}
    pro_points = [s for _, s in sides["supports"]]
    against_points = [s for _, s in sides["contradicts"]]
    pro_e, against_e = effective(pro_points), effective(against_points)
    pro, against = scale(pro_e), scale(against_e)
    balance, caveat, fragile = _balance(pro_points, against_points, pro, against)
    contributions = tuple(
        Contribution(
            key=item.key,
            stance=item.stance,
            design=item.design,
            certainty=certainties[i],
            certainty_derived=item.certainty is None,
            sample_size=item.sample_size,
            strength=item.strength,
            points=all_points[i],
            rank=ranks[i][0],
            weight=ranks[i][1],
            share=ranks[i][2],
        )
        for i, item in enumerate(checked)
    )
    return Scorecard(
        pro=pro,
        against=against,
        verdict=verdict_for(pro, against),
        caption=f"{balance} {caveat}".strip(),
        balance=balance,
        caveat=caveat,
        fragile=fragile,
        pro_effective=pro_e,
        against_effective=against_e,
        contributions=contributions,
    )
