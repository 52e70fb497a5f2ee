"""The History page: each analysis version, its scores, and what changed since the one before."""

from dataclasses import dataclass, field

from studies.models import CERTAINTY_LABELS

from .models import Analysis, Claim
from .services import approved_evidence, claim_scorecard, evidence_snapshot

CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 320, 140, 20


@dataclass
class VersionRow:
    """One version; `analysis` is None for the evidence changes not yet in a new version."""

    analysis: Analysis | None
    label: str
    pro: int
    against: int
    verdict: str
    snapshot: list[dict]
    changes: list[str] = field(default_factory=list)
    movement: str = ""


def _describe_changes(before: list[dict], after: list[dict]) -> list[str]:
    old = {row["study_id"]: row for row in before}
    new = {row["study_id"]: row for row in after}
    changes = []
    for study_id, row in new.items():
        if study_id not in old:
            changes.append(f"Added: {row['title']} ({row['stance']}, {row['points']} points)")
            continue
        previous = old[study_id]
        if previous["stance"] != row["stance"]:
            changes.append(f"Stance changed: {row['title']} now {row['stance']}")
        if previous["certainty"] != row["certainty"]:
            changes.append(
                f"Certainty changed: {row['title']}: "
                f"{CERTAINTY_LABELS[previous['certainty']]} → {CERTAINTY_LABELS[row['certainty']]}"
            )
    for study_id, row in old.items():
        if study_id not in new:
            changes.append(f"Removed: {row['title']} (was {row['stance']})")
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
        _compare(rows, row)
        rows.append(row)
    if rows and _scored_basis(rows[-1].snapshot) != _scored_basis(live):
        row = VersionRow(None, f"Since v{rows[-1].analysis.version}", card.pro, card.against,
                         card.verdict, live)  # fmt: skip
        _compare(rows, row)
        rows.append(row)
    return rows[::-1]


def _scored_basis(snapshot: list[dict]) -> set[tuple]:
    """What the score rests on; a corrected study title is not a change of evidence."""
    return {(r["study_id"], r["stance"], r["certainty"], r["points"]) for r in snapshot}


def _compare(rows: list[VersionRow], row: VersionRow) -> None:
    if rows:
        row.changes = _describe_changes(rows[-1].snapshot, row.snapshot)
        row.movement = _movement(rows[-1], row)
    else:
        count = len(row.snapshot)
        row.changes = [f"First analysis, from {count} stud{'y' if count == 1 else 'ies'}"]


def score_chart(rows: list[VersionRow]) -> dict:
    """Polyline points for a small server-rendered SVG of Pro and Against across versions."""
    ordered = rows[::-1]
    count = len(ordered)
    span = CHART_WIDTH - 2 * CHART_PAD

    def x(index):
        return CHART_PAD + (span * index / (count - 1) if count > 1 else span / 2)

    def y(score):
        return CHART_HEIGHT - CHART_PAD - score * (CHART_HEIGHT - 2 * CHART_PAD) / 100

    points = [
        {"x": round(x(i), 1), "pro_y": round(y(r.pro), 1), "against_y": round(y(r.against), 1),
         "label": r.label.removeprefix("Analysis "), "pro": r.pro, "against": r.against}
        for i, r in enumerate(ordered)
    ]  # fmt: skip
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "baseline": CHART_HEIGHT - CHART_PAD,
        "top": CHART_PAD,
        "points": points,
        "pro_line": " ".join(f"{p['x']},{p['pro_y']}" for p in points),
        "against_line": " ".join(f"{p['x']},{p['against_y']}" for p in points),
    }
