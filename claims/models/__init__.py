"""The claims app's models, one module per domain; import them from here (`claims.models`).

claim.py: Claim and the QuerySets lists and pages compose; evidence.py: the claim ⇄ study link and
its appraisal; effect.py: effect measures, a link's reported effect and their checks; analysis.py:
versions of the synthesis, mechanisms and steps; ideal.py: the gold-standard studies needed;
validation.py: messages and helpers they share.
"""

# Django registers models in import order, and dumpdata (backup) and restore follow it: keep it.
# isort: off
from .claim import Claim, ClaimQuerySet, ClaimType
from .evidence import (
    CONCERN_FIELDS,
    LARGE_EFFECTS,
    REASON_FIELDS,
    REASON_MAX_LENGTH,
    REASON_REQUIRED,
    REASON_TOO_LONG,
    RISK_OF_BIAS_CONTRADICTS,
    Evidence,
    EvidenceQuerySet,
)
from .scoring_link import ScoringLink
from .analysis import Analysis, AnalysisQuerySet, Mechanism, MechanismStep
from .ideal import IdealStudy, IdealStudyQuerySet

# isort: on
from .effect import EffectMeasure, ExpectedDirection
from .validation import CERTAINTY_VALUES, RANK_INVALID, VERDICT_INVALID, visible

__all__ = [
    "CERTAINTY_VALUES",
    "CONCERN_FIELDS",
    "LARGE_EFFECTS",
    "RANK_INVALID",
    "REASON_FIELDS",
    "REASON_MAX_LENGTH",
    "REASON_REQUIRED",
    "REASON_TOO_LONG",
    "RISK_OF_BIAS_CONTRADICTS",
    "VERDICT_INVALID",
    "Analysis",
    "AnalysisQuerySet",
    "Claim",
    "ClaimQuerySet",
    "ClaimType",
    "EffectMeasure",
    "Evidence",
    "ScoringLink",
    "EvidenceQuerySet",
    "ExpectedDirection",
    "IdealStudy",
    "IdealStudyQuerySet",
    "Mechanism",
    "MechanismStep",
    "visible",
]
