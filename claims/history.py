"""The History page: each analysis version, its scores, and what changed since the one before.

Why the scores moved is worked out from the versions' evidence snapshots (each study's side,
certainty and points) with the scoring module: the changes are applied one at a time, in the
order listed (removals, then changed studies, then additions), and each is credited with the
change in Pro and Against it makes at that point.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.text import Truncator

import scoring
from studies.models import CERTAINTY_LABELS, Study

from .models import Analysis, Claim
from .services import approved_evidence, claim_scorecard, evidence_snapshot

STANCE_WORDS = {"supports": "supporting", "contradicts": "contradicting"}


@dataclass(frozen=True)
class Change:
    """One thing that changed between two versions, and what it did to the scores."""

    text: str
    effect: str = ""


@dataclass
class VersionRow:
    """One version; `analysis` is None for the evidence changes not yet in a new version."""

    analysis: Analysis | None
    label: str
    pro: int
    against: int
    verdict: str
    snapshot: list[dict]
    changes: list[Change] = field(default_factory=list)
    movement: str = ""

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


def _scores(state: dict) -> tuple[int, int]:
    """(pro, against) of {study_id: (stance, points)}."""
    return (
        scoring.side_score([p for stance, p in state.values() if stance == "supports"]),
        scoring.side_score([p for stance, p in state.values() if stance == "contradicts"]),
    )


def _effect(before: tuple[int, int], after: tuple[int, int]) -> str:
    parts = [
        f"{name} {'+' if b > a else '−'}{abs(b - a)}"
        for name, a, b in (("Pro", before[0], after[0]), ("Against", before[1], after[1]))
        if a != b
    ]
    return ", ".join(parts) if parts else "no effect on the scores"


def _difference(previous: dict, row: dict) -> str:
    """How one study's record changed between two snapshots, or "" when its score basis did not."""
    parts = []
    if previous["stance"] != row["stance"]:
        parts.append(f"now {STANCE_WORDS[row['stance']]} (was {STANCE_WORDS[previous['stance']]})")
    if previous["certainty"] != row["certainty"]:
        parts.append(
            f"certainty {CERTAINTY_LABELS[previous['certainty']].lower()}"
            f" → {CERTAINTY_LABELS[row['certainty']].lower()}"
        )
    if previous["points"] != row["points"]:
        parts.append(f"{previous['points']} → {row['points']} study points")
    return "; ".join(parts)


def _describe_changes(
    before: list[dict],
    after: list[dict],
    names: dict[int, str],
    recorded: tuple[tuple[int, int], tuple[int, int]],
) -> list[Change]:
    """What changed from one snapshot to the next, each with its share of the score move.

    `recorded` holds the two versions' published (pro, against); when recomputing from the
    snapshots does not reach them (the scoring rules changed in between, or rounding), the
    remainder is listed as its own line rather than hidden in a study's share.
    """
    old = {row["study_id"]: row for row in before}
    new = {row["study_id"]: row for row in after}

    def name(row):
        return names.get(row["study_id"]) or Truncator(row["title"]).words(8)

    steps = []  # (text, study_id, new (stance, points) or None for a removal)
    for study_id, row in old.items():
        if study_id not in new:
            text = f"{name(row)} removed (was {STANCE_WORDS[row['stance']]})"
            steps.append((text, study_id, None))
    for study_id, row in new.items():
        if study_id in old and (difference := _difference(old[study_id], row)):
            steps.append((f"{name(row)}: {difference}", study_id, (row["stance"], row["points"])))
    for study_id, row in new.items():
        if study_id not in old:
            stance, points = STANCE_WORDS[row["stance"]], row["points"]
            text = f"{name(row)} added as {stance} ({points} study points)"
            steps.append((text, study_id, (row["stance"], row["points"])))

    state = {study_id: (row["stance"], row["points"]) for study_id, row in old.items()}
    start = current = _scores(state)
    changes = []
    for text, study_id, value in steps:
        if value is None:
            del state[study_id]
        else:
            state[study_id] = value
        after_step = _scores(state)
        changes.append(Change(text, _effect(current, after_step)))
        current = after_step
    (pro_before, against_before), (pro_after, against_after) = recorded
    rest = (
        (pro_after - pro_before) - (current[0] - start[0]),
        (against_after - against_before) - (current[1] - start[1]),
    )
    if rest != (0, 0):
        changes.append(Change("Changes to the scoring rules, or rounding", _effect((0, 0), rest)))
    return changes


def _movement(previous: VersionRow, row: VersionRow) -> str:
    def delta(name, a, b):
        if a == b:
            return f"{name} unchanged at {b}"
        return f"{name} {'rose' if b > a else 'fell'} from {a} to {b}"

    text = (
        f"{delta('Pro', previous.pro, row.pro)}; {delta('Against', previous.against, row.against)}."
    )
    if previous.verdict != row.verdict:
        text += f" Verdict moved from {previous.verdict} to {row.verdict}."
    return text


def version_history(claim: Claim) -> list[VersionRow]:
    """Every version, newest first, each compared with the one before it.

    When the evidence has changed since the latest version was published, a first row
    "Since vN" shows the live scores and those changes.
    """
    analyses = list(
        Analysis.objects.filter(claim=claim).select_related("author").order_by("version")
    )
    evidence = list(approved_evidence([claim.pk]))
    card = claim_scorecard(claim, evidence)
    live = evidence_snapshot(claim, evidence)
    rows: list[VersionRow] = []
    for analysis in analyses:
        label = f"Analysis v{analysis.version}"
        if analysis.is_frozen:
            row = VersionRow(analysis, label, analysis.pro, analysis.against, analysis.verdict,
                             analysis.evidence_snapshot)  # fmt: skip
        else:  # published before versions recorded their basis
            row = VersionRow(analysis, label, card.pro, card.against, card.verdict, live)
        rows.append(row)
    if rows and _scored_basis(rows[-1].snapshot) != _scored_basis(live):
        rows.append(
            VersionRow(
                None,
                f"Since v{rows[-1].analysis.version}",
                card.pro,
                card.against,
                card.verdict,
                live,
            )  # fmt: skip
        )
    names = _study_names(rows)
    for index, row in enumerate(rows):
        _compare(rows[index - 1] if index else None, row, names)
    return rows[::-1]


def _study_names(rows: list[VersionRow]) -> dict[int, str]:
    """ "Refalo et al. 2024" for every study in the snapshots that has one (one query); the
    others are named by their title."""
    ids = {r["study_id"] for row in rows for r in row.snapshot}
    studies = Study.objects.filter(pk__in=ids).only("pk", "authors", "year")
    return {study.pk: name for study in studies if (name := study.short_citation)}


def _scored_basis(snapshot: list[dict]) -> set[tuple]:
    """What the score rests on; a corrected study title is not a change of evidence."""
    return {(r["study_id"], r["stance"], r["certainty"], r["points"]) for r in snapshot}


def _compare(previous: VersionRow | None, row: VersionRow, names: dict[int, str]) -> None:
    if previous is None:
        count = len(row.snapshot)
        row.changes = [Change(f"First analysis, from {count} stud{'y' if count == 1 else 'ies'}")]
        return
    row.changes = _describe_changes(
        previous.snapshot,
        row.snapshot,
        names,
        ((previous.pro, previous.against), (row.pro, row.against)),
    )
    row.movement = _movement(previous, row)


# The chart's drawing area, in SVG units; the margins hold the axis values and labels.
CHART_WIDTH, CHART_HEIGHT = 320, 190
CHART_LEFT, CHART_RIGHT, CHART_TOP, CHART_BOTTOM = 34, 16, 24, 44
CHART_INSET = 18  # keeps the first and last version's labels off the edges


def score_chart(rows: list[VersionRow]) -> dict:
    """A small server-rendered SVG of Pro and Against across versions, oldest first: y-axis
    ticks at 0, 50 and 100, each version's label under it and its two scores beside the dots
    (the higher score's label above its dot, the lower one's below)."""
    ordered = rows[::-1]
    count = len(ordered)
    left, right = CHART_LEFT + CHART_INSET, CHART_WIDTH - CHART_RIGHT - CHART_INSET
    baseline = CHART_HEIGHT - CHART_BOTTOM

    def x(index):
        return left + ((right - left) * index / (count - 1) if count > 1 else (right - left) / 2)

    def y(score):
        return baseline - score * (baseline - CHART_TOP) / 100

    points = []
    for index, row in enumerate(ordered):
        pro_y, against_y = y(row.pro), y(row.against)
        pro_above = row.pro >= row.against
        points.append(
            {
                "x": round(x(index), 1),
                "pro_y": round(pro_y, 1),
                "against_y": round(against_y, 1),
                "pro_label_y": round(pro_y - 8 if pro_above else pro_y + 18, 1),
                "against_label_y": round(against_y + 18 if pro_above else against_y - 8, 1),
                "label": row.short_label,
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
