"""One vocabulary: the models' choices and the pages label designs, certainty levels, stances,
finding strengths and risk-of-bias judgements as scoring.vocabulary does. (That only
claims/text.py marks text safe is in tests/test_architecture.py.)"""

import scoring
from claims.models import Claim, Evidence
from studies.models import Stance, Study


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
