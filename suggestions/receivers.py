"""An accepted suggestion credits its member on the claim page ("Contributors"): writing or
deleting one moves its claim's page version. Pending and rejected ones are not on the page, so
a member's suggestion does not empty the page cache (accepting saves the target too, whose own
receiver moves the page anyway)."""

from django.db.models.signals import post_delete, post_save

from claims.models import Claim

from .models import Suggestion


def _touch_claim_of_accepted(sender, instance, raw=False, **kwargs):
    if not raw and instance.claim_id and instance.status == Suggestion.Status.ACCEPTED:
        Claim.objects.filter(pk=instance.claim_id).touch()


def connect() -> None:
    for signal in (post_save, post_delete):
        signal.connect(
            _touch_claim_of_accepted, sender=Suggestion, dispatch_uid=f"touch-suggestion-{signal}"
        )
