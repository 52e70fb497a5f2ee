"""The Pro/Against scoring model and the certainty of the body of evidence: pure Python, no
Django. See core.py for the model; its modules, lowest first:

vocabulary  the values the model accepts and the one label each is shown with
table, table_study, table_verdict  the scoring table: every number, with its reason
wording     the sentence templates of captions and certainty reasons
weights     TABLE joined, and the constants the model reads off it
items       Item and the checks every input passes
core        a study's certainty and points, a side's score, the verdict and its statement
certainty   the certainty of the body of evidence, with a reason per step
scorecard   score(): one claim's scorecard
whatif      what would change a verdict, and how much it rests on weak studies
"""

from . import weights
from .core import (
    NOT_COUNTED_REASONS,
    POOLED_IN,
    RETRACTED,
    SAME_TRIAL,
    certainty_for,
    effective,
    effective_certainty,
    lead_side,
    points,
    sample_size_factor,
    side_score,
    start_level,
    statement_for,
    verdict_for,
)
from .items import Item, as_item, as_items
from .scorecard import REFERENCE_STUDY, Contribution, Scorecard, score, score_checked
from .vocabulary import (
    CERTAINTIES,
    CERTAINTY_LABELS,
    CERTAINTY_WORDS,
    DESIGN_LABELS,
    DESIGNS,
    INSUFFICIENT,
    LEANING_AGAINST,
    LEANING_SUPPORT,
    MIXED,
    MODERATE_SUPPORT,
    MODERATELY_CONTRADICTED,
    RISK_OF_BIAS_LABELS,
    RISKS_OF_BIAS,
    STANCE_LABELS,
    STANCE_WORDS,
    STRENGTH_LABELS,
    STRONG_SUPPORT,
    STRONGLY_CONTRADICTED,
    VERDICTS,
    VERY_UNCERTAIN,
    design_noun,
)
from .whatif import (
    HYPOTHETICAL,
    LADDER,
    Change,
    describe,
    hypothetical,
    sensitivity,
    sensitivity_sentence,
    smallest_change,
    what_would_change,
)

__all__ = [
    "CERTAINTIES",
    "CERTAINTY_LABELS",
    "CERTAINTY_WORDS",
    "DESIGN_LABELS",
    "DESIGNS",
    "HYPOTHETICAL",
    "INSUFFICIENT",
    "LADDER",
    "LEANING_AGAINST",
    "LEANING_SUPPORT",
    "MIXED",
    "MODERATE_SUPPORT",
    "MODERATELY_CONTRADICTED",
    "NOT_COUNTED_REASONS",
    "POOLED_IN",
    "REFERENCE_STUDY",
    "RETRACTED",
    "RISK_OF_BIAS_LABELS",
    "RISKS_OF_BIAS",
    "SAME_TRIAL",
    "STANCE_LABELS",
    "STANCE_WORDS",
    "STRENGTH_LABELS",
    "STRONG_SUPPORT",
    "STRONGLY_CONTRADICTED",
    "VERDICTS",
    "VERY_UNCERTAIN",
    "Change",
    "Contribution",
    "Item",
    "Scorecard",
    "as_item",
    "as_items",
    "certainty_for",
    "describe",
    "design_noun",
    "effective",
    "effective_certainty",
    "lead_side",
    "hypothetical",
    "points",
    "sample_size_factor",
    "score",
    "score_checked",
    "sensitivity",
    "sensitivity_sentence",
    "side_score",
    "smallest_change",
    "start_level",
    "statement_for",
    "verdict_for",
    "weights",
    "what_would_change",
]
