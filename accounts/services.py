"""Writes to a member's own account: their profile, their email, deleting the account.

Keyword-only, one transaction each. Deleting an account leaves the member's contributions
(their submissions' submitter becomes None: "a former member"); their follows, profile and
declarations go with it (CASCADE).
"""

from django.db import IntegrityError, transaction

from .display_names import TAKEN, validate_display_name
from .models import Profile


class DisplayNameTaken(Exception):
    """Another member took the name between the check and the write."""

    def __str__(self):
        return TAKEN


def profile_save(*, user, display_name: str) -> Profile:
    """Create or change the member's profile with a display name they may take."""
    name = validate_display_name(display_name, user=user)
    try:
        with transaction.atomic():
            profile, _ = Profile.objects.update_or_create(
                user=user, defaults={"display_name": name}
            )
    except IntegrityError:  # the unique index decides between two at once
        raise DisplayNameTaken from None
    return profile


@transaction.atomic
def email_change(*, user, email: str) -> None:
    user.email = email
    user.save(update_fields=["email"])


@transaction.atomic
def account_delete(*, user) -> None:
    """Delete the account; what the member contributed stays, credited to "a former member"."""
    user.delete()
