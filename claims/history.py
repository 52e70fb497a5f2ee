"""The History page: each analysis version as it was published, and what changed since.

A version shows the scorecard recorded when it was published (Analysis.pro, against, verdict,
certainty, certainty_reasons), never today's scores under an old date; a version published
before versions recorded their basis says so instead. When today's scorecard is not the one
the latest version was published on (other counted evidence, or the same studies judged
differently), a first entry "Since vN" shows today's scores and the move.

What changed between two versions, and each change's share of the move, is worked out in
claims.history_changes; the certainty's move is stated for the entry as a whole, with each
side's recorded reasons.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format

from scoring import CERTAINTY_LABELS
from studies.models import Study

from .history_changes import (
    Change,
    change_summary,
    describe_changes,
    is_counted,
    level_words,
    plural,
    why_not_counted,
)
from .models import Analysis, Claim
from .services import basis_digest, claim_evidence, claim_scorecard, snapshot_rows

NOT_RECORDED = "The scores this version was published on were not recorded."


@dataclass
class VersionRow:
    """One version; `analysis` is None for the entry "Since vN" (not yet a new version).

    `recorded` is False for a version published before versions recorded their basis: its
    scores, certainty and snapshot are unknown, so they are None / empty.
    """

    analysis: Analysis | None
    label: str
    recorded: bool
    pro: int | None
    against: int | None
    verdict: str
    certainty: str  # a level, or "" (nothing counted, or not recorded)
    certainty_reasons: list[str]
    snapshot: list[dict]
    digest: str = ""
    summary: str = ""  # "Since v1: 1 study added (Refalo et al. 2024)"
    changes: list[Change] = field(default_factory=list)
    movement: str = ""  # "Pro 66 → 40, certainty low → very low, verdict … → …"
    note: str = ""
    current: bool = False  # the latest version

    @property
    def author(self) -> str:
        """Who published it; the site's editors when no author was recorded."""
        user = self.analysis.author if self.analysis else None
        if user is None:
            return f"{settings.SITE_NAME} editors"
        return user.get_full_name() or user.get_username()

    @property
    def short_label(self) -> str:
        return "now" if self.analysis is None else f"v{self.analysis.version}"

    @property
    def counted(self) -> int:
        return sum(1 for row in self.snapshot if is_counted(row))

    @property
    def level(self) -> str:
        """The certainty in a sentence: "low", "none" (nothing counted) or "not recorded"."""
        if self.certainty:
            return level_words(self.certainty)
        return "not recorded" if self.counted else "none"

    @property
    def certainty_label(self) -> str:
        """ "Low certainty"; "Certainty not recorded" for a version scored before certainty
        was; "" when nothing counted (there is no body of evidence to rate)."""
        if self.certainty:
            return f"{CERTAINTY_LABELS[self.certainty]} certainty"
        return "Certainty not recorded" if self.counted else ""


def _movement(previous: VersionRow, row: VersionRow) -> str:
    """ "Pro 66 → 40, certainty low → very low, verdict Moderate support → Very uncertain"."""
    parts = [
        f"{name} {a} → {b}"
        for name, a, b in (
            ("Pro", previous.pro, row.pro),
            ("Against", previous.against, row.against),
        )
        if a != b
    ]
    if previous.certainty != row.certainty:
        parts.append(f"certainty {previous.level} → {row.level}")
    if previous.verdict != row.verdict:
        parts.append(f"verdict {previous.verdict} → {row.verdict}")
    return ", ".join(parts) if parts else "Scores, certainty and verdict unchanged"


def _version_row(analysis: Analysis) -> VersionRow:
    label = f"Analysis v{analysis.version}"
    if not analysis.is_frozen:  # published before versions recorded their basis
        return VersionRow(analysis, label, False, None, None, "", "", [], [], note=NOT_RECORDED)
    snapshot = analysis.evidence_snapshot
    return VersionRow(
        analysis,
        label,
        True,
        analysis.pro,
        analysis.against,
        analysis.verdict,
        analysis.certainty,
        list(analysis.certainty_reasons or []),
        snapshot,
        # Versions recorded before the digest existed are fingerprinted the same way now.
        digest=analysis.basis_digest or basis_digest(snapshot),
    )


def _outcome(row: VersionRow) -> tuple:
    return (row.pro, row.against, row.verdict, row.certainty)


def version_history(claim: Claim) -> list[VersionRow]:
    """Every version, newest first, each compared with the recorded version before it.

    When today's scorecard is not the one the latest version was published on, a first
    entry "Since vN" shows it and what changed. Five queries, however many versions.
    """
    analyses = list(
        Analysis.objects.filter(claim=claim).select_related("author").order_by("version")
    )
    rows = [_version_row(analysis) for analysis in analyses]
    awaiting = set()
    if rows:
        rows[-1].current = True
        evidence = claim_evidence(claim)
        awaiting = {e.study_id for e in evidence if e.is_awaiting_appraisal}
        card = claim_scorecard(claim, evidence)
        live_snapshot = snapshot_rows(card, evidence)
        latest = rows[-1]
        live = VersionRow(
            None,
            f"Since v{latest.analysis.version}",
            True,
            card.pro,
            card.against,
            card.verdict,
            card.certainty or "",
            list(card.certainty_reasons),
            live_snapshot,
            digest=basis_digest(live_snapshot),
        )
        if not latest.recorded or (live.digest, _outcome(live)) != (
            latest.digest,
            _outcome(latest),
        ):
            rows.append(live)
    names = _study_names(rows)
    # A study awaiting appraisal now left the snapshots after the last one that lists it.
    last_listed = {r["study_id"]: i for i, row in enumerate(rows) for r in row.snapshot}
    previous = None  # the latest recorded entry before the one compared
    for index, row in enumerate(rows):
        gone = frozenset(s for s in awaiting if last_listed.get(s, -1) < index)
        _compare(previous, rows[index - 1] if index else None, row, names, gone)
        if row.recorded:
            previous = row
    return rows[::-1]


def _study_names(rows: list[VersionRow]) -> dict[int, str]:
    """ "Refalo et al. 2024" for every study in the snapshots that has one (one query); the
    others are named by their title."""
    ids = {r["study_id"] for row in rows for r in row.snapshot}
    if not ids:
        return {}
    studies = Study.objects.filter(pk__in=ids).only("pk", "authors", "year")
    return {study.pk: name for study in studies if (name := study.short_citation)}


def _first_analysis(row: VersionRow) -> str:
    text = f"First analysis, from {plural(row.counted, 'study', 'studies')}"
    not_counted = [r for r in row.snapshot if not is_counted(r)]
    if not_counted:
        reasons = ", ".join(sorted({why_not_counted(r) for r in not_counted}))
        text += f" ({plural(len(not_counted), 'more', 'more')} not counted: {reasons})"
    return text


def _compare(
    previous: VersionRow | None,
    before: VersionRow | None,
    row: VersionRow,
    names,
    awaiting=frozenset(),
) -> None:
    """Fill row's changes against `previous`, the latest recorded entry before it (`before`
    is the entry just before it, which may be a version whose basis was not recorded);
    `awaiting`: see _steps."""
    if not row.recorded:
        return
    if previous is None:
        if before is None:
            row.changes = [Change(_first_analysis(row))]
        else:  # only versions whose basis was not recorded come before it
            row.note = (
                f"{before.short_label}'s scores were not recorded, so what changed since "
                "cannot be listed."
            )
        return
    steps, row.changes = describe_changes(
        previous.snapshot,
        row.snapshot,
        names,
        ((previous.pro, previous.against), (row.pro, row.against)),
        awaiting,
    )
    since = f"Since {previous.short_label}"
    if before is not previous:
        since += f" ({before.short_label}'s scores were not recorded)"
    what = change_summary(steps) or (
        "the same studies count; their appraisal or the scoring rules changed"
    )
    row.summary = f"{since}: {what}"
    row.movement = _movement(previous, row)


# The chart's drawing area, in SVG units; the margins hold the axis values and labels.
CHART_WIDTH, CHART_HEIGHT = 320, 190
CHART_LEFT, CHART_RIGHT, CHART_TOP, CHART_BOTTOM = 34, 16, 24, 44
CHART_INSET = 24  # keeps the first and last date (centred under their dots) off the edges
# Dates under the axis are about 72 units wide (13px "10 Jan 2025"): closer ones are skipped.
LABEL_GAP = 76
DATE_FORMAT = "j M Y"
NOW_LABEL = "Today"
NOW_DATE = "Not yet published"


def _published_on(row: VersionRow) -> str:
    if row.analysis is None:
        return NOW_DATE
    return date_format(timezone.localtime(row.analysis.published_at), DATE_FORMAT)


def only_version(rows: list[VersionRow]) -> VersionRow | None:
    """The claim's one published version when it has exactly one (the page then says so in
    a sentence instead of charting a single dot), else None."""
    versions = [row for row in rows if row.analysis is not None]
    return versions[0] if len(versions) == 1 else None


def _date_labels(xs: list[float]) -> list[bool]:
    """Which points get their date under the axis: the first and the last, and those between
    at least LABEL_GAP from the one shown before and from the last (the table has them all)."""
    shown, last = [], None
    for index, x in enumerate(xs):
        keep = index == len(xs) - 1 or (
            (last is None or x - last >= LABEL_GAP) and xs[-1] - x >= LABEL_GAP
        )
        shown.append(keep)
        last = x if keep else last
    return shown


def score_chart(rows: list[VersionRow]) -> dict | None:
    """A small server-rendered SVG of Pro and Against across the entries with recorded
    scores, oldest first and evenly spaced: y-axis ticks at 0, 50 and 100, each entry's
    publication date under it (some skipped where they would overlap) and its two scores
    beside the dots (the higher score's label above its dot, the lower one's below). None
    with fewer than two published versions or two entries with scores: one dot is no trend."""
    ordered = [row for row in rows[::-1] if row.recorded]
    count = len(ordered)
    if only_version(rows) is not None or count < 2:
        return None
    left, right = CHART_LEFT + CHART_INSET, CHART_WIDTH - CHART_RIGHT - CHART_INSET
    baseline = CHART_HEIGHT - CHART_BOTTOM

    def x(index):
        return left + (right - left) * index / (count - 1)

    def y(score):
        return baseline - score * (baseline - CHART_TOP) / 100

    xs = [round(x(index), 1) for index in range(count)]
    points = []
    for row, point_x, labelled in zip(ordered, xs, _date_labels(xs), strict=True):
        pro_y, against_y = y(row.pro), y(row.against)
        pro_above = row.pro >= row.against
        published = _published_on(row)
        points.append(
            {
                "x": point_x,
                "pro_y": round(pro_y, 1),
                "against_y": round(against_y, 1),
                "pro_label_y": round(pro_y - 8 if pro_above else pro_y + 18, 1),
                "against_label_y": round(against_y + 18 if pro_above else against_y - 8, 1),
                "version": row.short_label,
                "date": published,
                # Under the axis: the date, or "" where it would overlap its neighbour's.
                "label": (NOW_LABEL if row.analysis is None else published) if labelled else "",
                "pro": row.pro,
                "against": row.against,
            }
        )
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": CHART_LEFT,
        "right": CHART_WIDTH - CHART_RIGHT,
        "baseline": baseline,
        "label_y": CHART_HEIGHT - 10,
        "ticks": [{"value": v, "y": round(y(v), 1)} for v in (0, 50, 100)],
        "points": points,
        "pro_line": " ".join(f"{p['x']},{p['pro_y']}" for p in points),
        "against_line": " ".join(f"{p['x']},{p['against_y']}" for p in points),
    }
