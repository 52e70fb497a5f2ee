"""Draft "gold standard evidence needed" lists for editors to edit. Pure functions.

A draft is a starting point, never a publication: the admin action that uses it adds rows
marked `is_draft`, which readers do not see (IdealStudy.objects.published()) until an editor
has rewritten them in the claim's ideal-study inline and unticked "draft".
"""

from typing import NamedTuple

from .models import ClaimType


class Suggestion(NamedTuple):
    rank: int
    design: str
    description: str
    why: str


# (design, description, why) per claim type, strongest design first. "{population}" and
# "{claim}" are filled in; "{claim}" is the claim's wording, shortened.
TEMPLATES: dict[str, list[tuple[str, str, str]]] = {
    ClaimType.MECHANISTIC: [
        (
            "meta_analysis_rct",
            "Individual-participant-data meta-analysis of randomised trials in {population} that "
            "measured both the proposed mechanism (the mediator) and the outcome named in the "
            "claim, with a pre-specified mediation analysis.",
            "Whether the mechanism proposed for {population} holds across trials, or rests on "
            "one laboratory's measurements.",
        ),
        (
            "rct",
            "Mechanistic randomised controlled trial in {population}: randomise to the "
            "intervention or its comparator, measure the outcome named in the claim "
            "({claim}) and the proposed mediator blind to allocation; pre-registered and "
            "powered for the mediator.",
            "Tests the causal chain directly in {population}: if the mediator does not move "
            "with the intervention, the proposed mechanism is wrong.",
        ),
        (
            "crossover_rct",
            "Randomised crossover trial in {population} (or limbs randomised within each "
            "person), with a washout, measuring the outcome and the mediator in both conditions.",
            "Each person is their own control, so a smaller trial gives a precise test of the "
            "mechanism in {population}.",
        ),
        (
            "mechanistic",
            "Within-participant mechanistic study in {population} with direct measures of each "
            "step of the proposed chain (for example biopsies, imaging or electrophysiology) "
            "after the intervention and the comparator.",
            "Turns the inferred steps of the mechanism in {population} into measured ones.",
        ),
    ],
    ClaimType.CAUSAL: [
        (
            "meta_analysis_rct",
            "Meta-analysis of randomised controlled trials in {population} testing the claim "
            "({claim}), with risk of bias assessed (RoB 2) and certainty graded per outcome.",
            "How large and how consistent the effect is in {population} across trials.",
        ),
        (
            "rct",
            "Large, pre-registered, parallel-group randomised controlled trial in {population}: "
            "intervention against a matched comparator, blinded outcome assessment, a primary "
            "outcome named in advance and a sample size from a power calculation.",
            "Whether the intervention causes the effect in {population}, free of confounding.",
        ),
        (
            "cohort",
            "Prospective cohort study in {population} measuring exposure repeatedly, with a "
            "dose-response analysis and adjustment for known confounders.",
            "Whether the effect scales with the dose in everyday conditions in {population}, "
            "and over longer periods than a trial can run.",
        ),
        (
            "crossover_rct",
            "Randomised crossover trial in {population} where the outcome allows it (a "
            "reversible, short-term effect), with a washout between conditions.",
            "A precise within-person test of the effect in {population} at lower cost.",
        ),
    ],
    ClaimType.CORRELATIONAL: [
        (
            "systematic_review",
            "Pre-registered systematic review and meta-analysis of the observational studies in "
            "{population} that report the association ({claim}), with confounding assessed "
            "(ROBINS-E).",
            "Whether the association in {population} is consistent across studies and settings.",
        ),
        (
            "cohort",
            "Large prospective cohort study in {population} with the exposure measured before "
            "the outcome, repeated measurements and adjustment for known confounders.",
            "Whether the association in {population} holds when the exposure precedes the "
            "outcome, and how strong it is.",
        ),
        (
            # Mendelian randomisation has no design of its own here: a genetic cohort analysis.
            "cohort",
            "Mendelian randomisation analysis in a genotyped cohort representative of "
            "{population}, using genetic variants that proxy the exposure.",
            "Whether the association in {population} is likely to be causal or explained by "
            "confounding and reverse causation.",
        ),
        (
            "case_control",
            "Case-control study in {population} with carefully matched controls and exposure "
            "measured from records made before the outcome.",
            "A faster check of the association in {population}, especially for rare outcomes.",
        ),
    ],
    ClaimType.COMPARATIVE: [
        (
            "meta_analysis_rct",
            "Meta-analysis of head-to-head randomised trials in {population} comparing the "
            "options the claim names ({claim}), with an equivalence or superiority analysis "
            "against a pre-specified margin.",
            "Whether one option is better, or whether they are equivalent, across trials in "
            "{population}.",
        ),
        (
            "rct",
            "Pre-registered head-to-head randomised controlled trial in {population}, the "
            "options matched in everything but the compared factor, powered for equivalence if "
            "the claim says they are similar.",
            "Tests the comparison directly in {population}; 'no difference' needs an "
            "equivalence design, not a non-significant result.",
        ),
        (
            "crossover_rct",
            "Within-participant trial in {population} (crossover, or limbs randomised) "
            "comparing the options, outcomes assessed blind to allocation.",
            "A precise comparison in {population}, each person serving as their own control.",
        ),
        (
            "mechanistic",
            "Acute mechanistic study in {population} comparing the options on the measures "
            "thought to explain any difference.",
            "Why the options differ or not in {population}, beyond whether they do.",
        ),
    ],
    ClaimType.DESCRIPTIVE: [
        (
            "systematic_review",
            "Systematic review of representative studies in {population} reporting the quantity "
            "the claim describes ({claim}).",
            "How well established the description of {population} is across studies.",
        ),
        (
            "cross_sectional",
            "Large cross-sectional survey of a random, representative sample of {population} "
            "with validated measurement of the quantity described.",
            "How common or how large the described feature is in {population}, with a precise "
            "estimate.",
        ),
        (
            "cohort",
            "Prospective cohort study in {population} measuring the quantity repeatedly.",
            "Whether the description of {population} holds over time.",
        ),
    ],
}

DEFAULT_POPULATION = "the population the claim is about"
CLAIM_EXCERPT_WORDS = 20


def suggest_ideal_studies(claim_type: str, population: str, statement: str) -> list[Suggestion]:
    """A draft list of ideal studies for a claim, strongest first, to be edited by an editor."""
    population = _mid_sentence(" ".join((population or "").split())) or DEFAULT_POPULATION
    words = (statement or "").split()
    excerpt = " ".join(words[:CLAIM_EXCERPT_WORDS]).rstrip(".")
    if len(words) > CLAIM_EXCERPT_WORDS:
        excerpt += "…"
    claim = f"“{excerpt}”" if excerpt else "the claim as worded"
    templates = TEMPLATES.get(claim_type, TEMPLATES[ClaimType.CAUSAL])
    return [
        Suggestion(
            rank=rank,
            design=design,
            description=description.format(population=population, claim=claim),
            why=why.format(population=population, claim=claim),
        )
        for rank, (design, description, why) in enumerate(templates, start=1)
    ]


def _mid_sentence(text: str) -> str:
    """ "Previously trained adults" → "previously trained adults"; "UK adults" stays."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text
