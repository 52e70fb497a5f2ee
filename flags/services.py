"""Workflows over a reader's flag: open it, resolve it. Keyword-only, one transaction each."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.limits import hold_to_hourly_limit

from .models import (
    FLAGGABLE,
    NOTE_MAX_LENGTH,
    REASONS_FOR,
    RESOLUTION_NOTE_MAX_LENGTH,
    TARGET_TYPE_OF_LABEL,
    Flag,
    FlagOutcome,
    FlagReason,
    claim_of,
    shown_publicly,
)

REASON_INVALID = "Choose what is wrong."
REASON_NOT_FOR_TARGET = "That reason is not one you can give for this item."
NOTE_REQUIRED = "Say in a sentence what is wrong."
NOTE_TOO_LONG = "Keep the note to {limit} characters (it has {length})."
NOT_FLAGGABLE = "This item cannot be flagged."
NOT_PUBLIC = "This item is not on the site (it is unpublished or was removed)."
ALREADY_OPEN = "You have already flagged this; an editor will look at it."
RATE_LIMITED = (
    "You have sent {limit} flags in the last hour, the most we accept. Please try again later."
)
OUTCOME_INVALID = "Choose the outcome the reader will see."
RESOLUTION_NOTE_REQUIRED = "Write a note for the reader: it is shown with the outcome."
RESOLUTION_NOTE_TOO_LONG = "Keep the note to {limit} characters (it has {length})."
OWN_FLAG = "You opened this flag yourself: another editor must resolve it."
OWN_WORK = "This flag is about your own work: another editor must resolve it."
ALREADY_RESOLVED = "This flag has already been resolved."
GONE = "This flag no longer exists."


def target_type_of(target) -> str:
    """ "claim", "study", "evidence", "comment", or "" for anything that cannot be flagged."""
    label = target._meta.label_lower
    return TARGET_TYPE_OF_LABEL[label] if label in FLAGGABLE else ""


def flag_open(*, user, target, reason: str, note: str = "") -> Flag:
    """Open a reader's flag on one item; ValidationError (RateLimitExceeded) if refused."""
    target_type = target_type_of(target)
    if not target_type:
        raise ValidationError(NOT_FLAGGABLE, code="not_flaggable")
    if not shown_publicly(target):
        raise ValidationError(NOT_PUBLIC, code="not_public")
    note = (note or "").strip()
    _check_reason_and_note(target_type, reason, note)
    claim = claim_of(target)
    with transaction.atomic():
        hold_to_hourly_limit(
            user=user,
            recent=Flag.objects.filter(flagged_by=user),
            limit=settings.FLAGS_PER_HOUR,
            message=RATE_LIMITED,
        )
        if Flag.objects.open().for_target(target).filter(flagged_by=user).exists():
            raise ValidationError(ALREADY_OPEN, code="already_open")
        try:
            with transaction.atomic():
                return Flag.objects.create(
                    target=target,
                    claim=claim,
                    reason=reason,
                    note=note,
                    flagged_by=user,
                )
        except IntegrityError:  # the same reader's other request, a moment ago
            raise ValidationError(ALREADY_OPEN, code="already_open") from None


def flag_resolve(*, flag: Flag, editor, outcome: str, note: str) -> Flag:
    """Resolve an open flag with the outcome and note its reader sees. The row is locked, so
    of two editors resolving at once one resolves and the other is told it is resolved."""
    errors = {}
    if outcome not in FlagOutcome.values:
        errors["outcome"] = OUTCOME_INVALID
    note = (note or "").strip()
    if not note:
        errors["note"] = RESOLUTION_NOTE_REQUIRED
    elif len(note) > RESOLUTION_NOTE_MAX_LENGTH:
        errors["note"] = RESOLUTION_NOTE_TOO_LONG.format(
            limit=RESOLUTION_NOTE_MAX_LENGTH, length=len(note)
        )
    if errors:
        raise ValidationError(errors)
    refusal = resolve_refusal(flag=flag, editor=editor)
    if refusal:
        raise ValidationError(refusal, code="own_work" if refusal == OWN_WORK else "own_flag")
    with transaction.atomic():
        locked = Flag.objects.select_for_update().filter(pk=flag.pk).first()
        if locked is None:
            raise ValidationError(GONE, code="gone")
        if not locked.is_open:
            raise ValidationError(ALREADY_RESOLVED, code="already_resolved")
        locked.status = Flag.Status.RESOLVED
        locked.outcome = outcome
        locked.resolution_note = note
        locked.resolved_by = editor
        locked.resolved_at = timezone.now()
        locked.save(
            update_fields=["status", "outcome", "resolution_note", "resolved_by", "resolved_at"]
        )
    for name in ("status", "outcome", "resolution_note", "resolved_by", "resolved_at"):
        setattr(flag, name, getattr(locked, name))
    return flag


class OwnWork:
    """What one editor wrote or submitted: the comment they authored, the evidence link they
    added or that came from their submission, the study they submitted. An editor judging a
    complaint about their own work is no second pair of eyes. Their submissions load once
    (one query, on first need), so a queue of flags checks each row without a query."""

    def __init__(self, editor):
        self.editor = editor
        self._submitted = None

    def submitted(self) -> set[tuple[int, int]]:
        """(claim id, study id) of each of the editor's submissions that names a study, as
        claims.appraisal.from_own_submission reads it; through the user's `submissions`
        (community.Submission), which flags never imports."""
        if self._submitted is None:
            rows = self.editor.submissions.filter(study__isnull=False)
            self._submitted = set(rows.values_list("claim_id", "study_id"))
        return self._submitted

    def __contains__(self, target) -> bool:
        if target is None:
            return False
        label = target._meta.label_lower
        editor_id = self.editor.pk
        if label == "discussion.comment":
            return target.author_id is not None and target.author_id == editor_id
        if label == "claims.evidence":
            if target.added_by_id is not None and target.added_by_id == editor_id:
                return True
            return (target.claim_id, target.study_id) in self.submitted()
        if label == "studies.study":
            return any(study_id == target.pk for _, study_id in self.submitted())
        return False


def resolve_refusal(*, flag: Flag, editor, own_work: OwnWork | None = None) -> str:
    """Why `editor` may not resolve this flag ("" when they may): they opened it, or it is
    about their own work."""
    if flag.flagged_by_id is not None and flag.flagged_by_id == editor.pk:
        return OWN_FLAG
    if flag.target in (own_work if own_work is not None else OwnWork(editor)):
        return OWN_WORK
    return ""


def _check_reason_and_note(target_type: str, reason: str, note: str) -> None:
    if reason not in FlagReason.values:
        raise ValidationError({"reason": REASON_INVALID})
    if reason not in REASONS_FOR[target_type]:
        raise ValidationError({"reason": REASON_NOT_FOR_TARGET})
    if len(note) > NOTE_MAX_LENGTH:
        message = NOTE_TOO_LONG.format(limit=NOTE_MAX_LENGTH, length=len(note))
        raise ValidationError({"note": message})
    if reason == FlagReason.OTHER and not note:
        raise ValidationError({"note": NOTE_REQUIRED})
