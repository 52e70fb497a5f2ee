"""Which display names a member may take: unique (case-insensitively), and nothing a reader
could take for a member of staff (a look-alike of a staff name, or "editor" and the like)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from core.display_names import display_name, skeleton

from .models import Profile

MAX_LENGTH = Profile._meta.get_field("display_name").max_length
RESERVED_WORDS = ("editor", "admin", "moderator")

REQUIRED = "Choose the name you will be credited by."
TOO_LONG = f"At most {MAX_LENGTH} characters."
NO_LETTERS = "Use at least one letter or digit."
RESERVED = "Display names cannot contain “{word}”: readers would take you for staff."
LOOKS_LIKE_STAFF = "That name looks too much like a member of staff's. Please choose another."
TAKEN = "That display name is taken."


def validate_display_name(name: str, *, user=None) -> str:
    """The name, stripped, or ValidationError saying why not. `user` is who takes it (their
    own current name and username do not count against them)."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(REQUIRED, code="required")
    if len(name) > MAX_LENGTH:
        raise ValidationError(TOO_LONG, code="max_length")
    shape = skeleton(name)
    if not shape:
        raise ValidationError(NO_LETTERS, code="invalid")
    for word in RESERVED_WORDS:
        if skeleton(word) in shape:
            raise ValidationError(RESERVED.format(word=word), code="reserved")
    if _looks_like_staff(shape, user):
        raise ValidationError(LOOKS_LIKE_STAFF, code="staff_lookalike")
    taken = Profile.objects.filter(display_name__iexact=name)
    if user is not None and user.pk is not None:
        taken = taken.exclude(user=user)
    if taken.exists():
        raise ValidationError(TAKEN, code="taken")
    return name


def _looks_like_staff(shape: str, user) -> bool:
    """Whether `shape` (a skeleton) matches a staff member's username or display name; one
    query (staff are few)."""
    staff = get_user_model().objects.filter(is_staff=True).select_related("profile")
    if user is not None and user.pk is not None:
        staff = staff.exclude(pk=user.pk)
    return any(
        shape in {skeleton(member.get_username()), skeleton(display_name(member))}
        for member in staff
    )
