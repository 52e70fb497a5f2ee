"""The certainty of the body of evidence (§3.3): one GRADE level for the claim, set by the
stream (the counted studies with the highest starting level), rated down for risk of bias,
inconsistency, indirectness, imprecision and publication bias and up for strong observational
evidence, with a plain reason (scoring.wording) for each step."""

import math
from dataclasses import dataclass

from . import weights as w
from .core import clamp, effective, lead_side, round_half_up
from .items import Item


@dataclass(frozen=True)
class Counted:
    index: int
    item: Item
    points: float
    start: str


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _kinds(stream: list[Counted]) -> str:
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


def _start_reason(stream: list[Counted], start: str, claim_type: str | None) -> str:
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
    stream: list[Counted], lead_items: list[Counted], side: str
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


def body_certainty(
    counted: list[Counted],
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
    return clamp(index), tuple(reasons), participants, indices
