"""The scoring table, first half: what one study earns (§3.1, §3.2). Which studies count, the
certainty multiplier C, where a study's certainty starts and how it is rated down and up, the
design tier T, the sample-size factor N and the finding strength d. Each row has its reason."""

from .table import (
    CERTAINTY,
    COCHRANE,
    COUNTING,
    GRADE3,
    GRADE6,
    GRADE8,
    GRADE9,
    HANDBOOK,
    OCEBM,
    RATING,
    SAMPLE,
    START,
    STRENGTH,
    TIER,
    Weight,
)

STUDY_ROWS: tuple[Weight, ...] = (
    # Which studies count (§3.1), in the order the rules apply. Each value is the reason shown.
    Weight(
        "retracted",
        "retracted",
        COUNTING,
        "Rule 1. A retracted paper's results are withdrawn by its journal, so it counts for "
        f"nothing. {COCHRANE}, chapter 4: check every included study for retraction notices and "
        "do not rely on retracted results; COPE Retraction Guidelines (2019).",
        label="Retracted",
    ),
    Weight(
        "pooled_in",
        "pooled in",
        COUNTING,
        "Rule 2. A study that a meta-analysis or systematic review in the list (and not "
        "retracted) already includes would count the same participants twice, so it is "
        "left to the review. "
        f"{COCHRANE}, chapter V (Pollock et al., overviews of reviews): overlapping primary "
        "studies must not be double counted.",
        label="Pooled in a review that counts",
    ),
    Weight(
        "same_trial",
        "same trial",
        COUNTING,
        "Rule 3. Several publications of one trial are one study: only the one that earns the "
        "most points counts (the first listed on a tie). "
        f"{COCHRANE}, chapter 5 (Li, Higgins & Deeks): link multiple reports of the same study, "
        "because the unit of interest is the study, not the report.",
        label="Another publication of the same trial",
    ),
    # C: certainty multipliers
    Weight(
        "high",
        1.00,
        CERTAINTY,
        f"{GRADE3}: the true effect lies close to the estimate. Counts in full.",
    ),
    Weight(
        "moderate",
        0.65,
        CERTAINTY,
        f"{GRADE3}: the true effect is likely close but may be substantially different. "
        "Project calibration: one moderate-certainty RCT of 18 scores 66.",
    ),
    Weight(
        "low",
        0.35,
        CERTAINTY,
        f"{GRADE3}: the true effect may be substantially different. Project calibration: "
        "one low-certainty cohort of 50 scores about 42.",
    ),
    Weight(
        "very_low",
        0.15,
        CERTAINTY,
        f"{GRADE3}: the true effect is likely to be substantially different. Kept above zero "
        "because GRADE still reports very-low-certainty evidence rather than discarding it.",
    ),
    # Starting certainty by design
    Weight(
        "meta_analysis_rct",
        "high",
        START,
        f"{HANDBOOK}, section 5.1: a body of randomised evidence starts high.",
    ),
    Weight(
        "systematic_review",
        "high",
        START,
        f"{HANDBOOK}, section 5.1: rated as the randomised evidence it summarises; editors "
        "rate it down when the included studies are not randomised.",
    ),
    Weight("rct", "high", START, f"{HANDBOOK}, section 5.1: randomised trials start high."),
    Weight(
        "crossover_rct",
        "high",
        START,
        f"{HANDBOOK}, section 5.1: randomised, so it starts high like a parallel trial.",
    ),
    Weight(
        "non_randomised_trial",
        "low",
        START,
        f"{HANDBOOK}, section 5.1: without randomisation, evidence about an effect starts low.",
    ),
    Weight(
        "cohort",
        "low",
        START,
        f"{HANDBOOK}, section 5.1: observational studies of an effect start low.",
    ),
    Weight(
        "case_control",
        "low",
        START,
        f"{HANDBOOK}, section 5.1: observational studies of an effect start low.",
    ),
    Weight(
        "cross_sectional",
        "low",
        START,
        f"{HANDBOOK}, section 5.1: observational studies of an effect start low.",
    ),
    Weight(
        "case_series",
        "low",
        START,
        f"{HANDBOOK}, section 5.1: observational studies of an effect start low.",
    ),
    Weight(
        "observational_for_correlational_or_descriptive_claim",
        "high",
        START,
        f"{OCEBM}: for how common something is, or whether two things go together, surveys and "
        "cohorts are the direct answer (level 1–2), so the five human observational designs "
        "start high for a correlational or descriptive claim, like randomised trials.",
        label="Human observational study, for a correlational or descriptive claim",
    ),
    Weight(
        "mechanistic",
        "very_low",
        START,
        f"{GRADE8}: a mechanism only indirectly shows an effect in people, so it starts one "
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
        label="Mechanistic study in humans, for a mechanistic claim",
    ),
    Weight(
        "animal",
        "very_low",
        START,
        f"{GRADE8}: results in animals are very seriously indirect for claims about people.",
    ),
    Weight(
        "in_vitro",
        "very_low",
        START,
        f"{GRADE8}: cells in a dish are very seriously indirect for claims about people.",
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
        f"{HANDBOOK}, section 5.2: one level down for each serious concern about risk of bias, "
        "inconsistency, indirectness, imprecision or publication bias (Guyatt et al. 2011, "
        "GRADE guidelines 4–8).",
        label="Levels down per serious concern",
    ),
    Weight(
        "level_per_upgrade",
        1,
        RATING,
        f"{GRADE9}: one level up for each of a large effect (two for a very large one), a "
        "dose-response gradient, and plausible confounding that would only reduce the effect; "
        "only for the human observational designs, and only when the study was not rated down "
        "(rate up only evidence without serious limitations).",
        label="Levels up per reason to upgrade",
    ),
    Weight(
        "levels",
        "very low … high",
        RATING,
        f"{HANDBOOK}, section 5: certainty is clamped to the four GRADE levels.",
        label="Levels, lowest to highest",
    ),
    # T: design tiers
    Weight(
        "meta_analysis_rct",
        1.00,
        TIER,
        f"{OCEBM}: a systematic review of randomised trials is level 1, the top of the scale.",
    ),
    Weight(
        "systematic_review",
        1.00,
        TIER,
        f"{OCEBM}: systematic reviews sit at level 1 of every question type.",
    ),
    Weight(
        "rct",
        0.90,
        TIER,
        f"{OCEBM}: a single randomised trial is level 2, one step below a review of several.",
    ),
    Weight(
        "crossover_rct",
        0.90,
        TIER,
        f"{OCEBM}: randomised, level 2. Cochrane Handbook (Higgins et al.), chapter 23: a valid "
        "randomised design when the condition is stable and effects wash out.",
    ),
    Weight(
        "non_randomised_trial",
        0.80,
        TIER,
        f"{OCEBM}: a non-randomised controlled study is level 3; allocation is planned, which "
        "puts it above purely observational designs.",
    ),
    Weight(
        "cohort",
        0.75,
        TIER,
        f"{OCEBM}: a cohort follow-up study is level 3; exposure is measured before outcome.",
    ),
    Weight(
        "case_control",
        0.70,
        TIER,
        f"{OCEBM}: case-control studies are level 3–4; exposure is recalled after the outcome, "
        "which invites recall and selection bias.",
    ),
    Weight(
        "cross_sectional",
        0.65,
        TIER,
        f"{OCEBM}: exposure and outcome measured at one time cannot show which came first.",
    ),
    Weight(
        "case_series",
        0.60,
        TIER,
        f"{OCEBM}: case series are level 4, with no comparison group.",
    ),
    Weight(
        "mechanistic",
        0.55,
        TIER,
        f"{OCEBM}: mechanism-based reasoning is level 5, the lowest rung for human studies.",
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
        f"{GRADE6}: as a rule of thumb, a total of 400 participants meets the optimal "
        "information size for a continuous outcome. At n ≥ 400 the factor is 1; the body of "
        "evidence is rated down for imprecision while its stream has fewer than 400 "
        "participants in all.",
        label="Full weight from this many participants",
    ),
    Weight(
        "floor",
        0.5,
        SAMPLE,
        "N = 0.5 + 0.5 × log10(n) / log10(400), between 0.5 and 1. Precision grows with the "
        "square root of n, so the factor rises steeply at first and then flattens; even n = 1 "
        "keeps half weight because GRADE rates small studies down for imprecision rather "
        "than ignoring them.",
        label="Smallest sample-size factor",
    ),
    Weight(
        "unknown",
        0.6,
        SAMPLE,
        "An unreported sample size is itself a reporting failure (CONSORT 2010, item 7a; "
        "STROBE item 10), so it counts about as much as a study of three or four people.",
        label="Sample size not reported",
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
)
