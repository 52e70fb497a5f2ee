"""Worked examples and calibration points of the scoring model, computed by hand."""

import math
from dataclasses import asdict, replace

import pytest

import scoring
from scoring import (
    POOLED_IN,
    RETRACTED,
    SAME_TRIAL,
    Item,
    certainty_for,
    points,
    sample_size_factor,
    score,
    start_level,
    verdict_for,
)

SUPPORT_AHEAD = (
    "Supports is higher. Support is ahead, but a single strong opposing study can change this."
)
SUPPORT_HOLDS = "Supports is higher. The lead holds even against one strong opposing study."
AGAINST_AHEAD = (
    "Against is higher. Against is ahead, but a single strong supporting study can change this."
)
AGAINST_HOLDS = "Against is higher. The lead holds even against one strong supporting study."

STARTS_RANDOMISED = "Starts at high certainty: the best evidence is from randomised trials."
ROB_ALL_SOME = (
    "Rated down one level for risk of bias: all of the weight comes from studies with some "
    "concerns or not yet assessed for bias."
)
BELOW_VERY_LOW = (
    "The steps add up to more than the levels below the start, and certainty cannot go below "
    "very low."
)
UPGRADE_FACTORS = (
    "a large effect, a dose-response gradient or confounding that would only reduce the effect"
)


def pro(design, certainty=None, n=None, **fields):
    return Item("supports", design, certainty, n, **fields)


def con(design, certainty=None, n=None, **fields):
    return Item("contradicts", design, certainty, n, **fields)


def low_risk(item):
    """The item appraised at low risk of bias."""
    return replace(item, risk_of_bias="low")


def summary(card):
    """The whole scorecard but its contributions."""
    return {k: v for k, v in asdict(card).items() if k != "contributions"}


def imprecision(n, levels="two"):
    far = "far " if levels == "two" else ""
    return (
        f"Rated down {levels} level{'s' if levels == 'two' else ''} for imprecision: {n} "
        f"participants in all, {far}fewer than the 400 usually needed."
    )


# Points, scores and captions are the first edition's; only the verdicts moved, because the
# second edition adds the certainty of the body of evidence (§3.3) to the verdict (§3.4).
# Items without a risk of bias are "not yet assessed", which counts as some concerns.
# fmt: off
EXAMPLES = [
    # (id, items, claim_type,
    #  pro, against, certainty, verdict, caption)
    # 18 participants: rated down two levels for imprecision (and one for risk of bias, not
    # yet assessed) → very low. In the first edition this read "Strong support".
    ("moderate RCT of 18", [pro("rct", "moderate", 18)], None,
     66, 0, "very_low", "Very uncertain", SUPPORT_AHEAD),
    # The reference strong study, appraised at low risk of bias: 100 participants is one
    # level of imprecision → moderate, still strong. Its twin on the other side would tie.
    ("reference strong study", [pro("rct", "high", 100, risk_of_bias="low")], None,
     86, 0, "moderate", "Strong support", SUPPORT_AHEAD),
    # Not yet assessed for bias as well: low certainty caps the verdict at moderate.
    ("reference strong study, bias not assessed", [pro("rct", "high", 100)], None,
     86, 0, "low", "Moderate support", SUPPORT_AHEAD),
    ("high meta-analysis of 400", [pro("meta_analysis_rct", "high", 400, risk_of_bias="low")],
     None, 92, 0, "high", "Strong support", SUPPORT_HOLDS),
    ("high meta-analysis of 4000", [pro("meta_analysis_rct", "high", 4000)], None,
     92, 0, "moderate", "Strong support", SUPPORT_HOLDS),
    # 21.7 points, "about 42". Cohorts start low in GRADE, so derived and given "low" agree;
    # 50 participants rate the body down two more levels.
    ("low cohort of 50", [pro("cohort", "low", 50)], None,
     42, 0, "very_low", "Very uncertain", SUPPORT_AHEAD),
    ("derived-low cohort of 50", [pro("cohort", None, 50, risk_of_bias="low")], None,
     42, 0, "very_low", "Very uncertain", SUPPORT_AHEAD),
    ("reference study against", [con("rct", "high", 100, risk_of_bias="low")], None,
     0, 86, "moderate", "Strongly contradicted", AGAINST_AHEAD),
    ("high meta-analysis against", [con("meta_analysis_rct", "high", 400, risk_of_bias="low")],
     None, 0, 92, "high", "Strongly contradicted", AGAINST_HOLDS),
    # Adding the reference study to the cohort: 79.6 + 21.7 / 2 = 90.4 → 90, still below 92.
    # The cohort starts low, so only the meta-analysis sets the certainty.
    ("meta-analysis for, low cohort against",
     [pro("meta_analysis_rct", "high", 400, risk_of_bias="low"), con("cohort", "low", 50)], None,
     92, 42, "high", "Moderate support", SUPPORT_HOLDS),
    # Worked example. "Three low-certainty trials" = three RCTs of n=20 rated down twice to low:
    # n=20 is the natural choice because 20² = 400 gives N = 0.75 exactly, s = 23.625 each and
    # E = 23.625 × 1.75 = 41.34 → 64. (n = 16–20 all give 64; so would three non-randomised
    # trials of 50, derived low.) The high-certainty RCT of 60 against: s = 75.75 → 85.
    # All four are randomised: inconsistency 41.34 / (75.75 + 41.34) = 35% → one level down;
    # 120 participants → one level down: low.
    ("worked example: one strong RCT against three weak trials",
     [low_risk(con("rct", "high", 60))] + [low_risk(pro("rct", "low", 20))] * 3, None,
     64, 85, "low", "Leaning against", AGAINST_AHEAD),
    ("worked example, trials derived low from two downgrades each",
     [low_risk(con("rct", "high", 60))] + [low_risk(pro("rct", None, 20, downgrades=2))] * 3,
     None, 64, 85, "low", "Leaning against", AGAINST_AHEAD),
    # The non-randomised trials start low, so the RCT of 60 alone sets the certainty: no
    # inconsistency, 60 participants → two levels down.
    ("worked example, three non-randomised trials of 50",
     [low_risk(con("rct", "high", 60))] + [low_risk(pro("non_randomised_trial", None, 50))] * 3,
     None, 64, 85, "low", "Leaning against", AGAINST_AHEAD),
    # A tie: inconsistency 0.5 → two levels down.
    ("a meta-analysis each way",
     [low_risk(pro("meta_analysis_rct", "high", 400)),
      low_risk(con("meta_analysis_rct", "high", 400))], None,
     92, 92, "low", "Mixed evidence", "Evenly balanced."),
    # Derived very low certainty, tiers of 0.5: animal n=30 5.88 + in-vitro (n unknown) 4.5 × ½
    # → E 8.13 → 18; in-vitro n=12 against: 7.5 × 0.707 = 5.31 → 12.
    ("animal and in-vitro only",
     [pro("animal", None, 30), pro("in_vitro"), con("in_vitro", None, 12)], None,
     18, 12, "very_low", "Insufficient evidence", SUPPORT_AHEAD),
    ("one animal study of 400", [pro("animal", None, 400)], None,
     17, 0, "very_low", "Insufficient evidence", SUPPORT_AHEAD),
    ("expert opinion", [pro("expert_opinion")], None,
     9, 0, "very_low", "Insufficient evidence", SUPPORT_AHEAD),
    # Mechanistic studies start low only for mechanistic claims.
    ("mechanistic study, causal claim", [pro("mechanistic")], "causal",
     12, 0, "very_low", "Insufficient evidence", SUPPORT_AHEAD),
    ("mechanistic study, mechanistic claim", [pro("mechanistic")], "mechanistic",
     25, 0, "very_low", "Very uncertain", SUPPORT_AHEAD),
    # A partial finding halves the points: 43.36 / 2 = 21.68 → 42.
    ("partial moderate RCT of 18", [pro("rct", "moderate", 18, strength="partial")], None,
     42, 0, "very_low", "Very uncertain", SUPPORT_AHEAD),
    ("no studies", [], None,
     0, 0, None, "Insufficient evidence", "No studies have been scored yet."),
]
# fmt: on


@pytest.mark.parametrize(
    ("items", "claim_type", "pro_score", "against_score", "certainty", "verdict", "caption"),
    [pytest.param(*row[1:], id=row[0]) for row in EXAMPLES],
)
def test_it_scores_the_worked_examples(
    items, claim_type, pro_score, against_score, certainty, verdict, caption
):
    card = score(items, claim_type=claim_type)
    assert (card.pro, card.against, card.certainty, card.verdict, card.caption) == (
        pro_score,
        against_score,
        certainty,
        verdict,
        caption,
    )
    assert card.caption == f"{card.balance} {card.caveat}".strip()
    if card.pro == card.against:
        assert card.fragile is None
    else:
        assert card.fragile == ("can change this" in card.caption)


def test_it_keeps_the_low_cohort_calibration_near_42():
    card = score([pro("cohort", "low", 50)])
    assert 41 <= card.pro <= 43
    assert card.pro_effective == pytest.approx(21.695, abs=1e-3)


def test_it_gives_the_reference_study_the_documented_points():
    assert points(scoring.REFERENCE_STUDY) == pytest.approx(79.588, abs=1e-3)
    for claim_type in (None, *scoring.weights.CLAIM_TYPES):
        assert points(scoring.REFERENCE_STUDY, claim_type) == pytest.approx(79.588, abs=1e-3)
    assert score([scoring.REFERENCE_STUDY]).pro == 86


# Worked examples of the second edition (§3.1–3.4)


def test_one_moderate_rct_of_18_keeps_its_points_but_is_very_uncertain():
    card = score([pro("rct", "moderate", 18)])
    assert (card.pro, card.against) == (66, 0)  # the seed's "66 Pro / 0 Against"
    assert card.contributions[0].points == pytest.approx(43.36, abs=0.01)
    assert card.participants == 18
    assert card.certainty == "very_low"
    assert card.certainty_reasons == (STARTS_RANDOMISED, ROB_ALL_SOME, imprecision(18))
    assert card.verdict == "Very uncertain"
    assert card.statement == "We are very uncertain whether this is true."
    # Appraised at low risk of bias, imprecision alone takes it to low: capped at moderate.
    appraised = score([pro("rct", "moderate", 18, risk_of_bias="low")])
    assert (appraised.pro, appraised.certainty, appraised.verdict) == (
        66,
        "low",
        "Moderate support",
    )
    assert appraised.certainty_reasons == (STARTS_RANDOMISED, imprecision(18))
    assert appraised.statement == "This may be true."


def test_five_pilot_rcts_of_ten_are_low_certainty_however_many_points():
    # Each derived high: 100 × 1 × 0.9 × N(10) = 90 × 0.692 = 62.3 points;
    # E = 62.3 × (1 + ½ + ¼ + ⅛ + 1/16) = 120.7 → 95. 50 participants in all → two levels down.
    pilots = [pro("rct", None, 10, risk_of_bias="low", key=f"pilot {i}") for i in range(5)]
    card = score(pilots)
    assert card.contributions[0].points == pytest.approx(100 * 0.9 * sample_size_factor(10))
    assert card.pro == 95
    assert (card.participants, card.counted) == (50, 5)
    assert card.certainty == "low"
    assert card.certainty_reasons == (STARTS_RANDOMISED, imprecision(50))
    assert card.verdict == "Moderate support"  # would be "Strong support" without the cap
    assert verdict_for(95, 0, "moderate") == "Strong support"


def test_two_animal_studies_are_very_uncertain():
    # 100 × 0.15 × 0.5 × N: n=400 → 7.5, n=30 → 5.88; E = 7.5 + 2.94 = 10.44 → 23.
    card = score([pro("animal", None, 400), pro("animal", None, 30)])
    assert (card.pro, card.against) == (23, 0)
    assert card.certainty == "very_low"
    assert card.certainty_reasons == (
        "The best evidence is from animal studies, which start at very low certainty for claims "
        "about people.",
    )
    assert card.verdict == "Very uncertain"
    assert card.statement == "We are very uncertain whether this is true."
    # Appraising them changes nothing: a stream that starts very low stays very low.
    appraised = score([pro("animal", None, 400, risk_of_bias="low")] * 2)
    assert appraised.certainty == "very_low"


def test_a_retracted_rct_counts_nothing():
    trial = pro("rct", "high", 100, risk_of_bias="low", retracted=True, key="retracted")
    card = score([trial])
    assert (card.pro, card.against, card.counted, card.participants) == (0, 0, 0, 0)
    assert card.verdict == "Insufficient evidence"
    assert (card.certainty, card.certainty_reasons) == (None, ())
    assert (
        card.statement == "No appraised study counts yet, so there is not enough evidence to say."
    )
    assert card.fragile is None
    (c,) = card.contributions
    assert (c.counted, c.not_counted, c.not_counted_because) == (False, RETRACTED, None)
    assert c.points == pytest.approx(79.588, abs=1e-3)  # what it would earn, shown
    assert (c.rank, c.weight, c.share, c.in_stream) == (None, 0.0, 0.0, False)
    # Beside a counted study it changes nothing.
    other = pro("cohort", "low", 50)
    assert score([trial, other]).pro == score([other]).pro == 42


def test_a_meta_analysis_counts_its_own_trials_once():
    review = pro("meta_analysis_rct", "high", 400, risk_of_bias="low", key="review")
    trials = [
        pro("rct", "high", 200, risk_of_bias="low", key=f"trial {i}", included_in=["review"])
        for i in (1, 2)
    ]
    card = score([review, *trials])
    assert summary(card) == summary(score([review]))
    assert (card.pro, card.counted, card.participants) == (92, 1, 400)
    assert (card.certainty, card.verdict) == ("high", "Strong support")
    assert card.statement == "The research shows this is true."
    r, t1, t2 = card.contributions
    assert (r.counted, r.rank, r.share, r.in_stream) == (True, 1, 1.0, True)
    for t in (t1, t2):
        assert (t.counted, t.not_counted, t.not_counted_because) == (False, POOLED_IN, "review")
        assert t.points == pytest.approx(100 * 0.9 * sample_size_factor(200))
    # Without the review, or with the review retracted, the trials count again.
    assert score(trials).counted == 2
    retracted_review = replace(review, retracted=True)
    again = score([retracted_review, *trials])
    assert [c.not_counted for c in again.contributions] == [RETRACTED, None, None]
    assert again.participants == 400


def test_only_a_review_pools_other_studies():
    cohort = pro("cohort", "low", 50, key="cohort")
    trial = pro("rct", "moderate", 60, key="trial", included_in=("cohort", "missing"))
    card = score([cohort, trial])
    assert [c.counted for c in card.contributions] == [True, True]


def test_an_rct_is_not_rated_back_up_after_a_concern():
    # A risk-of-bias concern (one downgrade) and one upgrade: upgrades are for observational
    # designs without downgrades only (GRADE 9), so it stays moderate.
    assert certainty_for("rct", None, downgrades=1, upgrades=1) == "moderate"
    trial = pro("rct", None, 400, downgrades=1, upgrades=1, risk_of_bias="some")
    card = score([trial])
    assert card.contributions[0].certainty == "moderate"
    assert card.contributions[0].points == pytest.approx(100 * 0.65 * 0.9)
    assert card.certainty == "moderate"  # high, one level down for risk of bias, never up
    assert card.certainty_reasons == (STARTS_RANDOMISED, ROB_ALL_SOME)
    assert (card.pro, card.verdict, card.statement) == (
        77,
        "Strong support",
        "This is probably true.",
    )
    # A cohort with the same ratings is not rated up either, because it was rated down.
    assert certainty_for("cohort", None, downgrades=1, upgrades=1) == "very_low"


def test_a_correlational_claim_lets_cohorts_start_high():
    cohort = pro("cohort", None, 500, risk_of_bias="low")
    correlational = score([cohort], "correlational")
    assert start_level("cohort", "correlational") == "high"
    assert correlational.contributions[0].certainty == "high"
    assert correlational.contributions[0].points == pytest.approx(75)
    assert (correlational.pro, correlational.certainty) == (85, "high")
    assert correlational.verdict == "Strong support"
    assert correlational.certainty_reasons == (
        "Starts at high certainty: the best evidence is from cohort studies, which answer a "
        "correlational claim directly.",
    )
    # The same cohort for a causal claim starts low: 26.25 points → 48.
    causal = score([cohort], "causal")
    assert (causal.pro, causal.certainty, causal.verdict) == (48, "low", "Moderate support")
    assert causal.statement == "This may be true."
    # For a correlational claim, a randomised trial and a cohort form one stream.
    both = score([cohort, pro("rct", "high", 100, risk_of_bias="low")], "correlational")
    assert [c.in_stream for c in both.contributions] == [True, True]
    assert both.participants == 600


def test_an_observational_stream_is_rated_up_when_nothing_took_away():
    cohorts = [
        pro("cohort", None, 300, risk_of_bias="low", upgrades=2, key="a"),
        pro("case_control", None, 200, risk_of_bias="low", upgrades=1, key="b"),
    ]
    card = score(cohorts, "causal")
    # Low, +2 for the largest upgrade among lead items not rated down; 500 participants.
    assert card.certainty == "high"
    assert card.certainty_reasons[-1] == (
        "Rated up two levels: an observational study on the leading side, without serious "
        "limitations, shows a very large effect, or more than one of a large effect, a "
        "dose-response gradient and confounding that would only reduce the effect."
    )
    # Risk of bias taking a level stops the upgrade.
    concerned = [replace(c, risk_of_bias="some") for c in cohorts]
    assert score(concerned, "causal").certainty == "very_low"
    # So does a downgrade of the item with the upgrade.
    rated_down = [replace(cohorts[0], downgrades=1), cohorts[1]]
    assert score(rated_down, "causal").certainty == "moderate"


def test_an_upgrade_reason_names_no_factor_the_study_may_not_have():
    # Items carry only a count: an editor's dose-response gradient and plausible confounding
    # (two levels) must not read as "a very large effect", nor one level as "a large effect".
    gradient = pro("cohort", None, 500, risk_of_bias="low", upgrades=1)
    card = score([gradient], "causal")
    assert card.certainty == "moderate"
    assert card.certainty_reasons[-1] == (
        "Rated up one level: an observational study on the leading side, without serious "
        f"limitations, shows {UPGRADE_FACTORS}."
    )
    two = score([replace(gradient, upgrades=2)], "causal")
    assert two.certainty == "high"
    upgrade = two.certainty_reasons[-1]
    assert upgrade.startswith("Rated up two levels: ")
    for factor in ("large effect", "dose-response gradient", "confounding"):
        assert factor in upgrade
    # The leading side is against here.
    against = score([replace(gradient, stance="contradicts")], "causal")
    assert against.certainty_reasons == card.certainty_reasons


def test_the_clamp_says_why_certainty_stops_at_the_end_of_the_scale():
    worst = score([pro("rct", "high", 40, risk_of_bias="high", indirectness=2)])
    # High, −2 risk of bias, −2 indirectness, −2 imprecision: six steps, three levels below.
    assert worst.certainty == "very_low"
    assert worst.certainty_reasons[-1] == BELOW_VERY_LOW
    # A correlational claim's cohorts start high; two levels up would pass the top.
    best = score([pro("cohort", None, 500, risk_of_bias="low", upgrades=2)], "correlational")
    assert best.certainty == "high"
    assert best.certainty_reasons[-2:] == (
        "Rated up two levels: an observational study on the leading side, without serious "
        "limitations, shows a very large effect, or more than one of a large effect, a "
        "dose-response gradient and confounding that would only reduce the effect.",
        "The steps add up to more than the levels above the start, and certainty cannot go "
        "above high.",
    )


def test_a_tie_has_no_leading_side_to_name():
    meta = pro("meta_analysis_rct", "high", 400, risk_of_bias="low")
    tie = score([replace(meta, indirectness=1), replace(meta, stance="contradicts", key=1)])
    assert tie.pro == tie.against
    assert (
        "Rated down one level for indirectness: a study on either side answers a somewhat "
        "different question (other people, comparison or outcome)."
    ) in tie.certainty_reasons
    imprecise = score([replace(meta, imprecise=True), replace(meta, stance="contradicts", key=1)])
    assert (
        "Rated down one level for imprecision: the result of a study on either side is "
        "compatible both with an important effect and with none."
    ) in imprecise.certainty_reasons


def test_same_trial_keeps_the_publication_with_the_most_points():
    first = pro("rct", "moderate", 100, trial="NCT01", key="first report")
    full = pro("rct", "high", 100, trial="NCT01", key="full report")
    other = con("rct", "low", 50, trial="NCT02", key="other trial")
    card = score([first, full, other])
    a, b, c = card.contributions
    assert (a.counted, a.not_counted, a.not_counted_because) == (False, SAME_TRIAL, "full report")
    assert (b.counted, c.counted) == (True, True)
    assert card.counted == 2
    assert card.pro == score([full]).pro == 86
    # On a tie the first in input order counts.
    twin = pro("rct", "high", 100, trial="NCT01", key="twin")
    tied = score([full, twin]).contributions
    assert [c.counted for c in tied] == [True, False]
    assert tied[1].not_counted_because == "full report"
    tied = score([twin, full]).contributions
    assert [c.counted for c in tied] == [True, False]
    assert tied[1].not_counted_because == "twin"


def test_the_same_trial_rule_applies_after_pooling():
    review = pro("systematic_review", "high", 400, key="review")
    pooled = pro("rct", "high", 400, trial="T", key="pooled", included_in=["review"])
    later = pro("rct", "low", 40, trial="T", key="later")
    reasons = [c.not_counted for c in score([review, pooled, later]).contributions]
    # The pooled report is out before rule 3, so the later report is the trial's only one.
    assert reasons == [None, POOLED_IN, None]


def test_the_inconsistency_rule_with_figures():
    meta = pro("meta_analysis_rct", "high", 400, risk_of_bias="low")  # 100 points
    # A moderate RCT of 100 against: 100 × 0.65 × 0.9 × N(100) = 51.74 points;
    # other = 51.74 / 151.74 = 0.341 → one level down: moderate.
    one = score([meta, con("rct", "moderate", 100, risk_of_bias="low")])
    assert (one.pro, one.against, one.certainty, one.verdict) == (
        92,
        73,
        "moderate",
        "Leaning support",
    )
    assert (
        "Rated down one level for inconsistency: 34% of the weight of the best evidence points "
        "the other way."
    ) in one.certainty_reasons
    # A low RCT of 20 against: 23.625 points; other = 0.191 < 0.2 → no step: high.
    none = score([meta, con("rct", "low", 20, risk_of_bias="low")])
    assert (none.certainty, none.certainty_reasons) == (
        "high",
        (
            "Starts at high certainty: the best evidence is from randomised trials and "
            "meta-analyses of them.",
        ),
    )
    # A high RCT of 400 for (90) and of 100 against (79.59): other = 0.469 → two levels down.
    two = score([low_risk(pro("rct", "high", 400)), low_risk(con("rct", "high", 100))])
    assert (two.pro, two.against, two.certainty, two.verdict) == (89, 86, "low", "Mixed evidence")
    assert (
        "Rated down two levels for inconsistency: 46% of the weight of the best evidence points "
        "the other way."
    ) in two.certainty_reasons
    # A tie counts as 0.5.
    tie = score([meta, replace(meta, stance="contradicts")])
    assert tie.certainty == "low"
    assert tie.statement == "The research is evenly split, so it does not say whether this is true."
    assert tie.fragile is None


def test_a_weaker_stream_scores_points_but_does_not_set_the_certainty():
    trial = pro("rct", "moderate", 18, risk_of_bias="low", key="trial")
    cohort = pro("cohort", None, 1000, risk_of_bias="low", key="cohort")
    card = score([trial, cohort])
    assert card.pro > score([trial]).pro
    assert [c.in_stream for c in card.contributions] == [True, False]
    assert [c.start_level for c in card.contributions] == ["high", "low"]
    assert card.participants == 18  # the cohort's 1000 do not make the trial precise
    assert card.certainty == "low"


def test_risk_of_bias_is_weighted_by_points():
    big = pro("meta_analysis_rct", "high", 400, risk_of_bias="high", key="big")  # 100 points
    small = pro("rct", "high", 400, risk_of_bias="low", key="small")  # 90 points
    card = score([big, small])
    assert card.certainty == "low"  # 100 / 190 = 53% at high risk → two levels down
    assert (
        "Rated down two levels for risk of bias: most of the weight (53%) comes from studies at "
        "high risk of bias."
    ) in card.certainty_reasons
    # Not yet assessed counts as some concerns: 53% → one level down.
    unassessed = score([replace(big, risk_of_bias=None), small])
    assert unassessed.certainty == "moderate"
    assert unassessed.certainty == score([replace(big, risk_of_bias="some"), small]).certainty
    # Swap the two risks: 47% is not more than half, no step.
    swapped = score([replace(big, risk_of_bias="low"), replace(small, risk_of_bias="high")])
    assert swapped.certainty == "high"


def test_indirectness_imprecision_and_publication_bias_have_reasons():
    meta = pro("meta_analysis_rct", "high", 400, risk_of_bias="low")
    assert score([meta]).certainty == "high"
    indirect = score([replace(meta, indirectness=2)])
    assert indirect.certainty == "low"
    assert indirect.certainty_reasons[-1] == (
        "Rated down two levels for indirectness: a study on the leading side answers a quite "
        "different question (other people, comparison or outcome)."
    )
    imprecise = score([replace(meta, imprecise=True)])
    assert imprecise.certainty == "moderate"
    assert imprecise.certainty_reasons[-1] == (
        "Rated down one level for imprecision: the result of a study on the leading side is "
        "compatible both with an important effect and with none."
    )
    flagged = score([meta], publication_bias=True)
    assert flagged.certainty == "moderate"
    assert flagged.certainty_reasons[-1] == (
        "Rated down one level for publication bias: studies with other results may have gone "
        "unpublished."
    )
    assert (flagged.pro, flagged.against) == (92, 0)
    # All of them, clamped once.
    worst = score([replace(meta, indirectness=2, risk_of_bias="high")], publication_bias=True)
    assert worst.certainty == "very_low"
    assert worst.certainty_reasons[-1] == BELOW_VERY_LOW


def test_it_says_when_sizes_are_not_reported():
    unknown = score([pro("rct", "moderate", None, risk_of_bias="low")])
    assert unknown.certainty_reasons[-1] == (
        "Rated down two levels for imprecision: no study here reports how many took part."
    )
    some = score(
        [pro("rct", "moderate", None, key=k, risk_of_bias="low") for k in "ab"]
        + [pro("rct", "moderate", 30, risk_of_bias="low")]
    )
    assert some.certainty_reasons[-1] == (
        "Rated down two levels for imprecision: 30 participants in all (two studies do not "
        "report their size), far fewer than the 400 usually needed."
    )


def test_expert_opinion_alone_says_why_it_starts_very_low():
    card = score([pro("expert_opinion"), pro("expert_opinion")])
    assert card.certainty_reasons == (
        "The best evidence is expert opinion, which starts at very low certainty because an "
        "opinion is not evidence in itself.",
    )


@pytest.mark.parametrize(
    ("certainty", "lead", "statement"),
    [
        ("high", "supports", "The research shows this is true."),
        ("moderate", "supports", "This is probably true."),
        ("low", "supports", "This may be true."),
        ("very_low", "supports", "We are very uncertain whether this is true."),
        ("high", "contradicts", "The research shows this is not true."),
        ("moderate", "contradicts", "This is probably not true."),
        ("low", "contradicts", "This may not be true."),
        ("very_low", "contradicts", "We are very uncertain whether this is true."),
        ("high", None, "The research is evenly split, so it does not say whether this is true."),
        ("low", None, "The research is evenly split, so it does not say whether this is true."),
        ("very_low", None, "We are very uncertain whether this is true."),
        (None, None, "No appraised study counts yet, so there is not enough evidence to say."),
    ],
)
def test_it_states_the_finding_in_grade_words(certainty, lead, statement):
    assert scoring.statement_for(certainty, lead) == statement


@pytest.mark.parametrize(
    ("design", "claim_type", "downgrades", "upgrades", "level"),
    [
        ("rct", None, 0, 0, "high"),
        ("rct", None, 2, 0, "low"),  # serious risk of bias + imprecision
        ("meta_analysis_rct", None, 1, 0, "moderate"),
        ("crossover_rct", None, 0, 0, "high"),
        ("systematic_review", None, 3, 0, "very_low"),
        ("cohort", None, 0, 0, "low"),
        ("cohort", None, 0, 1, "moderate"),  # large effect
        ("case_control", None, 0, 2, "high"),  # large effect + dose-response
        ("cross_sectional", None, 1, 0, "very_low"),
        ("mechanistic", None, 0, 0, "very_low"),
        ("mechanistic", "causal", 0, 0, "very_low"),
        ("mechanistic", "mechanistic", 0, 0, "low"),
        ("animal", "mechanistic", 0, 0, "very_low"),
        ("in_vitro", None, 0, 0, "very_low"),
        ("rct", None, 0, 5, "high"),  # clamped at the top
        ("rct", None, 9, 0, "very_low"),  # clamped at the bottom
        ("animal", None, 9, 0, "very_low"),
        # Second edition: only observational designs are rated up, and only when not rated
        # down (the first edition gave low, high and moderate for these three).
        ("expert_opinion", None, 0, 1, "very_low"),
        ("animal", None, 0, 9, "very_low"),
        ("rct", None, 2, 1, "low"),
        ("mechanistic", "mechanistic", 0, 1, "low"),
        ("cohort", None, 1, 2, "very_low"),
        ("case_series", None, 0, 9, "high"),
        # Observational designs start high for correlational and descriptive claims.
        ("cohort", "correlational", 0, 0, "high"),
        ("cross_sectional", "descriptive", 1, 0, "moderate"),
        ("non_randomised_trial", "descriptive", 0, 0, "high"),
        ("cohort", "comparative", 0, 0, "low"),
        ("animal", "correlational", 0, 0, "very_low"),
    ],
)
def test_it_derives_grade_certainty(design, claim_type, downgrades, upgrades, level):
    assert certainty_for(design, claim_type, downgrades, upgrades) == level


def test_it_uses_given_certainty_as_is():
    card = score([pro("rct", "moderate", 100, downgrades=3)])
    (contribution,) = card.contributions
    assert contribution.certainty == "moderate"
    assert contribution.certainty_derived is False
    derived = score([pro("rct", None, 100, downgrades=3)]).contributions[0]
    assert (derived.certainty, derived.certainty_derived) == ("very_low", True)
    # An empty certainty counts as None (derived).
    empty = score([{"stance": "supports", "design": "rct", "certainty": ""}]).contributions[0]
    assert (empty.certainty, empty.certainty_derived) == ("high", True)


@pytest.mark.parametrize(
    ("n", "factor"),
    [
        (None, 0.6),
        (1, 0.5),
        (20, 0.75),
        (400, 1.0),
        (10_000, 1.0),
        (100, 0.5 + 1 / math.log10(400)),
    ],
)
def test_it_scales_sample_size_on_a_log_curve(n, factor):
    assert sample_size_factor(n) == pytest.approx(factor)


@pytest.mark.parametrize(
    ("pro_score", "against_score", "certainty", "verdict"),
    [
        (0, 0, "moderate", "Insufficient evidence"),
        (19, 19, "moderate", "Insufficient evidence"),
        (19, 0, "moderate", "Insufficient evidence"),
        (20, 0, "moderate", "Leaning support"),
        (0, 20, "moderate", "Leaning against"),
        (44, 0, "moderate", "Moderate support"),
        (50, 14, "moderate", "Strong support"),
        (50, 15, "moderate", "Moderate support"),
        (14, 50, "moderate", "Strongly contradicted"),
        (15, 50, "moderate", "Moderately contradicted"),
        (60, 35, "moderate", "Moderate support"),
        (60, 36, "moderate", "Leaning support"),
        (36, 60, "moderate", "Leaning against"),
        (60, 50, "moderate", "Leaning support"),
        (60, 51, "moderate", "Mixed evidence"),
        (51, 60, "moderate", "Mixed evidence"),
        (20, 20, "moderate", "Mixed evidence"),
        (99, 99, "moderate", "Mixed evidence"),
        # Second edition: certainty enters the verdict.
        (99, 0, "high", "Strong support"),
        (99, 0, "low", "Moderate support"),
        (0, 99, "low", "Moderately contradicted"),
        (99, 0, "very_low", "Very uncertain"),
        (0, 99, "very_low", "Very uncertain"),
        (19, 0, "very_low", "Insufficient evidence"),  # rule 1 comes first
        (99, 0, None, "Insufficient evidence"),  # no certainty: nothing counted
        (60, 36, "low", "Leaning support"),
        (20, 20, "low", "Mixed evidence"),
    ],
)
def test_it_applies_the_first_matching_verdict_rule(pro_score, against_score, certainty, verdict):
    assert verdict_for(pro_score, against_score, certainty) == verdict
    assert verdict_for(pro_score, against_score, certainty=certainty) == verdict


def test_it_needs_a_certainty_for_a_verdict():
    with pytest.raises(TypeError):
        verdict_for(60, 0)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="certainty"):
        verdict_for(60, 0, "medium")


def test_it_lists_verdicts_in_rule_order():
    assert scoring.VERDICTS == (
        "Insufficient evidence",
        "Very uncertain",
        "Strong support",
        "Strongly contradicted",
        "Moderate support",
        "Moderately contradicted",
        "Leaning support",
        "Leaning against",
        "Mixed evidence",
    )
    assert scoring.VERY_UNCERTAIN == "Very uncertain"
    assert scoring.NOT_COUNTED_REASONS == ("retracted", "pooled in", "same trial")


def test_it_ranks_each_side_and_keeps_input_order():
    items = [
        Item("supports", "cohort", "low", 50, key="a"),
        Item("contradicts", "rct", "high", 60, key="b"),
        Item("supports", "rct", "high", 100, key="c"),
        Item("supports", "cohort", "low", 50, key="d"),  # ties with "a": ranked after it
        Item("supports", "rct", "high", 400, key="e", retracted=True),  # not counted
    ]
    card = score(items)
    assert [c.key for c in card.contributions] == ["a", "b", "c", "d", "e"]
    assert [c.rank for c in card.contributions] == [2, 1, 1, 3, None]
    a, b, c, d, e = card.contributions
    assert b.share == 1.0
    assert a.weight == pytest.approx(a.points / 2)
    assert d.weight == pytest.approx(d.points / 4)
    assert card.pro_effective == pytest.approx(c.points + a.points / 2 + d.points / 4)
    assert a.share + c.share + d.share == pytest.approx(1)
    assert (e.weight, e.share, e.counted) == (0.0, 0.0, False)


def test_it_keys_items_by_index_by_default():
    card = score([pro("rct"), pro("cohort", key="named"), con("rct")])
    assert [c.key for c in card.contributions] == [0, "named", 2]
    # included_in names an item by its index when it has no key.
    pooled = score([pro("meta_analysis_rct", "high", 400), pro("rct", included_in=[0])])
    assert pooled.contributions[1].not_counted_because == 0


@pytest.mark.parametrize(
    "items",
    [
        [pro("rct", key="x"), pro("rct", key="x")],
        [pro("rct", key=1), pro("rct")],  # the second takes its index, 1
    ],
)
def test_it_rejects_duplicate_keys(items):
    with pytest.raises(ValueError, match="unique"):
        score(items)


def test_it_accepts_dicts_like_items():
    as_dict = {
        "key": 7,
        "stance": "contradicts",
        "design": "cohort",
        "certainty": None,
        "downgrades": 1,
        "upgrades": 1,
        "sample_size": 250,
        "strength": "partial",
        "trial": "NCT0001",
        "included_in": [3, 4],
        "retracted": False,
        "risk_of_bias": "some",
        "indirectness": 1,
        "imprecise": True,
    }
    assert score([as_dict]) == score([Item(**{**as_dict, "included_in": (3, 4)})])
    assert score([{"stance": "supports", "design": "rct"}]) == score([Item("supports", "rct")])
    assert score([{**as_dict, "risk_of_bias": ""}]) == score([{**as_dict, "risk_of_bias": None}])


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"stance": "maybe"}, "stance"),
        ({"design": "anecdote"}, "design"),
        ({"certainty": "medium"}, "certainty"),
        ({"strength": "strong"}, "strength"),
        ({"sample_size": 0}, "sample_size"),
        ({"sample_size": -5}, "sample_size"),
        ({"downgrades": -1}, "downgrades"),
        ({"upgrades": "two"}, "upgrades"),
        ({"key": ["a"]}, "key"),
        ({"trial": {"id": 1}}, "trial"),
        ({"included_in": "review"}, "included_in"),
        ({"included_in": 3}, "included_in"),
        ({"included_in": [["a"]]}, "included_in"),
        ({"retracted": "yes"}, "retracted"),
        ({"retracted": 1}, "retracted"),
        ({"risk_of_bias": "unclear"}, "risk_of_bias"),
        ({"indirectness": 3}, "indirectness"),
        ({"indirectness": -1}, "indirectness"),
        ({"indirectness": True}, "indirectness"),
        ({"imprecise": None}, "imprecise"),
    ],
)
def test_it_rejects_invalid_fields_by_name(fields, named):
    item = {"stance": "supports", "design": "rct", **fields}
    bad = repr(next(iter(fields.values())))
    with pytest.raises(ValueError, match=named) as error:
        score([item])
    assert bad in str(error.value)
    with pytest.raises(ValueError, match=named):
        points(Item(**item))


def test_it_rejects_unknown_or_missing_dict_fields():
    with pytest.raises(ValueError, match="colour"):
        score([{"stance": "supports", "design": "rct", "colour": "red"}])
    with pytest.raises(ValueError, match="stance and a design"):
        score([{"design": "rct"}])


def test_it_rejects_an_unknown_claim_type_or_flag():
    with pytest.raises(ValueError, match="claim_type"):
        score([], claim_type="anecdotal")
    with pytest.raises(ValueError, match="publication_bias"):
        score([], publication_bias="yes")


def test_it_rejects_a_zero_sample_size_directly():
    with pytest.raises(ValueError, match="sample_size"):
        sample_size_factor(0)
