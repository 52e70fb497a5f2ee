"""Every number and every sentence the scoring model uses, each with the reason it has that value.

`TABLE` is the single source of the values: the dictionaries below it are derived from it, and
the "How scores work" page renders it with `grouped()`. Values marked "Project calibration"
are our own choices, tuned to the calibration points in tests/scoring; the others follow
the GRADE and OCEBM sources they cite. `WORDING`, after the table, holds the templates of the
sentences the model writes (captions and certainty reasons); the statements themselves are
table rows, because readers see them on the "How scores work" page.
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
RISKS_OF_BIAS = ("low", "some", "high")  # None: not yet assessed
CLAIM_TYPES = ("mechanistic", "causal", "correlational", "comparative", "descriptive")
# Reviews pool other studies (§3.1 rule 2).
REVIEW_DESIGNS = ("meta_analysis_rct", "systematic_review")
# The human observational designs: they start low (high for the claim types below), and only
# they are ever rated up (GRADE 9).
OBSERVATIONAL_DESIGNS = (
    "non_randomised_trial",
    "cohort",
    "case_control",
    "cross_sectional",
    "case_series",
)
# Claim types that observational data answer directly (OCEBM 2011: prevalence and association
# questions are answered by surveys and cohorts, not trials).
OBSERVATIONAL_DIRECT_CLAIM_TYPES = ("correlational", "descriptive")


class Weight(NamedTuple):
    name: str
    value: Any
    group: str
    why: str


class Group(NamedTuple):
    title: str
    summary: str
    rows: list[Weight]


COUNTING = "Which studies count"
CERTAINTY = "Certainty multiplier (C)"
START = "Starting certainty"
RATING = "Rating certainty down and up"
TIER = "Design tier (T)"
SAMPLE = "Sample size (N)"
STRENGTH = "Finding strength (d)"
AGGREGATION = "Adding up a side"
BODY = "Certainty of the body of evidence"
VERDICT = "Verdict thresholds"
STATEMENT = "Statement"
REFERENCE = "Reference strong study"

GROUP_SUMMARIES = {
    COUNTING: "Only approved, appraised evidence is scored. Then, in this order, a study is "
    "shown but not counted, with its reason: it was retracted; a meta-analysis or systematic "
    "review in the list, not retracted, already includes it; or another publication of the "
    "same trial earns more points.",
    CERTAINTY: "How far we trust the study's result for this claim, as a GRADE level.",
    START: "Where a study's certainty starts before it is rated down or up, when editors "
    "have not set it directly.",
    RATING: "For one study: each GRADE concern moves certainty one level; it never leaves the "
    "four levels.",
    TIER: "How well the design can answer the question at all.",
    SAMPLE: "Larger studies give more precise answers, with diminishing returns.",
    STRENGTH: "Whether the study's finding bears on the claim fully or only in part.",
    AGGREGATION: "Points on one side are added strongest first, each next study counting half "
    "as much as the one before, then mapped onto 0–100.",
    BODY: "GRADE rates a body of evidence, not single studies. The counted studies with the "
    "highest starting certainty form the stream that sets it; weaker studies still score "
    "points. The stream starts at its level and is rated down for risk of bias, "
    "inconsistency, indirectness, imprecision and publication bias, and up for strong "
    "observational evidence; the steps are added, then kept within the four levels.",
    VERDICT: "The verdict is the first rule that matches, checked in this order.",
    STATEMENT: "The sentence under the verdict: GRADE's informative words for the certainty "
    "and, except at very low certainty, which way the evidence points.",
    REFERENCE: "The study the fragility check imagines adding to the trailing side.",
}

_OCEBM = "OCEBM Levels of Evidence Working Group, Oxford 2011 Levels of Evidence"
_HANDBOOK = "GRADE Handbook (Schünemann et al. 2013)"
_GRADE3 = "Balshem et al. 2011, J Clin Epidemiol (GRADE guidelines 3: rating the quality)"
_GRADE4 = "Guyatt et al. 2011, J Clin Epidemiol (GRADE guidelines 4: risk of bias)"
_GRADE5 = "Guyatt et al. 2011, J Clin Epidemiol (GRADE guidelines 5: publication bias)"
_GRADE6 = "Guyatt et al. 2011, J Clin Epidemiol (GRADE guidelines 6: imprecision)"
_GRADE7 = "Guyatt et al. 2011, J Clin Epidemiol (GRADE guidelines 7: inconsistency)"
_GRADE8 = "Guyatt et al. 2011, J Clin Epidemiol (GRADE guidelines 8: indirectness)"
_GRADE9 = "Guyatt et al. 2011, J Clin Epidemiol (GRADE guidelines 9: rating up)"
_SANTESSO = (
    "Santesso et al. 2020, J Clin Epidemiol (GRADE guidelines 26: informative statements to "
    "communicate the findings of systematic reviews)"
)
_COCHRANE = "Cochrane Handbook for Systematic Reviews of Interventions (Higgins et al., v6)"

TABLE: tuple[Weight, ...] = (
    # Which studies count (§3.1), in the order the rules apply. Each value is the reason shown.
    Weight(
        "retracted",
        "retracted",
        COUNTING,
        "Rule 1. A retracted paper's results are withdrawn by its journal, so it counts for "
        f"nothing. {_COCHRANE}, chapter 4: check every included study for retraction notices and "
        "do not rely on retracted results; COPE Retraction Guidelines (2019).",
    ),
    Weight(
        "pooled_in",
        "pooled in",
        COUNTING,
        "Rule 2. A study that a meta-analysis or systematic review in the list (and not "
        "retracted) already includes would count the same participants twice, so it is "
        "left to the review. "
        f"{_COCHRANE}, chapter V (Pollock et al., overviews of reviews): overlapping primary "
        "studies must not be double counted.",
    ),
    Weight(
        "same_trial",
        "same trial",
        COUNTING,
        "Rule 3. Several publications of one trial are one study: only the one that earns the "
        "most points counts (the first listed on a tie). "
        f"{_COCHRANE}, chapter 5 (Li, Higgins & Deeks): link multiple reports of the same study, "
        "because the unit of interest is the study, not the report.",
    ),
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
        f"{_HANDBOOK}, section 5.1: without randomisation, evidence about an effect starts low.",
    ),
    Weight(
        "cohort",
        "low",
        START,
        f"{_HANDBOOK}, section 5.1: observational studies of an effect start low.",
    ),
    Weight(
        "case_control",
        "low",
        START,
        f"{_HANDBOOK}, section 5.1: observational studies of an effect start low.",
    ),
    Weight(
        "cross_sectional",
        "low",
        START,
        f"{_HANDBOOK}, section 5.1: observational studies of an effect start low.",
    ),
    Weight(
        "case_series",
        "low",
        START,
        f"{_HANDBOOK}, section 5.1: observational studies of an effect start low.",
    ),
    Weight(
        "observational_for_correlational_or_descriptive_claim",
        "high",
        START,
        f"{_OCEBM}: for how common something is, or whether two things go together, surveys and "
        "cohorts are the direct answer (level 1–2), so the five human observational designs "
        "start high for a correlational or descriptive claim, like randomised trials.",
    ),
    Weight(
        "mechanistic",
        "very_low",
        START,
        f"{_GRADE8}: a mechanism only indirectly shows an effect in people, so it starts one "
        "level below observational evidence of an effect.",
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
        f"{_GRADE8}: results in animals are very seriously indirect for claims about people.",
    ),
    Weight(
        "in_vitro",
        "very_low",
        START,
        f"{_GRADE8}: cells in a dish are very seriously indirect for claims about people.",
    ),
    Weight(
        "expert_opinion",
        "very_low",
        START,
        "GRADE Working Group, Schünemann, Zhang & Oxman 2019, BMJ (Distinguishing opinion from "
        "evidence in guidelines): an opinion interprets evidence; it is not evidence itself.",
    ),
    # Rating one study down and up
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
        f"{_GRADE9}: one level up for each of a large effect (two for a very large one), a "
        "dose-response gradient, and plausible confounding that would only reduce the effect; "
        "only for the human observational designs, and only when the study was not rated down "
        "(rate up only evidence without serious limitations).",
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
        f"{_GRADE6}: as a rule of thumb, a total of 400 participants meets the optimal "
        "information size for a continuous outcome. At n ≥ 400 the factor is 1; the body of "
        "evidence is rated down for imprecision while its stream has fewer than 400 "
        "participants in all.",
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
    # Certainty of the body of evidence (§3.3)
    Weight(
        "serious",
        1,
        BODY,
        f"{_HANDBOOK}, section 5.2: a serious concern in one domain rates the body of evidence "
        "down one level.",
    ),
    Weight(
        "very_serious",
        2,
        BODY,
        f"{_HANDBOOK}, section 5.2: a very serious concern in one domain rates it down two levels.",
    ),
    Weight(
        "risk_of_bias_share",
        0.5,
        BODY,
        f"{_GRADE4}: judge risk of bias across the studies by how much each contributes, not by "
        "counting them. Weighted by points over the stream: more than half at high risk is very "
        "serious; else more than half with some concerns, high risk or not yet assessed is "
        "serious.",
    ),
    Weight(
        "risk_of_bias_not_assessed",
        "some",
        BODY,
        f"{_GRADE4}: a study whose risk of bias nobody has assessed cannot be assumed to be at "
        "low risk, so it counts as having some concerns until an editor appraises it.",
    ),
    Weight(
        "inconsistency_very_serious_at",
        0.4,
        BODY,
        f"{_GRADE7}: rate down when results point different ways. Measured as the trailing "
        "side's share of the stream's effective points (E, added up as for a side): from 0.4, "
        "when the trailing side weighs at least two-thirds as much as the leading one, it is "
        "very serious. Project calibration.",
    ),
    Weight(
        "inconsistency_serious_at",
        0.2,
        BODY,
        f"{_GRADE7}: from 0.2, a fifth or more of the best evidence's weight points the other "
        "way, which is serious. Project calibration.",
    ),
    Weight(
        "inconsistency_on_a_tie",
        0.5,
        BODY,
        "When Pro and Against score the same, no side leads and the evidence is taken as "
        "split evenly, the most inconsistent it can be (GRADE guidelines 7).",
    ),
    Weight(
        "indirectness_most",
        2,
        BODY,
        f"{_GRADE8}: editors rate each study's indirectness 0 (none), 1 (serious) or 2 (very "
        "serious): different people, intervention, comparison or outcome. The body is rated "
        "down by the largest among the leading side's stream studies (all of the stream's on "
        "a tie).",
    ),
    Weight(
        "imprecision_very_serious_below",
        100,
        BODY,
        f"{_GRADE6}: fewer than 100 participants in the stream is very serious imprecision, "
        "far short of the optimal information size of 400 (fewer than 400 is serious). A "
        "study on the leading side whose confidence interval includes both an important effect "
        "and none makes it at least serious. Project calibration of GRADE's rule of thumb.",
    ),
    Weight(
        "publication_bias",
        1,
        BODY,
        f"{_GRADE5}: rate down one level when editors strongly suspect that studies with other "
        "results went unpublished (a flag on the claim).",
    ),
    Weight(
        "upgrade_most",
        2,
        BODY,
        f"{_GRADE9}: only observational evidence without serious limitations is rated up, one "
        "level for each of a large effect (two for a very large one), a dose-response gradient "
        "and plausible confounding that would only reduce the effect. So the body rises only "
        "when every stream study is human observational and risk of bias took nothing, by the "
        "largest upgrade among the leading side's stream studies not rated down (both sides' on "
        "a tie), at most 2.",
    ),
    # Verdict thresholds
    Weight(
        "insufficient_below",
        20,
        VERDICT,
        "Insufficient evidence when nothing counts or both sides are under 20: below that lie "
        "single very-low-certainty studies that are indirect for people. With derived "
        "certainty, one animal or in-vitro study scores at most 17, one expert opinion 14 and "
        "one mechanistic study 19 (for a claim about a mechanism it starts low and can reach "
        "38). Project calibration.",
    ),
    Weight(
        "very_uncertain_at",
        "very_low",
        VERDICT,
        f"{_SANTESSO}: at very low certainty the evidence is very uncertain, so the verdict says "
        "so rather than naming a direction.",
    ),
    Weight(
        "strong_at_least",
        50,
        VERDICT,
        "Strong support (or strongly contradicted) needs at least 50: one moderate-certainty "
        "randomised trial with a clear finding, of any size, scores at least 52, a "
        "low-certainty one of 100 scores 50. Project calibration.",
    ),
    Weight(
        "strong_other_below",
        15,
        VERDICT,
        "…and the other side under 15: at most a trace of very-low-certainty evidence, such as "
        "one small animal study (n = 30 scores 14). Project calibration.",
    ),
    Weight(
        "strong_needs_at_least",
        "moderate",
        VERDICT,
        f"…and the body of evidence at moderate or high certainty; at low certainty a strong "
        f'verdict reads moderate. {_SANTESSO}: low certainty is said with "may", which is not '
        "a strong claim.",
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
    # Statement (§3.4): the sentence under the verdict
    Weight(
        "high",
        "The research shows this is true.",
        STATEMENT,
        f"{_SANTESSO}: high certainty is stated plainly, without hedging. Used when Pro leads.",
    ),
    Weight(
        "moderate",
        "This is probably true.",
        STATEMENT,
        f'{_SANTESSO}: moderate certainty is said with "probably". Used when Pro leads.',
    ),
    Weight(
        "low",
        "This may be true.",
        STATEMENT,
        f'{_SANTESSO}: low certainty is said with "may". Used when Pro leads.',
    ),
    Weight(
        "very_low",
        "We are very uncertain whether this is true.",
        STATEMENT,
        f"{_SANTESSO}: at very low certainty GRADE's statement is about the effect itself, not "
        "its direction, so these same words are used whichever side leads, Pro or Against (or "
        'neither): there is no "not true" form at very low certainty.',
    ),
    Weight(
        "high_against",
        "The research shows this is not true.",
        STATEMENT,
        f"{_SANTESSO}: the high-certainty wording, when Against leads.",
    ),
    Weight(
        "moderate_against",
        "This is probably not true.",
        STATEMENT,
        f"{_SANTESSO}: the moderate-certainty wording, when Against leads.",
    ),
    Weight(
        "low_against",
        "This may not be true.",
        STATEMENT,
        f"{_SANTESSO}: the low-certainty wording, when Against leads.",
    ),
    Weight(
        "evenly_split",
        "The research is evenly split, so it does not say whether this is true.",
        STATEMENT,
        f"When Pro and Against score the same, nothing points either way, so there is no "
        f"direction for {_SANTESSO}'s words (shows, probably, may) to qualify: one wording at "
        "every certainty, which is shown beside it.",
    ),
    Weight(
        "no_certainty",
        "No appraised study counts yet, so there is not enough evidence to say.",
        STATEMENT,
        "When no study counts (none is appraised yet, or every one is retracted or counted "
        "through another), there is no body of evidence to rate (GRADE Handbook, section 5), "
        "so there is no certainty and nothing to state.",
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
        "A typical well-run trial; on its own it earns 79.6 points and scores 86, whatever the "
        "claim type.",
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


NOT_COUNTED: dict[str, str] = _rows(COUNTING)
CERTAINTY_MULTIPLIER: dict[str, float] = _rows(CERTAINTY)
_SPECIAL_STARTS = (
    "mechanistic_for_mechanistic_claim",
    "observational_for_correlational_or_descriptive_claim",
)
START_LEVEL: dict[str, str] = {
    design: level for design, level in _rows(START).items() if design not in _SPECIAL_STARTS
}
MECHANISTIC_CLAIM_START_LEVEL: str = _rows(START)["mechanistic_for_mechanistic_claim"]
OBSERVATIONAL_DIRECT_START_LEVEL: str = _rows(START)[
    "observational_for_correlational_or_descriptive_claim"
]
DESIGN_TIER: dict[str, float] = _rows(TIER)
SAMPLE_SIZE_FULL: int = _rows(SAMPLE)["optimal_information_size"]
SAMPLE_SIZE_FLOOR: float = _rows(SAMPLE)["floor"]
SAMPLE_SIZE_UNKNOWN: float = _rows(SAMPLE)["unknown"]
STRENGTH_FACTOR: dict[str, float] = _rows(STRENGTH)
DECAY: float = _rows(AGGREGATION)["decay"]
SCALE: float = _rows(AGGREGATION)["scale"]
SERIOUS: int = _rows(BODY)["serious"]
VERY_SERIOUS: int = _rows(BODY)["very_serious"]
RISK_OF_BIAS_SHARE: float = _rows(BODY)["risk_of_bias_share"]
RISK_OF_BIAS_NOT_ASSESSED: str = _rows(BODY)["risk_of_bias_not_assessed"]
INCONSISTENCY_VERY_SERIOUS_AT: float = _rows(BODY)["inconsistency_very_serious_at"]
INCONSISTENCY_SERIOUS_AT: float = _rows(BODY)["inconsistency_serious_at"]
INCONSISTENCY_ON_A_TIE: float = _rows(BODY)["inconsistency_on_a_tie"]
INDIRECTNESS_MOST: int = _rows(BODY)["indirectness_most"]
IMPRECISION_VERY_SERIOUS_BELOW: int = _rows(BODY)["imprecision_very_serious_below"]
IMPRECISION_SERIOUS_BELOW: int = SAMPLE_SIZE_FULL  # the optimal information size, one row
PUBLICATION_BIAS: int = _rows(BODY)["publication_bias"]
UPGRADE_MOST: int = _rows(BODY)["upgrade_most"]
INSUFFICIENT_BELOW: int = _rows(VERDICT)["insufficient_below"]
VERY_UNCERTAIN_AT: str = _rows(VERDICT)["very_uncertain_at"]
STRONG_AT_LEAST: int = _rows(VERDICT)["strong_at_least"]
STRONG_OTHER_BELOW: int = _rows(VERDICT)["strong_other_below"]
STRONG_NEEDS_AT_LEAST: str = _rows(VERDICT)["strong_needs_at_least"]
MODERATE_GAP: int = _rows(VERDICT)["moderate_gap"]
LEANING_GAP: int = _rows(VERDICT)["leaning_gap"]
_STATEMENTS = _rows(STATEMENT)
# STATEMENTS[lead][certainty]; lead None is a tie. Very low names no direction.
STATEMENTS: dict[str | None, dict[str, str]] = {
    "supports": {level: _STATEMENTS[level] for level in CERTAINTY_VALUES},
    "contradicts": {
        **{level: _STATEMENTS[f"{level}_against"] for level in ("high", "moderate", "low")},
        "very_low": _STATEMENTS["very_low"],
    },
    None: {
        **dict.fromkeys(("high", "moderate", "low"), _STATEMENTS["evenly_split"]),
        "very_low": _STATEMENTS["very_low"],
    },
}
NO_CERTAINTY_STATEMENT: str = _STATEMENTS["no_certainty"]
REFERENCE_STUDY: dict[str, Any] = _rows(REFERENCE)
LEVEL_PER_DOWNGRADE: int = _rows(RATING)["level_per_downgrade"]
LEVEL_PER_UPGRADE: int = _rows(RATING)["level_per_upgrade"]


# Wording: every sentence template the model fills in, in one place. {placeholders} are filled
# by scoring.core; sentences end with a full stop.
LEVEL_WORDS = {"high": "high", "moderate": "moderate", "low": "low", "very_low": "very low"}
COUNT_WORDS = dict(
    enumerate(("one", "two", "three", "four", "five", "six", "seven", "eight", "nine"), start=1)
)
# Plural phrases for "the best evidence is from …", in DESIGNS order.
DESIGN_PHRASES = {
    "meta_analysis_rct": "meta-analyses of randomised trials",
    "systematic_review": "systematic reviews",
    "rct": "randomised trials",
    "crossover_rct": "randomised trials",
    "non_randomised_trial": "non-randomised trials",
    "cohort": "cohort studies",
    "case_control": "case-control studies",
    "cross_sectional": "cross-sectional studies",
    "case_series": "case series",
    "animal": "animal studies",
    "in_vitro": "laboratory (in-vitro) studies",
    "mechanistic": "mechanistic studies",
    "expert_opinion": "expert opinion",
}
# When a stream has both, one phrase instead of "meta-analyses of randomised trials and
# randomised trials".
TRIALS_AND_META_ANALYSES = "randomised trials and meta-analyses of them"
WORDING = {
    # Captions (the balance and its fragility caveat)
    "no_studies": "No studies have been scored yet.",
    "even": "Evenly balanced.",
    "pro_higher": "Supports is higher.",
    "against_higher": "Against is higher.",
    "pro_fragile": "Support is ahead, but a single strong opposing study can change this.",
    "pro_holds": "The lead holds even against one strong opposing study.",
    "against_fragile": "Against is ahead, but a single strong supporting study can change this.",
    "against_holds": "The lead holds even against one strong supporting study.",
    # Certainty reasons: where the stream starts
    "start": "Starts at {level} certainty: the best evidence is from {kinds}.",
    "start_observational": "Starts at low certainty: the best evidence is from {kinds}, which "
    "are not randomised, so something other than what was studied may explain the result.",
    "start_direct": "Starts at high certainty: the best evidence is from {kinds}, which answer "
    "a {claim_type} claim directly.",
    "start_mechanism": "Starts at low certainty: the best evidence is from mechanistic "
    "studies, which start low for a claim about a mechanism.",
    "start_very_low": "The best evidence is from {kinds}, which start at very low certainty "
    "for claims about people.",
    "start_expert": "The best evidence is expert opinion, which starts at very low certainty "
    "because an opinion is not evidence in itself.",
    # Certainty reasons: one per step
    "risk_of_bias_very_serious": "Rated down two levels for risk of bias: {weight} comes from "
    "studies at high risk of bias.",
    "risk_of_bias_serious": "Rated down one level for risk of bias: {weight} comes from "
    "studies with some concerns or not yet assessed for bias.",
    "inconsistency": "Rated down {levels} for inconsistency: {share} of the weight of the best "
    "evidence points the other way.",
    "inconsistency_tie": "Rated down {levels} for inconsistency: the two sides score the same, "
    "so the evidence points both ways equally.",
    # {side} says which studies the rule looked at (§3.3: the leading side's studies in the
    # stream, both sides' on a tie). Not "a leading study", which reads as the strongest one
    # when it may carry little of the weight.
    "indirectness_serious": "Rated down one level for indirectness: a study {side} answers a "
    "somewhat different question (other people, comparison or outcome).",
    "indirectness_very_serious": "Rated down two levels for indirectness: a study {side} "
    "answers a quite different question (other people, comparison or outcome).",
    "imprecision_count": "Rated down {levels} for imprecision: {participants} in "
    "all{unreported}, {far}fewer than the {needed} usually needed.",
    "imprecision_unreported": "Rated down two levels for imprecision: no study here reports "
    "how many took part.",
    "imprecision_flag": "Rated down one level for imprecision: the result of a study {side} is "
    "compatible both with an important effect and with none.",
    "publication_bias": "Rated down one level for publication bias: studies with other results "
    "may have gone unpublished.",
    # Items carry only a count of upgrades, so these name every GRADE 9 factor that can give
    # that count, not one the study may not have.
    "upgrade_one": "Rated up one level: an observational study {side}, without serious "
    "limitations, shows a large effect, a dose-response gradient or confounding that would only "
    "reduce the effect.",
    "upgrade_two": "Rated up two levels: an observational study {side}, without serious "
    "limitations, shows a very large effect, or more than one of a large effect, a "
    "dose-response gradient and confounding that would only reduce the effect.",
    "clamp_low": "The steps add up to more than the levels below the start, and certainty "
    "cannot go below very low.",
    "clamp_high": "The steps add up to more than the levels above the start, and certainty "
    "cannot go above high.",
    # Pieces
    "far": "far ",
    "side_leading": "on the leading side",
    "side_tie": "on either side",  # no side leads, so the rule looks at both
    "all_weight": "all of the weight",
    "most_weight": "most of the weight ({share})",
    "participant": "{count} participant",
    "participants": "{count} participants",
    "unreported_one": " (one study does not report its size)",
    "unreported_many": " ({count} studies do not report their size)",
}
