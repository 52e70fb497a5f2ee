"""Wording check: causal language that the claim's study designs cannot carry.

Pure functions: no database, no admin (the claim changelist's column and filter are in
claims.admin.claim).
"""

import re
from collections.abc import Iterable

from scoring import DESIGN_LABELS

# Designs that can test cause and effect: trials and reviews of trials.
CAUSAL_DESIGNS = frozenset(
    {"meta_analysis_rct", "systematic_review", "rct", "crossover_rct", "non_randomised_trial"}
)

# Each causal verb with its inflections; the key is what the warning quotes. The bare "lower"
# is left out: it is as often the adjective ("lower mortality") as the verb.
CAUSAL_VERBS = {
    "causes": r"caus(?:e|es|ed|ing)",
    "increases": r"increas(?:e|es|ed|ing)",
    "decreases": r"decreas(?:e|es|ed|ing)",
    "prevents": r"prevent(?:s|ed|ing)?",
    "reduces": r"reduc(?:e|es|ed|ing)",
    "lowers": r"lower(?:s|ed|ing)",
    "raises": r"rais(?:e|es|ed|ing)",
    "induces": r"induc(?:e|es|ed|ing)",
    "improves": r"improv(?:e|es|ed|ing)",
    "leads to": r"(?:lead|leads|led|leading)\s+to",
    "results in": r"result(?:s|ed|ing)?\s+in",
    "cures": r"cur(?:e|es|ed|ing)",
    "boosts": r"boost(?:s|ed|ing)?",
}
# "an increase in", "the cause of": nouns, not claims of causation. Nor in a compound
# adjective: "exercise-induced damage", "reduced-fat milk".
_NOT_AFTER = r"(?<!\ba )(?<!\ban )(?<!\bthe )(?<!\bno )(?<!-)"
_VERB_PATTERNS = {
    verb: re.compile(rf"{_NOT_AFTER}\b(?:{pattern})\b(?!-)", re.IGNORECASE)
    for verb, pattern in CAUSAL_VERBS.items()
}
# A participle used as an adjective is the language of association, not a causal verb:
# "associated with reduced mortality", "linked to increased risk", "correlated with
# significantly improved scores", "rises with increasing age", "Cured meat is linked to…".
_ADVERB = r"(?:\w+ly\s+)?"
_ADJECTIVE_AFTER = {
    "ed": re.compile(
        rf"(?:^\s*|[.;!?:]\s+|\b(?:with|to|of|in|for|by|a|an|the|no|their|its|his|her|our)\s+)"
        rf"{_ADVERB}$",
        re.IGNORECASE,
    ),
    "ing": re.compile(rf"\bwith\s+{_ADVERB}$", re.IGNORECASE),
}
# "associated with lower mortality and reduced risk": after "and"/"or", a participle is an
# adjective too when the sentence so far speaks of association.
_AND_OR = re.compile(rf"\b(?:and|or)\s+{_ADVERB}$", re.IGNORECASE)
_ASSOCIATION = re.compile(r"\b(?:associat\w*|linked|correlat\w*|related)\b", re.IGNORECASE)
_SENTENCE_START = re.compile(r"^.*[.;!?]\s", re.DOTALL)

HEADING = "Language stronger than the evidence"


def _is_causal(match: re.Match) -> bool:
    word, before = match.group().lower(), match.string[: match.start()]
    if " " in word:  # "leads to", "results in"
        return True
    for ending, adjective_after in _ADJECTIVE_AFTER.items():
        if word.endswith(ending) and adjective_after.search(before):
            return False
    if word.endswith("ed") and _AND_OR.search(before):
        sentence = _SENTENCE_START.sub("", before)
        return not _ASSOCIATION.search(sentence)
    return True


def causal_verbs(text: str) -> list[str]:
    """The causal verbs in `text`, in the order of CAUSAL_VERBS."""
    text = text or ""
    return [
        verb
        for verb, pattern in _VERB_PATTERNS.items()
        if any(_is_causal(match) for match in pattern.finditer(text))
    ]


def overstated_verbs(
    statement_texts: Iterable[str], *, has_studies: bool, has_trial: bool
) -> list[str]:
    """The causal verbs in the claim's wordings that its approved studies cannot carry.

    None without studies (the verdict already says the evidence is insufficient) and none with
    a trial or a review of trials among them (`has_trial`: a design in CAUSAL_DESIGNS).
    """
    if not has_studies or has_trial:
        return []
    verbs = []
    for text in statement_texts:
        verbs += [verb for verb in causal_verbs(text) if verb not in verbs]
    return verbs


def wording_warning(statement_texts: Iterable[str], designs: Iterable[str]) -> str | None:
    """One sentence when the wording claims cause and effect that the designs cannot show.

    `statement_texts` are the claim's wordings (scientific and plain); `designs` the designs of
    its approved studies.
    """
    designs = list(designs)
    verbs = overstated_verbs(
        statement_texts,
        has_studies=bool(designs),
        has_trial=not CAUSAL_DESIGNS.isdisjoint(designs),
    )
    if not verbs:
        return None
    quoted = " and ".join(f"“{verb}”" for verb in verbs[:2])
    kinds = ", ".join(sorted({DESIGN_LABELS.get(d, d).lower() for d in designs}))
    return (
        f"The claim says {quoted}, which asserts cause and effect, but it rests only on "
        f"studies that can show an association or a plausible mechanism ({kinds}), "
        "not on a trial or a review of trials."
    )
