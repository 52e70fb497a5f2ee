"""The weights table: complete, sourced, and the single place the numbers come from."""

import subprocess
import sys
from pathlib import Path

import scoring
from scoring import weights

ROOT = Path(__file__).resolve().parents[2]


def test_it_covers_every_design_in_each_design_table():
    designs = set(weights.DESIGN_VALUES)
    assert set(weights.DESIGN_TIER) == designs
    assert set(weights.START_LEVEL) == designs
    assert set(weights.LEVELS) == set(weights.CERTAINTY_VALUES) == set(weights.CERTAINTY_MULTIPLIER)


def test_it_uses_the_documented_values():
    assert weights.CERTAINTY_MULTIPLIER == {
        "high": 1.00,
        "moderate": 0.65,
        "low": 0.35,
        "very_low": 0.15,
    }
    assert weights.DESIGN_TIER == {
        "meta_analysis_rct": 1.00,
        "systematic_review": 1.00,
        "rct": 0.90,
        "crossover_rct": 0.90,
        "non_randomised_trial": 0.80,
        "cohort": 0.75,
        "case_control": 0.70,
        "cross_sectional": 0.65,
        "case_series": 0.60,
        "mechanistic": 0.55,
        "animal": 0.50,
        "in_vitro": 0.50,
        "expert_opinion": 0.40,
    }
    assert weights.STRENGTH_FACTOR == {"clear": 1.0, "partial": 0.5}
    assert (weights.SAMPLE_SIZE_FULL, weights.SAMPLE_SIZE_FLOOR, weights.SAMPLE_SIZE_UNKNOWN) == (
        400,
        0.5,
        0.6,
    )
    assert (weights.DECAY, weights.SCALE) == (0.5, 40)
    thresholds = (
        weights.INSUFFICIENT_BELOW,
        weights.VERY_UNCERTAIN_AT,
        weights.STRONG_AT_LEAST,
        weights.STRONG_OTHER_BELOW,
        weights.STRONG_NEEDS_AT_LEAST,
        weights.MODERATE_GAP,
        weights.LEANING_GAP,
    )
    assert thresholds == (20, "very_low", 50, 15, "moderate", 25, 10)
    body = (
        weights.SERIOUS,
        weights.VERY_SERIOUS,
        weights.RISK_OF_BIAS_SHARE,
        weights.RISK_OF_BIAS_NOT_ASSESSED,
        weights.INCONSISTENCY_VERY_SERIOUS_AT,
        weights.INCONSISTENCY_SERIOUS_AT,
        weights.INCONSISTENCY_ON_A_TIE,
        weights.INDIRECTNESS_MOST,
        weights.IMPRECISION_VERY_SERIOUS_BELOW,
        weights.IMPRECISION_SERIOUS_BELOW,
        weights.PUBLICATION_BIAS,
        weights.UPGRADE_MOST,
    )
    assert body == (1, 2, 0.5, "some", 0.4, 0.2, 0.5, 2, 100, 400, 1, 2)
    assert weights.NOT_COUNTED == {
        "retracted": "retracted",
        "pooled_in": "pooled in",
        "same_trial": "same trial",
    }
    assert (weights.MECHANISTIC_CLAIM_START_LEVEL, weights.OBSERVATIONAL_DIRECT_START_LEVEL) == (
        "low",
        "high",
    )
    assert weights.OBSERVATIONAL_DIRECT_CLAIM_TYPES == ("correlational", "descriptive")
    assert weights.OBSERVATIONAL_DESIGNS == (
        "non_randomised_trial",
        "cohort",
        "case_control",
        "cross_sectional",
        "case_series",
    )
    assert weights.REFERENCE_STUDY == {
        "design": "rct",
        "certainty": "high",
        "sample_size": 100,
        "strength": "clear",
    }


def test_it_gives_a_reason_for_every_value():
    for row in weights.TABLE:
        assert len(row.why) > 30, row


def test_it_cites_grade_or_ocebm_for_the_evidence_based_values():
    sourced = {
        weights.CERTAINTY,
        weights.START,
        weights.RATING,
        weights.TIER,
        weights.SAMPLE,
        weights.BODY,
        weights.STATEMENT,
    }
    for row in weights.TABLE:
        if row.group in sourced and row.name != "floor":
            assert any(source in row.why for source in ("GRADE", "OCEBM", "CONSORT")), row
    for row in weights.TABLE:
        if row.group == weights.COUNTING:
            assert "Cochrane Handbook" in row.why, row
        if row.group == weights.STATEMENT and row.name != "no_certainty":
            assert "Santesso et al. 2020" in row.why, row
    by_name = {(row.group, row.name): row.why for row in weights.TABLE}
    for name in ("very_uncertain_at", "strong_needs_at_least"):
        assert "Santesso et al. 2020" in by_name[(weights.VERDICT, name)]
    cited = {
        "risk_of_bias_share": "GRADE guidelines 4",
        "risk_of_bias_not_assessed": "GRADE guidelines 4",
        "publication_bias": "GRADE guidelines 5",
        "imprecision_very_serious_below": "GRADE guidelines 6",
        "inconsistency_very_serious_at": "GRADE guidelines 7",
        "inconsistency_serious_at": "GRADE guidelines 7",
        "indirectness_most": "GRADE guidelines 8",
        "upgrade_most": "GRADE guidelines 9",
    }
    for name, source in cited.items():
        assert source in by_name[(weights.BODY, name)], name


def test_it_words_every_statement_and_reason_as_sentences():
    for row in weights.TABLE:
        if row.group == weights.STATEMENT:
            assert row.value[0].isupper() and row.value.endswith("."), row
    for lead in ("supports", "contradicts", None):
        assert set(weights.STATEMENTS[lead]) == set(weights.CERTAINTY_VALUES)
    assert (
        weights.STATEMENTS["contradicts"]["very_low"] == weights.STATEMENTS["supports"]["very_low"]
    )
    pieces = {
        "far",
        "side_leading",
        "side_tie",
        "all_weight",
        "most_weight",
        "participant",
        "participants",
        "unreported_one",
        "unreported_many",
    }
    for name, template in weights.WORDING.items():
        if name not in pieces:
            assert template[0].isupper() and template.endswith("."), name


def test_it_groups_the_whole_table_for_display():
    groups = weights.grouped()
    assert [row for group in groups for row in group.rows] == sorted(
        weights.TABLE, key=lambda row: [g.title for g in groups].index(row.group)
    )
    assert sum(len(group.rows) for group in groups) == len(weights.TABLE)
    assert all(group.summary for group in groups)
    assert scoring.weights is weights


def test_it_labels_every_row_once():
    # A row named for a design, a certainty level or a finding strength reads as the vocabulary
    # labels it (the models' choices and every page use the same labels); every other row
    # carries its own.
    vocabulary = {**scoring.DESIGN_LABELS, **scoring.CERTAINTY_LABELS, **scoring.STRENGTH_LABELS}
    for row in weights.TABLE:
        assert row.label, row
        if row.group != weights.REFERENCE and row.name in vocabulary:
            assert row.label == vocabulary[row.name], row
    by_name = {(row.group, row.name): row for row in weights.TABLE}
    assert by_name[(weights.TIER, "rct")].label == "Randomised controlled trial"
    assert by_name[(weights.START, "rct")].shown_value == "High"
    assert by_name[(weights.BODY, "risk_of_bias_not_assessed")].shown_value == "Some concerns"
    assert by_name[(weights.REFERENCE, "design")].shown_value == "Randomised controlled trial"
    assert by_name[(weights.BODY, "serious")].shown_value == 1


def test_it_exports_plain_choice_tuples():
    for choices in (scoring.DESIGNS, scoring.CERTAINTIES):
        assert isinstance(choices, tuple)
        assert all(isinstance(pair, tuple) and len(pair) == 2 for pair in choices)
    assert scoring.DESIGNS[0] == ("meta_analysis_rct", "Meta-analysis of RCTs")
    assert scoring.DESIGNS[-1] == ("expert_opinion", "Expert opinion")
    assert [value for value, _ in scoring.CERTAINTIES] == ["high", "moderate", "low", "very_low"]


def test_it_does_not_import_django():
    code = "import sys, scoring; assert not any(m.startswith('django') for m in sys.modules)"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def why(group, name):
    (row,) = [row for row in weights.TABLE if (row.group, row.name) == (group, name)]
    return row.why


def test_every_figure_a_reason_quotes_is_what_the_model_computes():
    def alone(design, certainty=None, n=None, claim_type=None, **fields):
        return scoring.score([scoring.Item("supports", design, certainty, n, **fields)], claim_type)

    # Certainty multipliers.
    assert "RCT of 18 scores 66" in why(weights.CERTAINTY, "moderate")
    assert alone("rct", "moderate", 18).pro == 66
    assert "cohort of 50 scores about 42" in why(weights.CERTAINTY, "low")
    assert alone("cohort", "low", 50).pro == 42
    # Sample size.
    assert "three or four people" in why(weights.SAMPLE, "unknown")
    assert scoring.sample_size_factor(3) < weights.SAMPLE_SIZE_UNKNOWN
    assert scoring.sample_size_factor(4) > weights.SAMPLE_SIZE_UNKNOWN
    assert "At n ≥ 400 the factor is 1" in why(weights.SAMPLE, "optimal_information_size")
    assert scoring.sample_size_factor(400) == 1.0
    # Aggregation.
    scale = why(weights.AGGREGATION, "scale")
    assert "reference strong study scores 86" in scale
    assert "meta-analysis of 400 scores 92" in scale
    assert scoring.score([scoring.REFERENCE_STUDY]).pro == 86
    assert alone("meta_analysis_rct", "high", 400).pro == 92
    # The reference study.
    assert "79.6 points and scores 86, whatever the claim type" in why(
        weights.REFERENCE, "sample_size"
    )
    for claim_type in (None, *weights.CLAIM_TYPES):
        assert round(scoring.points(scoring.REFERENCE_STUDY, claim_type), 1) == 79.6
        assert scoring.score([scoring.REFERENCE_STUDY], claim_type).pro == 86

    # Insufficient evidence: the most one study of these designs scores with derived
    # certainty, over every claim type, size and rating (n ≥ 400 gives the full factor).
    def most(design, claim_types):
        return max(
            alone(design, None, n, claim_type, upgrades=up).pro
            for claim_type in claim_types
            for n in (None, 1, 30, 400, 10_000)
            for up in (0, 2)
        )

    others = [None, "causal", "correlational", "comparative", "descriptive"]
    insufficient = why(weights.VERDICT, "insufficient_below")
    assert "one animal or in-vitro study scores at most 17" in insufficient
    assert most("animal", [*others, "mechanistic"]) == most("in_vitro", others) == 17
    assert "one expert opinion 14" in insufficient
    assert most("expert_opinion", [*others, "mechanistic"]) == 14
    assert "one mechanistic study 19" in insufficient
    assert most("mechanistic", others) == 19
    assert "can reach 38" in insufficient
    assert most("mechanistic", ["mechanistic"]) == 38
    assert max(17, 14, 19) < weights.INSUFFICIENT_BELOW <= 38
    # Strong.
    strong = why(weights.VERDICT, "strong_at_least")
    assert "with a clear finding, of any size, scores at least 52" in strong
    assert min(alone("rct", "moderate", n).pro for n in (None, 1, 2, 18, 400)) == 52
    # Only with a clear finding: a partial one of 1 scores 31.
    assert alone("rct", "moderate", 1, strength="partial").pro == 31
    assert "a low-certainty one of 100 scores 50" in strong
    assert alone("rct", "low", 100).pro == 50 == weights.STRONG_AT_LEAST
    assert "n = 30 scores 14" in why(weights.VERDICT, "strong_other_below")
    assert alone("animal", None, 30).pro == 14 < weights.STRONG_OTHER_BELOW


def test_the_body_rows_name_their_own_thresholds():
    assert "from 0.4" in why(weights.BODY, "inconsistency_very_serious_at")
    assert "from 0.2" in why(weights.BODY, "inconsistency_serious_at")
    imprecision = why(weights.BODY, "imprecision_very_serious_below")
    assert "fewer than 100" in imprecision and "optimal information size of 400" in imprecision
    assert "more than half" in why(weights.BODY, "risk_of_bias_share")
    assert weights.RISK_OF_BIAS_SHARE == 0.5
    assert "at most 2" in why(weights.BODY, "upgrade_most")
    assert "0 (none), 1 (serious) or 2 (very serious)" in why(weights.BODY, "indirectness_most")
    assert "down one level" in why(weights.BODY, "serious")
    assert "two levels" in why(weights.BODY, "very_serious")
    assert "one level" in why(weights.BODY, "publication_bias")
    # The imprecision rule and the sample-size factor share one optimal information size.
    assert weights.IMPRECISION_SERIOUS_BELOW == weights.SAMPLE_SIZE_FULL == 400


def test_the_reasons_quote_the_table():
    trial = scoring.Item("supports", "rct", "moderate", 18, risk_of_bias="low")
    (reason,) = scoring.score([trial]).certainty_reasons[1:]
    assert f"the {weights.IMPRECISION_SERIOUS_BELOW} usually needed" in reason


def test_the_very_low_statement_says_it_names_no_direction():
    # §3.4 mirrors the statements when Against leads; at very low certainty GRADE's statement
    # is about the effect, not its direction, so the one wording serves both sides and the
    # table must say so rather than leave a reader looking for the mirror.
    very_low = why(weights.STATEMENT, "very_low")
    assert "whichever side leads" in very_low
    assert "Against" in very_low and 'no "not true" form' in very_low
    assert not any(w.name == "very_low_against" for w in weights.TABLE)
    for lead in ("supports", "contradicts", None):
        assert scoring.statement_for("very_low", lead) == (
            "We are very uncertain whether this is true."
        )
    assert "except at very low certainty" in weights.GROUP_SUMMARIES[weights.STATEMENT]


def test_the_rating_up_rows_name_every_factor():
    for group, name in ((weights.RATING, "level_per_upgrade"), (weights.BODY, "upgrade_most")):
        text = why(group, name)
        for factor in ("large effect", "dose-response gradient", "confounding"):
            assert factor in text, (name, factor)
        assert "two for a very large" in text, name
