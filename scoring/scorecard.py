"""The scorecard of one claim (§3.1–3.4): which items count, each side's score, the certainty
of the body of evidence, the verdict, its statement and the fragility caption."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from . import weights as w
from .certainty import Counted, body_certainty
from .core import (
    POOLED_IN,
    RETRACTED,
    SAME_TRIAL,
    checked_certainty,
    checked_points,
    checked_start_level,
    effective,
    lead_side,
    points,
    round_half_up,
    scale,
    side_score,
    statement_for,
    verdict_for,
)
from .items import Item, as_items, check_claim_type, check_flag

NO_STUDIES = w.WORDING["no_studies"]


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


def score(
    items: Iterable[Item | Mapping[str, Any]],
    claim_type: str | None = None,
    publication_bias: bool = False,
) -> Scorecard:
    """The scorecard for one claim's evidence; contributions follow the input order."""
    check_claim_type(claim_type)
    check_flag("publication_bias", publication_bias)
    return score_checked(as_items(items), claim_type, publication_bias)


def score_checked(
    checked: Sequence[Item], claim_type: str | None, publication_bias: bool
) -> Scorecard:
    """score() of items that are as_items' output, with a claim type and flag already checked:
    the claim page checks its 5,000 items once for the scorecard and "what would change"."""
    # Each item was checked once by as_items; the figures below take it as it is.
    certainties = [checked_certainty(item, claim_type) for item in checked]
    all_points = [checked_points(item, c) for item, c in zip(checked, certainties, strict=True)]
    starts = [checked_start_level(item.design, claim_type) for item in checked]
    status = _counting(checked, all_points)
    counted = [
        Counted(i, item, all_points[i], starts[i])
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
    certainty, reasons, participants, stream = body_certainty(
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
