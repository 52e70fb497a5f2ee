"""Analysis: numbered versions of a claim's synthesis, with their mechanisms and steps."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, Prefetch, Q, Value, When
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify

from core.audit import AuditedHistory
from scoring import CERTAINTIES, VERDICTS
from studies.models import Study

from .claim import Claim
from .evidence import Evidence
from .validation import RANK_INVALID, VERDICT_INVALID


def citation_title(claim) -> str:
    """The headline, else the plain wording, on one line (`claim` may be a historical row):
    what a citation of a version names."""
    return " ".join((claim.headline or claim.plain_statement or "").split())


class AnalysisQuerySet(models.QuerySet):
    def for_claim(self, claim):
        return self.filter(claim=claim).order_by("-version")

    def current_for(self, claim):
        """The claim's latest analysis with its mechanisms and steps, as the claim page, its
        JSON and the API all show it (5 queries), or None."""
        return self.for_claim(claim).with_mechanisms().first()

    def with_mechanisms(self):
        """Each analysis's mechanisms, the most probable first then by rank, with their steps
        in order and the steps' citations, direct and inferred (4 queries)."""
        steps = MechanismStep.objects.prefetch_related("citations", "inferred_from")
        most_probable_first = Case(
            When(kind=Mechanism.Kind.MOST_PROBABLE, then=Value(0)), default=Value(1)
        )
        mechanisms = Mechanism.objects.prefetch_related(Prefetch("steps", queryset=steps))
        mechanisms = mechanisms.order_by(most_probable_first, "rank", "pk")
        return self.prefetch_related(Prefetch("mechanisms", queryset=mechanisms))


class Analysis(models.Model):
    """A numbered version of a claim's synthesis, with the scorecard it was published on."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="analyses")
    version = models.PositiveIntegerField()
    summary = models.TextField(blank=True, help_text="What this version concludes (markdown).")
    change_note = models.TextField(blank=True, help_text="What changed since the last version.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    published_at = models.DateTimeField(default=timezone.now)
    # The scorecard and evidence this version rests on, recorded when it is published.
    pro = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    against = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    verdict = models.CharField(max_length=32, blank=True, editable=False)
    certainty = models.CharField(max_length=10, choices=CERTAINTIES, blank=True, editable=False)
    certainty_reasons = models.JSONField(default=list, blank=True, editable=False)
    evidence_snapshot = models.JSONField(default=list, blank=True, editable=False)
    basis_digest = models.CharField(max_length=16, blank=True, editable=False)
    # The claim's title (headline, else plain wording) at publishing: what a citation names.
    cited_title = models.TextField(blank=True, editable=False)
    # "What would change the verdict", in the words the page showed at publishing.
    what_would_change = models.TextField(blank=True, editable=False)
    # The mechanisms, steps and their levels, recorded when the next version replaced this
    # one (claims.version_snapshot): a past version's page shows these, never live rows.
    mechanisms_snapshot = models.JSONField(default=list, blank=True, editable=False)
    mechanisms_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)
    lock_version = models.PositiveIntegerField(default=0)

    objects = AnalysisQuerySet.as_manager()
    # The audit trail (core.audit): the scorecard snapshot taken at publishing is derived.
    history = AuditedHistory(
        excluded_fields=[
            "pro",
            "against",
            "verdict",
            "certainty",
            "certainty_reasons",
            "evidence_snapshot",
            "basis_digest",
            "cited_title",
            "what_would_change",
            "mechanisms_snapshot",
            "mechanisms_recorded_at",
            "lock_version",
        ]
    )

    class Meta:
        ordering = ["claim", "-version"]
        verbose_name_plural = "analyses"
        constraints = [
            models.UniqueConstraint(fields=["claim", "version"], name="analysis_unique_version"),
            models.CheckConstraint(condition=Q(version__gte=1), name="analysis_version_positive"),
            models.CheckConstraint(
                condition=Q(verdict="") | Q(verdict__in=VERDICTS),
                name="analysis_verdict_valid",
                violation_error_message=VERDICT_INVALID,
            ),
            models.CheckConstraint(
                condition=(Q(pro__isnull=True) | Q(pro__lte=100))
                & (Q(against__isnull=True) | Q(against__lte=100)),
                name="analysis_scores_in_range",
                violation_error_message="Pro and Against scores are at most 100.",
            ),
        ]

    def __str__(self):
        return f"{self.claim.slug} v{self.version}"

    def save(self, *args, **kwargs):
        # What a citation of this version names: the wording it is published with.
        if self._state.adding and not self.cited_title and self.claim_id:
            self.cited_title = citation_title(self.claim)
        super().save(*args, **kwargs)

    @property
    def is_frozen(self) -> bool:
        return self.pro is not None

    @property
    def most_probable(self):
        return [m for m in self.mechanisms.all() if m.kind == Mechanism.Kind.MOST_PROBABLE]

    @property
    def alternatives(self):
        return [m for m in self.mechanisms.all() if m.kind == Mechanism.Kind.ALTERNATIVE]

    @cached_property
    def standing_study_ids(self) -> frozenset:
        """The studies whose link on this claim is approved, appraised and not retracted: only
        a citation of one of these raises a step's level (one query per analysis)."""
        standing = Evidence.objects.standing().filter(claim_id=self.claim_id)
        return frozenset(standing.values_list("study_id", flat=True))

    @property
    def cited_study_count(self) -> int:
        """ "Synthesis from N studies": the distinct studies the mechanisms cite, whether a
        step was measured in them or inferred from them (both are named under the step)."""
        return len(
            {
                study.pk
                for mechanism in self.mechanisms.all()
                for step in mechanism.steps.all()
                for study in (*step.citations.all(), *step.inferred_from.all())
            }
        )


class Mechanism(models.Model):
    class Kind(models.TextChoices):
        MOST_PROBABLE = "most_probable", "Most probable mechanism"
        ALTERNATIVE = "alternative", "Less supported, not ruled out"

    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="mechanisms")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    rank = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    simple_summary = models.TextField(help_text='"In simple terms".')
    scientific_summary = models.TextField(blank=True)

    history = AuditedHistory()  # the audit trail (core.audit)

    class Meta:
        ordering = ["analysis", "kind", "rank"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["most_probable", "alternative"]), name="mechanism_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(rank__gte=1),
                name="mechanism_rank_positive",
                violation_error_message=RANK_INVALID,
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.rank} ({self.analysis})"


class MechanismStep(models.Model):
    PLAUSIBLE = "Plausible (inferred)"
    SUPPORTED = "Supported by evidence"
    VERIFIED = "Verified by multiple studies"

    mechanism = models.ForeignKey(Mechanism, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    text = models.TextField()
    citations = models.ManyToManyField(
        Study,
        blank=True,
        related_name="cited_in_steps",
        verbose_name="directly measured in",
        help_text="Studies that measured this step directly: only these set its evidence level.",
    )
    inferred_from = models.ManyToManyField(
        Study,
        blank=True,
        related_name="inferred_in_steps",
        verbose_name="inferred from",
        help_text="Studies from which the step is inferred, not measured.",
    )

    # The audit trail (core.audit); citations and inferred_from are not in it
    history = AuditedHistory()

    class Meta:
        ordering = ["mechanism", "order"]
        constraints = [
            models.UniqueConstraint(fields=["mechanism", "order"], name="step_unique_order"),
        ]

    def __str__(self):
        return f"Step {self.order}: {self.text[:60]}"

    @staticmethod
    def level_for(citation_count: int, inferred_count: int = 0) -> str:
        """Only direct measurements raise a step's level: a study the step is merely inferred
        from is named as such, never read as "Supported by evidence"."""
        if citation_count >= 2:
            return MechanismStep.VERIFIED
        if citation_count == 1:
            return MechanismStep.SUPPORTED
        if inferred_count:
            return f"Inferred from {inferred_count} stud{'y' if inferred_count == 1 else 'ies'}"
        return MechanismStep.PLAUSIBLE

    @property
    def measured_in(self) -> list:
        """The studies that measured the step directly and whose link on the claim stands
        (approved, appraised, not retracted): only these set the level."""
        standing = self.mechanism.analysis.standing_study_ids
        return [study for study in self.citations.all() if study.pk in standing]

    @property
    def awaiting_appraisal(self) -> list:
        """Studies cited as measuring the step whose link on the claim is not appraised (or
        not approved, or retracted): named as such, never counted."""
        standing = self.mechanism.analysis.standing_study_ids
        return [study for study in self.citations.all() if study.pk not in standing]

    @property
    def level_class(self) -> str:
        """The level's CSS class: a step only inferred from studies looks like a plausible one."""
        if not self.measured_in and self.inferred_from.all():
            return "plausible-inferred"
        return slugify(self.evidence_level)

    @property
    def evidence_level(self) -> str:
        """Derived from the standing direct measurements and inferred_from (uses the prefetch
        cache when present): a citation awaiting appraisal does not raise it."""
        return self.level_for(len(self.measured_in), len(self.inferred_from.all()))
