import contextlib
import re
import unicodedata
from urllib.parse import unquote

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from core.audit import AuditedHistory
from scoring import DESIGN_LABELS, DESIGNS, STANCE_LABELS
from scoring.vocabulary import REVIEW_DESIGNS

from .doi import doi_url, normalize_doi, quote_doi, validate_doi

DOI_NOT_NORMALISED = (
    "The DOI must be stored in normal form: lower case, starting with “10.”, without "
    "https://doi.org/."
)


def normalised_or_as_typed(doi: str) -> str:
    """The DOI in normal form, or unchanged when it is not a DOI (validate_doi then says so)."""
    try:
        return normalize_doi(doi)
    except ValidationError:
        return doi


class Stance(models.TextChoices):
    SUPPORTS = "supports", STANCE_LABELS["supports"]
    CONTRADICTS = "contradicts", STANCE_LABELS["contradicts"]


class RetractionStatus(models.TextChoices):
    NONE = "none", "Not retracted"
    RETRACTED = "retracted", "Retracted"
    EXPRESSION_OF_CONCERN = "expression_of_concern", "Expression of concern"
    CORRECTED = "corrected", "Corrected"


# A registry's prefix or a number, then letters, digits, "-" or "/", with at least one digit:
# NCT01234567, ISRCTN12345678, ChiCTR-IOR-17012345, CTRI/2019/01/017000, 2004-000123-45.
TRIAL_REGISTRATION = re.compile(r"^(?=.*\d)[A-Za-z0-9][A-Za-z0-9\-/]{5,63}$")
TRIAL_REGISTRATION_INVALID = (
    "Enter a trial registration number such as NCT01234567, ISRCTN12345678 or "
    "2004-000123-45 (letters, digits, “-” or “/”; no spaces)."
)


def normalize_trial_registration(value: str) -> str:
    """Stripped, full-width forms folded (NFKC); the registry's own case is kept (ChiCTR, jRCT):
    scoring groups publications of one trial case-insensitively."""
    return unicodedata.normalize("NFKC", value).strip()


def validate_trial_registration(value: str) -> None:
    if value and not TRIAL_REGISTRATION.match(normalize_trial_registration(value)):
        raise ValidationError(TRIAL_REGISTRATION_INVALID, code="invalid")


POOLED_IN_CYCLE = (
    "A study cannot be pooled in itself, nor in a review that it (directly or through other "
    "reviews) pools: the patients would count nowhere."
)


def _study_path(name: str, doi: str) -> str:
    """A study page's path by its DOI. reverse() percent-encodes by its own rule (";" kept):
    re-encoded by the DOI's (studies.doi.quote_doi), so every href holds one form of the DOI."""
    return quote_doi(unquote(reverse(name, kwargs={"doi": doi})))


def pooled_in_cycle(pairs) -> bool:
    """Whether adding the (pooled study id, review id) `pairs` to the pooled-in links would close
    a loop: a review reachable from itself. One query per level of nesting (reviews of reviews
    are rare)."""
    pairs = [(int(a), int(b)) for a, b in pairs]
    if any(a == b for a, b in pairs):
        return True
    added = {}
    for study, review in pairs:
        added.setdefault(study, set()).add(review)
    # Walk upwards from each new review: if it reaches a study that gains a link, it is a loop.
    starts = {study for study, _ in pairs}
    frontier, seen = {review for _, review in pairs}, set()
    through = Study.pooled_in.through.objects
    while frontier:
        if frontier & starts:
            return True
        seen |= frontier
        upward = set(
            through.filter(from_study_id__in=frontier).values_list("to_study_id", flat=True)
        )
        upward |= {r for s in frontier for r in added.get(s, ())}
        frontier = upward - seen
    return False


class StudyQuerySet(models.QuerySet):
    def search(self, text: str):
        # A doi.org link (or "doi:…") is searched as the DOI it names.
        with contextlib.suppress(ValidationError):
            text = normalize_doi(text)
        return self.filter(
            Q(doi__icontains=text) | Q(title__icontains=text) | Q(authors__icontains=text)
        )


class Study(models.Model):
    doi = models.CharField(
        "DOI",
        max_length=255,
        blank=True,
        validators=[validate_doi],
        help_text="Normalised: lower-case, without https://doi.org/. Optional.",
    )
    title = models.CharField(max_length=500)
    authors = models.TextField(blank=True, help_text='"Family, Given; Family, Given; …"')
    journal = models.CharField(max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1600)]
    )
    design = models.CharField(max_length=32, choices=DESIGNS)
    design_confirmed = models.BooleanField(
        default=True,
        help_text="Untick when the design and sample size were assumed (for example set by "
        "default on a member's submission) rather than read from the paper; readers then see "
        "“design not confirmed”.",
    )
    sample_size = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)]
    )
    population = models.CharField(max_length=300, blank=True)
    duration_weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    abstract = models.TextField(blank=True)
    url = models.URLField(max_length=500, blank=True)
    # Bibliographic detail from Crossref, PubMed or a RIS file (all optional).
    subtitle = models.CharField(max_length=500, blank=True)
    volume = models.CharField(max_length=40, blank=True)
    issue = models.CharField(max_length=40, blank=True)
    pages = models.CharField(max_length=40, blank=True, help_text='e.g. "85–101" or "e15679".')
    issn = models.CharField(
        "ISSN", max_length=40, blank=True, help_text="One or more, comma-separated."
    )
    work_type = models.CharField(
        "publication type",
        max_length=80,
        blank=True,
        help_text='As the source records it ("journal-article", "Randomized Controlled Trial"): '
        "the kind of publication, not the study design.",
    )
    pmid = models.CharField(
        "PMID",
        max_length=16,
        blank=True,
        db_index=True,
        validators=[RegexValidator(r"^[1-9][0-9]{0,11}$", "A PMID is digits only, e.g. 37144554.")],
        help_text="PubMed identifier, digits only.",
    )
    mesh_terms = models.TextField("MeSH terms", blank=True, help_text="One per line.")
    # Facts scoring needs (design.md §3.1): a retracted study counts for nothing, publications
    # of one trial count once, and a study pooled in a review on the same claim counts there.
    retraction_status = models.CharField(
        max_length=24,
        choices=RetractionStatus.choices,
        default=RetractionStatus.NONE,
        help_text="A retracted study counts for nothing on every claim it informs.",
    )
    retraction_notice_doi = models.CharField(
        "retraction notice DOI",
        max_length=255,
        blank=True,
        validators=[validate_doi],
        help_text="The DOI of the retraction notice, expression of concern or correction.",
    )
    retraction_date = models.DateField("notice date", null=True, blank=True)
    # Retraction watch (studies/retraction_watch.py): when Crossref was last asked, and whether a
    # change it found waits for an editor to look at.
    retraction_checked_at = models.DateTimeField(null=True, blank=True, editable=False)
    retraction_needs_review = models.BooleanField(
        "retraction change to review",
        default=False,
        help_text="Set when the retraction watch changed this study's status; untick once seen.",
    )
    trial_registration = models.CharField(
        max_length=64,
        blank=True,
        db_index=True,
        validators=[validate_trial_registration],
        help_text="Registry number (NCT…, ISRCTN…, ACTRN…). Publications of one trial share it "
        "and count once on a claim.",
    )
    pooled_in = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="pools",
        help_text="Systematic reviews or meta-analyses that include this study. On a claim that "
        "cites the review too, this study counts through the review only.",
    )
    funding = models.TextField(blank=True)
    conflicts_of_interest = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StudyQuerySet.as_manager()
    # The audit trail (core.audit): the retraction watch's "checked at" stamp is bookkeeping.
    history = AuditedHistory(excluded_fields=["updated_at", "retraction_checked_at"])

    class Meta:
        ordering = ["-year", "title"]
        verbose_name_plural = "studies"
        constraints = [
            models.UniqueConstraint(
                fields=["doi"],
                condition=~Q(doi=""),
                name="study_unique_doi_when_present",
                violation_error_message="A study with this DOI already exists.",
            ),
            models.CheckConstraint(
                condition=Q(design__in=[value for value, _ in DESIGNS]), name="study_design_valid"
            ),
            models.CheckConstraint(
                condition=Q(sample_size__isnull=True) | Q(sample_size__gte=1),
                name="study_sample_size_positive",
            ),
            models.CheckConstraint(
                condition=Q(doi="") | (Q(doi=Lower("doi")) & Q(doi__startswith="10.")),
                name="study_doi_normalised",
                violation_error_message=DOI_NOT_NORMALISED,
            ),
            models.CheckConstraint(
                condition=Q(retraction_status__in=RetractionStatus.values),
                name="study_retraction_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.year})" if self.year else self.title

    def save(self, *args, **kwargs):
        if self.doi:
            self.doi = normalize_doi(self.doi)
        if self.retraction_notice_doi:
            self.retraction_notice_doi = normalize_doi(self.retraction_notice_doi)
        self.trial_registration = normalize_trial_registration(self.trial_registration)
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        # Normalise before the field validators and the unique-DOI check see the value, so
        # the admin accepts a DOI link or upper case and still finds a duplicate.
        if self.doi:
            self.doi = normalised_or_as_typed(self.doi)
        if self.retraction_notice_doi:
            self.retraction_notice_doi = normalised_or_as_typed(self.retraction_notice_doi)
        self.trial_registration = normalize_trial_registration(self.trial_registration)
        super().clean_fields(exclude)

    def clean(self):
        super().clean()
        errors = {}
        if self.retraction_status == RetractionStatus.NONE and (
            self.retraction_notice_doi or self.retraction_date
        ):
            errors["retraction_status"] = "Choose the kind of notice, or clear its DOI and date."
        elif self.retraction_status != RetractionStatus.NONE and not self.retraction_notice_doi:
            errors["retraction_notice_doi"] = (
                "Give the DOI of the notice: readers are shown it beside the study."
            )
        if self.retraction_date and self.retraction_date > timezone.localdate():
            errors["retraction_date"] = "The notice date cannot be in the future."
        if errors:
            raise ValidationError(errors)

    @property
    def is_retracted(self) -> bool:
        return self.retraction_status == RetractionStatus.RETRACTED

    @property
    def is_review(self) -> bool:
        return self.design in REVIEW_DESIGNS

    def get_absolute_url(self):
        if self.doi:
            return _study_path("study-detail", self.doi)
        return reverse("study-detail-by-id", kwargs={"pk": self.pk})

    @property
    def link_url(self) -> str:
        """Where our pages link to the study: its page with the DOI as the end of the address
        (/studies/10.1000/abc), so a reference manager scanning links reads the DOI exactly
        as the page shows it; get_absolute_url() stays the canonical address."""
        if self.doi and not self.doi.endswith("/"):
            return _study_path("study-link", self.doi)
        return self.get_absolute_url()

    @property
    def doi_url(self) -> str:
        """The doi.org link, percent-encoded: a SICI DOI's "<", ">" and ";" would otherwise
        break an href, and reference managers split a RIS UR at ";"."""
        return doi_url(self.doi)

    @property
    def retraction_notice_url(self) -> str:
        return doi_url(self.retraction_notice_doi)

    @property
    def full_text_url(self) -> str:
        """Where readers find the paper: the recorded link when it is a web address (a URL
        written past the form's validator cannot smuggle in javascript:), else doi.org."""
        if self.url.lower().startswith(("https://", "http://")):
            return self.url
        return self.doi_url

    @property
    def design_label(self) -> str:
        return DESIGN_LABELS.get(self.design, self.design)

    @property
    def first_author(self) -> str:
        return self.authors.split(";")[0].split(",")[0].strip() if self.authors else ""

    @property
    def short_citation(self) -> str:
        """ "Refalo et al. 2024" style, for compact lists; "" without authors, so callers fall
        back to the title rather than show a bare year."""
        author = self.first_author
        if not author:
            return ""
        many = self.authors.count(";") >= 1
        return f"{author}{' et al.' if many else ''} {self.year or ''}".strip()
