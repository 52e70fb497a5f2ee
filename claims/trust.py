"""Trust at a glance on the claim page (issue 18): when the claim was published, last reviewed
and last changed, and the short legend of the verdict scale, the certainty levels and the
mechanism steps' evidence levels (the full explanation is the "How scores work" page)."""

import dataclasses
from datetime import datetime

from scoring import CERTAINTY_LABELS, vocabulary
from scoring import weights as w

from .about import GRADE_MEANING, STEP_LEVELS, STEP_LEVELS_NOTE
from .models import Claim


@dataclasses.dataclass(frozen=True)
class ClaimDates:
    first_published: datetime
    last_reviewed: datetime | None  # None: no analysis published yet
    last_changed: datetime


def claim_dates(claim: Claim, analysis) -> ClaimDates:
    """`analysis` is the latest one, annotated with the first one's `first_published_at`
    (ClaimPage's summary reads both in one query), or None."""
    if analysis is None:
        return ClaimDates(claim.created_at, None, claim.last_changed_at)
    first = getattr(analysis, "first_published_at", None) or analysis.published_at
    return ClaimDates(first, analysis.published_at, claim.last_changed_at)


# The verdicts in order from most for the claim to most against, then the two that say the
# evidence cannot tell, each in a few plain words.
VERDICT_LEGEND = (
    (vocabulary.STRONG_SUPPORT, "The studies clearly back the claim, with solid certainty."),
    (vocabulary.MODERATE_SUPPORT, "The studies mostly back the claim."),
    (vocabulary.LEANING_SUPPORT, "The studies tilt towards the claim, not by much."),
    (vocabulary.MIXED, "The studies point both ways about equally."),
    (vocabulary.LEANING_AGAINST, "The studies tilt against the claim, not by much."),
    (vocabulary.MODERATELY_CONTRADICTED, "The studies mostly go against the claim."),
    (vocabulary.STRONGLY_CONTRADICTED, "The studies clearly go against the claim."),
    (
        vocabulary.VERY_UNCERTAIN,
        "There are studies, but the certainty of the evidence is very low, so we are very "
        "uncertain whether the claim is true: the scores show which way the studies lean, "
        "not that they are right.",
    ),
    (vocabulary.INSUFFICIENT, "Too little research to say anything yet."),
)


def legend() -> dict:
    return {
        "verdicts": VERDICT_LEGEND,
        "certainties": [(CERTAINTY_LABELS[lvl], GRADE_MEANING[lvl]) for lvl in w.CERTAINTY_VALUES],
        "steps": STEP_LEVELS,
        "steps_note": STEP_LEVELS_NOTE,
    }
