"""Workflows over a member's suggested edit: suggest, accept, reject, withdraw.

Keyword-only functions, each in one transaction. A suggestion keeps every field's value as the
member saw it: accepting one whose field has changed since is refused (the editor rejects it, or
the member suggests again from the new text), so nobody's newer edit is overwritten.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from claims.models import Claim
from core.audit import SUGGESTION, audit_path
from core.limits import hold_to_hourly_limit

from .diff import as_text
from .models import Suggestion
from .targets import TEXT_MAX_LENGTH, claim_of, editable_fields, is_open_to_members

RATIONALE_MAX_LENGTH = 2000

NOT_SUGGESTIBLE = "Edits cannot be suggested here: the page is not open to suggestions."
FIELD_NOT_SUGGESTIBLE = "“{name}” cannot be changed through a suggestion."
NOTHING_CHANGED = "You changed nothing: edit at least one field before sending your suggestion."
RATIONALE_REQUIRED = "Say why the change is right: the editor reads it before deciding."
RATIONALE_TOO_LONG = f"Keep the reason under {RATIONALE_MAX_LENGTH} characters."
TEXT_TOO_LONG = f"Keep it under {TEXT_MAX_LENGTH} characters."
YEAR_IN_FUTURE = "A study cannot be published after {year}."
SAMPLE_SIZE_REQUIRED = (
    "Give the number of participants the paper reports: a whole number, 1 or more."
)
RATE_LIMITED = (
    "You have sent {limit} suggestions in the last hour, the most we accept. "
    "Please try again later."
)
STALE = "This field has changed since the suggestion was made: it now reads “{current}”."
OWN_SUGGESTION = "You suggested this edit yourself: another editor must review it."
NOT_PENDING = "This suggestion has already been {status}."
GONE = "This suggestion no longer exists."
TARGET_GONE = "What this suggestion changes no longer exists: reject it with a note."
REJECT_NOTE_REQUIRED = "Give the member a reason: the note is shown with their contributions."
NOT_YOURS = "Only the member who suggested an edit may withdraw it."


class SuggestionError(Exception):
    """A review step that cannot be done; str(error) says why."""


def suggestion_create(
    *, user, target, proposed: dict, rationale: str, seen: dict | None = None
) -> Suggestion:
    """File a member's change to some fields of `target`; only changed fields are kept.
    `seen` holds the fields as the member's form showed them (default: as they are now): a
    field changed since then is recorded as seen, so accepting it is refused, not overwritten.
    ValidationError (keyed by field where it can be) if refused; RateLimitExceeded past the
    hourly limit."""
    seen = seen or {}
    if target is None or not is_open_to_members(target):
        raise ValidationError(NOT_SUGGESTIBLE, code="not_suggestible")
    fields = {field.name: field for field in editable_fields(target)}
    unknown = sorted(set(proposed) - set(fields))
    if unknown:
        raise ValidationError(FIELD_NOT_SUGGESTIBLE.format(name=unknown[0]), code="unknown_field")
    errors, changes = {}, {}
    rationale = (rationale or "").strip()
    if not rationale:
        errors["rationale"] = RATIONALE_REQUIRED
    elif len(rationale) > RATIONALE_MAX_LENGTH:
        errors["rationale"] = RATIONALE_TOO_LONG
    for name, value in proposed.items():
        try:
            value = _clean(fields[name], value, target)
        except ValidationError as error:
            errors[name] = error.messages
            continue
        before = fields[name].value_from_object(target)
        if name in seen:
            as_seen = _as_seen(fields[name], seen[name], before)
            if not _same(before, as_seen):  # changed while the member's form was open
                before = as_seen
        if not _same(before, value):
            changes[name] = {"from": before, "to": value}
    if errors:
        raise ValidationError(errors)
    if not changes:
        raise ValidationError(NOTHING_CHANGED, code="unchanged")
    with transaction.atomic():
        hold_to_hourly_limit(
            user=user,
            recent=Suggestion.objects.filter(suggested_by=user),
            limit=settings.SUGGESTIONS_PER_HOUR,
            message=RATE_LIMITED,
        )
        return Suggestion.objects.create(
            content_type=ContentType.objects.get_for_model(target),
            object_id=target.pk,
            claim=claim_of(target),
            changes=changes,
            rationale=rationale,
            suggested_by=user,
        )


def stale_fields(suggestion: Suggestion, target) -> dict[str, str]:
    """{field: what it reads now} for each field changed since the member saw it."""
    return {
        name: as_text(getattr(target, name))
        for name, change in suggestion.changes.items()
        if getattr(target, name) != change["from"]
    }


def suggestion_accept(*, suggestion: Suggestion, editor) -> Suggestion:
    """Apply a pending suggestion to its target with a plain save (the receivers then move the
    page and rescore), recorded in the audit trail as path "suggestion" by `editor`."""
    if suggestion.suggested_by_id == editor.pk:
        raise SuggestionError(OWN_SUGGESTION)
    with transaction.atomic(), audit_path(SUGGESTION, user=editor):
        # The row lock makes a second editor wait here, then find it no longer pending.
        locked = _ensure_pending(Suggestion.objects.select_for_update().filter(pk=suggestion.pk))
        model = ContentType.objects.get_for_id(locked.content_type_id).model_class()
        target = model.objects.select_for_update().filter(pk=locked.object_id).first()
        if target is None:
            raise SuggestionError(TARGET_GONE)
        stale = stale_fields(locked, target)
        if stale:
            raise SuggestionError(
                " ".join(
                    f"{_label(target, name)}: {STALE.format(current=current)}"
                    for name, current in stale.items()
                )
            )
        for name, change in locked.changes.items():
            setattr(target, name, change["to"])
        _validate_applied(target, locked.changes)
        if isinstance(target, Claim):
            # An editor's open change form of this claim is now stale (claims.admin.locking);
            # a link's save bumps its claim's lock itself (claims.receivers).
            target.lock_version += 1
        target.save()
        _review(locked, Suggestion.Status.ACCEPTED, editor)
    _copy_review(locked, suggestion)
    return suggestion


def suggestion_reject(*, suggestion: Suggestion, editor, note: str) -> Suggestion:
    """Reject a pending suggestion with a note the member will read."""
    if suggestion.suggested_by_id == editor.pk:
        raise SuggestionError(OWN_SUGGESTION)
    note = (note or "").strip()
    if not note:
        raise SuggestionError(REJECT_NOTE_REQUIRED)
    with transaction.atomic():
        locked = _ensure_pending(Suggestion.objects.select_for_update().filter(pk=suggestion.pk))
        _review(locked, Suggestion.Status.REJECTED, editor, review_note=note)
    _copy_review(locked, suggestion)
    return suggestion


def suggestion_withdraw(*, suggestion: Suggestion, user) -> Suggestion:
    """The member takes back their own pending suggestion: kept on record as withdrawn."""
    if suggestion.suggested_by_id != user.pk:
        raise SuggestionError(NOT_YOURS)
    with transaction.atomic():
        locked = _ensure_pending(Suggestion.objects.select_for_update().filter(pk=suggestion.pk))
        locked.status = Suggestion.Status.WITHDRAWN
        locked.save(update_fields=["status"])
    _copy_review(locked, suggestion)
    return suggestion


def _clean(field, value, target):
    """The value as the model field would store it, or its ValidationError."""
    if isinstance(value, str):
        value = value.replace("\r\n", "\n").strip()
        if value == "" and field.null:
            value = None
    value = field.clean(value, target)
    if field.name == "sample_size" and value is None and target.sample_size is not None:
        # A scoring input: members correct it, they do not erase it ("not reported").
        raise ValidationError(SAMPLE_SIZE_REQUIRED, code="required")
    if isinstance(value, str) and len(value) > TEXT_MAX_LENGTH:
        raise ValidationError(TEXT_TOO_LONG, code="max_length")
    if field.name == "year" and value is not None:
        latest = timezone.localdate().year + 1  # in press: next year's volume
        if value > latest:
            raise ValidationError(YEAR_IN_FUTURE.format(year=latest), code="max_value")
    return value


def _as_seen(field, value, current):
    """A hidden "seen" value posted back, as the field stores it; the current value when it is
    not one (a tampered form cannot do more than make its suggestion look stale)."""
    if not isinstance(value, str):
        return current
    value = value.replace("\r\n", "\n").strip()
    if value == "" and field.null:
        return None
    try:
        return field.to_python(value)
    except ValidationError:
        return current


def _same(current, proposed) -> bool:
    """A textarea posts CRLF and the form strips: neither is a change."""
    if isinstance(current, str) and isinstance(proposed, str):
        return current.replace("\r\n", "\n").strip() == proposed
    return current == proposed


def _label(target, name: str) -> str:
    return str(target._meta.get_field(name).verbose_name).capitalize()


def _validate_applied(target, changes: dict) -> None:
    """The changed fields, checked again on the row as it is now (a rule may have tightened)."""
    others = [field.name for field in target._meta.fields if field.name not in changes]
    try:
        target.clean_fields(exclude=others)
    except ValidationError as error:
        raise SuggestionError(" ".join(error.messages)) from None


def _ensure_pending(suggestions) -> Suggestion:
    suggestion = suggestions.first()
    if suggestion is None:
        raise SuggestionError(GONE)
    if suggestion.status != Suggestion.Status.PENDING:
        status = suggestion.get_status_display().lower()
        raise SuggestionError(NOT_PENDING.format(status=status))
    return suggestion


def _review(suggestion: Suggestion, status: str, editor, **fields) -> None:
    suggestion.status = status
    suggestion.reviewed_by = editor
    suggestion.reviewed_at = timezone.now()
    for name, value in fields.items():
        setattr(suggestion, name, value)
    suggestion.save(update_fields=["status", "reviewed_by", "reviewed_at", *fields])


def _copy_review(source: Suggestion, target: Suggestion) -> None:
    """Keep the caller's object in step with the row."""
    if source is not target:
        for name in ("status", "reviewed_by", "reviewed_at", "review_note"):
            setattr(target, name, getattr(source, name))
