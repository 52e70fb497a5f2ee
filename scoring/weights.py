"""Every number the scoring model uses, each with the reason it has that value.

`TABLE` is the single source: the dictionaries below it are derived from it, and the
"How scores work" page renders it with `grouped()`. Values marked "Project calibration"
are our own choices, tuned to the calibration points in tests/scoring; the others follow
the GRADE and OCEBM sources they cite.
"""

from typing import Any, NamedTuple

# Vocabulary. Django models build their choices from these, so they stay plain tuples.
DESIGNS = (  # strongest first
    ("meta_analysis_rct", "Meta-analysis of RCTs"),
    ("systematic_review", "Systematic review"),
    ("rct", "Randomised controlled trial"),
    ("crossover_rct", "Randomised crossover trial"),
    ("non_randomised_trial", "Non-randomised trial"),
    ("cohort", "Cohort study"),
    ("case_control", "Case-control study"),
    ("cross_sectional", "Cross-sectional study"),
    ("case_series", "Case series"),
    ("animal", "Animal study"),
    ("in_vitro", "In-vitro study"),
    ("mechanistic", "Mechanistic study"),
    ("expert_opinion", "Expert opinion"),
)
CERTAINTIES = (  # highest first
    ("high", "High"),
    ("moderate", "Moderate"),
    ("low", "Low"),
    ("very_low", "Very low"),
)
DESIGN_VALUES = tuple(value for value, _ in DESIGNS)
CERTAINTY_VALUES = tuple(value for value, _ in CERTAINTIES)
LEVELS = ("very_low", "low", "moderate", "high")  # lowest first: one step = one GRADE level
STANCES = ("supports", "contradicts")
STRENGTHS = ("clear", "partial")


class Weight(NamedTuple):
    name: str
    value: Any
    group: str
    why: str


class Group(NamedTuple):
    title: str
    summary: str
    rows: list[Weight]


CERTAINTY = "Certainty multiplier (C)"
START = "Starting certainty"
RATING = "Rating certainty down and up"
TIER = "Design tier (T)"
SAMPLE = "Sample size (N)"
STRENGTH = "Finding strength (d)"
AGGREGATION = "Adding up a side"
VERDICT = "Verdict thresholds"
REFERENCE = "Reference strong study"

GROUP_SUMMARIES = {
    CERTAINTY: "How far we trust the study's result for this claim, as a GRADE level.",
    START: "Where a study's certainty starts before it is rated down or up, when editors "
    "have not set it directly.",
    RATING: "Each GRADE concern moves certainty one level; it never leaves the four levels.",
    TIER: "How well the design can answer the question at all.",
    SAMPLE: "Larger studies give more precise answers, with diminishing returns.",
    STRENGTH: "Whether the study's finding bears on the claim fully or only in part.",
    AGGREGATION: "Points on one side are added strongest first, each next study counting half "
    "as much as the one before, then mapped onto 0–100.",
    VERDICT: "The verdict is the first rule that matches, checked in this order.",
    REFERENCE: "The study the fragility check imagines adding to the trailing side.",
}

_OCEBM = "OCEBM Levels of Evidence Working Group, Oxford 2011 Levels of Evidence"
_HANDBOOK = "GRADE Handbook (Schünemann et al. 2013)"
_GRADE3 = "Balshem et al. 2011, J Clin Epidemiol (GRADE guidelines 3: rating the quality)"

TABLE: tuple[Weight, ...] = (
    # C: certainty multipliers
    Weight(
        "high",
        1.00,
        CERTAINTY,
        f"{_GRADE3}: the true effect lies close to the estimate. Counts in full.",
    ),
    Weight(
        "moderate",
        0.65,
        CERTAINTY,
        f"{_GRADE3}: the true effect is likely close but may be substantially different. "
        "Project calibration: one moderate-certainty RCT of 18 scores 66.",
    ),
    Weight(
        "low",
        0.35,
        CERTAINTY,
        f"{_GRADE3}: the true effect may be substantially different. Project calibration: "
        "one low-certainty cohort of 50 scores about 42.",
    ),
    Weight(
        "very_low",
        0.15,
        CERTAINTY,
        f"{_GRADE3}: the true effect is likely to be substantially different. Kept above zero "
        "because GRADE still reports very-low-certainty evidence rather than discarding it.",
    ),
    # Starting certainty by design
    Weight(
        "meta_analysis_rct",
        "high",
        START,
        f"{_HANDBOOK}, section 5.1: a body of randomised evidence starts high.",
    ),
    Weight(
        "systematic_review",
        "high",
        START,
        f"{_HANDBOOK}, section 5.1: rated as the randomised evidence it summarises; editors "
        "rate it down when the included studies are not randomised.",
    ),
    Weight("rct", "high", START, f"{_HANDBOOK}, section 5.1: randomised trials start high."),
    Weight(
        "crossover_rct",
        "high",
        START,
        f"{_HANDBOOK}, section 5.1: randomised, so it starts high like a parallel trial.",
    ),
    Weight(
        "non_randomised_trial",
        "low",
        START,
        f"{_HANDBOOK}, section 5.1: without randomisation, evidence starts low.",
    ),
    Weight("cohort", "low", START, f"{_HANDBOOK}, section 5.1: observational studies start low."),
    Weight(
        "case_control", "low", START, f"{_HANDBOOK}, section 5.1: observational studies start low."
    ),
    Weight(
        "cross_sectional",
        "low",
        START,
        f"{_HANDBOOK}, section 5.1: observational studies start low.",
    ),
    Weight(
        "case_series", "low", START, f"{_HANDBOOK}, section 5.1: observational studies start low."
    ),
    Weight(
        "mechanistic",
        "very_low",
        START,
        "Guyatt et al. 2011, J Clin Epidemiol (GRADE guidelines 8: indirectness): a mechanism "
        "only indirectly shows an effect in people, so it starts one level below observational "
        "evidence.",
    ),
    Weight(
        "mechanistic_for_mechanistic_claim",
        "low",
        START,
        "When the claim is itself about a mechanism, a mechanistic study answers it directly, "
        "so the indirectness step of GRADE guidelines 8 (Guyatt et al. 2011) does not apply; "
        "see also Howick, Glasziou & Aronson 2010, J R Soc Med (evidence-based mechanistic "
        "reasoning).",
    ),
    Weight(
        "animal",
        "very_low",
        START,
        "Guyatt et al. 2011, J Clin Epidemiol (GRADE guidelines 8: indirectness): results in "
        "animals are very seriously indirect for claims about people.",
    ),
    Weight(
        "in_vitro",
        "very_low",
        START,
        "Guyatt et al. 2011, J Clin Epidemiol (GRADE guidelines 8: indirectness): cells in a "
        "dish are very seriously indirect for claims about people.",
    ),
    Weight(
        "expert_opinion",
        "very_low",
        START,
        "GRADE Working Group, Schünemann, Zhang & Oxman 2019, BMJ (Distinguishing opinion from "
        "evidence in guidelines): an opinion interprets evidence; it is not evidence itself.",
    ),
    # Rating down and up
    Weight(
        "level_per_downgrade",
        1,
        RATING,
        f"{_HANDBOOK}, section 5.2: one level down for each serious concern about risk of bias, "
        "inconsistency, indirectness, imprecision or publication bias (Guyatt et al. 2011, "
        "GRADE guidelines 4–8).",
    ),
    Weight(
        "level_per_upgrade",
        1,
        RATING,
        "Guyatt et al. 2011, J Clin Epidemiol (GRADE guidelines 9: rating up): one level up for "
        "a large effect, a dose-response gradient, or plausible confounding that would reduce "
        "the effect.",
    ),
    Weight(
        "levels",
        "very low … high",
        RATING,
        f"{_HANDBOOK}, section 5: certainty is clamped to the four GRADE levels.",
    ),
    # T: design tiers
    Weight(
        "meta_analysis_rct",
        1.00,
        TIER,
        f"{_OCEBM}: a systematic review of randomised trials is level 1, the top of the scale.",
    ),
    Weight(
        "systematic_review",
        1.00,
        TIER,
        f"{_OCEBM}: systematic reviews sit at level 1 of every question type.",
    ),
    Weight(
        "rct",
        0.90,
        TIER,
        f"{_OCEBM}: a single randomised trial is level 2, one step below a review of several.",
    ),
    Weight(
        "crossover_rct",
        0.90,
        TIER,
        f"{_OCEBM}: randomised, level 2. Cochrane Handbook (Higgins et al.), chapter 23: a valid "
        "randomised design when the condition is stable and effects wash out.",
    ),
    Weight(
        "non_randomised_trial",
        0.80,
        TIER,
        f"{_OCEBM}: a non-randomised controlled study is level 3; allocation is planned, which "
        "puts it above purely observational designs.",
    ),
    Weight(
        "cohort",
        0.75,
        TIER,
        f"{_OCEBM}: a cohort follow-up study is level 3; exposure is measured before outcome.",
    ),
    Weight(
        "case_control",
        0.70,
        TIER,
        f"{_OCEBM}: case-control studies are level 3–4; exposure is recalled after the outcome, "
        "which invites recall and selection bias.",
    ),
    Weight(
        "cross_sectional",
        0.65,
        TIER,
        f"{_OCEBM}: exposure and outcome measured at one time cannot show which came first.",
    ),
    Weight(
        "case_series",
        0.60,
        TIER,
        f"{_OCEBM}: case series are level 4, with no comparison group.",
    ),
    Weight(
        "mechanistic",
        0.55,
        TIER,
        f"{_OCEBM}: mechanism-based reasoning is level 5, the lowest rung for human studies.",
    ),
    Weight(
        "animal",
        0.50,
        TIER,
        "Outside the OCEBM 2011 human hierarchy; placed below mechanistic reasoning because the "
        "step from animals to people is itself uncertain (GRADE guidelines 8: indirectness).",
    ),
    Weight(
        "in_vitro",
        0.50,
        TIER,
        "Outside the OCEBM 2011 human hierarchy; as for animal studies, the step to people is "
        "uncertain (GRADE guidelines 8: indirectness).",
    ),
    Weight(
        "expert_opinion",
        0.40,
        TIER,
        "OCEBM 2009 Levels of Evidence (Phillips et al.): expert opinion without explicit "
        "critical appraisal is level 5, the bottom of the scale.",
    ),
    # N: sample size
    Weight(
        "optimal_information_size",
        400,
        SAMPLE,
        "Guyatt et al. 2011, J Clin Epidemiol (GRADE guidelines 6: imprecision): as a rule of "
        "thumb, a total of 400 participants meets the optimal information size for a "
        "continuous outcome. At n ≥ 400 the factor is 1.",
    ),
    Weight(
        "floor",
        0.5,
        SAMPLE,
        "N = 0.5 + 0.5 × log10(n) / log10(400), between 0.5 and 1. Precision grows with the "
        "square root of n, so the factor rises steeply at first and then flattens; even n = 1 "
        "keeps half weight because GRADE rates small studies down for imprecision rather "
        "than ignoring them.",
    ),
    Weight(
        "unknown",
        0.6,
        SAMPLE,
        "An unreported sample size is itself a reporting failure (CONSORT 2010, item 7a; "
        "STROBE item 10), so it counts about as much as a study of three or four people.",
    ),
    # d: finding strength
    Weight("clear", 1.0, STRENGTH, "The finding addresses the claim directly and fully."),
    Weight(
        "partial",
        0.5,
        STRENGTH,
        "The finding holds only for some outcomes, doses or subgroups. Project calibration, "
        "in the spirit of GRADE guidelines 7 and 8 (Guyatt et al. 2011: inconsistency, "
        "indirectness), which rate such evidence down one level.",
    ),
    # Aggregation
    Weight(
        "decay",
        0.5,
        AGGREGATION,
        "Each study counts half as much as the next stronger one on its side, so many weak "
        "studies never outweigh one strong one: certainty rests on the best evidence, not on "
        "counting studies (Cochrane Handbook, McKenzie & Brennan, chapter 12, on why vote "
        "counting misleads).",
    ),
    Weight(
        "scale",
        40,
        AGGREGATION,
        "score = round(100 × (1 − exp(−E / 40))). Project calibration: the reference strong "
        "study scores 86 and a high-certainty meta-analysis of 400 scores 92; the curve never "
        "reaches 100, because even high-certainty evidence can be revised (Balshem et al. 2011).",
    ),
    # Verdict thresholds
    Weight(
        "insufficient_below",
        20,
        VERDICT,
        "Insufficient evidence while both sides are under 20: below that lie single "
        "very-low-certainty studies that are indirect for people (one animal, in-vitro or "
        "mechanistic study scores at most 19). Project calibration.",
    ),
    Weight(
        "strong_at_least",
        50,
        VERDICT,
        "Strong support (or strongly contradicted) needs at least 50: one moderate-certainty "
        "randomised trial of any size, or a low-certainty one of about 100. Project calibration.",
    ),
    Weight(
        "strong_other_below",
        15,
        VERDICT,
        "…and the other side under 15: at most a trace of very-low-certainty evidence, such as "
        "one small animal study (n = 30 scores 14). Project calibration.",
    ),
    Weight(
        "moderate_gap",
        25,
        VERDICT,
        "Moderate support (or moderately contradicted) when one side leads by 25 or more. "
        "Project calibration.",
    ),
    Weight(
        "leaning_gap",
        10,
        VERDICT,
        "Leaning when one side leads by 10 or more; a smaller gap is mixed evidence. "
        "Project calibration.",
    ),
    # Reference strong study
    Weight(
        "design",
        "rct",
        REFERENCE,
        "A randomised trial: the design GRADE starts at high certainty (GRADE Handbook, 5.1).",
    ),
    Weight(
        "certainty",
        "high",
        REFERENCE,
        "No serious concern in any GRADE domain (GRADE Handbook, 5.2).",
    ),
    Weight(
        "sample_size",
        100,
        REFERENCE,
        "A typical well-run trial; on its own it scores 86.",
    ),
    Weight(
        "strength",
        "clear",
        REFERENCE,
        "Its finding answers the claim directly, with no partial-finding discount.",
    ),
)


def _rows(group: str) -> dict[str, Any]:
    return {w.name: w.value for w in TABLE if w.group == group}


def grouped() -> list[Group]:
    """The table as groups in the order they first appear, for the "How scores work" page."""
    titles = list(dict.fromkeys(w.group for w in TABLE))
    return [
        Group(title, GROUP_SUMMARIES[title], [w for w in TABLE if w.group == title])
        for title in titles
    ]


CERTAINTY_MULTIPLIER: dict[str, float] = _rows(CERTAINTY)
START_LEVEL: dict[str, str] = {
    design: level
    for design, level in _rows(START).items()
    if design != "mechanistic_for_mechanistic_claim"
}
MECHANISTIC_CLAIM_START_LEVEL: str = _rows(START)["mechanistic_for_mechanistic_claim"]
DESIGN_TIER: dict[str, float] = _rows(TIER)
SAMPLE_SIZE_FULL: int = _rows(SAMPLE)["optimal_information_size"]
SAMPLE_SIZE_FLOOR: float = _rows(SAMPLE)["floor"]
SAMPLE_SIZE_UNKNOWN: float = _rows(SAMPLE)["unknown"]
STRENGTH_FACTOR: dict[str, float] = _rows(STRENGTH)
DECAY: float = _rows(AGGREGATION)["decay"]
SCALE: float = _rows(AGGREGATION)["scale"]
INSUFFICIENT_BELOW: int = _rows(VERDICT)["insufficient_below"]
STRONG_AT_LEAST: int = _rows(VERDICT)["strong_at_least"]
STRONG_OTHER_BELOW: int = _rows(VERDICT)["strong_other_below"]
MODERATE_GAP: int = _rows(VERDICT)["moderate_gap"]
LEANING_GAP: int = _rows(VERDICT)["leaning_gap"]
REFERENCE_STUDY: dict[str, Any] = _rows(REFERENCE)
LEVEL_PER_DOWNGRADE: int = _rows(RATING)["level_per_downgrade"]
LEVEL_PER_UPGRADE: int = _rows(RATING)["level_per_upgrade"]
