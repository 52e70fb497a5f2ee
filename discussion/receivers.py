"""The claim page shows a claim's comment count and last comments (in the page cached for
anonymous readers): a comment written, hidden or deleted by any path moves its claim's page
version (claims.receivers.PAGE_INVALIDATION names this). Deleting a member sets their
comments' author to NULL with an UPDATE, which sends no signal: their claims are touched
before the delete, so the page says "a former member" at once."""

from django.conf import settings
from django.db.models.signals import post_delete, post_save, pre_delete

from claims.models import Claim

from .models import Comment


def _touch_claim(sender, instance, raw=False, **kwargs):
    if not raw:
        Claim.objects.filter(pk=instance.claim_id).touch()


def _touch_claims_of_author(sender, instance, **kwargs):
    Claim.objects.filter(comments__author=instance).touch()


def connect() -> None:
    for signal in (post_save, post_delete):
        signal.connect(_touch_claim, sender=Comment, dispatch_uid=f"touch-comment-{signal}")
    pre_delete.connect(
        _touch_claims_of_author, sender=settings.AUTH_USER_MODEL, dispatch_uid="touch-comments-user"
    )
