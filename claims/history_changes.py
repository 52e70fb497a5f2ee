"""What changed between two evidence snapshots of a claim, in the History page's words.

Why the scores moved is worked out from the versions' evidence snapshots (each study's side,
certainty, points, the appraisal behind them and whether it counted) with the scoring module:
the changes are applied one at a time, in the order listed (removals, studies that stopped or
started counting, changed studies, additions), and each is credited with the change in Pro
and Against it makes at that point. A study's changed appraisal is named with its change (its
finding, risk of bias, indirectness, imprecision). The certainty of the body of evidence also
rests on what no row holds (how the studies agree, the claim's publication-bias flag), so
claims.history states its move for the entry as a whole.
"""

from dataclasses import dataclass

from django.utils.text import Truncator

import scoring
from scoring import CERTAINTY_WORDS, STANCE_WORDS
from studies.models import Stance

from .appraisal_reasons import RISK_OF_BIAS_WORDS
from .models import Evidence

# Why a study in a snapshot does not count (scoring's reasons), as the History page says it.
NOT_COUNTED_WORDS = {
    scoring.RETRACTED: "retracted",
    scoring.POOLED_IN: "pooled in a review counted here",
    scoring.SAME_TRIAL: "same trial as a study counted here",
}
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
CONCERN_WORDS = {
    Evidence.Concern.NONE: "none",
    Evidence.Concern.SERIOUS: "serious",
    Evidence.Concern.VERY_SERIOUS: "very serious",
}


@dataclass(frozen=True)
class Change:
    """One thing that changed between two versions, and what it did to the scores."""

    text: str
    effect: str = ""


def is_counted(row: dict) -> bool:
    # Snapshots written before studies could stop counting hold only counted studies.
    return row.get("counted", True)


def _scores(state: dict) -> tuple[int, int]:
    """(pro, against) of {study_id: (stance, points)}."""
    return (
        scoring.side_score([p for stance, p in state.values() if stance == Stance.SUPPORTS]),
        scoring.side_score([p for stance, p in state.values() if stance == Stance.CONTRADICTS]),
    )


def _effect(before: tuple[int, int], after: tuple[int, int]) -> str:
    parts = [
        f"{name} {'+' if b > a else '−'}{abs(b - a)}"
        for name, a, b in (("Pro", before[0], after[0]), ("Against", before[1], after[1]))
        if a != b
    ]
    return ", ".join(parts) if parts else "no effect on the scores"


def level_words(certainty: str) -> str:
    return CERTAINTY_WORDS.get(certainty, certainty) if certainty else "not recorded"


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
        parts.append(
            f"certainty {level_words(previous['certainty'])} → {level_words(row['certainty'])}"
        )
    parts += _appraisal_changes(previous, row)
    if previous["points"] != row["points"]:
        parts.append(f"{previous['points']} → {row['points']} study points")
    return "; ".join(parts)


def why_not_counted(row: dict) -> str:
    reason = row.get("not_counted", "")
    return NOT_COUNTED_WORDS.get(reason, reason or "not counted")


@dataclass(frozen=True)
class Step:
    """One study's change between two snapshots, before its share of the move is known."""

    kind: str  # one of STEP_KINDS
    text: str
    study_id: int
    name: str
    value: tuple[str, float] | None  # the study's (stance, points) after, None: not counted


def _steps(
    before: list[dict], after: list[dict], names: dict[int, str], awaiting=frozenset()
) -> list[Step]:
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
        return (row["stance"], row["points"]) if is_counted(row) else None

    removed, status, changed, added = [], [], [], []
    for study_id, row in old.items():
        if study_id not in new:
            was = (
                STANCE_WORDS[row["stance"]]
                if is_counted(row)
                else f"not counted: {why_not_counted(row)}"
            )
            if study_id in awaiting:
                text = f"{name(row)} not counted: awaiting appraisal (was {was})"
                status.append(Step("awaiting appraisal", text, study_id, name(row), None))
                continue
            removed.append(Step("removed", f"{name(row)} removed (was {was})", study_id,
                                 name(row), None))  # fmt: skip
    for study_id, row in new.items():
        if study_id not in old:
            if is_counted(row):
                stance, points = STANCE_WORDS[row["stance"]], row["points"]
                text = f"{name(row)} added as {stance} ({points} study points)"
            else:
                text = f"{name(row)} added, not counted ({why_not_counted(row)})"
            added.append(Step("added", text, study_id, name(row), counted(row)))
            continue
        previous = old[study_id]
        if is_counted(previous) and not is_counted(row):
            reason = row.get("not_counted", "")
            kind = "retracted" if reason == scoring.RETRACTED else "no longer counted"
            text = (
                f"{name(row)} retracted: no longer counted"
                if kind == "retracted"
                else f"{name(row)} no longer counted ({why_not_counted(row)})"
            )
            status.append(Step(kind, text, study_id, name(row), None))
        elif not is_counted(previous) and is_counted(row):
            # A study not counted records no points, so only its new points are news.
            stance, points = STANCE_WORDS[row["stance"]], row["points"]
            text = (
                f"{name(row)} counted again as {stance} ({points} study points; "
                f"was {why_not_counted(previous)})"
            )
            status.append(Step("counted again", text, study_id, name(row), counted(row)))
        elif not is_counted(row):
            if previous.get("not_counted") != row.get("not_counted"):
                now, was = why_not_counted(row), why_not_counted(previous)
                text = f"{name(row)} still not counted, now {now} (was {was})"
                status.append(Step("changed", text, study_id, name(row), None))
        elif difference := _difference(previous, row):
            changed.append(
                Step("changed", f"{name(row)}: {difference}", study_id, name(row), counted(row))
            )
    return removed + status + changed + added


def describe_changes(
    before: list[dict],
    after: list[dict],
    names: dict[int, str],
    recorded: tuple[tuple[int, int], tuple[int, int]],
    awaiting=frozenset(),
) -> tuple[list[Step], list[Change]]:
    """The steps from one snapshot to the next, each with its share of the score move.

    `recorded` holds the two entries' (pro, against); when recomputing from the snapshots
    does not reach them (the scoring rules changed in between, or rounding), the remainder is
    listed as its own line rather than hidden in a study's share.
    """
    steps = _steps(before, after, names, awaiting)
    state = {row["study_id"]: (row["stance"], row["points"]) for row in before if is_counted(row)}
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


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def change_summary(steps: list[Step]) -> str:
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
        studies = plural(len(kinds[kind]), "study", "studies")
        parts.append(f"{studies} {STEP_WORDS.get(kind, kind)} ({listed})")
    return ", ".join(parts)
