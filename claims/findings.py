"""What readers see of a claim's effects, beyond the plot's geometry: each evidence link as a
forest-plot row, and the summary of findings, one compact GRADE-style row per claim (outcome,
studies and participants, the range of the studies' estimates, the certainty with its reasons,
the plain statement). Every figure of that row comes from the scorecard the verdict panel shows,
so the two cannot disagree; the effects come from the forest plot's groups, as ranges, never
pooled."""

from collections.abc import Sequence
from dataclasses import dataclass, replace

import scoring

from .effects import MEASURE_LABELS, reading, threshold_for, unit_matches
from .forest_plot import Forest, ForestRow, forest
from .plot_axis import number
from .verdict_text import certainty_words

# How many studies of each direction a forest plot draws before "Show all" (`?forest=all`),
# as the evidence lists and the breakdown bound theirs: at 5,000 links every row was drawn.
FOREST_SHOWN = 10
FOREST_ALL = "all"
# How many studies without a usable effect the page lists by their direction.
DIRECTION_ONLY_SHOWN = 20

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


def strongest(rows: Sequence[ForestRow], shown: int | None) -> list[ForestRow]:
    """The first `shown` rows of each direction (the link's stance), in their order: rows
    come strongest first a side, as the evidence lists and the breakdown bound theirs."""
    if shown is None:
        return list(rows)
    seen: dict[str, int] = {}
    kept = []
    for row in rows:
        seen[row.direction] = seen.get(row.direction, 0) + 1
        if seen[row.direction] <= shown:
            kept.append(row)
    return kept


def forest_mode(value: str | None) -> str:
    """The `forest` query parameter: "all" (every study drawn), else "" (the strongest)."""
    return FOREST_ALL if value == FOREST_ALL else ""


def claim_forest(claim, rows: dict, shown: int | None = None, listed: int | None = None) -> Forest:
    """The forest plot of a claim's counted links (the studies the verdict counts), from its
    evidence rows by side (claims.evidence_list.evidence_rows): no query of its own. With
    `shown`, each plot draws that many studies a direction, with `listed` that many are
    listed by direction only (claims.forest_plot.forest); only those get their label, link
    and reading."""
    counted = [row.evidence for side in rows.values() for row in side if row.counted]
    effects, skipped = _effect_rows(counted, claim, listed)
    result = forest(
        effects,
        threshold_for=lambda measure, unit: (
            threshold_for(claim, measure) if unit_matches(claim, unit) else None
        ),
        expected=claim.expected_direction,
        draw=lambda group: strongest(group, shown),
        listed=listed,
        complete=lambda row: with_text(row, claim),
    )
    count = result.direction_only_count + skipped
    return replace(result, direction_only_count=count, shown=shown)


def _effect_rows(counted: list, claim, listed: int | None) -> tuple[list[ForestRow], int]:
    """The links as rows, and how many links without an effect were only counted: past the
    first `listed` of them none can be listed (they are never drawn), so no row is built."""
    effects, plain, skipped = [], 0, 0
    for evidence in counted:
        if listed is not None and not (
            evidence.effect_measure and evidence.effect_estimate is not None
        ):
            plain += 1
            if plain > listed:
                skipped += 1
                continue
        effects.append(effect_row(evidence, claim))
    return effects, skipped


def effect_row(evidence, claim, measure_labels: dict[str, str] = MEASURE_LABELS) -> ForestRow:
    """An Evidence's figures as a row, without the text only a drawn row needs (with_text):
    its n analysed, else the study's size."""
    measure = evidence.effect_measure or ""
    return ForestRow(
        label="",
        n=evidence.n_analysed or evidence.study.sample_size,
        estimate=evidence.effect_estimate if measure else None,
        lower=evidence.effect_ci_lower,
        upper=evidence.effect_ci_upper,
        measure=measure,
        measure_label=measure_labels.get(measure, measure),
        outcome=evidence.outcome or getattr(claim, "outcome", "") or "",
        unit=evidence.effect_unit,
        direction=evidence.stance,
        interval=evidence.effect_ci_kind,
        source=evidence,
    )


def with_text(row: ForestRow, claim) -> ForestRow:
    """The row with its label, link and reading of the interval, from its evidence link."""
    evidence = row.source
    study = evidence.study
    return replace(
        row,
        label=study.short_citation or study.title,
        url=study.link_url,
        reading=reading(evidence, claim).words,
    )


def effect_ranges(result: Forest) -> tuple[str, ...]:
    """Per plot (outcome and measure), the range of the studies' estimates:
    "Muscle thickness, mean difference: 0.2 to 1.5 mm (3 studies)"."""
    ranges = []
    for drawn in result.plots:
        # Every study of the plot, drawn or not (a bounded plot draws the strongest).
        every = drawn.every or tuple(r.row for r in drawn.rows)
        estimates = [row.estimate for row in every]
        low, high = min(estimates), max(estimates)
        span = number(low) if low == high else f"{number(low)} to {number(high)}"
        unit = f" {drawn.unit}" if drawn.unit and not drawn.ratio else ""
        count = len(estimates)
        studies = f"{count} stud{'y' if count == 1 else 'ies'}"
        only = every[0]
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
