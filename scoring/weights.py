"""Every number the scoring model uses, read off the one scoring table.

`TABLE` (rows in table_study.py and table_verdict.py, each with the reason it has its value) is
the single source of the values: the constants below are derived from it, and the "How scores
work" page renders it with `grouped()`. Values marked "Project calibration" are our own choices,
tuned to the calibration points in tests/scoring; the others follow the GRADE and OCEBM sources
they cite. The vocabulary, the table's frame and the sentence templates (wording.py) stay
importable from here, the one module the model reads its constants from.
"""

from typing import Any

from .table import (  # noqa: F401
    AGGREGATION,
    BODY,
    CERTAINTY,
    COUNTING,
    GROUP_SUMMARIES,
    RATING,
    REFERENCE,
    SAMPLE,
    START,
    STATEMENT,
    STRENGTH,
    TIER,
    VERDICT,
    Group,
    Weight,
)
from .table_study import STUDY_ROWS
from .table_verdict import VERDICT_ROWS
from .vocabulary import (  # noqa: F401
    CERTAINTIES,
    CERTAINTY_LABELS,
    CERTAINTY_VALUES,
    CLAIM_TYPES,
    DESIGN_LABELS,
    DESIGN_VALUES,
    DESIGNS,
    LEVELS,
    OBSERVATIONAL_DESIGNS,
    OBSERVATIONAL_DIRECT_CLAIM_TYPES,
    REVIEW_DESIGNS,
    RISK_OF_BIAS_LABELS,
    RISKS_OF_BIAS,
    STANCES,
    STRENGTH_LABELS,
    STRENGTHS,
)
from .wording import (  # noqa: F401
    COUNT_WORDS,
    DESIGN_PHRASES,
    LEVEL_WORDS,
    TRIALS_AND_META_ANALYSES,
    WORDING,
)

# A row named for a design, a certainty level or a finding strength is labelled as the
# vocabulary labels it; every other row carries its own label (a missing one fails here).
_NAME_LABELS = {**DESIGN_LABELS, **CERTAINTY_LABELS, **STRENGTH_LABELS}
TABLE: tuple[Weight, ...] = tuple(
    row if row.label else row._replace(label=_NAME_LABELS[row.name])
    for row in (*STUDY_ROWS, *VERDICT_ROWS)
)


def _rows(group: str) -> dict[str, Any]:
    return {w.name: w.value for w in TABLE if w.group == group}


def grouped() -> list[Group]:
    """The table as groups in the order they first appear, for the "How scores work" page."""
    titles = list(dict.fromkeys(w.group for w in TABLE))
    return [
        Group(title, GROUP_SUMMARIES[title], [w for w in TABLE if w.group == title])
        for title in titles
    ]


NOT_COUNTED: dict[str, str] = _rows(COUNTING)
CERTAINTY_MULTIPLIER: dict[str, float] = _rows(CERTAINTY)
_SPECIAL_STARTS = (
    "mechanistic_for_mechanistic_claim",
    "observational_for_correlational_or_descriptive_claim",
)
START_LEVEL: dict[str, str] = {
    design: level for design, level in _rows(START).items() if design not in _SPECIAL_STARTS
}
MECHANISTIC_CLAIM_START_LEVEL: str = _rows(START)["mechanistic_for_mechanistic_claim"]
OBSERVATIONAL_DIRECT_START_LEVEL: str = _rows(START)[
    "observational_for_correlational_or_descriptive_claim"
]
DESIGN_TIER: dict[str, float] = _rows(TIER)
SAMPLE_SIZE_FULL: int = _rows(SAMPLE)["optimal_information_size"]
SAMPLE_SIZE_FLOOR: float = _rows(SAMPLE)["floor"]
SAMPLE_SIZE_UNKNOWN: float = _rows(SAMPLE)["unknown"]
STRENGTH_FACTOR: dict[str, float] = _rows(STRENGTH)
DECAY: float = _rows(AGGREGATION)["decay"]
SCALE: float = _rows(AGGREGATION)["scale"]
SERIOUS: int = _rows(BODY)["serious"]
VERY_SERIOUS: int = _rows(BODY)["very_serious"]
RISK_OF_BIAS_SHARE: float = _rows(BODY)["risk_of_bias_share"]
RISK_OF_BIAS_NOT_ASSESSED: str = _rows(BODY)["risk_of_bias_not_assessed"]
INCONSISTENCY_VERY_SERIOUS_AT: float = _rows(BODY)["inconsistency_very_serious_at"]
INCONSISTENCY_SERIOUS_AT: float = _rows(BODY)["inconsistency_serious_at"]
INCONSISTENCY_ON_A_TIE: float = _rows(BODY)["inconsistency_on_a_tie"]
INDIRECTNESS_MOST: int = _rows(BODY)["indirectness_most"]
IMPRECISION_VERY_SERIOUS_BELOW: int = _rows(BODY)["imprecision_very_serious_below"]
IMPRECISION_SERIOUS_BELOW: int = SAMPLE_SIZE_FULL  # the optimal information size, one row
PUBLICATION_BIAS: int = _rows(BODY)["publication_bias"]
UPGRADE_MOST: int = _rows(BODY)["upgrade_most"]
INSUFFICIENT_BELOW: int = _rows(VERDICT)["insufficient_below"]
VERY_UNCERTAIN_AT: str = _rows(VERDICT)["very_uncertain_at"]
STRONG_AT_LEAST: int = _rows(VERDICT)["strong_at_least"]
STRONG_OTHER_BELOW: int = _rows(VERDICT)["strong_other_below"]
STRONG_NEEDS_AT_LEAST: str = _rows(VERDICT)["strong_needs_at_least"]
MODERATE_GAP: int = _rows(VERDICT)["moderate_gap"]
LEANING_GAP: int = _rows(VERDICT)["leaning_gap"]
_STATEMENTS = _rows(STATEMENT)
# STATEMENTS[lead][certainty]; lead None is a tie. Very low names no direction.
STATEMENTS: dict[str | None, dict[str, str]] = {
    "supports": {level: _STATEMENTS[level] for level in CERTAINTY_VALUES},
    "contradicts": {
        **{level: _STATEMENTS[f"{level}_against"] for level in ("high", "moderate", "low")},
        "very_low": _STATEMENTS["very_low"],
    },
    None: {
        **dict.fromkeys(("high", "moderate", "low"), _STATEMENTS["evenly_split"]),
        "very_low": _STATEMENTS["very_low"],
    },
}
NO_CERTAINTY_STATEMENT: str = _STATEMENTS["no_certainty"]
REFERENCE_STUDY: dict[str, Any] = _rows(REFERENCE)
LEVEL_PER_DOWNGRADE: int = _rows(RATING)["level_per_downgrade"]
LEVEL_PER_UPGRADE: int = _rows(RATING)["level_per_upgrade"]
