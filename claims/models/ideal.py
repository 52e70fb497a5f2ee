"""IdealStudy: the gold-standard studies that would settle a claim."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from scoring import DESIGNS

from .claim import Claim
from .validation import RANK_INVALID


class IdealStudyQuerySet(models.QuerySet):
    def published(self):
        """What readers see: drafts stay in the admin until an editor publishes them."""
        return self.filter(is_draft=False)


class IdealStudy(models.Model):
    """Gold standard evidence needed: a study that would settle the claim."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="ideal_studies")
    rank = models.PositiveSmallIntegerField(
        help_text="1 = strongest.", validators=[MinValueValidator(1)]
    )
    design = models.CharField(max_length=32, choices=DESIGNS)
    description = models.TextField(
        help_text="Population, intervention, comparator, outcome, duration, size."
    )
    why = models.TextField(help_text="What it would settle.")
    is_draft = models.BooleanField(
        "draft",
        default=False,
        help_text="Drafted by the “Draft gold-standard studies” action and hidden from readers "
        "until an editor has edited it and unticked this box.",
    )

    objects = IdealStudyQuerySet.as_manager()

    class Meta:
        ordering = ["claim", "rank"]
        verbose_name = "ideal study"
        verbose_name_plural = "gold standard evidence needed"
        constraints = [
            models.UniqueConstraint(fields=["claim", "rank"], name="ideal_study_unique_rank"),
            models.CheckConstraint(
                condition=Q(design__in=[value for value, _ in DESIGNS]), name="ideal_design_valid"
            ),
            models.CheckConstraint(
                condition=Q(rank__gte=1),
                name="ideal_study_rank_positive",
                violation_error_message=RANK_INVALID,
            ),
        ]

    def __str__(self):
        return f"#{self.rank} {self.get_design_display()}"
