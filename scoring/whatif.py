"""What would change a verdict, and how much it rests on weak studies. Pure functions.

The hypothetical studies of LADDER are counted (not retracted, no trial, pooled in nothing),
appraised at low risk of bias, direct and precise; each carries a key no real item has.

The sensitivity check looks only at the counted studies, the ones the verdict rests on: it
leaves out those rated low or very low certainty on their own and scores the rest. When no
counted study is weak there is nothing to say, and it says nothing: "every study is moderate
or high" would reassure under a body of evidence that is itself of very low certainty.
"""

from bisect import insort
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from . import weights as w
from .certainty import Counted, body_certainty
from .core import effective as _effective
from .core import points, scale, start_level, verdict_for
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


class _Baseline:
    """One scorecard's counted points, sorted per side, and its counted studies by starting
    level: what adding one study needs to be scored without scoring every item again.

    Adding a study that has no trial, is not retracted and pools nothing changes nothing about
    which of the others count (a review pools an item only when the item names its key), so
    the new scores are each side's sorted points with one inserted, and the new certainty the
    body certainty of the new stream (the counted studies at the highest starting level)."""

    def __init__(self, checked: list[Item], card: Scorecard, claim_type, publication_bias):
        self.checked, self.card = checked, card
        self.claim_type, self.publication_bias = claim_type, publication_bias
        self.sides: dict[str, list[float]] = {stance: [] for stance in w.STANCES}
        self.by_start: dict[int, list[Counted]] = {}
        self.named = {key for item in checked for key in item.included_in}
        for i, (item, c) in enumerate(zip(checked, card.contributions, strict=True)):
            if c.counted:
                self.sides[c.stance].append(c.points)
                level = w.LEVELS.index(c.start_level)
                self.by_start.setdefault(level, []).append(
                    Counted(i, item, c.points, c.start_level)
                )
        for side in self.sides.values():
            side.sort()  # ascending, for insort; read largest first

    def _side_score(self, stance: str, extra: float | None) -> int:
        ordered = self.sides[stance]
        if extra is not None:
            ordered = ordered.copy()
            insort(ordered, extra)
        # As core.effective: the same terms, added in the same order (largest first).
        return scale(sum(s * w.DECAY**k for k, s in enumerate(reversed(ordered))))

    def verdict_with(self, study: Item) -> str:
        """The verdict label once `study` is added (identical to scoring every item again)."""
        if study.key in self.named and study.design in w.REVIEW_DESIGNS:
            # An item names the new review as pooling it: the counting itself changes.
            return score([*self.checked, study], self.claim_type, self.publication_bias).verdict
        new_points = points(study, self.claim_type)
        new_start = start_level(study.design, self.claim_type)
        pro = self._side_score("supports", new_points if study.stance == "supports" else None)
        against = self._side_score(
            "contradicts", new_points if study.stance == "contradicts" else None
        )
        top = max([w.LEVELS.index(new_start), *self.by_start])
        stream = list(self.by_start.get(top, ()))
        if w.LEVELS.index(new_start) == top:
            stream.append(Counted(len(self.checked), study, new_points, new_start))
        certainty = body_certainty(stream, pro, against, self.claim_type, self.publication_bias)[0]
        return verdict_for(pro, against, certainty)


def _checked_card(items, claim_type, publication_bias, card):
    """The items checked, and their scorecard. With a card (score() of these items), items
    that are already checked and keyed (as_items' output) are taken as they are: checking
    5,000 again costs more than the rest of "what would change"."""
    items = list(items)
    if card is not None and all(isinstance(i, Item) and i.key is not None for i in items):
        return items, card
    checked = as_items(items)
    return checked, card if card is not None else score(checked, claim_type, publication_bias)


def smallest_change(
    items: Iterable[Item | Mapping[str, Any]],
    claim_type: str | None = None,
    publication_bias: bool = False,
    *,
    card: Scorecard | None = None,
) -> Change | None:
    """The first hypothetical study that changes the verdict label, or None.

    The trailing side is tried first (supports first when the sides are level), each side
    from the weakest rung of LADDER up. `card`, when given, is score() of the same items and
    arguments (the claim page has it): then nothing is scored in full here.
    """
    checked, current = _checked_card(items, claim_type, publication_bias, card)
    if current.pro > current.against:
        stances = ("contradicts", "supports")
    else:
        stances = ("supports", "contradicts")
    baseline = _Baseline(checked, current, claim_type, publication_bias)
    key = _fresh_key(checked)
    for stance in stances:
        for certainty, design, n in LADDER:
            study = hypothetical(stance, certainty, design, n, key)
            verdict = baseline.verdict_with(study)
            if verdict != current.verdict:
                return Change(study, verdict)
    return None


def what_would_change(
    items: Iterable[Item | Mapping[str, Any]],
    claim_type: str | None = None,
    publication_bias: bool = False,
    *,
    card: Scorecard | None = None,
) -> str:
    """The smallest change, in the words of wording.WHAT_IF (a reader's sentence); `card` as
    for smallest_change."""
    checked, card = _checked_card(items, claim_type, publication_bias, card)
    change = smallest_change(checked, claim_type, publication_bias, card=card)
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
    checked: list[Item], card: Scorecard
) -> tuple[list[tuple[Item, float]], list[Item]]:
    """(strong, weak): the counted items, by their own certainty (derived or given); the strong
    with their points."""
    strong: list[tuple[Item, float]] = []
    weak: list[Item] = []
    for item, contribution in zip(checked, card.contributions, strict=True):
        if contribution.counted:
            if contribution.certainty in WEAK_CERTAINTIES:
                weak.append(item)
            else:
                strong.append((item, contribution.points))
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
    checked, card = _checked_card(items, claim_type, publication_bias, None)
    strong, _ = _counted_split(checked, card)
    return score([item for item, _ in strong], claim_type, publication_bias)


def sensitivity_sentence(
    items: Iterable[Item | Mapping[str, Any]],
    claim_type: str | None = None,
    publication_bias: bool = False,
    *,
    card: Scorecard | None = None,
) -> str:
    """How much the scores lean on weak studies, said for readers (the claim page's line), or
    "" when there is nothing to say: nothing counted, or no counted study weak on its own.
    `card` as for smallest_change.

    The strong studies all count on their own (see sensitivity), so each side's score is the
    scale of its strong points: the same figures as sensitivity(), with no second score()."""
    checked, card = _checked_card(items, claim_type, publication_bias, card)
    strong, weak = _counted_split(checked, card)
    if not weak:
        return ""
    scores = {
        stance: scale(_effective([p for item, p in strong if item.stance == stance]))
        for stance in w.STANCES
    }
    return LEAVING_OUT.format(pro=scores["supports"], against=scores["contradicts"])
