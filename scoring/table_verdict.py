"""The scoring table, second half: from points to a verdict (§3.2–3.4). How a side's points
add up, the certainty of the body of evidence, the verdict thresholds, the statements under the
verdict and the reference strong study of the fragility check. Each row has its reason."""

from .table import (
    AGGREGATION,
    BODY,
    GRADE4,
    GRADE5,
    GRADE6,
    GRADE7,
    GRADE8,
    GRADE9,
    HANDBOOK,
    REFERENCE,
    SANTESSO,
    STATEMENT,
    VERDICT,
    Weight,
)

VERDICT_ROWS: tuple[Weight, ...] = (
    # Aggregation
    Weight(
        "decay",
        0.5,
        AGGREGATION,
        "Each study counts half as much as the next stronger one on its side, so many weak "
        "studies never outweigh one strong one: certainty rests on the best evidence, not on "
        "counting studies (Cochrane Handbook, McKenzie & Brennan, chapter 12, on why vote "
        "counting misleads).",
        label="Each next study on a side counts this much of the one before",
    ),
    Weight(
        "scale",
        40,
        AGGREGATION,
        "score = round(100 × (1 − exp(−E / 40))). Project calibration: the reference strong "
        "study scores 86 and a high-certainty meta-analysis of 400 scores 92; the curve never "
        "reaches 100, because even high-certainty evidence can be revised (Balshem et al. 2011).",
        label="Curve constant: the points at which a score reaches 63",
    ),
    # Certainty of the body of evidence (§3.3)
    Weight(
        "serious",
        1,
        BODY,
        f"{HANDBOOK}, section 5.2: a serious concern in one domain rates the body of evidence "
        "down one level.",
        label="Levels down for a serious concern",
    ),
    Weight(
        "very_serious",
        2,
        BODY,
        f"{HANDBOOK}, section 5.2: a very serious concern in one domain rates it down two levels.",
        label="Levels down for a very serious concern",
    ),
    Weight(
        "risk_of_bias_share",
        0.5,
        BODY,
        f"{GRADE4}: judge risk of bias across the studies by how much each contributes, not by "
        "counting them. Weighted by points over the stream: more than half at high risk is very "
        "serious; else more than half with some concerns, high risk or not yet assessed is "
        "serious.",
        label="Risk of bias: share of the weight that decides",
    ),
    Weight(
        "risk_of_bias_not_assessed",
        "some",
        BODY,
        f"{GRADE4}: a study whose risk of bias nobody has assessed cannot be assumed to be at "
        "low risk, so it counts as having some concerns until an editor appraises it.",
        label="Risk of bias not yet assessed counts as",
    ),
    Weight(
        "inconsistency_very_serious_at",
        0.4,
        BODY,
        f"{GRADE7}: rate down when results point different ways. Measured as the trailing "
        "side's share of the stream's effective points (E, added up as for a side): from 0.4, "
        "when the trailing side weighs at least two-thirds as much as the leading one, it is "
        "very serious. Project calibration.",
        label="Inconsistency very serious from this share against",
    ),
    Weight(
        "inconsistency_serious_at",
        0.2,
        BODY,
        f"{GRADE7}: from 0.2, a fifth or more of the best evidence's weight points the other "
        "way, which is serious. Project calibration.",
        label="Inconsistency serious from this share against",
    ),
    Weight(
        "inconsistency_on_a_tie",
        0.5,
        BODY,
        "When Pro and Against score the same, no side leads and the evidence is taken as "
        "split evenly, the most inconsistent it can be (GRADE guidelines 7).",
        label="Inconsistency share when the sides tie",
    ),
    Weight(
        "indirectness_most",
        2,
        BODY,
        f"{GRADE8}: editors rate each study's indirectness 0 (none), 1 (serious) or 2 (very "
        "serious): different people, intervention, comparison or outcome. The body is rated "
        "down by the largest among the leading side's stream studies (all of the stream's on "
        "a tie).",
        label="Indirectness: most levels down",
    ),
    Weight(
        "imprecision_very_serious_below",
        100,
        BODY,
        f"{GRADE6}: fewer than 100 participants in the stream is very serious imprecision, "
        "far short of the optimal information size of 400 (fewer than 400 is serious). A "
        "study on the leading side whose confidence interval includes both an important effect "
        "and none makes it at least serious. Project calibration of GRADE's rule of thumb.",
        label="Imprecision very serious below this many participants",
    ),
    Weight(
        "publication_bias",
        1,
        BODY,
        f"{GRADE5}: rate down one level when editors strongly suspect that studies with other "
        "results went unpublished (a flag on the claim).",
        label="Levels down when publication bias is suspected",
    ),
    Weight(
        "upgrade_most",
        2,
        BODY,
        f"{GRADE9}: only observational evidence without serious limitations is rated up, one "
        "level for each of a large effect (two for a very large one), a dose-response gradient "
        "and plausible confounding that would only reduce the effect. So the body rises only "
        "when every stream study is human observational and risk of bias took nothing, by the "
        "largest upgrade among the leading side's stream studies not rated down (both sides' on "
        "a tie), at most 2.",
        label="Most levels up for observational evidence",
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
        label="Insufficient evidence while both scores are below",
    ),
    Weight(
        "very_uncertain_at",
        "very_low",
        VERDICT,
        f"{SANTESSO}: at very low certainty the evidence is very uncertain, so the verdict says "
        "so rather than naming a direction.",
        label="Very uncertain at",
    ),
    Weight(
        "strong_at_least",
        50,
        VERDICT,
        "Strong support (or strongly contradicted) needs at least 50: one moderate-certainty "
        "randomised trial with a clear finding, of any size, scores at least 52, a "
        "low-certainty one of 100 scores 50. Project calibration.",
        label="Strong: the leading score at least",
    ),
    Weight(
        "strong_other_below",
        15,
        VERDICT,
        "…and the other side under 15: at most a trace of very-low-certainty evidence, such as "
        "one small animal study (n = 30 scores 14). Project calibration.",
        label="Strong: the other score below",
    ),
    Weight(
        "strong_needs_at_least",
        "moderate",
        VERDICT,
        f"…and the body of evidence at moderate or high certainty; at low certainty a strong "
        f'verdict reads moderate. {SANTESSO}: low certainty is said with "may", which is not '
        "a strong claim.",
        label="Strong: the certainty at least",
    ),
    Weight(
        "moderate_gap",
        25,
        VERDICT,
        "Moderate support (or moderately contradicted) when one side leads by 25 or more. "
        "Project calibration.",
        label="Moderate: a lead of at least",
    ),
    Weight(
        "leaning_gap",
        10,
        VERDICT,
        "Leaning when one side leads by 10 or more; a smaller gap is mixed evidence. "
        "Project calibration.",
        label="Leaning: a lead of at least",
    ),
    # Statement (§3.4): the sentence under the verdict
    Weight(
        "high",
        "The research shows this is true.",
        STATEMENT,
        f"{SANTESSO}: high certainty is stated plainly, without hedging. Used when Pro leads.",
    ),
    Weight(
        "moderate",
        "This is probably true.",
        STATEMENT,
        f'{SANTESSO}: moderate certainty is said with "probably". Used when Pro leads.',
    ),
    Weight(
        "low",
        "This may be true.",
        STATEMENT,
        f'{SANTESSO}: low certainty is said with "may". Used when Pro leads.',
    ),
    Weight(
        "very_low",
        "We are very uncertain whether this is true.",
        STATEMENT,
        f"{SANTESSO}: at very low certainty GRADE's statement is about the effect itself, not "
        "its direction, so these same words are used whichever side leads, Pro or Against (or "
        'neither): there is no "not true" form at very low certainty.',
    ),
    Weight(
        "high_against",
        "The research shows this is not true.",
        STATEMENT,
        f"{SANTESSO}: the high-certainty wording, when Against leads.",
        label="High, against",
    ),
    Weight(
        "moderate_against",
        "This is probably not true.",
        STATEMENT,
        f"{SANTESSO}: the moderate-certainty wording, when Against leads.",
        label="Moderate, against",
    ),
    Weight(
        "low_against",
        "This may not be true.",
        STATEMENT,
        f"{SANTESSO}: the low-certainty wording, when Against leads.",
        label="Low, against",
    ),
    Weight(
        "evenly_split",
        "The research is evenly split, so it does not say whether this is true.",
        STATEMENT,
        f"When Pro and Against score the same, nothing points either way, so there is no "
        f"direction for {SANTESSO}'s words (shows, probably, may) to qualify: one wording at "
        "every certainty, which is shown beside it.",
        label="Sides even",
    ),
    Weight(
        "no_certainty",
        "No appraised study counts yet, so there is not enough evidence to say.",
        STATEMENT,
        "When no study counts (none is appraised yet, or every one is retracted or counted "
        "through another), there is no body of evidence to rate (GRADE Handbook, section 5), "
        "so there is no certainty and nothing to state.",
        label="Nothing counted",
    ),
    # Reference strong study
    Weight(
        "design",
        "rct",
        REFERENCE,
        "A randomised trial: the design GRADE starts at high certainty (GRADE Handbook, 5.1).",
        label="Design",
    ),
    Weight(
        "certainty",
        "high",
        REFERENCE,
        "No serious concern in any GRADE domain (GRADE Handbook, 5.2).",
        label="Certainty",
    ),
    Weight(
        "sample_size",
        100,
        REFERENCE,
        "A typical well-run trial; on its own it earns 79.6 points and scores 86, whatever the "
        "claim type.",
        label="Sample size",
    ),
    Weight(
        "strength",
        "clear",
        REFERENCE,
        "Its finding answers the claim directly, with no partial-finding discount.",
        label="Finding strength",
    ),
)
