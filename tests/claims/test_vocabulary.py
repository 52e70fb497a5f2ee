"""One vocabulary: the models' choices and the pages label designs, certainty levels, stances,
finding strengths and risk-of-bias judgements as scoring.vocabulary does, and only
claims/text.py marks text safe."""

import re
from pathlib import Path

import scoring
from claims.models import Claim, Evidence
from studies.models import Stance, Study

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "api", "bench", "claims", "community", "config", "core", "scoring", "studies")


def test_it_labels_the_models_choices_as_scoring_does():
    assert dict(Study._meta.get_field("design").choices) == scoring.DESIGN_LABELS
    assert dict(Evidence._meta.get_field("certainty").choices) == scoring.CERTAINTY_LABELS
    assert dict(Claim._meta.get_field("certainty").choices) == scoring.CERTAINTY_LABELS
    assert dict(Stance.choices) == scoring.STANCE_LABELS
    assert dict(Evidence.Strength.choices) == scoring.STRENGTH_LABELS
    judgements = dict(Evidence.RiskOfBias.choices)
    assert {value: judgements[value] for value in scoring.RISKS_OF_BIAS} == (
        scoring.RISK_OF_BIAS_LABELS
    )


def test_it_marks_text_safe_only_in_claims_text():
    calls = re.compile(r"\bmark_safe\(|\|\s*safe\b|SafeString\(")
    marking = {
        path.relative_to(ROOT).as_posix()
        for app in APPS
        if (ROOT / app).is_dir()
        for path in (ROOT / app).rglob("*.py")
        if calls.search(path.read_text(encoding="utf-8"))
    }
    assert marking == {"claims/text.py"}
