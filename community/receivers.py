"""The claim page counts a claim's pending submissions: a submission written by any path moves
its claim's page version (claims.receivers.PAGE_INVALIDATION lists it with the others).

A claim's verdict, certainty or counted studies moved (claims.signals.claim_changed, sent after
the commit): its followers' mail is queued (community.tasks).

Claim pages credit members and editors by display name, with editors' declarations of
interests (claims.credits.claim_credits), and name comments' authors: a profile or declaration
written, or an account deleted, moves the pages that show them."""

import logging

from django.conf import settings
from django.db.models.signals import post_delete, post_save, pre_delete

from claims.credits import claims_crediting
from claims.models import Claim
from claims.signals import claim_changed

from . import tasks
from .models import Follow, Submission, SubmissionStatus

logger = logging.getLogger(__name__)


def _touch_claim(sender, instance, raw=False, **kwargs):
    if raw:
        return
    claims = Claim.objects.filter(pk=instance.claim_id)
    if instance.status == SubmissionStatus.ACCEPTED:  # Contributors credits its member
        claims.touch()
    else:
        # A pending or rejected submission only moves the page's count of pending ones:
        # the claim did not change, so its feed, sitemap and API dates stay (touch_page).
        claims.touch_page()


def _queue_follow_mail(sender, changes, **kwargs):
    followed = set(
        Follow.objects.filter(claim_id__in=[c.claim_id for c in changes])
        .values_list("claim_id", flat=True)
        .distinct()
    )
    for change in changes:
        if change.claim_id not in followed:
            continue
        try:
            tasks.send_change_mail.delay(change.claim_id, change.as_dict())
        except Exception:  # the scores are committed: a broker or mail failure must not undo it
            logger.exception("follow mail for claim %s not sent", change.claim_id)


# Claim pages credit members and editors by display name, with editors' declarations of
# interests (claims.credits.claim_credits). accounts owns those rows but sits beside community,
# below nothing of claims: community, which builds on claims, moves the pages. The senders are
# named lazily, so community does not import accounts.
def _touch_credited(user_id) -> None:
    if user_id is not None:
        claims_crediting(user_id).touch()
        # The discussion section names its comments' authors too.
        Claim.objects.filter(comments__author_id=user_id).touch()


def _profile_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _touch_credited(instance.user_id)


def _declaration_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _touch_credited(instance.editor_id)


def _account_deleting(sender, instance, **kwargs):
    """Before the delete sets their submissions' submitter to None (then nothing finds them)."""
    _touch_credited(instance.pk)


def connect() -> None:
    for signal in (post_save, post_delete):
        signal.connect(_touch_claim, sender=Submission, dispatch_uid=f"touch-submission-{signal}")
    claim_changed.connect(_queue_follow_mail, dispatch_uid="follow-mail")
    # The senders are named lazily: community does not import accounts.
    for signal in (post_save, post_delete):
        signal.connect(
            _profile_changed, sender="accounts.Profile", dispatch_uid=f"credit-p-{signal}"
        )
        signal.connect(
            _declaration_changed,
            sender="accounts.ConflictOfInterestDeclaration",
            dispatch_uid=f"credit-d-{signal}",
        )
    pre_delete.connect(
        _account_deleting, sender=settings.AUTH_USER_MODEL, dispatch_uid="credit-account"
    )
