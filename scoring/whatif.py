"""What would change a verdict, and how much it rests on weak studies. Pure functions."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from . import weights as w
from .core import NO_STUDIES, Item, Scorecard, as_item, effective_certainty, score

# Hypothetical new studies, weakest first: (certainty, design, sample size).
LADDER = (
    ("low", "cohort", 100),
    ("moderate", "rct", 100),
    ("high", "rct", 100),
    ("high", "meta_analysis_rct", 400),
)

WEAK_CERTAINTIES = ("low", "very_low")

_DESIGN_LABELS = dict(w.DESIGNS)
_CERTAINTY_LABELS = dict(w.CERTAINTIES)


@dataclass(frozen=True)
class Change:
    study: Item
    verdict: str


def describe(study: Item) -> str:
    """E.g. "moderate-certainty randomised controlled trial (n=100)"."""
    certainty = _CERTAINTY_LABELS[study.certainty].lower().replace(" ", "-")
    label = _DESIGN_LABELS[study.design]
    noun = label[0].lower() + label[1:]  # keeps "RCTs" in "meta-analysis of RCTs"
    return f"{certainty}-certainty {noun} (n={study.sample_size})"


def smallest_change(
    items: Iterable[Item | Mapping[str, Any]], claim_type: str | None = None
) -> Change | None:
    """The first hypothetical study that changes the verdict label, or None.

    The trailing side is tried first (supports first when the sides are level), each side
    from the weakest rung of LADDER up.
    """
    checked = [as_item(item) for item in items]
    current = score(checked, claim_type)
    if current.pro > current.against:
        stances = ("contradicts", "supports")
    else:
        stances = ("supports", "contradicts")
    for stance in stances:
        for certainty, design, n in LADDER:
            study = Item(stance=stance, design=design, certainty=certainty, sample_size=n)
            verdict = score([*checked, study], claim_type).verdict
            if verdict != current.verdict:
                return Change(study, verdict)
    return None


def what_would_change(
    items: Iterable[Item | Mapping[str, Any]], claim_type: str | None = None
) -> str:
    checked = [as_item(item) for item in items]
    change = smallest_change(checked, claim_type)
    if change is None:
        return (
            "No single new study would change this verdict; it would take several strong studies."
        )
    if not checked:
        return f"A single {describe(change.study)} either way would give a first verdict."
    side = "in support" if change.study.stance == "supports" else "against"
    return f"One {describe(change.study)} {side} would make this {change.verdict}."


def sensitivity(
    items: Iterable[Item | Mapping[str, Any]], claim_type: str | None = None
) -> Scorecard:
    """The scorecard without the low- and very-low-certainty items (derived or given)."""
    checked = [as_item(item) for item in items]
    return score(
        [i for i in checked if effective_certainty(i, claim_type) not in WEAK_CERTAINTIES],
        claim_type,
    )


def sensitivity_sentence(
    items: Iterable[Item | Mapping[str, Any]], claim_type: str | None = None
) -> str:
    """How much the scores lean on weak studies, said for readers (the claim page's line)."""
    checked = [as_item(item) for item in items]
    if not checked:
        return NO_STUDIES
    if all(effective_certainty(i, claim_type) not in WEAK_CERTAINTIES for i in checked):
        return "No study here is rated low certainty, so the scores do not rest on weak evidence."
    card = sensitivity(checked, claim_type)
    return (
        "Leaving out the studies rated low or very low certainty, the scores would be "
        f"Pro {card.pro} and Against {card.against}."
    )
