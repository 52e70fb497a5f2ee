"""The "How scores work" page: the scoring model explained, every figure computed by it.

Nothing here types a number the page shows: each comes from scoring.weights (the one table)
or is worked out by scoring itself, so the page cannot drift from the code. The worked example
is a real call of scoring.score on a small set of items. The one exception is the table's
"why" column, typed in scoring.weights; the page says so, and the example scores it quotes are
checked against scoring by tests/claims/test_about_scoring.py.
"""

import math
from dataclasses import dataclass, replace

import scoring
from scoring import CERTAINTY_LABELS, DESIGN_LABELS, core, design_noun
from scoring import weights as w
from scoring.vocabulary import RISK_OF_BIAS_LABELS
from studies.models import Stance

from .models import LARGE_EFFECTS, ClaimType, Evidence, MechanismStep

# The worked example: one moderate-certainty randomised trial of 18 people, some concerns
# for risk of bias (the seed claims' typical study), for a causal claim.
EXAMPLE_CLAIM_TYPE = ClaimType.CAUSAL
EXAMPLE = {
    "stance": Stance.SUPPORTS,
    "design": "rct",
    "certainty": "moderate",
    "sample_size": 18,
    "strength": Evidence.Strength.CLEAR,
    "risk_of_bias": Evidence.RiskOfBias.SOME,
}
# The same trial with the optimal information size of participants: one change, what moves.
EXAMPLE_LARGER = {**EXAMPLE, "sample_size": w.SAMPLE_SIZE_FULL}

# How a step of "How it might work" is rated (MechanismStep.level_for): only studies that
# measured the step directly, with an approved and appraised link on the claim, raise it. The
# claim page's legend shows these rows too (claims.trust).
INFERRED_LEVEL = "Inferred from N studies"
STEP_LEVELS = (
    (MechanismStep.VERIFIED, "Two or more appraised studies measured this step directly."),
    (MechanismStep.SUPPORTED, "One appraised study measured this step directly."),
    (
        INFERRED_LEVEL,
        "The step is reasoned from what N studies found, but none of them measured it: it "
        "counts no more than a plausible step.",
    ),
    (
        MechanismStep.PLAUSIBLE,
        "No study is cited for this step: it follows from what is known, not yet shown.",
    ),
)
STEP_LEVELS_NOTE = (
    "A study cited as measuring a step is counted only once an editor has appraised its link "
    "to the claim (and it is not retracted); until then it is named under the step as awaiting "
    "appraisal and does not raise the level."
)

STANCE_LEADS = (
    (Stance.SUPPORTS, "Pro leads"),
    (Stance.CONTRADICTS, "Against leads"),
    (None, "A tie"),
)


def number(x: float, places: int = 3) -> str:
    """A figure as readers see it: at most `places` decimals, no trailing zeros ("0.65")."""
    return f"{round(x, places):.{places}f}".rstrip("0").rstrip(".")


def level(certainty: str | None) -> str:
    """ "very low"; "none" when nothing is counted."""
    return CERTAINTY_LABELS[certainty].lower() if certainty else "none"


def percent(share: float) -> str:
    return f"{number(100 * share, 1)}%"


def _words(items: list[str], last: str = "and") -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {last} {items[-1]}"


@dataclass(frozen=True)
class Alone:
    """What one study can earn on its own."""

    label: str
    start: str
    points: str
    score: int


def alone(design: str, claim_type: str | None, label: str = "") -> Alone:
    """One study of this design with a clear finding and the optimal information size of
    participants, its certainty derived (no concern, no upgrade)."""
    item = {"stance": Stance.SUPPORTS, "design": design, "sample_size": w.SAMPLE_SIZE_FULL}
    points = scoring.points(item, claim_type)
    return Alone(
        label or DESIGN_LABELS[design],
        level(scoring.start_level(design, claim_type)),
        number(points, 1),
        scoring.side_score([points]),
    )


def _never_past_insufficient(claim_type: str | None) -> list[str]:
    """The designs one study of which, its certainty derived, never reaches the insufficient
    threshold on its own: it cannot be rated up (only observational designs are), and at its
    best it scores below the threshold."""
    return [
        design_noun(design)
        for design in w.DESIGN_VALUES
        if design not in w.OBSERVATIONAL_DESIGNS
        and alone(design, claim_type).score < w.INSUFFICIENT_BELOW
    ]


def _starts(claim_type: str | None) -> list[tuple[str, str]]:
    """(level, the designs that start there), highest first, for one claim type."""
    by_level: dict[str, list[str]] = {}
    for design in w.DESIGN_VALUES:
        by_level.setdefault(scoring.start_level(design, claim_type), []).append(design_noun(design))
    return [(level(lvl), _words(by_level[lvl])) for lvl in w.CERTAINTY_VALUES if lvl in by_level]


def worked_example(item: dict, claim_type: str = EXAMPLE_CLAIM_TYPE) -> dict:
    """Every figure of one study's scorecard, step by step, from scoring.score."""
    card = scoring.score([item], claim_type=claim_type)
    [study] = card.contributions
    c = w.CERTAINTY_MULTIPLIER[study.certainty]
    t = w.DESIGN_TIER[study.design]
    n = scoring.sample_size_factor(study.sample_size)
    d = w.STRENGTH_FACTOR[study.strength]
    raw = 100 * (1 - math.exp(-card.pro_effective / w.SCALE))
    return {
        "card": card,
        "design": design_noun(study.design),
        "certainty": level(study.certainty),
        "sample_size": study.sample_size,
        "risk_of_bias": RISK_OF_BIAS_PHRASES[item["risk_of_bias"]],
        "c": number(c),
        "t": number(t),
        "n": number(n),
        "d": number(d),
        "points": number(study.points, 1),
        "effective": number(card.pro_effective, 1),
        "raw": number(raw, 1),
        "pro": card.pro,
        "against": card.against,
        "start": level(study.start_level),
        "reasons": card.certainty_reasons,
        "result": level(card.certainty),
        "participants": card.participants,
        "verdict": card.verdict,
        "statement": card.statement,
        "caption": card.caption,
    }


# "low risk", "some concerns", "high risk": the worked example's phrase for a judgement.
RISK_OF_BIAS_PHRASES = {
    value: label.lower().removesuffix(" of bias") for value, label in RISK_OF_BIAS_LABELS.items()
}


def about_scoring_context() -> dict:
    """Everything the page shows, from the scoring table and the scoring code."""
    decay, scale = w.DECAY, w.SCALE
    reference = scoring.REFERENCE_STUDY
    reference_points = scoring.points(reference)
    best = 100 * max(w.CERTAINTY_MULTIPLIER.values()) * max(w.DESIGN_TIER.values())
    both_sides = scoring.score([reference, replace(reference, key=1, stance=Stance.CONTRADICTS)])
    mechanistic = alone(
        "mechanistic", ClaimType.MECHANISTIC, "Mechanistic study, for a claim about a mechanism"
    )
    correlational = alone(
        "cohort", ClaimType.CORRELATIONAL, "Cohort study, for a correlational or descriptive claim"
    )
    strong_needs = w.STRONG_NEEDS_AT_LEAST
    return {
        "groups": weight_groups(),
        "step_levels": STEP_LEVELS,
        "step_levels_note": STEP_LEVELS_NOTE,
        # Adding up a side
        "scale": number(scale),
        "decay": number(decay),
        "decay_steps": ", ".join(f"{decay**k:g}" for k in range(4)),
        "pile_cap": f"{1 / (1 - decay):g}",
        "top_score": core.scale(best / (1 - decay)),
        # What a score is not
        "both_sides": both_sides,
        "both_sides_sum": both_sides.pro + both_sides.against,
        # Which studies count
        "not_counted": {
            "retracted": scoring.RETRACTED,
            "pooled_in": scoring.POOLED_IN,
            "same_trial": scoring.SAME_TRIAL,
        },
        # Points
        "multipliers": [
            (level(lvl), number(w.CERTAINTY_MULTIPLIER[lvl])) for lvl in w.CERTAINTY_VALUES
        ],
        "tier_top": number(max(w.DESIGN_TIER.values())),
        "tier_bottom": number(min(w.DESIGN_TIER.values())),
        "n_full": w.SAMPLE_SIZE_FULL,
        "n_floor": number(scoring.sample_size_factor(1)),
        "n_top": number(scoring.sample_size_factor(w.SAMPLE_SIZE_FULL)),
        "n_unknown": number(w.SAMPLE_SIZE_UNKNOWN),
        "d_clear": number(w.STRENGTH_FACTOR[Evidence.Strength.CLEAR]),
        "d_partial": number(w.STRENGTH_FACTOR[Evidence.Strength.PARTIAL]),
        "reference": {
            "design": design_noun(reference.design),
            "certainty": level(reference.certainty),
            "sample_size": reference.sample_size,
            "points": number(reference_points, 1),
            "score": scoring.side_score([reference_points]),
        },
        "alone": [alone(design, EXAMPLE_CLAIM_TYPE) for design in w.DESIGN_VALUES]
        + [mechanistic, correlational],
        "alone_claim_type": EXAMPLE_CLAIM_TYPE,
        "never_past_insufficient": _words(_never_past_insufficient(EXAMPLE_CLAIM_TYPE), "or"),
        "mechanistic_alone": mechanistic,
        # Certainty of the body of evidence
        "levels": [(CERTAINTY_LABELS[lvl], GRADE_MEANING[lvl]) for lvl in w.CERTAINTY_VALUES],
        "starts": _starts(EXAMPLE_CLAIM_TYPE),
        "observational_direct": {
            "claim_types": _words(list(w.OBSERVATIONAL_DIRECT_CLAIM_TYPES), "or"),
            "start": level(w.OBSERVATIONAL_DIRECT_START_LEVEL),
        },
        "mechanistic_claim_start": level(w.MECHANISTIC_CLAIM_START_LEVEL),
        "serious": w.SERIOUS,
        "very_serious": w.VERY_SERIOUS,
        "rob_share": percent(w.RISK_OF_BIAS_SHARE),
        "rob_not_assessed": RISK_OF_BIAS_PHRASES[w.RISK_OF_BIAS_NOT_ASSESSED],
        "inconsistency_serious": percent(w.INCONSISTENCY_SERIOUS_AT),
        "inconsistency_very_serious": percent(w.INCONSISTENCY_VERY_SERIOUS_AT),
        "inconsistency_tie": percent(w.INCONSISTENCY_ON_A_TIE),
        "indirectness_most": w.INDIRECTNESS_MOST,
        "imprecision_very_serious_below": w.IMPRECISION_VERY_SERIOUS_BELOW,
        "imprecision_serious_below": w.IMPRECISION_SERIOUS_BELOW,
        "publication_bias": w.PUBLICATION_BIAS,
        "upgrade_most": w.UPGRADE_MOST,
        # GRADE 9's reasons each rate up LEVEL_PER_UPGRADE; a very large effect counts as the
        # most the appraisal form allows for an effect's size.
        "upgrade_levels": w.LEVEL_PER_UPGRADE,
        "very_large_levels": max(value for value, _ in LARGE_EFFECTS) * w.LEVEL_PER_UPGRADE,
        # Verdict and statement
        "verdict": {
            "insufficient": scoring.INSUFFICIENT,
            "insufficient_below": w.INSUFFICIENT_BELOW,
            "very_uncertain": scoring.VERY_UNCERTAIN,
            "very_uncertain_at": level(w.VERY_UNCERTAIN_AT),
            "strong_support": scoring.STRONG_SUPPORT,
            "strongly_contradicted": scoring.STRONGLY_CONTRADICTED,
            "strong_at_least": w.STRONG_AT_LEAST,
            "strong_other_below": w.STRONG_OTHER_BELOW,
            "strong_needs": level(strong_needs),
            "below_strong": _words(
                [
                    level(lvl)
                    for lvl in w.CERTAINTY_VALUES
                    if w.LEVELS.index(lvl) < w.LEVELS.index(strong_needs)
                    and lvl != w.VERY_UNCERTAIN_AT
                ]
            ),
            "moderate_support": scoring.MODERATE_SUPPORT,
            "moderately_contradicted": scoring.MODERATELY_CONTRADICTED,
            "moderate_gap": w.MODERATE_GAP,
            "leaning_support": scoring.LEANING_SUPPORT,
            "leaning_against": scoring.LEANING_AGAINST,
            "leaning_gap": w.LEANING_GAP,
            "mixed": scoring.MIXED,
        },
        "statements": [
            (
                CERTAINTY_LABELS[lvl],
                [(label, scoring.statement_for(lvl, lead)) for lead, label in STANCE_LEADS],
            )
            for lvl in w.CERTAINTY_VALUES
        ],
        "statement_leads": [label for _, label in STANCE_LEADS],
        "no_certainty_statement": scoring.statement_for(None, None),
        # The worked example
        "example": worked_example(EXAMPLE),
        "example_larger": worked_example(EXAMPLE_LARGER),
    }


# GRADE's own words for the four levels (Balshem et al. 2011, table 2).
GRADE_MEANING = {
    "high": "We are very confident that the true effect lies close to that of the estimate "
    "of the effect.",
    "moderate": "We are moderately confident in the effect estimate: the true effect is likely "
    "to be close to the estimate of the effect, but there is a possibility that it is "
    "substantially different.",
    "low": "Our confidence in the effect estimate is limited: the true effect may be "
    "substantially different from the estimate of the effect.",
    "very_low": "We have very little confidence in the effect estimate: the true effect is "
    "likely to be substantially different from the estimate of effect.",
}


@dataclass(frozen=True)
class WeightRow:
    """A row of the "How scores work" page: the scoring table's entry in words."""

    label: str
    value: object
    why: str


def weight_groups() -> list[tuple]:
    """scoring.weights.grouped(), each row by its label and its value in words."""
    return [
        (
            group.title,
            group.summary,
            [WeightRow(row.label, row.shown_value, row.why) for row in group.rows],
        )
        for group in w.grouped()
    ]
