"""Claim: the statement a page is about, with its stored scorecard, and the QuerySets lists use."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone

from core.audit import AuditedHistory
from scoring import CERTAINTIES, VERDICTS
from studies.models import Stance

from ..page_version import versions_moved
from ..search import search_claims
from .effect import (
    EffectMeasure,
    EffectValueField,
    ExpectedDirection,
    claim_threshold_constraints,
    threshold_errors,
)
from .listing import LIST_INDEXES, certainty_rank, last_changed, list_version
from .validation import CERTAINTY_VALUES, VERDICT_INVALID, visible


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
        """Claims whose wording or topic matches every word of `text` (as a prefix), best first,
        each with `search_rank`: the database's full-text index (claims.search)."""
        return search_claims(self, text)

    VERSION_FIELDS = (
        "id",
        "slug",
        "status",
        "updated_at",
        "content_changed_at",
        "related_changed_at",
    )

    def published_version(self, slug: str):
        """A published claim with only its pk, slug, status and content version loaded, or None:
        what the ETag and the anonymous page cache need, on every claim page request."""
        # Hand-written: with the ORM, make bench's throughput ratio fell to 0.48 (target 0.5).
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
        pk, slug, status, *moments = row
        # What the ORM's converters would do: SQLite gives back naive UTC times.
        moments = [
            value if timezone.is_aware(value) else timezone.make_aware(value, connection.timezone)
            for value in moments
        ]
        values = [pk, slug, status, *moments]
        return self.model.from_db(self.db, self.VERSION_FIELDS, values)

    def touch(self, *, bump_lock: bool = False) -> int:
        """Mark these claims' pages as changed: new cache keys and ETags (one UPDATE). With
        `bump_lock`, the same UPDATE also makes their open admin forms stale (lock_version)."""
        changes = {"content_changed_at": timezone.now()}
        if bump_lock:
            changes["lock_version"] = F("lock_version") + 1
        count = self.update(**changes)
        versions_moved()  # after the UPDATE: the versions anonymous pages read (page_version)
        return count

    def touch_related_list(self) -> int:
        """Mark these claims' pages as changed because a claim on their Related claims list
        changed: a new page version (cache_version), but not a change of the claim itself, so
        the API's updated_at, the feed and the sitemap do not move (one UPDATE)."""
        count = self.update(related_changed_at=timezone.now())
        versions_moved()
        return count

    def touch_page(self) -> int:
        """Mark these claims' pages as changed by something readers do not take for a change
        of the claim (the count of pending submissions): a new page version, as
        touch_related_list, so the API's updated_at, the feed and the sitemap do not move."""
        return self.touch_related_list()

    def strongest_first(self):
        """The most settled claims first, either way: by the certainty of their evidence, then
        by the larger of the two scores (a very uncertain 95 is not more settled than a
        high-certainty 80)."""
        return self.annotate(
            certainty_rank=certainty_rank(), leading_score=Greatest("pro_score", "against_score")
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

        from .evidence import Evidence  # evidence.py imports Claim (its foreign key)

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
        from .evidence import Evidence  # evidence.py imports Claim (its foreign key)

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
        return self.annotate(last_changed=last_changed())

    def list_version(self) -> str:
        """What the lists' cached figures are keyed on (claims.models.listing)."""
        return list_version(self.model, self.db)

    def with_list_changed(self):
        """`list_changed`: the newest `updated_at` of any claim, in the same query. A claim
        withdrawn or unpublished is saved, so a list it left (the feed, the API's list) dates
        itself by it too: If-Modified-Since never gets a 304 for a list that lost a claim."""
        latest = self.model.objects.order_by("-updated_at").values("updated_at")[:1]
        return self.annotate(list_changed=Subquery(latest))


# Stored scores, page versions, the lock and the search index: derived, never audited.
DERIVED_FIELDS = [
    "updated_at",
    "pro_score",
    "against_score",
    "verdict",
    "fragile",
    "certainty",
    "basis_digest",
    "scored_at",
    "lock_version",
    "content_changed_at",
    "related_changed_at",
    "search_vector",
]


class Claim(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    slug = models.SlugField(max_length=120, unique=True)
    statement = models.TextField(help_text="The exact scientific wording.")
    plain_statement = models.TextField(help_text="The claim in plain language.")
    # Search engines show at most 75 characters of a ClaimReview's claimReviewed (Google's
    # documented limit); without a headline the plain statement is cut at a word.
    headline = models.CharField(
        max_length=75,
        blank=True,
        help_text="The claim in at most 75 characters, for search results and shares "
        "(ClaimReview's claimReviewed). Empty: the plain statement, shortened.",
    )
    # Where the claim was made, when known: the ClaimReview's Claim author, date and appearance.
    source_name = models.CharField(
        "made by",
        max_length=200,
        blank=True,
        help_text="Who made the claim: a person or an organisation.",
    )
    source_is_person = models.BooleanField(
        "made by a person", default=False, help_text="Unticked: an organisation."
    )
    source_url = models.URLField(
        "made at", max_length=500, blank=True, help_text="Where the claim appeared (a page)."
    )
    source_date = models.DateField("made on", null=True, blank=True)
    summary = models.TextField(blank=True, help_text='"What the research says" (markdown).')
    explanation = models.TextField(blank=True, help_text='"How it might work" (markdown).')
    # Issue 18: the practical upshot in plain words, written by an editor (markdown).
    bottom_line = models.TextField(
        "what this means for you",
        blank=True,
        help_text="The practical bottom line for a reader, in plain language (markdown).",
    )
    claim_type = models.CharField(max_length=16, choices=ClaimType.choices)
    topic = models.CharField(max_length=80, blank=True, db_index=True)
    # PICO (issue 14), beside the free-text statement.
    population = models.CharField(max_length=300, blank=True)
    intervention = models.CharField(
        "intervention or exposure", max_length=300, blank=True, help_text="What is done or met."
    )
    comparator = models.CharField(
        max_length=300, blank=True, help_text="Compared with what (placebo, usual care, none)."
    )
    outcome = models.CharField("primary outcome", max_length=300, blank=True)
    time_frame = models.CharField(max_length=300, blank=True, help_text="e.g. 8 to 12 weeks.")
    important_effect = EffectValueField(
        "smallest important effect",
        null=True,
        blank=True,
        help_text='The smallest effect on the outcome that matters; empty means "any effect". '
        "A link's CI is read against it (and its mirror the other way).",
    )
    important_effect_measure = models.CharField(
        "measure of the smallest important effect",
        max_length=16,
        choices=EffectMeasure.choices,
        blank=True,
    )
    important_effect_unit = models.CharField(
        "unit of the smallest important effect", max_length=40, blank=True
    )
    expected_direction = models.CharField(
        max_length=8,
        choices=ExpectedDirection.choices,
        blank=True,
        help_text="Which way the claim says the outcome moves.",
    )
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
    # Bumped (ClaimQuerySet.touch_related_list) when a claim under its "Related claims" changes,
    # and (touch_page) when a submission is pending or rejected: part of the page version only,
    # not of when the claim last changed (last_changed_at).
    related_changed_at = models.DateTimeField(default=timezone.now, editable=False)
    # PostgreSQL only (a trigger keeps it up to date; see migration 0005_search); NULL elsewhere.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ClaimQuerySet.as_manager()
    # The audit trail (core.audit): derived and bookkeeping fields make no history.
    history = AuditedHistory(excluded_fields=DERIVED_FIELDS)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            GinIndex(fields=["search_vector"], name="claim_search_vector_gin"),
            *LIST_INDEXES,
        ]
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
            *claim_threshold_constraints(),
        ]

    def __str__(self):
        return self.plain_statement[:80] or self.slug

    # What its links' derived `imprecise` flags are read against (claims.receivers).
    THRESHOLD_FIELDS = ("important_effect", "important_effect_measure", "expected_direction")

    def clean(self):
        super().clean()
        errors = threshold_errors(self.important_effect, self.important_effect_measure)
        if self.publication_bias and not visible(self.publication_bias_reason):
            errors["publication_bias_reason"] = "Say why publication bias is suspected."
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self):
        return reverse("claim-detail", kwargs={"slug": self.slug})

    HEADLINE_LENGTH = 75

    @property
    def short_statement(self) -> str:
        """The headline, else the plain statement cut at a word to at most 75 characters
        with "…" (ClaimReview's claimReviewed, og:title)."""
        return self.shorten(self.headline or self.plain_statement)

    @property
    def short_scientific_statement(self) -> str:
        """The scientific statement, cut as short_statement (og:title on ?wording=scientific)."""
        return self.shorten(self.statement)

    @classmethod
    def shorten(cls, text: str) -> str:
        """`text` on one line, cut at a word to at most 75 characters with "…"."""
        text = " ".join(text.split())
        if len(text) <= cls.HEADLINE_LENGTH:
            return text
        limit = cls.HEADLINE_LENGTH - 1  # room for the "…"
        cut = text[:limit]
        if text[limit] != " " and " " in cut:  # a word runs on past the limit: drop it
            cut = cut.rsplit(" ", 1)[0]
        return cut.rstrip(" ,;:–—-") + "…"

    @property
    def cache_version(self) -> str:
        """Changes whenever anything the claim page shows changes: cache keys and ETags use it."""
        moments = (self.updated_at, self.content_changed_at, self.related_changed_at)
        return ".".join([str(self.pk), *(str(moment.timestamp()) for moment in moments)])

    @property
    def last_changed_at(self):
        """When the claim last changed for a reader: saved, its content edited or re-scored.
        The API's updated_at, the feed and the sitemap use it (ClaimQuerySet.with_last_changed)."""
        moments = (self.updated_at, self.content_changed_at, self.scored_at)
        return max(moment for moment in moments if moment)
