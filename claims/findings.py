"""What readers see of a claim's effects, beyond the plot's geometry: each evidence link as a
forest-plot row, and the summary of findings, one compact GRADE-style row per claim (outcome,
studies and participants, the range of the studies' estimates, the certainty with its reasons,
the plain statement). Every figure of that row comes from the scorecard the verdict panel shows,
so the two cannot disagree; the effects come from the forest plot's groups, as ranges, never
pooled."""

from dataclasses import dataclass

import scoring

from .effects import MEASURE_LABELS, reading, threshold_for, unit_matches
from .forest_plot import Forest, ForestRow, forest
from .plot_axis import number
from .verdict_text import certainty_words

OUTCOME_AS_REPORTED = "As reported by the studies"
NO_EFFECT_SIZES = "No effect sizes reported: direction only"


@dataclass(frozen=True)
class SummaryOfFindings:
    outcome: str
    studies: int
    participants: int
    effects: tuple[str, ...]
    certainty: str  # "Low certainty", or "" when nothing has been rated
    certainty_reasons: tuple[str, ...]
    statement: str

    @property
    def studies_text(self) -> str:
        studies = f"{self.studies} stud{'y' if self.studies == 1 else 'ies'}"
        if not self.participants:
            return studies
        return f"{studies}, {self.participants} participants"

    def as_record(self) -> dict:
        """For the JSON: the same fields, lists for tuples."""
        return {key: list(v) if isinstance(v, tuple) else v for key, v in self.__dict__.items()}


def claim_forest(claim, rows: dict) -> Forest:
    """The forest plot of a claim's counted links (the studies the verdict counts), from its
    evidence rows by side (claims.evidence_list.evidence_rows): no query of its own."""
    counted = [row.evidence for side in rows.values() for row in side if row.counted]
    return forest(
        (forest_row(evidence, claim) for evidence in counted),
        threshold_for=lambda measure, unit: (
            threshold_for(claim, measure) if unit_matches(claim, unit) else None
        ),
        expected=claim.expected_direction,
    )


def forest_row(evidence, claim, measure_labels: dict[str, str] = MEASURE_LABELS) -> ForestRow:
    """An Evidence (with its study loaded) as a row: its n analysed, else the study's size."""
    study = evidence.study
    measure = evidence.effect_measure or ""
    return ForestRow(
        label=study.short_citation or study.title,
        n=evidence.n_analysed or study.sample_size,
        estimate=evidence.effect_estimate if measure else None,
        lower=evidence.effect_ci_lower,
        upper=evidence.effect_ci_upper,
        measure=measure,
        measure_label=measure_labels.get(measure, measure),
        outcome=evidence.outcome or getattr(claim, "outcome", "") or "",
        unit=evidence.effect_unit,
        url=study.link_url,
        direction=evidence.stance,
        reading=reading(evidence, claim).words,
        interval=evidence.effect_ci_kind,
    )


def effect_ranges(result: Forest) -> tuple[str, ...]:
    """Per plot (outcome and measure), the range of the studies' estimates:
    "Muscle thickness, mean difference: 0.2 to 1.5 mm (3 studies)"."""
    ranges = []
    for drawn in result.plots:
        estimates = [r.row.estimate for r in drawn.rows]
        low, high = min(estimates), max(estimates)
        span = number(low) if low == high else f"{number(low)} to {number(high)}"
        unit = f" {drawn.unit}" if drawn.unit and not drawn.ratio else ""
        count = len(estimates)
        studies = f"{count} stud{'y' if count == 1 else 'ies'}"
        only = drawn.rows[0].row
        if count == 1 and only.has_ci:  # one estimate alone would read as certain
            interval = f"{only.interval_label} {number(only.lower)} to {number(only.upper)}"
            studies = f"{interval}; {studies}"
        outcome = drawn.outcome or "Outcome as reported"
        ranges.append(f"{outcome}, {drawn.measure_label.lower()}: {span}{unit} ({studies})")
    return tuple(ranges)


def summary_of_findings(claim, card: scoring.Scorecard, result: Forest) -> SummaryOfFindings:
    """The claim's row: the counted studies and participants, certainty and statement exactly
    as the verdict panel has them. For the claim JSON: summary_of_findings(claim, card,
    claim_forest(claim, rows)).as_record()."""
    return SummaryOfFindings(
        outcome=getattr(claim, "outcome", "") or OUTCOME_AS_REPORTED,
        studies=card.counted,
        participants=card.participants,
        effects=effect_ranges(result) or (NO_EFFECT_SIZES,),
        certainty=certainty_words(card.certainty),
        certainty_reasons=tuple(card.certainty_reasons),
        statement=card.statement,
    )
