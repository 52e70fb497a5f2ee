"""What would change a verdict, and how much it rests on weak studies. Pure functions.

The hypothetical studies of LADDER are counted (not retracted, no trial, pooled in nothing),
appraised at low risk of bias, direct and precise; each carries a key no real item has.

The sensitivity check looks only at the counted studies, the ones the verdict rests on: it
leaves out those rated low or very low certainty on their own and scores the rest. When no
counted study is weak there is nothing to say, and it says nothing: "every study is moderate
or high" would reassure under a body of evidence that is itself of very low certainty.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .items import Item, as_items
from .scorecard import Scorecard, score
from .vocabulary import CERTAINTY_LABELS, design_noun
from .wording import WHAT_IF

# Hypothetical new studies, weakest first: (certainty, design, sample size).
LADDER = (
    ("low", "cohort", 100),
    ("moderate", "rct", 100),
    ("high", "rct", 100),
    ("high", "meta_analysis_rct", 400),
)

WEAK_CERTAINTIES = ("low", "very_low")
LEAVING_OUT = (
    "Leaving out the studies rated low or very low certainty on their own, the scores would be "
    "Pro {pro} and Against {against}."
)

# The key of a hypothetical study ("hypothetical study 2", … if an item already has it).
HYPOTHETICAL = "hypothetical study"


@dataclass(frozen=True)
class Change:
    study: Item
    verdict: str


def describe(study: Item) -> str:
    """E.g. "moderate-certainty randomised controlled trial (n=100)"."""
    certainty = CERTAINTY_LABELS[study.certainty].lower().replace(" ", "-")
    return f"{certainty}-certainty {design_noun(study.design)} (n={study.sample_size})"


def _fresh_key(items: list[Item]) -> Any:
    """A key for a hypothetical study that no item in the call already has."""
    keys = {item.key for item in items}
    key, k = HYPOTHETICAL, 1
    while key in keys:
        k += 1
        key = f"{HYPOTHETICAL} {k}"
    return key


def hypothetical(stance: str, certainty: str, design: str, n: int, key: Any = HYPOTHETICAL) -> Item:
    """A hypothetical new study: counted, appraised at low risk of bias, direct and precise."""
    return Item(
        stance=stance,
        design=design,
        certainty=certainty,
        sample_size=n,
        key=key,
        risk_of_bias="low",
    )


def smallest_change(
    items: Iterable[Item | Mapping[str, Any]],
    claim_type: str | None = None,
    publication_bias: bool = False,
) -> Change | None:
    """The first hypothetical study that changes the verdict label, or None.

    The trailing side is tried first (supports first when the sides are level), each side
    from the weakest rung of LADDER up.
    """
    checked = as_items(items)
    current = score(checked, claim_type, publication_bias)
    if current.pro > current.against:
        stances = ("contradicts", "supports")
    else:
        stances = ("supports", "contradicts")
    key = _fresh_key(checked)
    for stance in stances:
        for certainty, design, n in LADDER:
            study = hypothetical(stance, certainty, design, n, key)
            verdict = score([*checked, study], claim_type, publication_bias).verdict
            if verdict != current.verdict:
                return Change(study, verdict)
    return None


def what_would_change(
    items: Iterable[Item | Mapping[str, Any]],
    claim_type: str | None = None,
    publication_bias: bool = False,
) -> str:
    """The smallest change, in the words of wording.WHAT_IF (a reader's sentence)."""
    checked = as_items(items)
    change = smallest_change(checked, claim_type, publication_bias)
    if change is None:
        return WHAT_IF["none"]
    study = change.study
    noun = design_noun(study.design)
    words = {
        "certainty": CERTAINTY_LABELS[study.certainty].lower(),
        "design": f"{'an' if noun[0].lower() in 'aeiou' else 'a'} {noun}",
        "n": study.sample_size,
    }
    if not checked:
        return WHAT_IF["first"].format(**words)
    return WHAT_IF["one_more"].format(side=WHAT_IF[study.stance], verdict=change.verdict, **words)


def _counted_split(
    checked: list[Item], claim_type: str | None, publication_bias: bool
) -> tuple[list[Item], list[Item]]:
    """(strong, weak): the counted items, by their own certainty (derived or given)."""
    card = score(checked, claim_type, publication_bias)
    strong: list[Item] = []
    weak: list[Item] = []
    for item, contribution in zip(checked, card.contributions, strict=True):
        if contribution.counted:
            (weak if contribution.certainty in WEAK_CERTAINTIES else strong).append(item)
    return strong, weak


def sensitivity(
    items: Iterable[Item | Mapping[str, Any]],
    claim_type: str | None = None,
    publication_bias: bool = False,
) -> Scorecard:
    """The scorecard of the counted items rated moderate or high certainty on their own.

    Items not counted stay out: their points are not in the scores, and leaving out a weak
    review or a weak report of a trial does not bring back the studies it stood for (their
    participants were counted through it). What is left all counts. The items keep their keys
    (an item without one keeps its index in `items`).
    """
    strong, _ = _counted_split(as_items(items), claim_type, publication_bias)
    return score(strong, claim_type, publication_bias)


def sensitivity_sentence(
    items: Iterable[Item | Mapping[str, Any]],
    claim_type: str | None = None,
    publication_bias: bool = False,
) -> str:
    """How much the scores lean on weak studies, said for readers (the claim page's line), or
    "" when there is nothing to say: nothing counted, or no counted study weak on its own."""
    checked = as_items(items)
    strong, weak = _counted_split(checked, claim_type, publication_bias)
    if not weak:
        return ""
    card = score(strong, claim_type, publication_bias)
    return LEAVING_OUT.format(pro=card.pro, against=card.against)
