"""An approved link as a plain row, for rescoring many claims at once (claims.services
claims_rescore): building an Evidence for each link was a third of a full rescore's time."""

from typing import NamedTuple

from .evidence import Evidence


class StudyFacts(NamedTuple):
    """What scoring reads of a link's study (the last four of Evidence.SCORING_FIELDS)."""

    design: str
    sample_size: int | None
    retraction_status: str
    trial_registration: str


class ScoringLink(NamedTuple):
    """One approved link: it answers what scoring and claims.services read of a link with
    Evidence's own code (the properties and scoring_item below are Evidence's)."""

    pk: int
    claim_id: int
    study_id: int
    stance: str
    appraisal_status: str
    certainty: str
    strength: str
    risk_of_bias_judgement: str
    risk_of_bias: int
    inconsistency: int
    indirectness: int
    imprecision: int
    imprecise: bool
    publication_bias: int
    large_effect: int
    dose_response: bool
    plausible_confounding: bool
    study: StudyFacts

    # The columns read, in the order of the fields above.
    COLUMNS = ("pk", *Evidence.SCORING_FIELDS)

    Appraisal = Evidence.Appraisal
    RiskOfBias = Evidence.RiskOfBias
    is_awaiting_appraisal = Evidence.is_awaiting_appraisal
    downgrades = Evidence.downgrades
    upgrades = Evidence.upgrades
    scoring_item = Evidence.scoring_item

    @classmethod
    def from_row(cls, row: tuple) -> "ScoringLink":
        return cls(*row[:-4], StudyFacts(*row[-4:]))
