"""Workflows over a claim's discussion: post a comment or a reply, hide and unhide one.

Keyword-only, each in one transaction. Refusals raise ValidationError (keyed to "body" when
they are about the text, so a form shows them beside what was typed); a claim that is not
published raises Http404, as its page would.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from claims.models import Claim
from core.limits import hold_to_hourly_limit

from .models import BODY_MAX_LENGTH, Comment

# Counted in the database (the member's comments of the last hour), so it holds across workers.
HIDDEN_REASON_MAX_LENGTH = Comment._meta.get_field("hidden_reason").max_length

BODY_REQUIRED = "Write your comment first."
BODY_TOO_LONG = "Keep it under {limit} characters (this one has {length})."
RATE_LIMITED = (
    "You have posted {limit} comments in the last hour, the most we accept. Please try again later."
)
PARENT_ELSEWHERE = "You can only reply to a comment on this claim."
PARENT_HIDDEN = "An editor hid this comment: it takes no replies."
# The same text from the same member on the same claim within this long is a double post.
DOUBLE_POST_WINDOW = timedelta(seconds=60)
NOT_PUBLISHED = "No such claim."
REASON_REQUIRED = "Give the reason: readers see it in the comment's place."
REASON_TOO_LONG = "Keep the reason under {limit} characters."
OWN_COMMENT = "You wrote this comment: another editor must moderate it."


def clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": BODY_REQUIRED}, code="required")
    if len(body) > BODY_MAX_LENGTH:
        message = BODY_TOO_LONG.format(limit=BODY_MAX_LENGTH, length=len(body))
        raise ValidationError({"body": message}, code="max_length")
    return body


def comment_post(*, claim: Claim, user, body: str, parent: Comment | None = None) -> Comment:
    """Post a member's comment on a published claim, or a reply. A reply to a reply attaches to
    its top comment (threads are one level deep); nothing replies to a hidden comment. A double
    post (the same text again within DOUBLE_POST_WINDOW) returns the first, saved once."""
    body = clean_body(body)
    if parent is not None and parent.claim_id != claim.pk:
        raise ValidationError(PARENT_ELSEWHERE, code="parent_elsewhere")
    with transaction.atomic():
        # The member's row locked first: a double click's two requests queue up here.
        list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk"))
        first = (
            Comment.objects.filter(author=user, claim=claim, body=body)
            .filter(created_at__gte=timezone.now() - DOUBLE_POST_WINDOW)
            .order_by("created_at", "pk")
            .first()
        )
        if first is not None:
            first.repeated = True  # the page has it already: htmx adds no second copy
            return first
        hold_to_hourly_limit(
            user=user,
            recent=Comment.objects.filter(author=user),
            limit=settings.COMMENTS_PER_HOUR,
            message=RATE_LIMITED,
        )
        if not Claim.objects.published().filter(pk=claim.pk).exists():
            raise Http404(NOT_PUBLISHED)
        top = None
        if parent is not None:
            top = Comment.objects.filter(pk=parent.parent_id or parent.pk, claim=claim).first()
            if top is None:  # deleted a moment ago
                raise ValidationError(PARENT_ELSEWHERE, code="parent_elsewhere")
            if top.hidden or Comment.objects.filter(pk=parent.pk, hidden=True).exists():
                raise ValidationError(PARENT_HIDDEN, code="parent_hidden")
        return Comment.objects.create(claim=claim, author=user, body=body, parent=top)


def refuse_own(*, comment: Comment, editor) -> None:
    """Nobody moderates their own work: an editor's own comment needs another editor."""
    if comment.author_id is not None and comment.author_id == getattr(editor, "pk", None):
        raise ValidationError(OWN_COMMENT, code="own_comment")


def comment_hide(*, comment: Comment, editor, reason: str) -> Comment:
    """Hide a comment from readers with a reason they see; its text stays for the record."""
    refuse_own(comment=comment, editor=editor)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"hidden_reason": REASON_REQUIRED}, code="required")
    if len(reason) > HIDDEN_REASON_MAX_LENGTH:
        message = REASON_TOO_LONG.format(limit=HIDDEN_REASON_MAX_LENGTH)
        raise ValidationError({"hidden_reason": message}, code="max_length")
    with transaction.atomic():
        comment.hidden = True
        comment.hidden_reason = reason
        comment.hidden_by = editor
        comment.hidden_at = timezone.now()
        # A save, not an update(): the receiver moves the claim page's version.
        comment.save(update_fields=["hidden", "hidden_reason", "hidden_by", "hidden_at"])
    return comment


def comment_unhide(*, comment: Comment, editor) -> Comment:
    """Show a hidden comment again. Who hid it, when and why stay on the row for the record
    (the admin shows them); readers go by `hidden` alone."""
    refuse_own(comment=comment, editor=editor)
    with transaction.atomic():
        comment.hidden = False
        comment.save(update_fields=["hidden"])
    return comment
