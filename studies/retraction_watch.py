"""The retraction watch: ask Crossref what has happened to a study since it was published, and
set its retraction status (design.md §2) from the answer. A retracted study counts for nothing
(§3.1): `apply_retraction` saves the study with `study.save()`, so the claims receivers touch
and rescore every claim it informs.

What Crossref says. GET {CROSSREF_API_URL}/works/{doi} (crossref.fetch_message, the import's
own request: one deadline for the whole answer, CROSSREF_TIMEOUT). The work's `updated-by`
lists the notices that update it, each `{type, DOI, updated: {date-parts | date-time}, label,
source, record-id}`. Types map to a status, and the most severe one wins (retracted >
expression of concern > corrected > none):

- retraction, withdrawal, removal → retracted;
- expression_of_concern, partial_retraction → expression of concern (a part is withdrawn:
  readers are warned, the study still counts);
- correction, erratum, corrigendum, addendum, clarification → corrected;
- anything else (new_version, new_edition, …) → nothing.

`update-to` is the other direction: a record that *is* a notice names the work it updates.
Such entries say nothing about this study and are ignored, except one naming the work's own
DOI (a publisher that deposits the notice on the article itself). `relation` carries no
update types and is not read. Of the winning entries, the notice is the earliest dated one
that names another DOI; a record whose notices only name itself keeps its own DOI as the
notice (the notice lives on the article's page). Dates are read from a full `date-parts`
(year, month, day) or `date-time`; a year or month alone gives no date.

Who owns a study's status: whoever last CHANGED it, read from the study's audit trail
(core/audit.py: the watch writes under the path "task: the retraction watch"). Saving other
fields (the title, "design confirmed", the review flag) changes no owner. So:

- a status the watch set follows Crossref both ways: it is lifted to none (or lowered) when
  Crossref's record no longer lists the notice;
- a status an editor set (or one with no recorded author: loaded from a fixture or a backup)
  is never lowered by the watch: a lower finding is reported as "kept", nothing but the check
  and the review flag are written, and an editor sees the disagreement in the queue. Raising
  it (a retraction found for a study an editor marked corrected), or the same status with
  Crossref's notice and date, is always written: a retraction must never wait;
- every change the watch writes, and every disagreement it keeps, sets
  `retraction_needs_review` (the editors' queue in the admin).

A check that fails for good (404: Crossref does not know the DOI; a body that is not a work)
still counts as a check (`retraction_checked_at`), so unknown DOIs do not take the front of
every night's queue; a transient failure (429, 503, no answer) leaves the study due.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from core.audit import TASK, audit_path, split_reason

from . import crossref
from .doi import normalize_doi
from .http import FetchError
from .models import RetractionStatus, Study

# How long a check stays fresh: the periodic task and `check_retractions` (without --all)
# ask again about studies last checked longer ago than this.
CHECK_EVERY = timedelta(days=7)

NOT_FOUND_MESSAGE = "Crossref has no record of DOI {doi}."
FAILED_MESSAGE = "Could not ask Crossref about DOI {doi}: {reason}."
MALFORMED_MESSAGE = "Crossref sent an answer for DOI {doi} that is not a work record."

RETRACTED_TYPES = frozenset({"retraction", "withdrawal", "removal"})
CONCERN_TYPES = frozenset({"expression_of_concern", "partial_retraction"})
CORRECTED_TYPES = frozenset({"correction", "erratum", "corrigendum", "addendum", "clarification"})
# Plain strings as keys: a study's field holds the value, not the enum member.
SEVERITY = {
    RetractionStatus.NONE.value: 0,
    RetractionStatus.CORRECTED.value: 1,
    RetractionStatus.EXPRESSION_OF_CONCERN.value: 2,
    RetractionStatus.RETRACTED.value: 3,
}


NoticeDate = date | None  # a name of its own: inside Finding, `date` is the field


class Finding(NamedTuple):
    """What Crossref says of one work: (status, notice DOI or "", notice date or None)."""

    status: str
    notice_doi: str = ""
    date: NoticeDate = None


NOTHING = Finding(RetractionStatus.NONE.value)


def update_status(update_type) -> str:
    """The status one update type means; NONE for a type that changes nothing we show."""
    kind = str(update_type or "").strip().lower().replace("-", "_").replace(" ", "_")
    if kind in RETRACTED_TYPES:
        return RetractionStatus.RETRACTED.value
    if kind in CONCERN_TYPES:
        return RetractionStatus.EXPRESSION_OF_CONCERN.value
    if kind in CORRECTED_TYPES:
        return RetractionStatus.CORRECTED.value
    return RetractionStatus.NONE.value


def retraction_from_work(message: dict) -> Finding:
    """The status of the work in a Crossref /works `message`, with the winning notice's DOI
    and date. Pure: no database, no network."""
    own = _doi(message.get("DOI"))
    entries = [e for e in _entries(message.get("updated-by")) if isinstance(e, dict)]
    # update-to names the works a notice updates: only an entry naming this work is about it.
    entries += [
        e
        for e in _entries(message.get("update-to"))
        if isinstance(e, dict) and own and _doi(e.get("DOI")) == own
    ]
    best = max((update_status(e.get("type")) for e in entries), key=SEVERITY.get, default=None)
    if best is None or best == RetractionStatus.NONE:
        return NOTHING
    winners = [e for e in entries if update_status(e.get("type")) == best]
    others = [e for e in winners if _doi(e.get("DOI")) and _doi(e.get("DOI")) != own]
    chosen = min(others or winners, key=lambda e: _entry_date(e) or date.max)
    notice = _doi(chosen.get("DOI"))
    return Finding(best, notice, _entry_date(chosen))


def _entries(value) -> list:
    return value if isinstance(value, list) else []


def _doi(value) -> str:
    """A DOI in normal form, or "" for anything that is not one."""
    try:
        return normalize_doi(str(value)) if value else ""
    except ValidationError:
        return ""


def _entry_date(entry: dict) -> date | None:
    updated = entry.get("updated")
    if not isinstance(updated, dict):
        return None
    parts = updated.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and len(parts[0]) >= 3:
        try:
            return date(*(int(part) for part in parts[0][:3]))
        except (TypeError, ValueError):
            pass
    stamp = updated.get("date-time")
    if isinstance(stamp, str):
        try:
            return datetime.fromisoformat(stamp.replace("Z", "+00:00")).date()
        except ValueError:
            return None
    return None


def fetch_retraction(doi: str) -> Finding:
    """Ask Crossref about one (normalised) DOI (crossref.fetch_message: the import's request).
    Raises FetchError with a readable reason: `transient` and `retry_after` say whether and
    when to try again."""
    try:
        message = crossref.fetch_message(doi)
    except crossref.CrossrefError as error:
        raise _watch_error(doi, error) from None
    return retraction_from_work(message)


def _watch_error(doi: str, error: crossref.CrossrefError) -> FetchError:
    """The watch's FetchError for a failed request: the exchange's own status, reason and
    Retry-After when it failed, else (a body that is not a work) a permanent failure."""
    cause = error.__cause__
    if not isinstance(cause, FetchError):
        return FetchError(MALFORMED_MESSAGE.format(doi=doi), status=200)
    reason = (
        NOT_FOUND_MESSAGE.format(doi=doi)
        if cause.status == 404
        else FAILED_MESSAGE.format(doi=doi, reason=cause.reason)
    )
    return FetchError(
        reason, status=cause.status, retry_after=cause.retry_after, timed_out=cause.timed_out
    )


# Writing it down.


@dataclass(frozen=True)
class Change:
    """What one check did to a study: `kept` when the watch left an editor's status alone."""

    study: Study
    before: str
    after: str
    notice_doi: str = ""
    kept: bool = False

    def line(self) -> str:
        label = dict(RetractionStatus.choices)
        doi = self.study.doi
        if self.kept:
            return (
                f"kept {doi}: {label[self.before]} (set by an editor); Crossref now says "
                f"{label[self.after].lower()}"
            )
        notice = f" (notice {self.notice_doi})" if self.notice_doi else ""
        return f"changed {doi}: {label[self.before]} → {label[self.after]}{notice}"


def set_by_watch(study: Study) -> bool:
    """Whether the watch was the last to change the study's retraction status (its audit
    trail: the record where the current status began, and the path that wrote it)."""
    began = None
    for status, reason in study.history.order_by("-history_date", "-history_id").values_list(
        "retraction_status", "history_change_reason"
    ):
        if status != study.retraction_status:
            break
        began = reason
    return split_reason(began) == (TASK, WATCH)


WATCH = "the retraction watch"


def apply_retraction(study: Study, found: Finding, *, now: datetime | None = None) -> Change | None:
    """Record what Crossref said of `study`. Returns the Change, or None when nothing changed
    (the check's time is still recorded)."""
    now = now or timezone.now()
    found = Finding(*found)
    if found.status == RetractionStatus.NONE:
        found = NOTHING
    current = (study.retraction_status, study.retraction_notice_doi, study.retraction_date)
    lowers = SEVERITY[found.status] < SEVERITY[study.retraction_status]
    if tuple(found) == current or (lowers and not set_by_watch(study)):
        # Nothing written but the check (and, kept, the review flag), with an UPDATE: no page
        # shows either, and the audit trail records no change of status.
        kept = tuple(found) != current
        stamp = {"retraction_checked_at": now}
        if kept:
            stamp["retraction_needs_review"] = True
        Study.objects.filter(pk=study.pk).update(**stamp)
        for name, value in stamp.items():
            setattr(study, name, value)
        if not kept:
            return None
        return Change(study, study.retraction_status, found.status, found.notice_doi, kept=True)
    before = study.retraction_status
    study.retraction_status, study.retraction_notice_doi, study.retraction_date = found
    study.retraction_needs_review = True
    study.retraction_checked_at = now
    with audit_path(TASK, actor=WATCH):  # the audit trail names the watch: its ownership
        study.save()  # the claims receivers touch and rescore its claims
    return Change(study, before, found.status, found.notice_doi)


def check_study(study: Study) -> Change | None:
    """Ask Crossref about one study and record the answer. Raises FetchError; a permanent
    failure (404, not a work) is recorded as a check first, so the study waits its turn."""
    try:
        found = fetch_retraction(study.doi)
    except FetchError as error:
        if not error.transient:
            now = timezone.now()
            Study.objects.filter(pk=study.pk).update(retraction_checked_at=now)
            study.retraction_checked_at = now
        raise
    return apply_retraction(study, found)


def studies_with_doi() -> QuerySet:
    """Every study Crossref can be asked about, the least recently checked first."""
    return Study.objects.exclude(doi="").order_by(
        F("retraction_checked_at").asc(nulls_first=True), "pk"
    )


def due_studies(*, now: datetime | None = None) -> QuerySet:
    """Studies never checked, or last checked more than CHECK_EVERY ago."""
    now = now or timezone.now()
    return studies_with_doi().filter(
        Q(retraction_checked_at__isnull=True) | Q(retraction_checked_at__lt=now - CHECK_EVERY)
    )
