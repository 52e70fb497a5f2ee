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
        weights.STRONG_AT_LEAST,
        weights.STRONG_OTHER_BELOW,
        weights.MODERATE_GAP,
        weights.LEANING_GAP,
    )
    assert thresholds == (20, 50, 15, 25, 10)
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
    }
    for row in weights.TABLE:
        if row.group in sourced and row.name != "floor":
            assert any(source in row.why for source in ("GRADE", "OCEBM", "CONSORT")), row


def test_it_groups_the_whole_table_for_display():
    groups = weights.grouped()
    assert [row for group in groups for row in group.rows] == sorted(
        weights.TABLE, key=lambda row: [g.title for g in groups].index(row.group)
    )
    assert sum(len(group.rows) for group in groups) == len(weights.TABLE)
    assert all(group.summary for group in groups)
    assert scoring.weights is weights


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
