"""Wording check: causal language that the claim's study designs cannot carry.

Pure functions, and at the end what the admin's claim changelist shows of them: a column and
a filter (without a query per row).
"""

import re
from collections.abc import Iterable

from django.contrib import admin
from django.db.models import Exists, OuterRef

from scoring.weights import DESIGNS

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
_DESIGN_LABELS = dict(DESIGNS)


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


# The admin's claim changelist.


def with_wording_inputs(claims):
    """Annotate what wording_warning() needs besides the wording: whether the claim has
    approved studies (`has_studies`) and whether any is a trial or review of trials
    (`has_trial`)."""
    from .models import Evidence

    approved = Evidence.objects.filter(claim=OuterRef("pk"), status=Evidence.Status.APPROVED)
    return claims.annotate(
        has_studies=Exists(approved),
        has_trial=Exists(approved.filter(study__design__in=CAUSAL_DESIGNS)),
    )


def is_flagged(claim) -> bool:
    """Whether wording_warning() warns, for a claim from with_wording_inputs()."""
    if not claim.has_studies or claim.has_trial:
        return False
    return bool(causal_verbs(claim.statement) or causal_verbs(claim.plain_statement))


@admin.display(description="Wording fits the evidence", boolean=True)
def wording_fits(claim) -> bool:
    """The changelist column: a cross where the claim page says HEADING."""
    return not is_flagged(claim)


class WordingListFilter(admin.SimpleListFilter):
    title = "wording check"
    parameter_name = "wording"

    def lookups(self, request, model_admin):
        return [("flagged", HEADING), ("fits", "Wording fits the evidence")]

    def queryset(self, request, queryset):
        if self.value() not in ("flagged", "fits"):
            return None
        # The causal verbs are found in Python: narrow down in SQL first (one query).
        candidates = with_wording_inputs(queryset).filter(has_studies=True, has_trial=False)
        rows = candidates.values_list("pk", "statement", "plain_statement")
        flagged = [pk for pk, *texts in rows if any(causal_verbs(text) for text in texts)]
        if self.value() == "flagged":
            return queryset.filter(pk__in=flagged)
        return queryset.exclude(pk__in=flagged)
