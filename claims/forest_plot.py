"""The claim page's forest plot: pure geometry, no templates and no database.

Rows (one per study with a usable effect) are grouped by (outcome, measure): estimates on
different outcomes or measures are never drawn on one axis, and nothing is pooled. Each group
becomes a `Plot`: the SVG's viewBox, the x of every value (a linear scale for differences, a log
scale for ratios), the line of no effect (0 or 1), the claim's smallest important effect, one
CI line and one estimate mark per study (the mark's area proportional to n, clamped) and the
axis ticks. templates/claims/_forest_plot.html draws it, beside a table that says the same.

Sized for a 375 px phone: there the plot gets about 309 px (the page's and the section's
padding), so the 320-unit viewBox shrinks by 0.97 and the 13-unit font reads at 12.5 px; CSS
caps its width on wide screens (24rem: 16 px text at most).
"""

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from .effects import (
    LARGEST_VALUE,
    MIXED_INTERVAL_LABEL,
    MIXED_INTERVAL_NAME,
    interval_label,
    interval_name,
    is_ratio,
    mirror,
    no_effect,
)
from .plot_axis import PAD_X, WIDTH, number, scale_for, tick_values

TOP = 8  # above the first row
ROW_HEIGHT = 36  # a text line (label, estimate) and the CI line under it
TEXT_DY = 12  # the row's text baseline, below the row's top
LINE_DY = 26  # the row's CI line, below the row's top
AXIS_HEIGHT = 34  # the axis line, its ticks and their labels
# The font size, 13 viewBox units (12 to 13 px on a phone), is in site.css: .forest-svg text.
MARK_MIN, MARK_MAX = 5.0, 14.0  # the estimate mark's side, in viewBox units
LABEL_CHARS = 24  # a longer study label is cut, so it does not run into the estimate


@dataclass(frozen=True)
class ForestRow:
    """One study's effect on one outcome, as reported. `estimate` is None when the link has no
    usable effect (it is then listed as "direction only"); `direction` is the link's stance
    ("supports" / "contradicts"), shown for those."""

    label: str
    n: int | None
    estimate: float | None
    lower: float | None
    upper: float | None
    measure: str
    measure_label: str = ""
    outcome: str = ""
    unit: str = ""
    url: str = ""
    direction: str = ""
    reading: str = ""  # the plain reading of the CI against the threshold, or ""
    interval: str = "ci"  # the interval's kind (claims.models.IntervalKind): "ci", "cri", "hdi"
    # What the row was made from (an evidence link): forest's `complete` reads it.
    source: object = field(default=None, compare=False, repr=False)

    @property
    def usable(self) -> bool:
        """An estimate on a known measure; a ratio's values must be positive (validation sees
        to it; a row that slipped past is listed, not drawn off the log scale)."""
        if self.estimate is None or not self.measure:
            return False
        values = [v for v in (self.estimate, self.lower, self.upper) if v is not None]
        if not all(math.isfinite(v) and abs(v) <= LARGEST_VALUE for v in values):
            return False
        return not is_ratio(self.measure) or all(v > 0 for v in values)

    @property
    def has_ci(self) -> bool:
        return self.lower is not None and self.upper is not None

    @property
    def short_text(self) -> str:
        """ "0.25 [0.1, 0.4]": what fits beside the label in the plot (the table has the rest)."""
        if self.estimate is None:
            return ""
        if not self.has_ci:
            return number(self.estimate)
        return f"{number(self.estimate)} [{number(self.lower)}, {number(self.upper)}]"

    @property
    def short_label(self) -> str:
        """The label cut to fit beside the estimate, keeping a trailing year ("Longname… 2024")."""
        if len(self.label) <= LABEL_CHARS:
            return self.label
        head, _, year = self.label.rpartition(" ")
        if not (year.isdigit() and len(year) == 4):
            head, year = self.label, ""
        keep = LABEL_CHARS - 1 - (len(year) + 1 if year else 0)
        return f"{head[:keep].rstrip()}\u2026{' ' + year if year else ''}"

    @property
    def interval_label(self) -> str:
        return interval_label(self.interval)

    @property
    def effect_text(self) -> str:
        """ "0.25 (95% CI 0.1 to 0.4) mm", or "(95% HDI …)" for a Bayesian interval."""
        if self.estimate is None:
            return ""
        text = number(self.estimate)
        if self.has_ci:
            text += f" ({self.interval_label} {number(self.lower)} to {number(self.upper)})"
        return f"{text} {self.unit}".strip()


@dataclass(frozen=True)
class PlotRow:
    """One study's row in the SVG: its text baseline, CI line and the estimate's square."""

    row: ForestRow
    y_text: float
    y_line: float
    x: float  # the estimate
    x1: float | None  # the CI's ends, None without a CI
    x2: float | None
    size: float  # the estimate mark's side

    @property
    def mark_x(self) -> float:
        return round(self.x - self.size / 2, 2)

    @property
    def mark_y(self) -> float:
        return round(self.y_line - self.size / 2, 2)


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class DirectionSummary:
    """How many studies (and participants) point each way: a count, never a pooled estimate."""

    up: int
    up_n: int
    down: int
    down_n: int
    none: int
    none_n: int
    expected: str  # the claim's expected direction: "increase", "decrease" or ""

    @property
    def sentence(self) -> str:
        """ "2 studies (40 participants) point to an increase; 1 study (12 participants) points
        to a decrease." """

        def part(count: int, n: int, verb: str, words: str) -> str:
            studies = f"{count} study" if count == 1 else f"{count} studies"
            people = f" ({n} participants)" if n else ""
            return f"{studies}{people} {verb if count == 1 else verb[:-1]} {words}"

        up, down = "to an increase", "to a decrease"
        if self.expected == "increase":
            up += " (the claim's direction)"
        elif self.expected == "decrease":
            down += " (the claim's direction)"
        parts = [
            part(count, n, verb, words)
            for count, n, verb, words in (
                (self.up, self.up_n, "points", up),
                (self.down, self.down_n, "points", down),
                (self.none, self.none_n, "shows", "no difference"),
            )
            if count
        ]
        return "; ".join(parts) + "."


@dataclass(frozen=True)
class Plot:
    """One group's SVG: every number the template writes into it."""

    outcome: str
    measure: str
    measure_label: str
    unit: str
    ratio: bool
    rows: tuple[PlotRow, ...]
    ticks: tuple[Tick, ...]
    no_effect_x: float
    threshold: float | None
    threshold_x: float | None
    # The same size of effect the other way (−t, or 1/t for a ratio): the reading counts an
    # important effect either way, so the plot draws both.
    mirror_x: float | None
    axis_y: float
    height: float
    summary: DirectionSummary | None
    width: int = WIDTH
    # Every study of the group, drawn or not: the summary of findings' range reads them all.
    every: tuple[ForestRow, ...] = ()

    @property
    def total(self) -> int:
        return len(self.every) or len(self.rows)

    @property
    def hidden_count(self) -> int:
        return self.total - len(self.rows)

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {round(self.height)}"

    @property
    def top(self) -> int:
        return TOP

    @property
    def x0(self) -> float:
        return PAD_X

    @property
    def x1(self) -> float:
        return self.width - PAD_X

    @property
    def tick_y(self) -> float:
        return self.axis_y + 18

    @property
    def tick_end(self) -> float:
        return self.axis_y + 4

    @property
    def caption(self) -> str:
        scale = "log scale" if self.ratio else "linear scale"
        unit = f", {self.unit}" if self.unit and not self.ratio else ""
        return f"{self.outcome or 'Outcome as reported'}: {self.measure_label}{unit} ({scale})"

    @property
    def _interval_kinds(self) -> set[str]:
        return {r.row.interval for r in self.rows if r.row.has_ci}

    @property
    def interval_label(self) -> str:
        """ "95% HDI" when every interval drawn is one; "95% interval" for a mix."""
        kinds = self._interval_kinds
        return MIXED_INTERVAL_LABEL if len(kinds) > 1 else interval_label(next(iter(kinds), ""))

    @property
    def interval_name(self) -> str:
        """ "95% highest-density interval", in full for the table's caption and the SVG."""
        kinds = self._interval_kinds
        return MIXED_INTERVAL_NAME if len(kinds) > 1 else interval_name(next(iter(kinds), ""))

    @property
    def threshold_text(self) -> str:
        return number(self.threshold) if self.threshold is not None else ""

    @property
    def mirror_text(self) -> str:
        return number(mirror(self.threshold, self.measure)) if self.threshold is not None else ""


@dataclass(frozen=True)
class Forest:
    plots: tuple[Plot, ...] = ()
    direction_only: tuple[ForestRow, ...] = ()  # the first DIRECTION_ONLY_SHOWN when bounded
    direction_only_count: int = 0  # all of them
    shown: int | None = None  # how many studies a direction each plot draws at most, or all

    @property
    def hidden_count(self) -> int:
        """The studies with an effect that the plots leave out (the strongest a side drawn)."""
        return sum(drawn.hidden_count for drawn in self.plots)

    @property
    def direction_only_more(self) -> int:
        return self.direction_only_count - len(self.direction_only)


def mark_size(n: int | None, largest: int) -> float:
    """The estimate mark's side: its area proportional to n, clamped so a tiny study stays
    visible and a huge one does not hide its neighbours."""
    if not n or not largest:
        return MARK_MIN
    return round(min(MARK_MAX, max(MARK_MIN, MARK_MAX * math.sqrt(n / largest))), 2)


def direction_summary(rows: Sequence[ForestRow], expected: str = "") -> DirectionSummary | None:
    """Two or more studies on one outcome and measure: how many point each way, with their n."""
    if len(rows) < 2:
        return None
    tally = {"up": [0, 0], "down": [0, 0], "none": [0, 0]}
    for row in rows:
        base = no_effect(row.measure)
        way = "up" if row.estimate > base else "down" if row.estimate < base else "none"
        tally[way][0] += 1
        tally[way][1] += row.n or 0
    return DirectionSummary(*tally["up"], *tally["down"], *tally["none"], expected=expected)


def plot(
    rows: Sequence[ForestRow],
    threshold: float | None = None,
    expected: str = "",
    largest: int | None = None,
    every: Sequence[ForestRow] | None = None,
) -> Plot:
    """One group's geometry. `threshold` is the claim's smallest important effect on this
    measure's scale (signed), or None; `largest` the biggest n on the whole page, so marks
    compare across groups; `every` the whole group when only some rows are drawn."""
    every = rows if every is None else every
    first = rows[0]
    ratio = is_ratio(first.measure)
    base = no_effect(first.measure)
    usable_threshold = threshold if threshold is not None and (not ratio or threshold > 0) else None
    mirrored = mirror(usable_threshold, first.measure) if usable_threshold is not None else None
    values = [base] + ([usable_threshold, mirrored] if usable_threshold is not None else [])
    for row in rows:
        values += [row.estimate, row.lower, row.upper]
    scale = scale_for(values, ratio)
    if largest is None:
        largest = max((row.n or 0 for row in rows), default=0)
    plotted = []
    for i, row in enumerate(rows):
        top = TOP + i * ROW_HEIGHT
        plotted.append(
            PlotRow(
                row=row,
                y_text=top + TEXT_DY,
                y_line=top + LINE_DY,
                x=scale.x(row.estimate),
                x1=scale.x(row.lower) if row.has_ci else None,
                x2=scale.x(row.upper) if row.has_ci else None,
                size=mark_size(row.n, largest),
            )
        )
    axis_y = TOP + len(rows) * ROW_HEIGHT + 4
    return Plot(
        outcome=first.outcome,
        measure=first.measure,
        measure_label=first.measure_label or first.measure,
        unit=first.unit,
        ratio=ratio,
        rows=tuple(plotted),
        ticks=tuple(Tick(scale.x(v), number(v)) for v in tick_values(scale)),
        no_effect_x=scale.x(base),
        threshold=usable_threshold,
        threshold_x=scale.x(usable_threshold) if usable_threshold is not None else None,
        mirror_x=scale.x(mirrored) if mirrored is not None else None,
        axis_y=axis_y,
        height=axis_y + AXIS_HEIGHT,
        summary=direction_summary(every, expected),
        every=tuple(every),
    )


def forest(
    rows: Iterable[ForestRow],
    threshold_for: Callable[[str, str], float | None] = lambda measure, unit: None,
    expected: str = "",
    draw: Callable[[list[ForestRow]], list[ForestRow]] = lambda group: group,
    listed: int | None = None,
    complete: Callable[[ForestRow], ForestRow] = lambda row: row,
) -> Forest:
    """Rows grouped by (outcome, measure, unit), in the order first seen; rows without a usable
    effect go to `direction_only`. `threshold_for(measure, unit)` gives the claim's threshold
    (None when it is stated on another measure or in another unit). `draw(group)` picks the
    rows a plot draws; with `listed`, the first `listed` rows without an effect are kept;
    `complete(row)` fills in what only a drawn or listed row needs
    (its label, link, reading), so a claim of 5,000 links builds a few dozen (issue 20)."""
    groups: dict[tuple[str, str], list[ForestRow]] = {}
    direction_only = []
    for row in rows:
        if row.usable:
            # The unit too: 0.7 mm and 0.25 cm cannot share an axis.
            key = (row.outcome.strip().lower(), row.measure, row.unit.strip().lower())
            groups.setdefault(key, []).append(row)
        else:
            direction_only.append(row)
    largest = max((row.n or 0 for group in groups.values() for row in group), default=0)
    plots = tuple(
        plot(
            [complete(row) for row in draw(group)],
            threshold_for(measure, group[0].unit),
            expected,
            largest,
            every=group,
        )
        for (_, measure, _), group in groups.items()
    )
    kept = direction_only if listed is None else direction_only[:listed]
    return Forest(
        plots=plots,
        direction_only=tuple(complete(row) for row in kept),
        direction_only_count=len(direction_only),
    )
