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
would tie the scores. Every constant and sentence lives in scoring.weights with its source.
"""

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

from . import weights as w

INSUFFICIENT = "Insufficient evidence"
VERY_UNCERTAIN = "Very uncertain"
STRONG_SUPPORT = "Strong support"
STRONGLY_CONTRADICTED = "Strongly contradicted"
MODERATE_SUPPORT = "Moderate support"
MODERATELY_CONTRADICTED = "Moderately contradicted"
LEANING_SUPPORT = "Leaning support"
LEANING_AGAINST = "Leaning against"
MIXED = "Mixed evidence"

VERDICTS = (
    INSUFFICIENT,
    VERY_UNCERTAIN,
    STRONG_SUPPORT,
    STRONGLY_CONTRADICTED,
    MODERATE_SUPPORT,
    MODERATELY_CONTRADICTED,
    LEANING_SUPPORT,
    LEANING_AGAINST,
    MIXED,
)

# Why an item is not counted (§3.1), in the order the rules apply.
RETRACTED = w.NOT_COUNTED["retracted"]
POOLED_IN = w.NOT_COUNTED["pooled_in"]
SAME_TRIAL = w.NOT_COUNTED["same_trial"]
NOT_COUNTED_REASONS = (RETRACTED, POOLED_IN, SAME_TRIAL)

NO_STUDIES = w.WORDING["no_studies"]


@dataclass(frozen=True)
class Item:
    """One study's link to a claim, as the scoring model sees it.

    When `certainty` is given it is used as is and `downgrades`/`upgrades` are ignored;
    when it is None it is derived from the design (see `certainty_for`). `key` defaults to
    the item's 0-based index in the call; `included_in` names the keys of reviews that pool
    this study; `risk_of_bias`, `indirectness` and `imprecise` feed the certainty of the body
    of evidence, not the item's points.
    """

    stance: str
    design: str
    certainty: str | None = None
    sample_size: int | None = None
    strength: str = "clear"
    downgrades: int = 0
    upgrades: int = 0
    key: Any = None
    trial: Any = None
    included_in: tuple[Any, ...] = ()
    retracted: bool = False
    risk_of_bias: str | None = None
    indirectness: int = 0
    imprecise: bool = False


ITEM_FIELDS = tuple(f.name for f in fields(Item))


@dataclass(frozen=True)
class Contribution:
    """One item's part in the scorecard. An item not counted keeps the points it would earn
    (so a reader can see them), with rank None and weight and share 0."""

    key: Any
    stance: str
    design: str
    certainty: str
    certainty_derived: bool
    sample_size: int | None
    strength: str
    points: float
    rank: int | None
    weight: float
    share: float
    counted: bool
    not_counted: str | None
    not_counted_because: Any
    start_level: str
    in_stream: bool


@dataclass(frozen=True)
class Scorecard:
    pro: int
    against: int
    verdict: str
    caption: str
    balance: str
    caveat: str
    fragile: bool | None
    pro_effective: float
    against_effective: float
    contributions: tuple[Contribution, ...]
    certainty: str | None
    certainty_reasons: tuple[str, ...]
    statement: str
    participants: int
    counted: int


REFERENCE_STUDY = Item(
    stance="supports",
    design=w.REFERENCE_STUDY["design"],
    certainty=w.REFERENCE_STUDY["certainty"],
    sample_size=w.REFERENCE_STUDY["sample_size"],
    strength=w.REFERENCE_STUDY["strength"],
    risk_of_bias="low",
)


def _check(field: str, value: Any, allowed: Iterable[Any]) -> None:
    allowed = tuple(allowed)
    if value not in allowed:
        raise ValueError(f"{field} must be one of {', '.join(map(str, allowed))}; got {value!r}")


def _check_count(field: str, value: Any, most: int | None = None) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{field} must be a whole number of 0 or more; got {value!r}")
    if most is not None and value > most:
        raise ValueError(f"{field} must be a whole number from 0 to {most}; got {value!r}")


def _check_flag(field: str, value: Any) -> None:
    if not isinstance(value, bool):
        raise ValueError(f"{field} must be True or False; got {value!r}")


def _check_hashable(field: str, value: Any) -> None:
    try:
        hash(value)
    except TypeError:
        raise ValueError(
            f"{field} must be hashable (a number, a string, …); got {value!r}"
        ) from None


def _check_keys(field: str, value: Any) -> tuple[Any, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, list | tuple | set | frozenset):
        raise ValueError(f"{field} must be a list of keys; got {value!r}")
    for key in value:
        try:
            hash(key)
        except TypeError:
            raise ValueError(
                f"{field} must be a list of hashable keys; got {value!r} ({key!r} is not)"
            ) from None
    return tuple(value)


def as_item(item: Item | Mapping[str, Any]) -> Item:
    """An Item from an Item or a dict with Item's keys, checked field by field.

    An empty certainty or risk of bias ("") counts as None; `included_in` becomes a tuple.
    """
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
    if item.certainty == "":
        item = replace(item, certainty=None)
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
    _check_hashable("key", item.key)
    _check_hashable("trial", item.trial)
    included_in = _check_keys("included_in", item.included_in)
    _check_flag("retracted", item.retracted)
    if item.risk_of_bias == "":
        item = replace(item, risk_of_bias=None)
    if item.risk_of_bias is not None:
        _check("risk_of_bias", item.risk_of_bias, w.RISKS_OF_BIAS)
    _check_count("indirectness", item.indirectness, most=w.INDIRECTNESS_MOST)
    _check_flag("imprecise", item.imprecise)
    if included_in != item.included_in:
        item = replace(item, included_in=included_in)
    return item


def as_items(items: Iterable[Item | Mapping[str, Any]]) -> list[Item]:
    """The items checked, each with its key (its 0-based index when it has none); keys must be
    unique in one call."""
    checked = [as_item(item) for item in items]
    keyed = [
        item if item.key is not None else replace(item, key=i) for i, item in enumerate(checked)
    ]
    seen: dict[Any, int] = {}
    for i, item in enumerate(keyed):
        if item.key in seen:
            raise ValueError(
                f"keys must be unique in one call; items {seen[item.key]} and {i} both have "
                f"key {item.key!r} (an item without a key takes its index)"
            )
        seen[item.key] = i
    return keyed


def _check_claim_type(claim_type: str | None) -> None:
    if claim_type is not None:
        _check("claim_type", claim_type, w.CLAIM_TYPES)


def start_level(design: str, claim_type: str | None = None) -> str:
    """The GRADE level a design starts at for this claim type (§3.2)."""
    _check("design", design, w.DESIGN_VALUES)
    _check_claim_type(claim_type)
    if design == "mechanistic" and claim_type == "mechanistic":
        return w.MECHANISTIC_CLAIM_START_LEVEL
    if design in w.OBSERVATIONAL_DESIGNS and claim_type in w.OBSERVATIONAL_DIRECT_CLAIM_TYPES:
        return w.OBSERVATIONAL_DIRECT_START_LEVEL
    return w.START_LEVEL[design]


def _clamp(index: int) -> str:
    return w.LEVELS[min(max(index, 0), len(w.LEVELS) - 1)]


def certainty_for(
    design: str, claim_type: str | None = None, downgrades: int = 0, upgrades: int = 0
) -> str:
    """The GRADE level a design starts at for this claim type, rated down, then rated up only
    for an observational design that was not rated down (GRADE 9), clamped."""
    _check_count("downgrades", downgrades)
    _check_count("upgrades", upgrades)
    start = start_level(design, claim_type)
    if design not in w.OBSERVATIONAL_DESIGNS or downgrades:
        upgrades = 0
    step = w.LEVEL_PER_UPGRADE * upgrades - w.LEVEL_PER_DOWNGRADE * downgrades
    return _clamp(w.LEVELS.index(start) + step)


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


def verdict_for(pro: int, against: int, certainty: str | None) -> str:
    """The verdict label (§3.4) for the two scores and the certainty of the body of evidence.

    `certainty` is required: None means nothing is counted, which is insufficient evidence.
    """
    if certainty is not None:
        _check("certainty", certainty, w.CERTAINTY_VALUES)
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
    _check("certainty", certainty, w.CERTAINTY_VALUES)
    return w.STATEMENTS[lead][certainty]


def lead_side(pro: int, against: int) -> str | None:
    """Which side leads: "supports", "contradicts", or None on a tie."""
    if pro > against:
        return "supports"
    if against > pro:
        return "contradicts"
    return None


def _counting(items: Sequence[Item], all_points: Sequence[float]) -> list[tuple[str | None, Any]]:
    """(not_counted, not_counted_because) per item, by the three rules of §3.1 in order."""
    status: list[tuple[str | None, Any]] = [
        (RETRACTED, None) if item.retracted else (None, None) for item in items
    ]
    reviews = {
        item.key
        for item, (reason, _) in zip(items, status, strict=True)
        if reason is None and item.design in w.REVIEW_DESIGNS
    }
    for i, item in enumerate(items):
        if status[i][0] is None:
            pooling = [k for k in item.included_in if k != item.key and k in reviews]
            if pooling:
                status[i] = (POOLED_IN, pooling[0])
    trials: dict[Any, list[int]] = {}
    for i, item in enumerate(items):
        if status[i][0] is None and item.trial is not None:
            trials.setdefault(item.trial, []).append(i)
    for members in trials.values():
        kept = max(members, key=lambda i: (all_points[i], -i))  # the first on a tie
        for i in members:
            if i != kept:
                status[i] = (SAME_TRIAL, items[kept].key)
    return status


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
) -> tuple[str, str, bool | None]:
    """(balance, caveat, fragile): would one strong study on the trailing side tie or lead?"""
    if not pro_points and not against_points:
        return NO_STUDIES, "", None
    if pro == against:
        return w.WORDING["even"], "", None
    reference = points(REFERENCE_STUDY)
    if pro > against:
        fragile = side_score([*against_points, reference]) >= pro
        caveat = w.WORDING["pro_fragile"] if fragile else w.WORDING["pro_holds"]
        return w.WORDING["pro_higher"], caveat, fragile
    fragile = side_score([*pro_points, reference]) >= against
    caveat = w.WORDING["against_fragile"] if fragile else w.WORDING["against_holds"]
    return w.WORDING["against_higher"], caveat, fragile


# Certainty of the body of evidence (§3.3)


@dataclass(frozen=True)
class _Counted:
    index: int
    item: Item
    points: float
    start: str


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _kinds(stream: list[_Counted]) -> str:
    designs = {c.item.design for c in stream}
    phrases = list(dict.fromkeys(w.DESIGN_PHRASES[d] for d in w.DESIGN_VALUES if d in designs))
    meta, trials = w.DESIGN_PHRASES["meta_analysis_rct"], w.DESIGN_PHRASES["rct"]
    if meta in phrases and trials in phrases:
        phrases.remove(trials)
        phrases[phrases.index(meta)] = w.TRIALS_AND_META_ANALYSES
    return _join(phrases)


def _count(n: int) -> str:
    return w.COUNT_WORDS.get(n, str(n))


def _levels(n: int) -> str:
    return f"{_count(n)} level{'' if n == 1 else 's'}"


def _percent(x: float) -> str:
    """A share as a whole percentage, rounded down, so a figure never reads past a threshold
    it has not reached."""
    return f"{math.floor(100 * x + 1e-9)}%"


def _majority(x: float) -> str:
    """A share known to be more than half: "all of the weight", or "most of the weight (73%)"
    with a percentage that never reads 50% or 100%."""
    if x >= 1 - 1e-9:
        return w.WORDING["all_weight"]
    share = min(max(round_half_up(100 * x), 51), 99)
    return w.WORDING["most_weight"].format(share=f"{share}%")


def _start_reason(stream: list[_Counted], start: str, claim_type: str | None) -> str:
    designs = {c.item.design for c in stream}
    kinds = _kinds(stream)
    if start == "very_low":
        if designs == {"expert_opinion"}:
            return w.WORDING["start_expert"]
        return w.WORDING["start_very_low"].format(kinds=kinds)
    observational = designs & set(w.OBSERVATIONAL_DESIGNS)
    if start == "high" and observational:
        return w.WORDING["start_direct"].format(kinds=kinds, claim_type=claim_type)
    if start == "low" and designs <= set(w.OBSERVATIONAL_DESIGNS):
        return w.WORDING["start_observational"].format(kinds=kinds)
    if start == "low" and designs == {"mechanistic"}:
        return w.WORDING["start_mechanism"]
    return w.WORDING["start"].format(level=w.LEVEL_WORDS[start], kinds=kinds)


def _participants_words(total: float) -> str:
    count = round_half_up(total)
    return w.WORDING["participant" if count == 1 else "participants"].format(count=count)


def _imprecision(
    stream: list[_Counted], lead_items: list[_Counted], side: str
) -> tuple[int, str | None]:
    sizes = [c.item.sample_size for c in stream]
    total = math.fsum(n for n in sizes if n is not None)
    unreported = sum(n is None for n in sizes)
    if total < w.IMPRECISION_VERY_SERIOUS_BELOW:
        levels = w.VERY_SERIOUS
    elif total < w.IMPRECISION_SERIOUS_BELOW:
        levels = w.SERIOUS
    else:
        levels = 0
    if levels:
        if not total:
            return levels, w.WORDING["imprecision_unreported"]
        if unreported == 1:
            note = w.WORDING["unreported_one"]
        elif unreported:
            note = w.WORDING["unreported_many"].format(count=_count(unreported))
        else:
            note = ""
        return levels, w.WORDING["imprecision_count"].format(
            levels=_levels(levels),
            participants=_participants_words(total),
            unreported=note,
            far=w.WORDING["far"] if levels == w.VERY_SERIOUS else "",
            needed=w.IMPRECISION_SERIOUS_BELOW,
        )
    if any(c.item.imprecise for c in lead_items):
        return w.SERIOUS, w.WORDING["imprecision_flag"].format(side=side)
    return 0, None


def _body_certainty(
    counted: list[_Counted],
    pro: int,
    against: int,
    claim_type: str | None,
    publication_bias: bool,
) -> tuple[str | None, tuple[str, ...], float, frozenset[int]]:
    """(certainty, reasons, stream participants, stream indices) for the counted items."""
    if not counted:
        return None, (), 0, frozenset()
    top = max(w.LEVELS.index(c.start) for c in counted)
    start = w.LEVELS[top]
    stream = [c for c in counted if w.LEVELS.index(c.start) == top]
    indices = frozenset(c.index for c in stream)
    participants = math.fsum(c.item.sample_size or 0 for c in stream)
    if start == "very_low":  # no step applies
        return start, (_start_reason(stream, start, claim_type),), participants, indices
    lead = lead_side(pro, against)
    lead_items = [c for c in stream if lead is None or c.item.stance == lead]
    side = w.WORDING["side_tie" if lead is None else "side_leading"]  # whose studies were looked at
    reasons = [_start_reason(stream, start, claim_type)]
    down = 0

    # Risk of bias, weighted by points over the whole stream; None counts as "some".
    total = math.fsum(c.points for c in stream)
    rob = [c.item.risk_of_bias or w.RISK_OF_BIAS_NOT_ASSESSED for c in stream]
    high = math.fsum(c.points for c, r in zip(stream, rob, strict=True) if r == "high") / total
    concern = math.fsum(c.points for c, r in zip(stream, rob, strict=True) if r != "low") / total
    risk_of_bias = 0
    if high > w.RISK_OF_BIAS_SHARE:
        risk_of_bias = w.VERY_SERIOUS
        reasons.append(w.WORDING["risk_of_bias_very_serious"].format(weight=_majority(high)))
    elif concern > w.RISK_OF_BIAS_SHARE:
        risk_of_bias = w.SERIOUS
        reasons.append(w.WORDING["risk_of_bias_serious"].format(weight=_majority(concern)))
    down += risk_of_bias

    # Inconsistency: the trailing side's share of the stream's effective points.
    if lead is None:
        other = w.INCONSISTENCY_ON_A_TIE
    else:
        e_lead = effective(c.points for c in stream if c.item.stance == lead)
        e_trail = effective(c.points for c in stream if c.item.stance != lead)
        other = e_trail / (e_lead + e_trail)
    inconsistency = 0
    if other >= w.INCONSISTENCY_VERY_SERIOUS_AT:
        inconsistency = w.VERY_SERIOUS
    elif other >= w.INCONSISTENCY_SERIOUS_AT:
        inconsistency = w.SERIOUS
    if inconsistency:
        template = "inconsistency_tie" if lead is None else "inconsistency"
        reasons.append(
            w.WORDING[template].format(levels=_levels(inconsistency), share=_percent(other))
        )
    down += inconsistency

    # Indirectness: the largest among the lead items.
    indirectness = max((c.item.indirectness for c in lead_items), default=0)
    if indirectness:
        template = "indirectness_serious" if indirectness == 1 else "indirectness_very_serious"
        reasons.append(w.WORDING[template].format(side=side))
    down += indirectness

    # Imprecision: the stream's participants, at least serious when a lead item is imprecise.
    imprecision, sentence = _imprecision(stream, lead_items, side)
    if sentence:
        reasons.append(sentence)
    down += imprecision

    if publication_bias:
        down += w.PUBLICATION_BIAS
        reasons.append(w.WORDING["publication_bias"])

    # Rate up only observational evidence without serious limitations (GRADE 9).
    up = 0
    if risk_of_bias == 0 and all(c.item.design in w.OBSERVATIONAL_DESIGNS for c in stream):
        best = max((c.item.upgrades for c in lead_items if c.item.downgrades == 0), default=0)
        up = min(w.LEVEL_PER_UPGRADE * best, w.UPGRADE_MOST)
        if up:
            template = "upgrade_one" if up == 1 else "upgrade_two"
            reasons.append(w.WORDING[template].format(side=side))

    index = top - down + up
    if index < 0:
        reasons.append(w.WORDING["clamp_low"])
    elif index >= len(w.LEVELS):
        reasons.append(w.WORDING["clamp_high"])
    return _clamp(index), tuple(reasons), participants, indices


def score(
    items: Iterable[Item | Mapping[str, Any]],
    claim_type: str | None = None,
    publication_bias: bool = False,
) -> Scorecard:
    """The scorecard for one claim's evidence; contributions follow the input order."""
    _check_claim_type(claim_type)
    _check_flag("publication_bias", publication_bias)
    checked = as_items(items)
    certainties = [effective_certainty(item, claim_type) for item in checked]
    all_points = [points(item, claim_type) for item in checked]
    starts = [start_level(item.design, claim_type) for item in checked]
    status = _counting(checked, all_points)
    counted = [
        _Counted(i, item, all_points[i], starts[i])
        for i, item in enumerate(checked)
        if status[i][0] is None
    ]
    sides = {
        stance: [(c.index, c.points) for c in counted if c.item.stance == stance]
        for stance in w.STANCES
    }
    ranks = {**_ranked(sides["supports"]), **_ranked(sides["contradicts"])}
    pro_points = [s for _, s in sides["supports"]]
    against_points = [s for _, s in sides["contradicts"]]
    pro_e, against_e = effective(pro_points), effective(against_points)
    pro, against = scale(pro_e), scale(against_e)
    balance, caveat, fragile = _balance(pro_points, against_points, pro, against)
    certainty, reasons, participants, stream = _body_certainty(
        counted, pro, against, claim_type, publication_bias
    )
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
            rank=ranks[i][0] if i in ranks else None,
            weight=ranks[i][1] if i in ranks else 0.0,
            share=ranks[i][2] if i in ranks else 0.0,
            counted=status[i][0] is None,
            not_counted=status[i][0],
            not_counted_because=status[i][1],
            start_level=starts[i],
            in_stream=i in stream,
        )
        for i, item in enumerate(checked)
    )
    return Scorecard(
        pro=pro,
        against=against,
        verdict=verdict_for(pro, against, certainty),
        caption=f"{balance} {caveat}".strip(),
        balance=balance,
        caveat=caveat,
        fragile=fragile,
        pro_effective=pro_e,
        against_effective=against_e,
        contributions=contributions,
        certainty=certainty,
        certainty_reasons=reasons,
        statement=statement_for(certainty, lead_side(pro, against)),
        participants=round_half_up(participants),
        counted=len(counted),
    )
