"""Wording check: causal language that the claim's study designs cannot carry. Pure functions."""

import re
from collections.abc import Iterable

from scoring.weights import DESIGNS

# Designs that can test cause and effect: trials and reviews of trials.
CAUSAL_DESIGNS = frozenset(
    {"meta_analysis_rct", "systematic_review", "rct", "crossover_rct", "non_randomised_trial"}
)

# Each causal verb with its inflections; the key is what the warning quotes.
CAUSAL_VERBS = {
    "causes": r"caus(?:e|es|ed|ing)",
    "increases": r"increas(?:e|es|ed|ing)",
    "decreases": r"decreas(?:e|es|ed|ing)",
    "prevents": r"prevent(?:s|ed|ing)?",
    "reduces": r"reduc(?:e|es|ed|ing)",
    "improves": r"improv(?:e|es|ed|ing)",
    "leads to": r"(?:lead|leads|led|leading)\s+to",
    "results in": r"result(?:s|ed|ing)?\s+in",
    "cures": r"cur(?:e|es|ed|ing)",
    "boosts": r"boost(?:s|ed|ing)?",
}
# "an increase in", "the cause of": nouns, not claims of causation.
_NOT_AFTER = r"(?<!\ba )(?<!\ban )(?<!\bthe )(?<!\bno )"
_VERB_PATTERNS = {
    verb: re.compile(rf"{_NOT_AFTER}\b{pattern}\b", re.IGNORECASE)
    for verb, pattern in CAUSAL_VERBS.items()
}

HEADING = "Language stronger than the evidence"
_DESIGN_LABELS = dict(DESIGNS)


def causal_verbs(text: str) -> list[str]:
    """The causal verbs in `text`, in the order of CAUSAL_VERBS."""
    return [verb for verb, pattern in _VERB_PATTERNS.items() if pattern.search(text or "")]


def wording_warning(statement_texts: Iterable[str], designs: Iterable[str]) -> str | None:
    """One sentence when the wording claims cause and effect that the designs cannot show.

    `statement_texts` are the claim's wordings (scientific and plain); `designs` the designs of
    its approved studies. A claim with no studies gets no warning: its verdict already says
    the evidence is insufficient.
    """
    designs = list(designs)
    if not designs or CAUSAL_DESIGNS.intersection(designs):
        return None
    verbs = []
    for text in statement_texts:
        verbs += [verb for verb in causal_verbs(text) if verb not in verbs]
    if not verbs:
        return None
    quoted = " and ".join(f"“{verb}”" for verb in verbs[:2])
    kinds = ", ".join(sorted({_DESIGN_LABELS.get(d, d).lower() for d in designs}))
    return (
        f"The claim says {quoted}, which asserts cause and effect, but it rests only on "
        f"studies that can show an association or a plausible mechanism ({kinds}), "
        "not on a trial or a review of trials."
    )
