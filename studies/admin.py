from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from claims.services import rescore_claims_of_study
from claims.text import render_markdown

from .crossref import CrossrefError
from .forms import RejectForm
from .models import Study, Submission
from .services import (
    SubmissionError,
    study_import_doi,
    submission_accept,
    submission_reject,
)

SCORING_FIELDS = ("design", "sample_size")

ACCEPTED_MESSAGE = "Accepted {doi} for “{claim}”: it now scores Pro {pro} / Against {against}."
NOT_ACCEPTED_MESSAGE = "Not accepted: {doi} for “{claim}”. {error}"
STAYS_PENDING = (
    "The submission stays pending: try again later, or add the study by hand in Studies "
    "and accept again."
)
REJECTED_MESSAGE = "Rejected {count} submission(s); the members see your note."
NOT_REJECTED_MESSAGE = "Not rejected: {doi} for “{claim}”. {error}"
FETCHED_MESSAGE = "Updated {count} study(ies) from Crossref."
NO_DOI_MESSAGE = "“{study}” has no DOI: nothing to fetch."
FETCH_FAILED_MESSAGE = "Not updated: “{study}”. {error}"


@admin.register(Study)
class StudyAdmin(admin.ModelAdmin):
    list_display = ("title", "doi", "year", "design", "design_confirmed", "sample_size", "journal")
    list_filter = ("design", "design_confirmed", "year")
    search_fields = ("doi", "title", "authors", "journal")
    readonly_fields = ("created_at", "updated_at")
    actions = ["fetch_metadata"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and any(field in form.changed_data for field in SCORING_FIELDS):
            rescore_claims_of_study(obj)

    @admin.action(description="Fetch metadata from Crossref", permissions=["change"])
    def fetch_metadata(self, request, queryset):
        """Title, authors, journal, year, abstract and link from Crossref; never the design."""
        updated = 0
        for study in queryset:
            if not study.doi:
                self.message_user(request, NO_DOI_MESSAGE.format(study=study), messages.WARNING)
                continue
            try:
                study_import_doi(doi=study.doi)
            except (CrossrefError, ValidationError) as error:
                message = FETCH_FAILED_MESSAGE.format(study=study, error=_text(error))
                self.message_user(request, message, messages.ERROR)
            else:
                updated += 1
        if updated:
            self.message_user(request, FETCHED_MESSAGE.format(count=updated), messages.SUCCESS)


class SubmissionStatusFilter(admin.SimpleListFilter):
    """Pending submissions first: the moderation queue is the default view."""

    title = "status"
    parameter_name = "status"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [*Submission.Status.choices, (self.ALL, "All")]

    def current(self) -> str:
        return self.value() or Submission.Status.PENDING

    def queryset(self, request, queryset):
        if self.current() == self.ALL:
            return queryset
        return queryset.filter(status=self.current())

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.current() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = (
        "doi",
        "claim",
        "stance",
        "rationale_excerpt",
        "submitted_by",
        "status",
        "created_at",
    )
    list_filter = (SubmissionStatusFilter, "stance")
    list_select_related = ("claim", "submitted_by")
    search_fields = ("doi", "title", "rationale", "claim__slug", "submitted_by__username")
    autocomplete_fields = ("claim",)
    raw_id_fields = ("submitted_by",)
    actions = ["accept_selected", "reject_with_note"]

    SUBMITTED = ("claim", "submitted_by", "doi", "title", "stance")
    MODERATION = ("status", "study", "moderator", "moderated_at", "created_at")

    def get_fields(self, request, obj=None):
        if obj is None:
            return (*self.SUBMITTED, "rationale")
        return (*self.SUBMITTED, "rationale_html", *self.MODERATION, "moderator_note")

    def get_readonly_fields(self, request, obj=None):
        # What the member sent, and the moderation outcome, change only through the actions.
        if obj is None:
            return ()
        return (*self.SUBMITTED, "rationale_html", *self.MODERATION)

    @admin.display(description="Rationale")
    def rationale_excerpt(self, obj: Submission) -> str:
        return Truncator(obj.rationale).chars(160)

    @admin.display(description="Rationale")
    def rationale_html(self, obj: Submission):
        return render_markdown(obj.rationale)

    @admin.action(description="Accept selected submissions", permissions=["change"])
    def accept_selected(self, request, queryset):
        for submission in queryset.select_related("claim"):
            claim = submission.claim
            try:
                accepted = submission_accept(submission=submission, moderator=request.user)
            except CrossrefError as error:
                message = NOT_ACCEPTED_MESSAGE.format(
                    doi=submission.doi, claim=claim, error=f"{error} {STAYS_PENDING}"
                )
                self.message_user(request, message, messages.ERROR)
                continue
            except SubmissionError as error:
                message = NOT_ACCEPTED_MESSAGE.format(doi=submission.doi, claim=claim, error=error)
                self.message_user(request, message, messages.ERROR)
                continue
            claim.refresh_from_db(fields=["pro_score", "against_score"])
            message = ACCEPTED_MESSAGE.format(
                doi=submission.doi, claim=claim, pro=claim.pro_score, against=claim.against_score
            )
            self.message_user(request, message, messages.SUCCESS)
            if accepted.design_notice:
                study = accepted.evidence.study
                url = reverse("admin:studies_study_change", args=[study.pk])
                notice = format_html(
                    '{} <a href="{}">Edit the study</a>.', accepted.design_notice, url
                )
                self.message_user(request, notice, messages.WARNING)

    @admin.action(description="Reject (with note)", permissions=["change"])
    def reject_with_note(self, request, queryset):
        """First shows a page asking for the note; its form posts back to this action."""
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            rejected = 0
            for submission in queryset.select_related("claim"):
                try:
                    submission_reject(
                        submission=submission,
                        moderator=request.user,
                        note=form.cleaned_data["note"],
                    )
                except SubmissionError as error:
                    message = NOT_REJECTED_MESSAGE.format(
                        doi=submission.doi, claim=submission.claim, error=error
                    )
                    self.message_user(request, message, messages.ERROR)
                else:
                    rejected += 1
            if rejected:
                self.message_user(request, REJECTED_MESSAGE.format(count=rejected))
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Reject submissions",
            "opts": self.model._meta,
            "submissions": queryset.select_related("claim", "submitted_by"),
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "action": "reject_with_note",
        }
        return TemplateResponse(request, "studies/admin_reject.html", context)


def _text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)
