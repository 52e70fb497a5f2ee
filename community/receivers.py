"""The claim page counts a claim's pending submissions: a submission written by any path moves
its claim's page version (claims.receivers.PAGE_INVALIDATION lists it with the others).

A claim's verdict, certainty or counted studies moved (claims.signals.claim_changed, sent after
the commit): its followers' mail is queued (community.tasks)."""

import logging

from django.db.models.signals import post_delete, post_save

from claims.models import Claim
from claims.signals import claim_changed

from . import tasks
from .models import Follow, Submission

logger = logging.getLogger(__name__)


def _touch_claim(sender, instance, raw=False, **kwargs):
    if not raw:
        Claim.objects.filter(pk=instance.claim_id).touch()


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


def connect() -> None:
    for signal in (post_save, post_delete):
        signal.connect(_touch_claim, sender=Submission, dispatch_uid=f"touch-submission-{signal}")
    claim_changed.connect(_queue_follow_mail, dispatch_uid="follow-mail")
