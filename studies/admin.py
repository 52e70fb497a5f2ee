from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import path

from core.admin import SafeIdsMixin
from core.audit import AuditedAdmin
from jobs.models import Job
from jobs.services import enqueue

from .admin_import import import_urls
from .models import REVIEW_DESIGNS, Study
from .tasks import fetch_crossref_metadata

POOLED_IN_NOT_REVIEW = (
    "“{study}” is a {design}, not a systematic review or meta-analysis: a study can only be "
    "pooled in a review."
)
POOLED_IN_ITSELF = "A study cannot be pooled in itself."
POOLED_IN_LOOP = (
    "Pooling this study in “{review}” would make a loop of reviews pooled in each other "
    "({loop}): each would count only through another, so none would count. Remove the link "
    "that is wrong."
)
NO_DOI_MESSAGE = "“{study}” has no DOI: nothing to fetch."
FETCH_FAILED_MESSAGE = "Not updated: “{study}”. {error}"


def fetched_message(count: int) -> str:
    return f"Updated {count} stud{pluralize(count, 'y,ies')} from Crossref."


def reviewed_message(count: int) -> str:
    return f"Marked {count} retraction change{pluralize(count)} as reviewed."


def fetch_queued_message(count: int) -> str:
    return (
        f"Queued {count} Crossref fetch{pluralize(count, 'es')}: their state shows under "
        "“Your fetches and imports” above."
    )


PANEL_KINDS = (Job.Kind.CROSSREF_FETCH, Job.Kind.PUBMED_IMPORT)
RECENT_FETCHES = 10  # the editor's latest Crossref jobs shown above the list of studies


class StudyAdminForm(forms.ModelForm):
    class Meta:
        model = Study
        fields = "__all__"

    def clean_pooled_in(self):
        reviews = self.cleaned_data["pooled_in"]
        errors = [
            ValidationError(POOLED_IN_NOT_REVIEW.format(study=study, design=study.design_label))
            for study in reviews
            if not study.is_review
        ]
        if self.instance.pk is not None and any(s.pk == self.instance.pk for s in reviews):
            errors.append(ValidationError(POOLED_IN_ITSELF))
        elif self.instance.pk is not None:
            loop = pooled_in_loop(self.instance, reviews)
            if loop:
                names = " → ".join(f"“{study}”" for study in loop)
                errors.append(ValidationError(POOLED_IN_LOOP.format(review=loop[1], loop=names)))
        if errors:
            raise ValidationError(errors)
        return reviews


def pooled_in_loop(study, reviews) -> list:
    """The shortest loop that pooling `study` in `reviews` would close: [study, the review,
    …, study], each pooled in the next; [] when there is none. One query per level of
    nesting (reviews of reviews are rare), one for the names."""
    through = Study.pooled_in.through.objects
    came_from = {review.pk: None for review in reviews}  # reached from the study itself
    frontier = set(came_from)
    while frontier and study.pk not in came_from:
        upward = through.filter(from_study_id__in=frontier).values_list(
            "from_study_id", "to_study_id"
        )
        frontier = set()
        for lower, review in upward.order_by("from_study_id", "to_study_id"):
            if review not in came_from:
                came_from[review] = lower
                frontier.add(review)
    if study.pk not in came_from:
        return []
    chain = [study.pk]  # walked back down: study ← … ← the review it would be pooled in
    while came_from[chain[-1]] is not None:
        chain.append(came_from[chain[-1]])
    path = [study.pk, *reversed(chain)]
    names = Study.objects.in_bulk(set(path))
    return [names[pk] for pk in path]


@admin.register(Study)
class StudyAdmin(SafeIdsMixin, AuditedAdmin):
    form = StudyAdminForm
    list_display = (
        "title",
        "doi",
        "year",
        "design",
        "design_confirmed",
        "sample_size",
        "retraction_status",
        "retraction_needs_review",
        "retraction_checked_at",
        "journal",
    )
    # "Retraction change to review" (the field's name): the editors' queue of the watch's changes.
    list_filter = (
        "retraction_needs_review",
        "retraction_status",
        "design",
        "design_confirmed",
        "year",
    )
    search_fields = ("doi", "title", "authors", "journal", "trial_registration")
    autocomplete_fields = ("pooled_in",)
    readonly_fields = ("created_at", "updated_at", "retraction_checked_at")
    actions = ["fetch_metadata", "mark_retraction_reviewed"]
    # Saving rescores every claim the study informs (claims.receivers), pooled_in included.
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "doi",
                    "title",
                    "authors",
                    "journal",
                    "year",
                    "design",
                    "design_confirmed",
                    "sample_size",
                    "population",
                    "duration_weeks",
                    "abstract",
                    "url",
                )
            },
        ),
        (
            "Trial and reviews",
            {
                "fields": ("trial_registration", "pooled_in"),
                "description": "Publications of one trial share its registration and count "
                "once on a claim; a study pooled in a review that the claim cites too counts "
                "through the review only.",
            },
        ),
        (
            "Retraction",
            {
                "fields": (
                    "retraction_status",
                    ("retraction_notice_doi", "retraction_date"),
                    ("retraction_needs_review", "retraction_checked_at"),
                ),
                "description": "A retracted study counts for nothing on every claim. The "
                "retraction watch asks Crossref weekly; it lifts only a status it set itself "
                "(saving here makes the status yours: the watch will not lower it).",
            },
        ),
        ("Funding and conflicts of interest", {"fields": ("funding", "conflicts_of_interest")}),
        (None, {"fields": ("created_at", "updated_at")}),
    )

    def get_urls(self):
        # The PubMed and RIS import pages (studies/admin_import.py) and the Crossref fetches'
        # panel, before the change page's catch-all pattern.
        fetches = path(
            "crossref-fetches/",
            self.admin_site.admin_view(self.crossref_fetches_view),
            name="studies_study_crossref_fetches",
        )
        return [*import_urls(self), fetches, *super().get_urls()]

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # The pooled-in autocomplete offers reviews only (the form refuses anything else).
        if (request.GET.get("model_name"), request.GET.get("field_name")) == ("study", "pooled_in"):
            queryset = queryset.filter(design__in=REVIEW_DESIGNS)
        return queryset, may_have_duplicates

    @admin.action(description="Mark retraction change as reviewed", permissions=["change"])
    def mark_retraction_reviewed(self, request, queryset):
        """Clear the queue flag with an UPDATE: no page shows it, and it is no change of status
        (the audit trail, which says who owns a status, records none)."""
        count = queryset.filter(retraction_needs_review=True).update(retraction_needs_review=False)
        self.message_user(request, reviewed_message(count), messages.SUCCESS)

    @admin.action(description="Fetch metadata from Crossref", permissions=["change"])
    def fetch_metadata(self, request, queryset):
        """Title, authors, journal, year, abstract and link from Crossref; never the design.
        One background job per study (studies.tasks); inline, without a broker, each is
        finished when the page comes back."""
        updated = queued = 0
        for study in queryset:
            if not study.doi:
                self.message_user(request, NO_DOI_MESSAGE.format(study=study), messages.WARNING)
                continue
            job = enqueue(
                fetch_crossref_metadata,
                kind=Job.Kind.CROSSREF_FETCH,
                target=study,
                started_by=request.user,
                doi=study.doi,
            )
            if job.state == Job.State.DONE:
                updated += 1
            elif job.state == Job.State.FAILED:
                message = FETCH_FAILED_MESSAGE.format(study=study, error=job.reason)
                self.message_user(request, message, messages.ERROR)
            else:
                queued += 1
        if updated:
            self.message_user(request, fetched_message(updated), messages.SUCCESS)
        if queued:
            self.message_user(request, fetch_queued_message(queued), messages.INFO)

    def crossref_fetches(self, request) -> dict:
        """The context of the "Your fetches and imports" panel: this editor's latest jobs."""
        jobs = Job.objects.filter(kind__in=PANEL_KINDS, started_by=request.user)
        jobs = list(jobs[:RECENT_FETCHES])
        return {
            "crossref_jobs": jobs,
            "crossref_unfinished": any(not job.is_finished for job in jobs),
        }

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), **self.crossref_fetches(request)}
        return super().changelist_view(request, extra_context)

    def crossref_fetches_view(self, request):
        """The "Your fetches and imports" panel alone: the changelist polls it (htmx) while a
        fetch is queued or running."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = self.crossref_fetches(request)
        return TemplateResponse(request, "admin/studies/study/_crossref_jobs.html", context)
