"""Readers' flags on a claim, a study, an evidence link or a comment, and the editors' queue.

A flag names its target by content type and id (any of FLAGGABLE) and keeps the claim the
target belongs to (null for a study), so the queue filters and links by claim in one join.
A flag is its own record: it outlives its target and its flagger ("a former member")."""

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db import models
from django.db.models import Q
from django.utils.text import Truncator

from core.display_names import FORMER_MEMBER

# The URL's target type → the model's label. Nothing else can be flagged (flags.services).
TARGET_TYPES = {
    "claim": "claims.claim",
    "study": "studies.study",
    "evidence": "claims.evidence",
    "comment": "discussion.comment",
}
FLAGGABLE = frozenset(TARGET_TYPES.values())
TARGET_TYPE_OF_LABEL = {label: kind for kind, label in TARGET_TYPES.items()}
NOTE_MAX_LENGTH = 1000
RESOLUTION_NOTE_MAX_LENGTH = 5000
DELETED_TARGET = "An item since deleted"
# What a target's label and link read, loaded with it (no query per flag).
TARGET_RELATED = {
    "claims.evidence": ("claim", "study"),
    "discussion.comment": ("claim",),
}


class FlagReason(models.TextChoices):
    WRONG_DESIGN = "wrong_design", "Wrong study design"
    WRONG_STANCE = "wrong_stance", "Wrong stance (supports or contradicts)"
    RETRACTED = "retracted", "The study was retracted"
    OVERSTATED = "overstated", "The wording overstates the evidence"
    ABUSE = "abuse", "Abusive, off-topic or spam"
    OTHER = "other", "Something else"


# Which reasons fit which target: abuse is about people's words, the rest about the evidence.
REASONS_FOR = {
    "comment": (FlagReason.ABUSE, FlagReason.OTHER),
    "claim": tuple(r for r in FlagReason if r != FlagReason.ABUSE),
    "study": tuple(r for r in FlagReason if r != FlagReason.ABUSE),
    "evidence": tuple(r for r in FlagReason if r != FlagReason.ABUSE),
}


class FlagStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


class FlagOutcome(models.TextChoices):
    FIXED = "fixed", "Fixed"
    NO_CHANGE = "no_change", "No change needed"
    DUPLICATE = "duplicate", "Duplicate of another report"


def flaggable_content_types() -> Q:
    """limit_choices_to for the content type: the FLAGGABLE models only."""
    condition = Q(pk__in=[])
    for label in sorted(FLAGGABLE):
        app_label, model = label.split(".")
        condition |= Q(app_label=app_label, model=model)
    return condition


class FlagQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=FlagStatus.OPEN)

    def with_targets(self):
        """Each flag's target loaded with what its label and link read, and who resolved it:
        one query per kind of target, however many flags (the queue, a member's list)."""
        querysets = []
        for label in sorted(FLAGGABLE):
            try:
                model = apps.get_model(label)
            except LookupError:  # its app is not installed
                continue
            related = TARGET_RELATED.get(label, ())
            queryset = model._default_manager.select_related(*related)
            # A claim's search index is never shown, and it is large on PostgreSQL.
            if label == "claims.claim":
                queryset = queryset.defer("search_vector")
            elif "claim" in related:
                queryset = queryset.defer("claim__search_vector")
            querysets.append(queryset)
        return self.select_related("flagged_by", "resolved_by").prefetch_related(
            GenericPrefetch("target", querysets)
        )

    def for_target(self, target):
        content_type = ContentType.objects.get_for_model(target)
        return self.filter(content_type=content_type, object_id=target.pk)


class Flag(models.Model):
    """A reader says something is wrong with one item; an editor resolves it with a note the
    reader reads (flags.services)."""

    Reason = FlagReason
    Status = FlagStatus
    Outcome = FlagOutcome

    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, limit_choices_to=flaggable_content_types
    )
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    # The claim the target belongs to (itself, an evidence link's, a comment's); null for a study.
    claim = models.ForeignKey(
        "claims.Claim", on_delete=models.CASCADE, null=True, blank=True, related_name="flags"
    )
    reason = models.CharField(max_length=16, choices=FlagReason.choices)
    note = models.TextField(max_length=NOTE_MAX_LENGTH, blank=True)
    # A deleted member's flag stays: credited to "a former member".
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="flags",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    status = models.CharField(max_length=10, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resolved_flags",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=FlagOutcome.choices, blank=True)
    resolution_note = models.TextField(
        max_length=RESOLUTION_NOTE_MAX_LENGTH,
        blank=True,
        help_text="Shown to the reader (markdown).",
    )

    objects = FlagQuerySet.as_manager()

    class Meta:
        # Open first ("open" < "resolved"), newest first within each: the editors' queue.
        ordering = ["status", "-created_at", "-pk"]
        indexes = [
            models.Index(fields=["flagged_by", "created_at"], name="flag_flagger_recent"),
            models.Index(fields=["content_type", "object_id"], name="flag_target"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["flagged_by", "content_type", "object_id"],
                condition=Q(status=FlagStatus.OPEN),
                name="flag_one_open_per_reader_and_target",
                violation_error_message="You have already flagged this; an editor will look at it.",
            ),
            models.CheckConstraint(
                condition=Q(reason__in=FlagReason.values), name="flag_reason_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=FlagStatus.values), name="flag_status_valid"
            ),
            # Open: no resolution yet. Resolved: an outcome, a time and the note the reader reads.
            models.CheckConstraint(
                condition=(
                    Q(status=FlagStatus.OPEN, outcome="", resolved_at__isnull=True)
                    | (
                        Q(
                            status=FlagStatus.RESOLVED,
                            outcome__in=FlagOutcome.values,
                            resolved_at__isnull=False,
                        )
                        & ~Q(resolution_note="")
                    )
                ),
                name="flag_resolution_complete",
            ),
        ]

    def __str__(self):
        return f"{self.get_reason_display()}: {self.target_type} {self.object_id}"

    @property
    def is_open(self) -> bool:
        return self.status == FlagStatus.OPEN

    @property
    def target_type(self) -> str:
        """ "claim", "study", "evidence" or "comment" (the URL's word)."""
        content_type = ContentType.objects.get_for_id(self.content_type_id)
        return TARGET_TYPE_OF_LABEL.get(f"{content_type.app_label}.{content_type.model}", "")

    @property
    def flagger_name(self) -> str:
        return self.flagged_by.get_username() if self.flagged_by_id else FORMER_MEMBER

    @property
    def target_label(self) -> str:
        return target_label(self.target) if self.target is not None else DELETED_TARGET

    @property
    def target_url(self) -> str:
        """The public page showing the target ("" when it is gone or not public)."""
        target = self.target
        if target is None or not shown_publicly(target):
            return ""
        return public_url(target)


def claim_of(target):
    """The claim a flaggable object belongs to (itself for a claim); None for a study."""
    if target._meta.label_lower == "claims.claim":
        return target
    return getattr(target, "claim", None)


def shown_publicly(target) -> bool:
    """Readers can see it: a study's page, or an item of a published claim (an evidence link
    only once approved; a pending link is not on the page)."""
    label = target._meta.label_lower
    if label == "claims.evidence" and target.status != target.Status.APPROVED:
        return False
    claim = claim_of(target)
    return claim is None or claim.status == claim.Status.PUBLISHED


def public_url(target) -> str:
    if target._meta.label_lower == "claims.evidence":
        return f"{target.claim.get_absolute_url()}#evidence"
    return target.get_absolute_url()


SHORT_CHARS = 80


def target_short(target) -> str:
    """The target in a few plain words, for the reader's form: "the study “A trial…”"."""

    def short(text):
        return Truncator(text).chars(SHORT_CHARS)

    label = target._meta.label_lower
    if label == "claims.claim":
        return f"the claim “{short(target.plain_statement)}”"
    if label == "studies.study":
        return f"the study “{short(target.title)}”"
    if label == "claims.evidence":
        study, claim = short(target.study.title), short(target.claim.plain_statement)
        return f"the study “{study}” on the claim “{claim}”"
    return f"a comment on the claim “{short(target.claim.plain_statement)}”"


def target_label(target) -> str:
    label = target._meta.label_lower
    if label == "claims.claim":
        return f"The claim “{target.plain_statement}”"
    if label == "studies.study":
        return f"The study “{target.title}”"
    if label == "claims.evidence":
        return f"The study “{target.study.title}” on the claim “{target.claim.plain_statement}”"
    return f"A comment on the claim “{target.claim.plain_statement}”"
