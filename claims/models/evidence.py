"""Evidence: the link claim ⇄ study, with the editor's GRADE appraisal and what scoring reads."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.audit import AuditedHistory
from scoring import CERTAINTIES, RISK_OF_BIAS_LABELS, STRENGTH_LABELS
from studies.models import Stance, Study

from .. import effects
from .claim import Claim
from .effect import (
    EffectFields,
    effect_errors,
    evidence_effect_constraints,
    n_analysed_errors,
    stance_errors,
)
from .validation import CERTAINTY_VALUES, visible

# Evidence's GRADE downgrade fields: 0 none, 1 serious, 2 very serious.
CONCERN_FIELDS = (
    "risk_of_bias",
    "inconsistency",
    "indirectness",
    "imprecision",
    "publication_bias",
)
LARGE_EFFECTS = [(0, "No"), (1, "Large (+1)"), (2, "Very large (+2)")]
REASON_REQUIRED = "Give the reason for {judgement}: readers see it beside the certainty."
REASON_MAX_LENGTH = 2000
REASON_TOO_LONG = f"Keep the reason under {REASON_MAX_LENGTH} characters: readers see it in full."
REASON_FIELDS = (
    "certainty_reason",
    "risk_of_bias_reason",
    "inconsistency_reason",
    "indirectness_reason",
    "imprecision_reason",
    "publication_bias_reason",
    "upgrade_reason",
)
RISK_OF_BIAS_CONTRADICTS = (
    "A low risk-of-bias judgement and a GRADE risk-of-bias concern contradict each other: "
    "change one of them."
)


class EvidenceQuerySet(models.QuerySet):
    def standing(self):
        """Approved, appraised links to studies that are not retracted: what can back a
        claim's wording (the wording check); scoring applies the rest of design.md §3.1."""
        return self.filter(
            status=Evidence.Status.APPROVED, appraisal_status=Evidence.Appraisal.APPRAISED
        ).exclude(study__retraction_status="retracted")


class Evidence(EffectFields):
    """The link claim ⇄ study, with the editor's appraisal of the study for this claim, and
    the effect the study reports (EffectFields)."""

    class Status(models.TextChoices):
        APPROVED = "approved", "Approved"
        PENDING = "pending", "Pending"

    class Appraisal(models.TextChoices):
        AWAITING = "awaiting", "Awaiting appraisal"
        APPRAISED = "appraised", "Appraised"

    class RiskOfBias(models.TextChoices):
        LOW = "low", RISK_OF_BIAS_LABELS["low"]
        SOME = "some", RISK_OF_BIAS_LABELS["some"]
        HIGH = "high", RISK_OF_BIAS_LABELS["high"]
        NOT_ASSESSED = "not_assessed", "Not assessed"

    class BiasDomain(models.TextChoices):
        # Cochrane RoB 2 domains for randomised trials, then the ROBINS-I ones it lacks.
        RANDOMISATION = "randomisation", "Randomisation process (RoB 2, D1)"
        DEVIATIONS = "deviations", "Deviations from intended interventions (RoB 2, D2)"
        MISSING_DATA = "missing_data", "Missing outcome data (RoB 2, D3)"
        MEASUREMENT = "measurement", "Measurement of the outcome (RoB 2, D4)"
        REPORTING = "reporting", "Selection of the reported result (RoB 2, D5)"
        CONFOUNDING = "confounding", "Confounding (ROBINS-I)"
        SELECTION = "selection", "Selection of participants (ROBINS-I)"
        CLASSIFICATION = "classification", "Classification of interventions (ROBINS-I)"

    class Strength(models.TextChoices):
        CLEAR = "clear", STRENGTH_LABELS["clear"]
        PARTIAL = "partial", STRENGTH_LABELS["partial"]

    class Concern(models.IntegerChoices):
        NONE = 0, "No serious concern"
        SERIOUS = 1, "Serious (−1)"
        VERY_SERIOUS = 2, "Very serious (−2)"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="evidence")
    stance = models.CharField(max_length=12, choices=Stance.choices)
    appraisal_status = models.CharField(
        max_length=10,
        choices=Appraisal.choices,
        default=Appraisal.APPRAISED,
        help_text="Evidence from a member's submission arrives awaiting appraisal and counts "
        "for nothing until an editor appraises it.",
    )
    appraised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="appraised_evidence",
    )
    appraised_at = models.DateTimeField(null=True, blank=True, editable=False)
    certainty = models.CharField(
        max_length=10,
        choices=CERTAINTIES,
        blank=True,
        help_text="GRADE certainty. Leave empty to derive it from the design and the concerns.",
    )
    certainty_reason = models.TextField(
        blank=True, help_text="Required when you set the certainty directly."
    )
    risk_of_bias_judgement = models.CharField(
        "risk-of-bias judgement",
        max_length=12,
        choices=RiskOfBias.choices,
        default=RiskOfBias.NOT_ASSESSED,
        help_text="The overall RoB 2 (trials) or ROBINS-I (non-randomised) judgement. "
        "Not assessed counts as some concerns in the certainty of the body of evidence.",
    )
    risk_of_bias_domain = models.CharField(
        "domain that drove it",
        max_length=16,
        choices=BiasDomain.choices,
        blank=True,
    )
    risk_of_bias = models.PositiveSmallIntegerField(
        "risk of bias (GRADE)", choices=Concern.choices, default=0
    )
    risk_of_bias_reason = models.TextField(
        blank=True,
        help_text="Required with a judgement of some concerns or high, or a GRADE concern.",
    )
    inconsistency = models.PositiveSmallIntegerField(choices=Concern.choices, default=0)
    inconsistency_reason = models.TextField(blank=True)
    indirectness = models.PositiveSmallIntegerField(choices=Concern.choices, default=0)
    indirectness_reason = models.TextField(blank=True)
    imprecision = models.PositiveSmallIntegerField(choices=Concern.choices, default=0)
    imprecise = models.BooleanField(
        "confidence interval includes both an important effect and none",
        default=False,
        help_text="Rates the body of evidence down at least one level for imprecision. "
        "Derived from the CI and the claim's smallest important effect when the CI is known.",
    )
    imprecision_reason = models.TextField(blank=True)
    publication_bias = models.PositiveSmallIntegerField(choices=Concern.choices, default=0)
    publication_bias_reason = models.TextField(blank=True)
    large_effect = models.PositiveSmallIntegerField(default=0, choices=LARGE_EFFECTS)
    dose_response = models.BooleanField(default=False, help_text="Upgrade +1.")
    plausible_confounding = models.BooleanField(
        default=False, help_text="Residual confounding would reduce the effect: upgrade +1."
    )
    upgrade_reason = models.TextField(
        blank=True,
        help_text="Required with any upgrade. Upgrades apply only to observational studies "
        "without serious concerns (GRADE 9).",
    )
    strength = models.CharField(max_length=8, choices=Strength.choices, default=Strength.CLEAR)
    finding = models.CharField(
        max_length=500, blank=True, help_text="One line: what the study found for this claim."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.APPROVED)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = EvidenceQuerySet.as_manager()
    history = AuditedHistory()  # the audit trail (core.audit)

    class Meta:
        ordering = ["claim", "stance", "-created_at"]
        verbose_name_plural = "evidence"
        constraints = [
            models.UniqueConstraint(fields=["claim", "study"], name="evidence_unique_claim_study"),
            models.CheckConstraint(
                condition=Q(stance__in=Stance.values), name="evidence_stance_valid"
            ),
            models.CheckConstraint(
                condition=Q(certainty="") | Q(certainty__in=CERTAINTY_VALUES),
                name="evidence_certainty_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["approved", "pending"]), name="evidence_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(appraisal_status__in=["awaiting", "appraised"]),
                name="evidence_appraisal_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(risk_of_bias_judgement__in=["low", "some", "high", "not_assessed"]),
                name="evidence_risk_of_bias_judgement_valid",
            ),
            models.CheckConstraint(
                condition=Q(strength__in=["clear", "partial"]), name="evidence_strength_valid"
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{field}__in": [0, 1, 2]}),
                    name=f"evidence_{field}_valid",
                    violation_error_message=f"{field.replace('_', ' ').capitalize()} must be "
                    "0 (no serious concern), 1 (serious) or 2 (very serious).",
                )
                for field in CONCERN_FIELDS
            ),
            models.CheckConstraint(
                condition=Q(large_effect__in=[0, 1, 2]),
                name="evidence_large_effect_valid",
                violation_error_message="Large effect must be 0 (no), 1 (large) or 2 (very large).",
            ),
            *evidence_effect_constraints(),
        ]

    def __str__(self):
        return f"{self.study} {self.get_stance_display().lower()} {self.claim.slug}"

    def clean(self):
        super().clean()
        errors = effect_errors(
            self.effect_measure, self.effect_estimate, self.effect_ci_lower, self.effect_ci_upper
        )
        if not errors:
            self.derive_imprecise()
            if self.claim_id is not None:
                reading = self.effect_reading()
                errors |= stance_errors(self.stance, reading, self.claim.expected_direction)
        if self.study_id is not None:
            errors |= n_analysed_errors(self.n_analysed, self.study.sample_size)
        errors |= {
            reason: REASON_REQUIRED.format(judgement=judgement)
            for reason, judgement in self.judgements_without_reason()
        }
        for reason in REASON_FIELDS:
            if len(getattr(self, reason)) > REASON_MAX_LENGTH:
                errors.setdefault(reason, REASON_TOO_LONG)
        if self.risk_of_bias_judgement == self.RiskOfBias.LOW and self.risk_of_bias > 0:
            errors.setdefault("risk_of_bias", RISK_OF_BIAS_CONTRADICTS)
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # Every write path (admin, services, shell) stores the derived flag; scoring reads it.
        self.derive_imprecise()
        fields = kwargs.get("update_fields")
        if fields is not None and effects.has_ci(self):  # a partial save keeps it in step too
            kwargs["update_fields"] = {*fields, "imprecise"}
        super().save(*args, **kwargs)

    @property
    def imprecise_derived(self) -> bool:
        """Whether `imprecise` follows from the CI (effects.is_imprecise) rather than the editor."""
        return effects.has_ci(self)

    def derive_imprecise(self) -> None:
        """Set `imprecise` from the CI and the claim's threshold; without a CI, leave the
        editor's flag as it is."""
        if not effects.has_ci(self) or self.claim_id is None:
            return
        derived = effects.is_imprecise(self, self.claim)
        if derived is not None:
            self.imprecise = derived

    def effect_reading(self) -> effects.EffectReading:
        return effects.reading(self, self.claim)

    def judgements_without_reason(self) -> list[tuple[str, str]]:
        """(reason field, judgement) for every judgement that moves certainty but has no reason."""
        judgements = [
            ("certainty_reason", "a certainty set directly", bool(self.certainty)),
            (
                "risk_of_bias_reason",
                "a risk-of-bias judgement or concern",
                self.risk_of_bias > 0
                or self.risk_of_bias_judgement in (self.RiskOfBias.SOME, self.RiskOfBias.HIGH),
            ),
            ("inconsistency_reason", "an inconsistency concern", self.inconsistency > 0),
            ("indirectness_reason", "an indirectness concern", self.indirectness > 0),
            (
                "imprecision_reason",
                "an imprecision concern",
                # A flag derived from the CI has its reason: the CI and the threshold.
                self.imprecision > 0 or (self.imprecise and not self.imprecise_derived),
            ),
            ("publication_bias_reason", "a publication-bias concern", self.publication_bias > 0),
            ("upgrade_reason", "an upgrade", self.upgrades > 0),
        ]
        return [
            (reason, judgement)
            for reason, judgement, made in judgements
            if made and not visible(getattr(self, reason))
        ]

    @property
    def is_awaiting_appraisal(self) -> bool:
        return self.appraisal_status == self.Appraisal.AWAITING

    @property
    def is_standing(self) -> bool:
        """In Python what EvidenceQuerySet.standing() selects (status and study loaded)."""
        return (
            self.status == self.Status.APPROVED
            and not self.is_awaiting_appraisal
            and not self.study.is_retracted
        )

    @property
    def downgrades(self) -> int:
        return (
            self.risk_of_bias
            + self.inconsistency
            + self.indirectness
            + self.imprecision
            + self.publication_bias
        )

    @property
    def upgrades(self) -> int:
        return self.large_effect + int(self.dose_response) + int(self.plausible_confounding)

    # What scoring_item() reads: load only these when scoring many links (rescore).
    SCORING_FIELDS = (
        "claim_id",
        "study_id",
        "stance",
        "appraisal_status",
        "certainty",
        "strength",
        "risk_of_bias_judgement",
        "risk_of_bias",
        "inconsistency",
        "indirectness",
        "imprecision",
        "imprecise",
        "publication_bias",
        "large_effect",
        "dose_response",
        "plausible_confounding",
        "study__design",
        "study__sample_size",
        "study__retraction_status",
        "study__trial_registration",
    )

    def scoring_item(self, included_in=()) -> dict:
        """This link as an item for scoring.score(); `included_in` holds the keys (evidence
        pks) of the claim's links to reviews that pool this study (claims.services)."""
        judgement = self.risk_of_bias_judgement
        return {
            "key": self.pk,
            "stance": self.stance,
            "design": self.study.design,
            "certainty": self.certainty or None,
            "downgrades": self.downgrades,
            "upgrades": self.upgrades,
            "sample_size": self.study.sample_size,
            "strength": self.strength,
            "trial": self.study.trial_registration.upper() or None,
            "included_in": tuple(included_in),
            "retracted": self.study.retraction_status == "retracted",
            "risk_of_bias": None if judgement == self.RiskOfBias.NOT_ASSESSED else judgement,
            "indirectness": self.indirectness,
            "imprecise": self.imprecise,
        }
