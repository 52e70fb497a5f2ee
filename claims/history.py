"""The History page: each analysis version as it was published, and what changed since.

A version shows the scorecard recorded when it was published (Analysis.pro, against, verdict,
certainty, certainty_reasons), never today's scores under an old date; a version published
before versions recorded their basis says so instead. When today's scorecard is not the one
the latest version was published on (other counted evidence, or the same studies judged
differently), a first entry "Since vN" shows today's scores and the move.

Why the scores moved is worked out from the versions' evidence snapshots (each study's side,
certainty, points, the appraisal behind them and whether it counted) with the scoring module:
the changes are applied one at a time, in the order listed (removals, studies that stopped or
started counting, changed studies, additions), and each is credited with the change in Pro
and Against it makes at that point. A study's changed appraisal is named with its change (its
finding, risk of bias, indirectness, imprecision). The certainty of the body of evidence also
rests on what no row holds (how the studies agree, the claim's publication-bias flag), so its
move is stated for the entry as a whole, with each side's recorded reasons.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.text import Truncator

import scoring
from studies.models import CERTAINTY_LABELS, Study

from .models import Analysis, Claim
from .services import approved_evidence, basis_digest, claim_scorecard, snapshot_rows

STANCE_WORDS = {"supports": "supporting", "contradicts": "contradicting"}
# Why a study in a snapshot does not count (scoring's reasons), as the History page says it.
NOT_COUNTED_WORDS = {
    "retracted": "retracted",
    "pooled in": "pooled in a review counted here",
    "same trial": "same trial as a study counted here",
}
NOT_RECORDED = "The scores this version was published on were not recorded."
NAMES_IN_SUMMARY = 3
STEP_WORDS = {"changed": "re-appraised"}  # the other kinds of change say themselves
STEP_KINDS = (  # the order change_summary lists them in
    "added",
    "removed",
    "awaiting appraisal",
    "retracted",
    "no longer counted",
    "counted again",
    "changed",
)
# The appraisal a snapshot row records beside its points (Evidence's judgements), in words.
RISK_OF_BIAS_WORDS = {
    "low": "low",
    "some": "some concerns",
    "high": "high",
    "not_assessed": "not assessed",
}
CONCERN_WORDS = {0: "none", 1: "serious", 2: "very serious"}


@dataclass(frozen=True)
class Change:
    """One thing that changed between two versions, and what it did to the scores."""

    text: str
    effect: str = ""


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
        return sum(1 for row in self.snapshot if _counts(row))

    @property
    def level(self) -> str:
        """The certainty in a sentence: "low", "none" (nothing counted) or "not recorded"."""
        if self.certainty:
            return _level(self.certainty)
        return "not recorded" if self.counted else "none"

    @property
    def certainty_label(self) -> str:
        """ "Low certainty"; "Certainty not recorded" for a version scored before certainty
        was; "" when nothing counted (there is no body of evidence to rate)."""
        if self.certainty:
            return f"{CERTAINTY_LABELS[self.certainty]} certainty"
        return "Certainty not recorded" if self.counted else ""


def _counts(row: dict) -> bool:
    # Snapshots written before studies could stop counting hold only counted studies.
    return row.get("counted", True)


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


def _level(certainty: str) -> str:
    return CERTAINTY_LABELS[certainty].lower() if certainty else "not recorded"


def _appraisal_changes(previous: dict, row: dict) -> list[str]:
    """What of the appraisal behind one study's points changed ("finding now partial (was
    clear)"). A snapshot recorded before rows held a judgement has no key for it: nothing is
    said about that judgement rather than a change guessed."""

    def changed(key):
        return key in previous and key in row and previous[key] != row[key]

    parts = []
    if changed("strength"):
        parts.append(f"finding now {row['strength']} (was {previous['strength']})")
    if changed("risk_of_bias"):
        now, was = (
            RISK_OF_BIAS_WORDS.get(r["risk_of_bias"], "not assessed") for r in (row, previous)
        )
        parts.append(f"risk of bias {now} (was {was})")
    if changed("indirectness"):
        now, was = (CONCERN_WORDS.get(r["indirectness"], "none") for r in (row, previous))
        parts.append(f"indirectness {now} (was {was})")
    if changed("imprecise"):
        parts.append("now imprecise (was not)" if row["imprecise"] else "no longer imprecise")
    return parts


def _difference(previous: dict, row: dict) -> str:
    """How one counted study's record changed between two snapshots, or "" when its score
    basis did not: its side, its certainty, the appraisal behind them, then its points."""
    parts = []
    if previous["stance"] != row["stance"]:
        parts.append(f"now {STANCE_WORDS[row['stance']]} (was {STANCE_WORDS[previous['stance']]})")
    if previous["certainty"] != row["certainty"]:
        parts.append(f"certainty {_level(previous['certainty'])} → {_level(row['certainty'])}")
    parts += _appraisal_changes(previous, row)
    if previous["points"] != row["points"]:
        parts.append(f"{previous['points']} → {row['points']} study points")
    return "; ".join(parts)


def _why_not(row: dict) -> str:
    reason = row.get("not_counted", "")
    return NOT_COUNTED_WORDS.get(reason, reason or "not counted")


@dataclass(frozen=True)
class _Step:
    kind: str  # one of STEP_KINDS
    text: str
    study_id: int
    name: str
    value: tuple[str, float] | None  # the study's (stance, points) after, None: not counted


def _steps(
    before: list[dict], after: list[dict], names: dict[int, str], awaiting=frozenset()
) -> list[_Step]:
    """What changed from one snapshot to the next, in the order the scores are credited.

    `awaiting` holds the studies that left the snapshots here and are linked to the claim
    awaiting appraisal now: they were not removed, they stopped counting until an editor
    appraises them (snapshots list appraised links only).
    """
    old = {row["study_id"]: row for row in before}
    new = {row["study_id"]: row for row in after}

    def name(row):
        return names.get(row["study_id"]) or Truncator(row["title"]).words(8)

    def counted(row):
        return (row["stance"], row["points"]) if _counts(row) else None

    removed, status, changed, added = [], [], [], []
    for study_id, row in old.items():
        if study_id not in new:
            was = STANCE_WORDS[row["stance"]] if _counts(row) else f"not counted: {_why_not(row)}"
            if study_id in awaiting:
                text = f"{name(row)} not counted: awaiting appraisal (was {was})"
                status.append(_Step("awaiting appraisal", text, study_id, name(row), None))
                continue
            removed.append(_Step("removed", f"{name(row)} removed (was {was})", study_id,
                                 name(row), None))  # fmt: skip
    for study_id, row in new.items():
        if study_id not in old:
            if _counts(row):
                stance, points = STANCE_WORDS[row["stance"]], row["points"]
                text = f"{name(row)} added as {stance} ({points} study points)"
            else:
                text = f"{name(row)} added, not counted ({_why_not(row)})"
            added.append(_Step("added", text, study_id, name(row), counted(row)))
            continue
        previous = old[study_id]
        if _counts(previous) and not _counts(row):
            reason = row.get("not_counted", "")
            kind = "retracted" if reason == "retracted" else "no longer counted"
            text = (
                f"{name(row)} retracted: no longer counted"
                if kind == "retracted"
                else f"{name(row)} no longer counted ({_why_not(row)})"
            )
            status.append(_Step(kind, text, study_id, name(row), None))
        elif not _counts(previous) and _counts(row):
            # A study not counted records no points, so only its new points are news.
            stance, points = STANCE_WORDS[row["stance"]], row["points"]
            text = (
                f"{name(row)} counted again as {stance} ({points} study points; "
                f"was {_why_not(previous)})"
            )
            status.append(_Step("counted again", text, study_id, name(row), counted(row)))
        elif not _counts(row):
            if previous.get("not_counted") != row.get("not_counted"):
                now, was = _why_not(row), _why_not(previous)
                text = f"{name(row)} still not counted, now {now} (was {was})"
                status.append(_Step("changed", text, study_id, name(row), None))
        elif difference := _difference(previous, row):
            changed.append(
                _Step("changed", f"{name(row)}: {difference}", study_id, name(row), counted(row))
            )
    return removed + status + changed + added


def _describe_changes(
    before: list[dict],
    after: list[dict],
    names: dict[int, str],
    recorded: tuple[tuple[int, int], tuple[int, int]],
    awaiting=frozenset(),
) -> tuple[list[_Step], list[Change]]:
    """The steps from one snapshot to the next, each with its share of the score move.

    `recorded` holds the two entries' (pro, against); when recomputing from the snapshots
    does not reach them (the scoring rules changed in between, or rounding), the remainder is
    listed as its own line rather than hidden in a study's share.
    """
    steps = _steps(before, after, names, awaiting)
    state = {row["study_id"]: (row["stance"], row["points"]) for row in before if _counts(row)}
    start = current = _scores(state)
    changes = []
    for step in steps:
        if step.value is None:
            state.pop(step.study_id, None)
        else:
            state[step.study_id] = step.value
        after_step = _scores(state)
        changes.append(Change(step.text, _effect(current, after_step)))
        current = after_step
    (pro_before, against_before), (pro_after, against_after) = recorded
    rest = (
        (pro_after - pro_before) - (current[0] - start[0]),
        (against_after - against_before) - (current[1] - start[1]),
    )
    if rest != (0, 0):
        changes.append(Change("Changes to the scoring rules, or rounding", _effect((0, 0), rest)))
    return steps, changes


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def change_summary(steps: list[_Step]) -> str:
    """ "1 study added (Refalo et al. 2024), 1 retracted (Hermann et al. 2025)", or "" when no
    study changed."""
    kinds = {}
    for step in steps:
        kinds.setdefault(step.kind, []).append(step.name)
    parts = []
    for kind in STEP_KINDS:
        if kind not in kinds:
            continue
        shown = kinds[kind][:NAMES_IN_SUMMARY]
        more = len(kinds[kind]) - len(shown)
        listed = "; ".join(shown) + (f"; {more} more" if more else "")
        studies = _plural(len(kinds[kind]), "study", "studies")
        parts.append(f"{studies} {STEP_WORDS.get(kind, kind)} ({listed})")
    return ", ".join(parts)


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
        evidence = list(approved_evidence([claim.pk]))
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
    text = f"First analysis, from {_plural(row.counted, 'study', 'studies')}"
    not_counted = [r for r in row.snapshot if not _counts(r)]
    if not_counted:
        reasons = ", ".join(sorted({_why_not(r) for r in not_counted}))
        text += f" ({_plural(len(not_counted), 'more', 'more')} not counted: {reasons})"
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
    steps, row.changes = _describe_changes(
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
CHART_INSET = 18  # keeps the first and last version's labels off the edges


def score_chart(rows: list[VersionRow]) -> dict | None:
    """A small server-rendered SVG of Pro and Against across the entries with recorded
    scores, oldest first: y-axis ticks at 0, 50 and 100, each entry's label under it and its
    two scores beside the dots (the higher score's label above its dot, the lower one's
    below). None when no entry has scores."""
    ordered = [row for row in rows[::-1] if row.recorded]
    count = len(ordered)
    if not count:
        return None
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
