from django.conf import settings
from django.db import models
from django.db.models import Q

from studies.doi import normalize_doi, validate_doi
from studies.models import Stance, Study, normalised_or_as_typed


class SubmissionStatus(models.TextChoices):
    PENDING = "pending", "Pending review"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class SubmissionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=SubmissionStatus.PENDING)


class Submission(models.Model):
    """A member's study for a claim, waiting for an editor or moderated (community.services)."""

    Status = SubmissionStatus

    claim = models.ForeignKey("claims.Claim", on_delete=models.CASCADE, related_name="submissions")
    # A member who deletes their account leaves their submissions, credited to "a former
    # member" (core.display_names).
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submissions",
    )
    doi = models.CharField("DOI", max_length=255, validators=[validate_doi])
    title = models.CharField(max_length=500, blank=True)
    stance = models.CharField(max_length=12, choices=Stance.choices)
    rationale = models.TextField(help_text="Why this study bears on the claim (markdown).")
    status = models.CharField(
        max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.PENDING
    )
    study = models.ForeignKey(
        Study, on_delete=models.SET_NULL, null=True, blank=True, related_name="submissions"
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderated_submissions",
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderator_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        # The model moved here from studies; its table kept its name (migrations/0001).
        db_table = "studies_submission"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stance__in=Stance.values), name="submission_stance_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=SubmissionStatus.values), name="submission_status_valid"
            ),
            models.UniqueConstraint(
                fields=["claim", "doi"],
                condition=Q(status=SubmissionStatus.PENDING),
                name="submission_one_pending_per_claim_doi",
                violation_error_message="This study is already waiting for review on this claim.",
            ),
        ]

    def __str__(self):
        return f"{self.doi} {self.get_stance_display().lower()} {self.claim}"

    def save(self, *args, **kwargs):
        self.doi = normalize_doi(self.doi)
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        # As Study does: the admin's add form accepts a DOI link or upper case.
        self.doi = normalised_or_as_typed(self.doi)
        super().clean_fields(exclude)


class FollowDelivery(models.TextChoices):
    EACH_CHANGE = "each", "One email for each change"
    DAILY_DIGEST = "daily", "A daily digest"


class FollowSettings(models.Model):
    """How a member wants news of the claims they follow; no row means one email per change."""

    Delivery = FollowDelivery

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follow_settings"
    )
    delivery = models.CharField(
        max_length=5, choices=FollowDelivery.choices, default=FollowDelivery.EACH_CHANGE
    )
    digest_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name_plural = "follow settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(delivery__in=FollowDelivery.values), name="follow_delivery_valid"
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.get_delivery_display().lower()}"


class Follow(models.Model):
    """A member follows a claim (community.follows). The notified_* fields are what the member
    was last told (the claim as it was when they followed, or their last email): a mail says
    what moved since then and moves them, so a redelivered task finds nothing left to say."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    claim = models.ForeignKey("claims.Claim", on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(auto_now_add=True)
    notified_verdict = models.CharField(max_length=32, blank=True, editable=False)
    notified_certainty = models.CharField(max_length=10, blank=True, editable=False)
    notified_study_ids = models.JSONField(default=list, blank=True, editable=False)
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "claim"], name="follow_once_per_claim"),
        ]

    def __str__(self):
        return f"{self.user} follows {self.claim}"
