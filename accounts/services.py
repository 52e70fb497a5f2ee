"""Writes to a member's own account: their profile, their email, deleting the account.

Keyword-only, one transaction each. Deleting an account leaves the member's contributions
(their submissions' submitter becomes None: "a former member"); their follows and profile go
with it (CASCADE), and so do the log-in records naming their username (django-axes).
Staff accounts are not deleted here: an administrator closes them
(deactivates them), so their declarations and "Reviewed by" credits stay.
"""

import hashlib
from collections.abc import Callable
from datetime import timedelta
from importlib import import_module

from axes.helpers import get_cool_off
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .display_names import TAKEN, validate_display_name
from .models import PasswordCheckFailure, Profile, RateLimitHit

# Wrong passwords on the account forms: this many per account in the window, then the
# forms refuse every password (the right one too) until the oldest leaves the window.
WRONG_PASSWORDS_ALLOWED = 5
WRONG_PASSWORD_WINDOW = timedelta(minutes=15)
EMAIL_LINK_VALID_FOR = timedelta(days=3)
EMAIL_LINK_SALT = "accounts.email-change"


class DisplayNameTaken(Exception):
    """Another member took the name between the check and the write."""

    def __str__(self):
        return TAKEN


def profile_save(*, user, display_name: str, credentials: str | None = None) -> Profile:
    """Create or change the member's profile with a display name they may take, and their
    credentials when given (None keeps them)."""
    name = validate_display_name(display_name, user=user)
    defaults = {"display_name": name}
    if credentials is not None:
        defaults["credentials"] = " ".join(credentials.split())
    try:
        with transaction.atomic():
            profile, _ = Profile.objects.update_or_create(user=user, defaults=defaults)
    except IntegrityError:  # the unique index decides between two at once
        raise DisplayNameTaken from None
    return profile


class TooManyWrongPasswords(Exception):
    """WRONG_PASSWORDS_ALLOWED wrong passwords within WRONG_PASSWORD_WINDOW."""


class EmailLinkInvalid(Exception):
    """A confirmation link that is forged, expired, used already or for a taken address."""


def password_check(*, user, password: str) -> bool:
    """Whether `password` is the user's, counting wrong ones in the database (so the limit
    holds across workers); TooManyWrongPasswords once the limit is reached."""
    since = timezone.now() - WRONG_PASSWORD_WINDOW
    failures = PasswordCheckFailure.objects.filter(user=user, at__gt=since)
    if failures.count() >= WRONG_PASSWORDS_ALLOWED:
        raise TooManyWrongPasswords
    if user.check_password(password):
        return True
    PasswordCheckFailure.objects.create(user=user)
    return False


def _address_taken(email: str, *, user) -> bool:
    return get_user_model().objects.filter(email__iexact=email).exclude(pk=user.pk).exists()


def _fingerprint(email: str) -> str:
    """The old address as the link carries it: signed data is readable, and the new
    address's reader need not learn the old one."""
    return salted_hmac(EMAIL_LINK_SALT, email.lower()).hexdigest()[:24]


def _mail(template: str, to: str, context: dict) -> None:
    context = {"SITE_NAME": settings.SITE_NAME, **context}
    subject = f"{settings.SITE_NAME}: your email address"
    send_mail(subject, render_to_string(template, context), None, [to])


def email_change_request(*, user, email: str, confirm_url: Callable[[str], str]) -> None:
    """Mail a signed link to the new address (the address changes only when it is followed)
    and a notice to the old one. A taken address gets no link, and the member is told the
    same as for a free one: the form must not reveal who has an account."""
    old = user.email
    if not _address_taken(email, user=user):
        asked = {"user": user.pk, "old": _fingerprint(old), "new": email}
        token = signing.dumps(asked, salt=EMAIL_LINK_SALT)
        context = {"user": user, "url": confirm_url(token), "days": EMAIL_LINK_VALID_FOR.days}
        _mail("accounts/email/confirm_new_address.txt", email, context)
    if old:
        _mail("accounts/email/change_requested.txt", old, {"user": user, "new": email})


def email_change_pending(*, token: str):
    """The (user, new address) a link asks for, or EmailLinkInvalid. The link names the old
    address, so it works once: after the change it no longer matches."""
    try:
        asked = signing.loads(
            token, salt=EMAIL_LINK_SALT, max_age=EMAIL_LINK_VALID_FOR.total_seconds()
        )
        user = get_user_model().objects.get(pk=asked["user"], is_active=True)
    except (signing.BadSignature, get_user_model().DoesNotExist, KeyError, TypeError):
        raise EmailLinkInvalid from None
    if _fingerprint(user.email) != asked["old"] or _address_taken(asked["new"], user=user):
        raise EmailLinkInvalid
    return user, asked["new"]


@transaction.atomic
def email_change_confirm(*, token: str):
    """Apply the change a valid link asks for; returns (user, new address)."""
    user, email = email_change_pending(token=token)
    user.email = email
    user.save(update_fields=["email"])
    return user, email


class StaffAccount(Exception):
    """Staff accounts are closed by an administrator, not deleted by their owner."""


@transaction.atomic
def account_delete(*, user) -> None:
    """Delete the account; what the member contributed stays, credited to "a former member"."""
    if user.is_staff or user.is_superuser:
        raise StaffAccount
    login_records_delete(username=user.get_username())
    user.delete()


def login_records_delete(*, username: str) -> int:
    """Delete django-axes' rows naming this username (failed attempts, log-in and log-out
    records: IP address, browser, time); they are not linked to the account, so deleting the
    user alone would leave them."""
    if not username:  # an empty filter would match every row
        return 0
    return sum(
        model.objects.filter(username=username).delete()[0]
        for model in (AccessAttempt, AccessFailureLog, AccessLog)
    )


def login_records_purge(*, now=None) -> int:
    """Delete what is kept about log-ins past its time (the daily beat, accounts.tasks):
    django-axes' log-in and log-out records and failure logs older than
    AXES_LOG_RETENTION_DAYS, its failed attempts whose lockout period has passed (they lock
    nothing out; axes itself deletes them only when someone next logs in), wrong passwords
    outside their window and expired sessions. Returns the rows deleted, sessions aside."""
    now = now or timezone.now()
    kept_since = now - timedelta(days=settings.AXES_LOG_RETENTION_DAYS)
    deleted = sum(
        model.objects.filter(attempt_time__lt=kept_since).delete()[0]
        for model in (AccessFailureLog, AccessLog)
    )
    cool_off = get_cool_off()
    if cool_off is not None:  # None: lockouts never end, so attempts stay until reset
        deleted += AccessAttempt.objects.filter(attempt_time__lt=now - cool_off).delete()[0]
    # Wrong passwords on the account forms only count inside their window.
    stale = PasswordCheckFailure.objects.filter(at__lt=now - WRONG_PASSWORD_WINDOW)
    deleted += stale.delete()[0]
    # Hourly limits count the last hour only.
    deleted += RateLimitHit.objects.filter(at__lt=now - RATE_LIMIT_WINDOW).delete()[0]
    # Expired sessions: Django deletes a session at log-out, never one left to expire.
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    return deleted


# Sign-ups and password resets are limited per hour (settings: SIGNUPS_PER_HOUR_PER_ADDRESS,
# PASSWORD_RESETS_PER_HOUR_PER_*), counted as RateLimitHit rows: the same for every worker,
# whatever happens to the cache.
RATE_LIMIT_WINDOW = timedelta(hours=1)


def _rate_key(value: str) -> str:
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()


def rate_limit_count(kind: str, value: str, *, now=None) -> int:
    """How many `kind` events for `value` (an address, an email) in the last hour."""
    since = (now or timezone.now()) - RATE_LIMIT_WINDOW
    return RateLimitHit.objects.filter(kind=kind, key=_rate_key(value), at__gte=since).count()


def rate_limit_take(kind: str, value: str, limit: int) -> RateLimitHit | None:
    """One of `limit` `kind` events an hour for `value`, or None when they are used up. The
    event is recorded before counting, so requests racing each other all see each other (at
    worst all refuse: it fails closed); a refused one takes its record back. The caller
    deletes the returned record when the event does not happen after all."""
    hit = RateLimitHit.objects.create(kind=kind, key=_rate_key(value))
    if rate_limit_count(kind, value) > limit:
        hit.delete()
        return None
    return hit


def rate_limit_hit(kind: str, value: str) -> int:
    """Count one `kind` event for `value`; returns the count in the last hour, this one
    included (recorded first, so requests racing each other all see each other)."""
    RateLimitHit.objects.create(kind=kind, key=_rate_key(value))
    return rate_limit_count(kind, value)
