"""Members' field-by-field suggested edits and their review.

A suggestion names its target by content type and id (a claim, a study or an evidence link),
and keeps, per field, the value as the member saw it and the value they propose: an editor
accepting it is refused when the field has changed since (suggestions.services)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When

from claims.models import Evidence

# What a member may suggest, by model label: the wording readers see, a study's bibliographic
# facts and sample size (a wrong one is easy to check against the paper; accepting it rescores)
# and a link's one-line finding. The other scoring inputs (design, stance) stay with editors.
SUGGESTIBLE = {
    "claims.claim": ("plain_statement", "summary"),
    "studies.study": (
        "title",
        "authors",
        "journal",
        "year",
        "volume",
        "issue",
        "pages",
        "sample_size",
    ),
    "claims.evidence": ("finding",),
}
# The URL's <target_type> → the model label.
TARGET_TYPES = {"claim": "claims.claim", "study": "studies.study", "evidence": "claims.evidence"}


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", "Pending review"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    # By the member themselves, before review: kept on record, never applied.
    WITHDRAWN = "withdrawn", "Withdrawn"


# The editors' queue: pending first (an annotation of for_queue()), then newest first.
QUEUE_ORDER = ("pending_first", "-created_at", "-pk")


class SuggestionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=SuggestionStatus.PENDING)

    def for_queue(self):
        """The editors' queue: pending first, then newest first, with what the list shows."""
        pending_first = Case(
            When(status=SuggestionStatus.PENDING, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        return (
            self.select_related(
                "content_type",
                "claim",
                "suggested_by__profile",
                "reviewed_by__profile",
            )
            .annotate(pending_first=pending_first)
            .order_by(*QUEUE_ORDER)
        )

    def accepted_for_claim(self, claim):
        """Accepted suggestions that changed what the claim page shows: the claim's own
        wording, its links' findings (both carry `claim`) and its studies' descriptions."""
        studies = Evidence.objects.filter(claim=claim).values("study_id")
        study_type = ContentType.objects.get_by_natural_key("studies", "study")
        return self.filter(
            Q(claim=claim) | Q(content_type=study_type, object_id__in=studies),
            status=SuggestionStatus.ACCEPTED,
        ).select_related("suggested_by")


class Suggestion(models.Model):
    """A member's proposed change to some fields of a claim, a study or an evidence link."""

    Status = SuggestionStatus

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    # Denormalised: the claim whose page shows the target (a study informs many: none).
    claim = models.ForeignKey(
        "claims.Claim",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="suggestions",
    )
    # {field: {"from": the value as the member saw it, "to": the value they propose}}
    changes = models.JSONField()
    rationale = models.TextField(help_text="Why the change is right (markdown).")
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="suggestions",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_suggestions",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="suggestion_target"),
            models.Index(fields=["suggested_by", "created_at"], name="suggestion_by_when"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=SuggestionStatus.values), name="suggestion_status_valid"
            ),
        ]

    def __str__(self):
        fields = ", ".join(self.field_names)
        return f"{self.target_label} {self.object_id}: {fields}"

    @property
    def target_model(self) -> type[models.Model]:
        # ContentType's manager caches by id: no query per row of a list.
        return ContentType.objects.get_for_id(self.content_type_id).model_class()

    @property
    def target_label(self) -> str:
        return str(self.target_model._meta.verbose_name)

    @property
    def field_names(self) -> list[str]:
        """The changed fields, in the order SUGGESTIBLE lists them."""
        order = SUGGESTIBLE.get(self.target_model._meta.label_lower, ())
        return sorted(self.changes, key=lambda name: order.index(name) if name in order else 99)

    @property
    def target(self):
        """The claim, study or link, or None when it was deleted since."""
        return self.target_model.objects.filter(pk=self.object_id).first()

    @property
    def is_pending(self) -> bool:
        return self.status == SuggestionStatus.PENDING
