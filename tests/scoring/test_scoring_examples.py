"""Worked examples and calibration points of the scoring model, computed by hand."""

import math

import pytest

import scoring
from scoring import Item, certainty_for, points, sample_size_factor, score, verdict_for

SUPPORT_AHEAD = (
    "Supports is higher. Support is ahead, but a single strong opposing study can change this."
)
SUPPORT_HOLDS = "Supports is higher. The lead holds even against one strong opposing study."
AGAINST_AHEAD = (
    "Against is higher. Against is ahead, but a single strong supporting study can change this."
)
AGAINST_HOLDS = "Against is higher. The lead holds even against one strong supporting study."


def pro(design, certainty=None, n=None, **fields):
    return Item("supports", design, certainty, n, **fields)


def con(design, certainty=None, n=None, **fields):
    return Item("contradicts", design, certainty, n, **fields)


# fmt: off
EXAMPLES = [
    # (id, items, claim_type,
    #  pro, against, verdict, caption)
    ("moderate RCT of 18", [pro("rct", "moderate", 18)], None,
     66, 0, "Strong support", SUPPORT_AHEAD),
    # The reference strong study; its twin on the other side would tie, so it is fragile.
    ("reference strong study", [pro("rct", "high", 100)], None,
     86, 0, "Strong support", SUPPORT_AHEAD),
    ("high meta-analysis of 400", [pro("meta_analysis_rct", "high", 400)], None,
     92, 0, "Strong support", SUPPORT_HOLDS),
    ("high meta-analysis of 4000", [pro("meta_analysis_rct", "high", 4000)], None,
     92, 0, "Strong support", SUPPORT_HOLDS),
    # 21.7 points, "about 42". Cohorts start low in GRADE, so derived and given "low" agree.
    ("low cohort of 50", [pro("cohort", "low", 50)], None,
     42, 0, "Moderate support", SUPPORT_AHEAD),
    ("derived-low cohort of 50", [pro("cohort", None, 50)], None,
     42, 0, "Moderate support", SUPPORT_AHEAD),
    ("reference study against", [con("rct", "high", 100)], None,
     0, 86, "Strongly contradicted", AGAINST_AHEAD),
    ("high meta-analysis against", [con("meta_analysis_rct", "high", 400)], None,
     0, 92, "Strongly contradicted", AGAINST_HOLDS),
    # Adding the reference study to the cohort: 79.6 + 21.7 / 2 = 90.4 → 90, still below 92.
    ("meta-analysis for, low cohort against",
     [pro("meta_analysis_rct", "high", 400), con("cohort", "low", 50)], None,
     92, 42, "Moderate support", SUPPORT_HOLDS),
    # Worked example. "Three low-certainty trials" = three RCTs of n=20 rated down twice to low:
    # n=20 is the natural choice because 20² = 400 gives N = 0.75 exactly, s = 23.625 each and
    # E = 23.625 × 1.75 = 41.34 → 64. (n = 16–20 all give 64; so would three non-randomised
    # trials of 50, derived low.) The high-certainty RCT of 60 against: s = 75.75 → 85.
    ("worked example: one strong RCT against three weak trials",
     [con("rct", "high", 60)] + [pro("rct", "low", 20)] * 3, None,
     64, 85, "Leaning against", AGAINST_AHEAD),
    ("worked example, trials derived low from two downgrades each",
     [con("rct", "high", 60)] + [pro("rct", None, 20, downgrades=2)] * 3, None,
     64, 85, "Leaning against", AGAINST_AHEAD),
    ("worked example, three non-randomised trials of 50",
     [con("rct", "high", 60)] + [pro("non_randomised_trial", None, 50)] * 3, None,
     64, 85, "Leaning against", AGAINST_AHEAD),
    ("a meta-analysis each way",
     [pro("meta_analysis_rct", "high", 400), con("meta_analysis_rct", "high", 400)], None,
     92, 92, "Mixed evidence", "Evenly balanced."),
    # Derived very low certainty, tiers of 0.5: animal n=30 5.88 + in-vitro (n unknown) 4.5 × ½
    # → E 8.13 → 18; in-vitro n=12 against: 7.5 × 0.707 = 5.31 → 12.
    ("animal and in-vitro only",
     [pro("animal", None, 30), pro("in_vitro"), con("in_vitro", None, 12)], None,
     18, 12, "Insufficient evidence", SUPPORT_AHEAD),
    ("one animal study of 400", [pro("animal", None, 400)], None,
     17, 0, "Insufficient evidence", SUPPORT_AHEAD),
    ("expert opinion", [pro("expert_opinion")], None,
     9, 0, "Insufficient evidence", SUPPORT_AHEAD),
    # Mechanistic studies start low only for mechanistic claims.
    ("mechanistic study, causal claim", [pro("mechanistic")], "causal",
     12, 0, "Insufficient evidence", SUPPORT_AHEAD),
    ("mechanistic study, mechanistic claim", [pro("mechanistic")], "mechanistic",
     25, 0, "Moderate support", SUPPORT_AHEAD),
    # A partial finding halves the points: 43.36 / 2 = 21.68 → 42.
    ("partial moderate RCT of 18", [pro("rct", "moderate", 18, strength="partial")], None,
     42, 0, "Moderate support", SUPPORT_AHEAD),
    ("no studies", [], None,
     0, 0, "Insufficient evidence", "No studies have been scored yet."),
    # The demo claims' evidence (tests/claims/test_fixture.py pins the loaded fixture too).
    # Ruple et al. 2023, the two five-week claims: N = 0.5 + 0.5 × log10(19) / log10(400)
    # = 0.7457, s = 100 × 0.65 × 0.90 × 0.7457 = 43.63 → 66.
    ("demo: five-week claims, moderate RCT of 19", [pro("rct", "moderate", 19)], None,
     66, 0, "Strong support", SUPPORT_AHEAD),
    # failure-fatigue-adds-no-hypertrophy: Refalo 43.36, Hermann (RCT of 42, partial) 23.75,
    # the calf-raise study (non-randomised, derived low, n unknown) 100 × 0.35 × 0.8 × 0.6
    # = 16.8: E = 43.36 + 23.75 / 2 + 16.8 / 4 = 59.43 → 77.
    ("demo: failure-fatigue claim, three studies",
     [pro("rct", "moderate", 18), pro("rct", "moderate", 42, strength="partial"),
      pro("non_randomised_trial")], "mechanistic",
     77, 0, "Strong support", SUPPORT_AHEAD),
]
# fmt: on


@pytest.mark.parametrize(
    ("items", "claim_type", "pro_score", "against_score", "verdict", "caption"),
    [pytest.param(*row[1:], id=row[0]) for row in EXAMPLES],
)
def test_it_scores_the_worked_examples(
    items, claim_type, pro_score, against_score, verdict, caption
):
    card = score(items, claim_type=claim_type)
    assert (card.pro, card.against, card.verdict, card.caption) == (
        pro_score,
        against_score,
        verdict,
        caption,
    )
    assert card.caption == f"{card.balance} {card.caveat}".strip()
    assert card.fragile == ("can change this" in card.caption)


def test_it_keeps_the_low_cohort_calibration_near_42():
    card = score([pro("cohort", "low", 50)])
    assert 41 <= card.pro <= 43
    assert card.pro_effective == pytest.approx(21.695, abs=1e-3)


def test_it_gives_the_reference_study_the_documented_points():
    assert points(scoring.REFERENCE_STUDY) == pytest.approx(79.588, abs=1e-3)
    assert score([scoring.REFERENCE_STUDY]).pro == 86


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
        ("expert_opinion", None, 0, 1, "low"),
        ("rct", None, 0, 5, "high"),  # clamped at the top
        ("rct", None, 9, 0, "very_low"),  # clamped at the bottom
        ("animal", None, 9, 0, "very_low"),
        ("animal", None, 0, 9, "high"),
        ("rct", None, 2, 1, "moderate"),  # down and up net out
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
    ("pro_score", "against_score", "verdict"),
    [
        (0, 0, "Insufficient evidence"),
        (19, 19, "Insufficient evidence"),
        (19, 0, "Insufficient evidence"),
        (20, 0, "Leaning support"),
        (0, 20, "Leaning against"),
        (44, 0, "Moderate support"),
        (50, 14, "Strong support"),
        (50, 15, "Moderate support"),
        (14, 50, "Strongly contradicted"),
        (15, 50, "Moderately contradicted"),
        (60, 35, "Moderate support"),
        (60, 36, "Leaning support"),
        (36, 60, "Leaning against"),
        (60, 50, "Leaning support"),
        (60, 51, "Mixed evidence"),
        (51, 60, "Mixed evidence"),
        (20, 20, "Mixed evidence"),
        (99, 99, "Mixed evidence"),
    ],
)
def test_it_applies_the_first_matching_verdict_rule(pro_score, against_score, verdict):
    assert verdict_for(pro_score, against_score) == verdict


def test_it_lists_verdicts_in_rule_order():
    assert scoring.VERDICTS == (
        "Insufficient evidence",
        "Strong support",
        "Strongly contradicted",
        "Moderate support",
        "Moderately contradicted",
        "Leaning support",
        "Leaning against",
        "Mixed evidence",
    )


def test_it_ranks_each_side_and_keeps_input_order():
    items = [
        Item("supports", "cohort", "low", 50, key="a"),
        Item("contradicts", "rct", "high", 60, key="b"),
        Item("supports", "rct", "high", 100, key="c"),
        Item("supports", "cohort", "low", 50, key="d"),  # ties with "a": ranked after it
    ]
    card = score(items)
    assert [c.key for c in card.contributions] == ["a", "b", "c", "d"]
    assert [c.rank for c in card.contributions] == [2, 1, 1, 3]
    a, b, c, d = card.contributions
    assert b.share == 1.0
    assert a.weight == pytest.approx(a.points / 2)
    assert d.weight == pytest.approx(d.points / 4)
    assert card.pro_effective == pytest.approx(c.points + a.points / 2 + d.points / 4)
    assert a.share + c.share + d.share == pytest.approx(1)


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
    }
    assert score([as_dict]) == score([Item(**as_dict)])
    assert score([{"stance": "supports", "design": "rct"}]) == score([Item("supports", "rct")])


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


def test_it_rejects_a_zero_sample_size_directly():
    with pytest.raises(ValueError, match="sample_size"):
        sample_size_factor(0)
