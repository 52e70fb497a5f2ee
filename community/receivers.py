"""The claim page counts a claim's pending submissions: a submission written by any path moves
its claim's page version (claims.receivers.PAGE_INVALIDATION lists it with the others)."""

from django.db.models.signals import post_delete, post_save

from claims.models import Claim

from .models import Submission


def _touch_claim(sender, instance, raw=False, **kwargs):
    if not raw:
        Claim.objects.filter(pk=instance.claim_id).touch()


def connect() -> None:
    for signal in (post_save, post_delete):
        signal.connect(_touch_claim, sender=Submission, dispatch_uid=f"touch-submission-{signal}")
