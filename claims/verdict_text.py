"""The verdict in words: the certainty line, the sentences under the verdict and the page's
description. Read off a scorecard; no model, no request."""

import scoring
from scoring import CERTAINTY_LABELS, CERTAINTY_WORDS

NO_CERTAINTY = "Nothing has been appraised yet, so there is no certainty to report."
NO_CERTAINTY_COUNTED = "No appraised study counts yet, so there is no certainty to report."


def certainty_words(certainty: str | None) -> str:
    """ "Low certainty", "Very low certainty"; "" when nothing has been rated."""
    return f"{CERTAINTY_LABELS[certainty]} certainty" if certainty else ""


def verdict_and_certainty(verdict: str, certainty: str | None, *, brackets: bool = False) -> str:
    """ "Moderate support, low certainty" (ClaimReview's label, the admin's column and preview),
    or with brackets the "Moderate support (low certainty)" of the page's descriptions; the
    verdict alone when no certainty has been rated."""
    if not certainty:
        return verdict
    words = f"{CERTAINTY_WORDS.get(certainty, certainty)} certainty"
    return f"{verdict} ({words})" if brackets else f"{verdict}, {words}"


def verdict_with_certainty(card: scoring.Scorecard, *, brackets: bool = False) -> str:
    return verdict_and_certainty(card.verdict, card.certainty, brackets=brackets)


def page_description(card: scoring.Scorecard, text: str) -> str:
    """og:description and the meta description: the capped verdict and the certainty first
    ("Moderate support (low certainty): This may be true. …"), then `text` (the claim)."""
    return f"{verdict_with_certainty(card, brackets=True)}: {card.statement} {text}"


# What a certainty level means, in GRADE's own definitions (Balshem et al. 2011): how close
# the true effect is likely to be to what the studies found. Not a prediction about further
# research, which the page's "what would change the verdict" line can contradict. Worded
# without the level's name: the certainty line beside it names it already (issue 18).
CERTAINTY_MEANS = {
    "high": "The true effect is very probably close to what the studies found.",
    "moderate": "The true effect is probably close to what the studies found, but it may be "
    "substantially different.",
    "low": "The true effect may be substantially different from what the studies found.",
    "very_low": "The true effect is likely to be substantially different from what the studies "
    "found.",
}


def verdict_sentence(card: scoring.Scorecard) -> str:
    """What the scores beside it do not say themselves: that there is no verdict, that they
    show a direction and not the truth, or how the certainty caps the verdict. "" when the
    bars, "Supports is higher" and the certainty say it all (issue 18: the panel said the
    balance three times). Nothing here reads stronger than the capped verdict."""
    if not card.counted:
        return "No study counts for this claim yet, so there is no verdict either way."
    if card.verdict == scoring.INSUFFICIENT:
        return "That is too little for a verdict either way."
    if card.verdict == scoring.VERY_UNCERTAIN:
        # The label and GRADE's statement say "very uncertain" already: say what the scores are.
        return "The scores show which way the studies point, not whether it is true."
    if _capped(card):
        # "Moderate support" beside "Low certainty": two uses of one scale's words, explained.
        strong = "strong support" if card.pro > card.against else "strong contradiction"
        level = CERTAINTY_LABELS[scoring.weights.STRONG_NEEDS_AT_LEAST].lower()
        return (
            f"The scores alone would read as {strong}, but {strong} needs at least {level} "
            f"certainty, so at {CERTAINTY_LABELS[card.certainty].lower()} certainty the verdict "
            f"stops at {card.verdict.lower()}: “moderate” says how far the studies lean, not "
            "how sure anyone can be."
        )
    return ""


def certainty_meaning(certainty: str | None) -> str:
    """GRADE's definition of the level, shown beside it; "" when nothing was rated."""
    return CERTAINTY_MEANS.get(certainty, "") if certainty else ""


def _capped(card: scoring.Scorecard) -> bool:
    """Whether the scores alone would give a strong verdict that the certainty caps (§3.4)."""
    w = scoring.weights
    high, low = max(card.pro, card.against), min(card.pro, card.against)
    return (
        card.certainty in w.LEVELS
        and w.LEVELS.index(card.certainty) < w.LEVELS.index(w.STRONG_NEEDS_AT_LEAST)
        and card.verdict in (scoring.MODERATE_SUPPORT, scoring.MODERATELY_CONTRADICTED)
        and high >= w.STRONG_AT_LEAST
        and low < w.STRONG_OTHER_BELOW
    )
