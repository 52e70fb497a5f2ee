"""A member's profile (the display name they are credited by) and editors' declarations of
conflicts of interest."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

# A declaration is current for a year; then the editor renews it (a new row).
DECLARATION_VALID_FOR = timedelta(days=365)
NO_CONFLICTS = "no conflicts declared"
NONE_OR_STATEMENT = "Tick “no conflicts”, or describe your conflicts: one of the two."


class Profile(models.Model):
    """One per member: the display name shown beside their contributions (default: the
    username; checked against staff look-alikes in accounts.display_names)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(max_length=60)
    # Shown beside an editor's name where they are credited ("Reviewed by …").
    credentials = models.CharField(
        max_length=120, blank=True, help_text='Your qualifications, e.g. "MSc sports science".'
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("display_name"),
                name="profile_display_name_unique_ci",
                violation_error_message="That display name is taken.",
            ),
        ]

    def __str__(self):
        return self.display_name


class DeclarationQuerySet(models.QuerySet):
    def current(self, now=None):
        """Declarations made within the last year (the latest of these is an editor's)."""
        return self.filter(declared_at__gt=(now or timezone.now()) - DECLARATION_VALID_FOR)


class ConflictOfInterestDeclaration(models.Model):
    """What an editor declares about their conflicts of interest. Renewed yearly: each
    renewal is a new row, so the record keeps what was declared when; an editor's current
    declaration is their latest made within DECLARATION_VALID_FOR."""

    # PROTECT: a declaration is a public record of what an editor said; deleting the
    # editor must not erase it (staff accounts are closed by deactivating them).
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="coi_declarations"
    )
    no_conflicts = models.BooleanField(
        "I have no conflicts of interest to declare",
        default=False,
        help_text="Tick this, or describe your conflicts below.",
    )
    statement = models.TextField(
        blank=True,
        help_text="Funding, employment, shares, paid talks or anything else a reader should "
        "know when weighing your appraisals.",
    )
    declared_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = DeclarationQuerySet.as_manager()

    class Meta:
        verbose_name = "conflict-of-interest declaration"
        ordering = ["-declared_at", "-pk"]
        constraints = [
            # One or the other: "none" ticked with no text, or a statement.
            models.CheckConstraint(
                condition=(
                    models.Q(no_conflicts=True, statement="")
                    | (models.Q(no_conflicts=False) & ~models.Q(statement=""))
                ),
                name="coi_none_or_a_statement",
                violation_error_message=NONE_OR_STATEMENT,
            ),
        ]

    def __str__(self):
        return f"{self.editor}: {self.summary} ({self.declared_at:%d %b %Y})"

    @property
    def summary(self) -> str:
        return NO_CONFLICTS if self.no_conflicts else f"declared: {self.statement}"

    def is_current(self, now=None) -> bool:
        return self.declared_at > (now or timezone.now()) - DECLARATION_VALID_FOR


class PasswordCheckFailure(models.Model):
    """One wrong password typed on an account form (email, delete). Counted in the database,
    not the cache, so the limit holds across workers and restarts (accounts.services)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["user", "at"], name="password_failure_user_at")]

    def __str__(self):
        return f"{self.user_id} at {self.at:%Y-%m-%d %H:%M}"


class RateLimitHit(models.Model):
    """One counted event of an hourly limit (a sign-up from an address, a password reset from
    an address or to an email). Counted in the database, not in each worker's cache: a cache
    flood evicted the counters and each worker counted its own (issue 19). `key` is a hash of
    the address or email, so no plain IP or email is kept; the daily purge deletes old rows."""

    class Kind(models.TextChoices):
        SIGNUP_FROM = "signup-from", "sign-up from an address"
        RESET_FROM = "reset-from", "password reset from an address"
        RESET_TO = "reset-to", "password reset to an email"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    key = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["kind", "key", "at"], name="rate_limit_kind_key_at")]

    def __str__(self):
        return f"{self.kind} {self.key[:8]}… at {self.at:%Y-%m-%d %H:%M}"
