"""Which display names a member may take: nothing invisible or that turns text around,
unique by look (a skeleton: see core.display_names) among every member's display name and
username, and nothing a reader could take for staff (a staff name inside it, or "editor",
"staff", the site's name and the like)."""

import unicodedata

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from core.display_names import skeleton

from .models import Profile

MAX_LENGTH = Profile._meta.get_field("display_name").max_length
RESERVED_WORDS = ("editor", "admin", "moderator", "staff", "team", "official")
# A staff skeleton this short would refuse half the dictionary if looked for inside names:
# shorter ones are refused only as the whole name.
STAFF_INSIDE_MIN_LENGTH = 3
# Control and format characters (bidi overrides, zero-width spaces, soft hyphens) and
# separators other than the ordinary space: invisible, or they rearrange the line.
INVISIBLE_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp", "Zs"}

REQUIRED = "Choose the name you will be credited by."
TOO_LONG = f"At most {MAX_LENGTH} characters."
NO_LETTERS = "Use at least one letter or digit."
INVISIBLE = (
    "Use letters, digits, punctuation and ordinary spaces only: no invisible characters or "
    "characters that change the direction of text."
)
RESERVED = "Display names cannot contain “{word}”: readers would take you for staff."
LOOKS_LIKE_STAFF = "That name looks too much like a member of staff's. Please choose another."
TAKEN = "That display name is taken."
LOOKS_LIKE_MEMBER = "That name looks too much like another member's. Please choose another."


def validate_display_name(name: str, *, user=None) -> str:
    """The name with its ordinary spaces collapsed, or ValidationError saying why not.
    `user` is who takes it (their own current name and username do not count against
    them). Two queries, whatever the number of members."""
    name = name or ""
    if any(char != " " and unicodedata.category(char) in INVISIBLE_CATEGORIES for char in name):
        raise ValidationError(INVISIBLE, code="invisible")
    name = " ".join(name.split())  # the form strips the ends; runs of spaces become one
    if not name:
        raise ValidationError(REQUIRED, code="required")
    if len(name) > MAX_LENGTH:
        raise ValidationError(TOO_LONG, code="max_length")
    shape = skeleton(name)
    if not shape:
        raise ValidationError(NO_LETTERS, code="invalid")
    for word in (*RESERVED_WORDS, settings.SITE_NAME):
        if skeleton(word) and skeleton(word) in shape:
            raise ValidationError(RESERVED.format(word=word), code="reserved")
    others = _other_members(user)
    if any(_staff_inside(shape, names) for is_staff, *names in others if is_staff):
        raise ValidationError(LOOKS_LIKE_STAFF, code="staff_lookalike")
    folded = name.casefold()
    for _, username, display in others:
        if folded in {username.casefold(), (display or "").casefold()}:
            raise ValidationError(TAKEN, code="taken")
    if any(shape in {skeleton(username), skeleton(display)} for _, username, display in others):
        raise ValidationError(LOOKS_LIKE_MEMBER, code="member_lookalike")
    return name


def _other_members(user) -> list[tuple[bool, str, str]]:
    """(is_staff, username, display name) of every member but `user`: one query. Names are
    short, so a site of some thousands of members reads them in milliseconds."""
    members = get_user_model().objects.all()
    if user is not None and user.pk is not None:
        members = members.exclude(pk=user.pk)
    return list(members.values_list("is_staff", "username", "profile__display_name"))


def _staff_inside(shape: str, names) -> bool:
    for staff_shape in {skeleton(name) for name in names if name}:
        if len(staff_shape) >= STAFF_INSIDE_MIN_LENGTH and staff_shape in shape:
            return True
        if staff_shape == shape:
            return True
    return False
