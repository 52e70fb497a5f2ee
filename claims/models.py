import re
import unicodedata

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import connections, models
from django.db.models import Case, Count, F, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone

from scoring import CERTAINTIES, DESIGNS, VERDICTS
from scoring.weights import LEVELS
from studies.models import Stance, Study

from .search_index import FTS_TABLE

CERTAINTY_VALUES = [value for value, _ in CERTAINTIES]
VERDICT_INVALID = "The verdict must be one of the scoring labels: " + ", ".join(VERDICTS) + "."
RANK_INVALID = "The rank must be 1 or more (1 = strongest)."
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


def visible(text: str) -> str:
    """The text without whitespace and invisible format characters (zero-width spaces…)."""
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Cf")


SEARCH_WORD = re.compile(r"[^\W_]+")
SQLITE_RANKED = 200


class ClaimType(models.TextChoices):
    MECHANISTIC = "mechanistic", "Mechanistic"
    CAUSAL = "causal", "Causal"
    CORRELATIONAL = "correlational", "Correlational"
    COMPARATIVE = "comparative", "Comparative"
    DESCRIPTIVE = "descriptive", "Descriptive"


class ClaimQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Claim.Status.PUBLISHED)

    def search(self, text: str):
        """Claims whose wording or topic matches every word of `text` (as a prefix), best first.

        The one search function: PostgreSQL full-text search on `search_vector` (English
        config, GIN index, ranked by SearchRank), SQLite FTS5 on `claims_claim_fts` (porter
        stemming, ranked by bm25), and a plain `icontains` per word on any other database.
        Each result carries `search_rank` (higher is better).
        """
        words = SEARCH_WORD.findall(text.lower())[:8]
        if not words:
            return self.none()
        vendor = connections[self.db].vendor
        if vendor == "postgresql":
            query = SearchQuery(
                " & ".join(f"{w}:*" for w in words), config="english", search_type="raw"
            )
            return (
                self.filter(search_vector=query)
                .annotate(search_rank=SearchRank(F("search_vector"), query))
                .order_by("-search_rank", "-created_at", "-pk")
            )
        if vendor == "sqlite":
            # FTS5's bm25() cannot be correlated per row cheaply, so the best SQLITE_RANKED
            # matches are ranked in one FTS query and the rest share rank 0.
            match = " ".join(f'"{w}"*' for w in words)
            with connections[self.db].cursor() as cursor:
                cursor.execute(
                    # bm25 column weights: plain wording, scientific wording, topic.
                    f"SELECT rowid, -bm25({FTS_TABLE}, 10.0, 4.0, 2.0) FROM {FTS_TABLE}"
                    f" WHERE {FTS_TABLE} MATCH %s ORDER BY 2 DESC LIMIT %s",
                    [match, SQLITE_RANKED],
                )
                ranked = cursor.fetchall()
            whens = [When(pk=pk, then=Value(score)) for pk, score in ranked]
            rank = Case(*whens, default=Value(0.0), output_field=models.FloatField())
            matches = RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match])
            return (
                self.filter(pk__in=matches)
                .annotate(search_rank=rank if whens else Value(0.0))
                .order_by("-search_rank", "-created_at", "-pk")
            )
        claims = self
        for word in words:
            claims = claims.filter(
                Q(plain_statement__icontains=word)
                | Q(statement__icontains=word)
                | Q(topic__icontains=word)
            )
        return claims.annotate(search_rank=Value(1.0)).order_by("-created_at", "-pk")

    VERSION_FIELDS = ("id", "slug", "status", "updated_at", "content_changed_at")

    def published_version(self, slug: str):
        """A published claim with only its pk, slug, status and content version loaded, or None.

        What the ETag and the anonymous page cache need, in hand-written SQL on a plain cursor:
        on that hot path compiling an ORM query cost more than running it, and raw() still
        cost 0.14 ms more than this on PostgreSQL (docs/performance.md).
        """
        connection = connections[self.db]
        quote = connection.ops.quote_name
        sql = (
            f"SELECT {', '.join(map(quote, self.VERSION_FIELDS))}"
            f" FROM {quote(self.model._meta.db_table)} WHERE slug = %s AND status = %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [slug, Claim.Status.PUBLISHED])
            row = cursor.fetchone()
        if row is None:
            return None
        pk, slug, status, updated_at, content_changed_at = row
        # What the ORM's converters would do: SQLite gives back naive UTC times.
        updated_at, content_changed_at = (
            value if timezone.is_aware(value) else timezone.make_aware(value, connection.timezone)
            for value in (updated_at, content_changed_at)
        )
        values = [pk, slug, status, updated_at, content_changed_at]
        return self.model.from_db(self.db, self.VERSION_FIELDS, values)

    def touch(self, *, bump_lock: bool = False) -> int:
        """Mark these claims' pages as changed: new cache keys and ETags (one UPDATE). With
        `bump_lock`, the same UPDATE also makes their open admin forms stale (lock_version)."""
        changes = {"content_changed_at": timezone.now()}
        if bump_lock:
            changes["lock_version"] = F("lock_version") + 1
        return self.update(**changes)

    def strongest_first(self):
        """The most settled claims first, either way: by the certainty of their evidence, then
        by the larger of the two scores (a very uncertain 95 is not more settled than a
        high-certainty 80)."""
        certainty_rank = Case(
            *(When(certainty=level, then=Value(rank)) for rank, level in enumerate(LEVELS)),
            default=Value(-1),
        )
        return self.annotate(
            certainty_rank=certainty_rank, leading_score=Greatest("pro_score", "against_score")
        ).order_by("-certainty_rank", "-leading_score", "-created_at", "-pk")

    def with_counts(self):
        """Standing supporting and contradicting link counts (approved, appraised, not
        retracted), and the links awaiting appraisal (which count for nothing yet): correlated
        subqueries, so a page of claims costs an index lookup per claim shown, not a join over
        all evidence. Publications of one trial and studies pooled in a review on the claim
        are still counted here; the claim's own page and JSON tell them apart."""

        def count(links):
            return Coalesce(
                Subquery(
                    links.filter(claim=OuterRef("pk"))
                    .order_by()
                    .values("claim")
                    .annotate(n=Count("pk"))
                    .values("n"),
                    output_field=models.IntegerField(),
                ),
                0,
            )

        standing = Evidence.objects.standing()
        awaiting = Evidence.objects.filter(
            status=Evidence.Status.APPROVED, appraisal_status=Evidence.Appraisal.AWAITING
        )
        return self.annotate(
            supporting_count=count(standing.filter(stance=Stance.SUPPORTS)),
            contradicting_count=count(standing.filter(stance=Stance.CONTRADICTS)),
            awaiting_count=count(awaiting),
        )

    def related_to(self, claim):
        """Other claims sharing approved studies with `claim`, most shared first (one query)."""
        approved = Q(evidence__status=Evidence.Status.APPROVED)
        studies = Evidence.objects.filter(claim=claim, status=Evidence.Status.APPROVED)
        return (
            self.exclude(pk=claim.pk)
            .filter(approved, evidence__study__in=studies.values("study_id"))
            .annotate(shared_count=Count("evidence__study", distinct=True))
            .order_by("-shared_count", "-created_at", "-pk")
        )

    def with_last_changed(self):
        """`last_changed`: Claim.last_changed_at in SQL, to filter and sort on."""
        scored = Coalesce("scored_at", "updated_at")  # GREATEST is NULL with a NULL on SQLite
        return self.annotate(last_changed=Greatest("updated_at", "content_changed_at", scored))


class Claim(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    slug = models.SlugField(max_length=120, unique=True)
    statement = models.TextField(help_text="The exact scientific wording.")
    plain_statement = models.TextField(help_text="The claim in plain language.")
    summary = models.TextField(blank=True, help_text='"What the research says" (markdown).')
    explanation = models.TextField(blank=True, help_text='"How it might work" (markdown).')
    claim_type = models.CharField(max_length=16, choices=ClaimType.choices)
    topic = models.CharField(max_length=80, blank=True, db_index=True)
    population = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    featured = models.BooleanField(default=False)
    publication_bias = models.BooleanField(
        "publication bias suspected",
        default=False,
        help_text="Rates the certainty of the whole body of evidence down one level (GRADE).",
    )
    publication_bias_reason = models.TextField(
        blank=True, help_text="Required when publication bias is suspected: why."
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    # The current scorecard, stored for lists, sorting and filtering; see claims.services.
    pro_score = models.PositiveSmallIntegerField(default=0, editable=False)
    against_score = models.PositiveSmallIntegerField(default=0, editable=False)
    verdict = models.CharField(
        max_length=32,
        choices=[(label, label) for label in VERDICTS],
        default=VERDICTS[0],
        editable=False,
        db_index=True,
    )
    fragile = models.BooleanField(default=False, editable=False)
    certainty = models.CharField(max_length=10, choices=CERTAINTIES, blank=True, editable=False)
    # Fingerprint of the counted evidence; an analysis with another was written on other evidence.
    basis_digest = models.CharField(max_length=16, blank=True, editable=False)
    scored_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Optimistic locking for editors: bumped on every admin save and whenever one of its
    # evidence rows or ideal studies is saved or deleted (see claims.admin and claims.cache).
    lock_version = models.PositiveIntegerField(default=0)
    # Bumped (ClaimQuerySet.touch) whenever what the page shows changes without a save of the
    # claim itself: its evidence, studies, analyses, mechanisms, ideal studies, submissions.
    content_changed_at = models.DateTimeField(default=timezone.now, editable=False)
    # PostgreSQL only (a trigger keeps it up to date; see migration 0005_search); NULL elsewhere.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [GinIndex(fields=["search_vector"], name="claim_search_vector_gin")]
        constraints = [
            models.CheckConstraint(
                condition=Q(claim_type__in=ClaimType.values), name="claim_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published"]), name="claim_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(pro_score__lte=100) & Q(against_score__lte=100),
                name="claim_scores_in_range",
            ),
            models.CheckConstraint(
                condition=Q(verdict__in=VERDICTS),
                name="claim_verdict_valid",
                violation_error_message=VERDICT_INVALID,
            ),
            models.CheckConstraint(
                condition=Q(certainty="") | Q(certainty__in=CERTAINTY_VALUES),
                name="claim_certainty_valid",
            ),
        ]

    def __str__(self):
        return self.plain_statement[:80] or self.slug

    def clean(self):
        super().clean()
        if self.publication_bias and not visible(self.publication_bias_reason):
            raise ValidationError(
                {"publication_bias_reason": "Say why publication bias is suspected."}
            )

    def get_absolute_url(self):
        return reverse("claim-detail", kwargs={"slug": self.slug})

    @property
    def cache_version(self) -> str:
        """Changes whenever anything the claim page shows changes: cache keys and ETags use it."""
        return f"{self.pk}.{self.updated_at.timestamp()}.{self.content_changed_at.timestamp()}"

    @property
    def last_changed_at(self):
        """When the claim last changed for a reader: saved, its content edited or re-scored.
        The API's updated_at, the feed and the sitemap use it (ClaimQuerySet.with_last_changed)."""
        moments = (self.updated_at, self.content_changed_at, self.scored_at)
        return max(moment for moment in moments if moment)


class EvidenceQuerySet(models.QuerySet):
    def standing(self):
        """Approved, appraised links to studies that are not retracted: what can back a
        claim's wording (the wording check); scoring applies the rest of design.md §3.1."""
        return self.filter(
            status=Evidence.Status.APPROVED, appraisal_status=Evidence.Appraisal.APPRAISED
        ).exclude(study__retraction_status="retracted")


class Evidence(models.Model):
    """The link claim ⇄ study, with the editor's appraisal of the study for this claim."""

    class Status(models.TextChoices):
        APPROVED = "approved", "Approved"
        PENDING = "pending", "Pending"

    class Appraisal(models.TextChoices):
        AWAITING = "awaiting", "Awaiting appraisal"
        APPRAISED = "appraised", "Appraised"

    class RiskOfBias(models.TextChoices):
        LOW = "low", "Low risk of bias"
        SOME = "some", "Some concerns"
        HIGH = "high", "High risk of bias"
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
        CLEAR = "clear", "Clear finding"
        PARTIAL = "partial", "Partial finding (tended to…)"

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
        help_text="Rates the body of evidence down at least one level for imprecision.",
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
        ]

    def __str__(self):
        return f"{self.study} {self.get_stance_display().lower()} {self.claim.slug}"

    def clean(self):
        super().clean()
        errors = {
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
                self.imprecision > 0 or self.imprecise,
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


class AnalysisQuerySet(models.QuerySet):
    def for_claim(self, claim):
        return self.filter(claim=claim).order_by("-version")

    def current_for(self, claim):
        """The claim's latest analysis with its mechanisms and steps, as the claim page, its
        JSON and the API all show it (4 queries), or None."""
        return self.for_claim(claim).with_mechanisms().first()

    def with_mechanisms(self):
        """Each analysis's mechanisms, the most probable first then by rank, with their steps
        in order and the steps' citations (3 queries)."""
        steps = MechanismStep.objects.prefetch_related("citations")
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
    lock_version = models.PositiveIntegerField(default=0)

    objects = AnalysisQuerySet.as_manager()

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

    @property
    def is_frozen(self) -> bool:
        return self.pro is not None

    @property
    def most_probable(self):
        return [m for m in self.mechanisms.all() if m.kind == Mechanism.Kind.MOST_PROBABLE]

    @property
    def alternatives(self):
        return [m for m in self.mechanisms.all() if m.kind == Mechanism.Kind.ALTERNATIVE]

    @property
    def cited_study_count(self) -> int:
        """ "Synthesis from N studies": the distinct studies the mechanisms cite."""
        return len(
            {
                study.pk
                for mechanism in self.mechanisms.all()
                for step in mechanism.steps.all()
                for study in step.citations.all()
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
    citations = models.ManyToManyField(Study, blank=True, related_name="cited_in_steps")

    class Meta:
        ordering = ["mechanism", "order"]
        constraints = [
            models.UniqueConstraint(fields=["mechanism", "order"], name="step_unique_order"),
        ]

    def __str__(self):
        return f"Step {self.order}: {self.text[:60]}"

    @staticmethod
    def level_for(citation_count: int) -> str:
        if citation_count >= 2:
            return MechanismStep.VERIFIED
        if citation_count == 1:
            return MechanismStep.SUPPORTED
        return MechanismStep.PLAUSIBLE

    @property
    def evidence_level(self) -> str:
        """Derived from citations (uses the prefetch cache when present)."""
        return self.level_for(len(self.citations.all()))


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
