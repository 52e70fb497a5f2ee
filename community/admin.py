"""Moderating members' submissions: the queue, accepting with a preview, rejecting with a note."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from claims.appraisal import verdict_preview
from claims.models import Evidence
from claims.services import approved_evidence, pooled_in_by_study
from claims.text import render_markdown
from core.admin import MemberRecordAdmin, SafeIdsMixin
from studies.crossref import CrossrefError
from studies.models import Study

from .forms import RejectForm
from .models import Submission
from .services import OWN_SUBMISSION, SubmissionError, submission_accept, submission_reject

# Accepted evidence awaits appraisal and counts for nothing (design.md §3.1): no new scores.
ACCEPTED_MESSAGE = (
    "Accepted {doi} for “{claim}”: the evidence is awaiting appraisal and counts for nothing "
    "until an editor appraises it, so the claim's scores are unchanged."
)
APPRAISE_LINK = '{} <a href="{}">Appraise it</a>.'
AWAITS_APPRAISAL = (
    "The evidence will be awaiting appraisal: it counts for nothing until an editor appraises it."
)
NOT_ACCEPTED_MESSAGE = "Not accepted: {doi} for “{claim}”. {error}"
STAYS_PENDING = (
    "The submission stays pending: try again later, or add the study by hand in Studies "
    "and accept again."
)


def rejected_message(count: int) -> str:
    return f"Rejected {count} submission{pluralize(count)}; the members see your note."


NOT_REJECTED_MESSAGE = "Not rejected: {doi} for “{claim}”. {error}"


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
class SubmissionAdmin(MemberRecordAdmin, SafeIdsMixin, admin.ModelAdmin):
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
    actions = ["accept_selected", "reject_with_note"]

    FIELDS = (
        "claim",
        "submitted_by",
        "doi",
        "title",
        "stance",
        "rationale_html",
        "status",
        "study",
        "moderator",
        "moderated_at",
        "moderator_note",
        "created_at",
    )
    fields = readonly_fields = FIELDS

    # What the member sent and the moderation outcome (status, moderator, the note) change
    # only through the actions, so a submission's page is view-only: the change permission
    # is for the actions.
    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request)

    @admin.display(description="Rationale")
    def rationale_excerpt(self, obj: Submission) -> str:
        return Truncator(obj.rationale).chars(160)

    @admin.display(description="Rationale")
    def rationale_html(self, obj: Submission):
        return render_markdown(obj.rationale)

    @admin.action(description="Accept selected submissions", permissions=["change"])
    def accept_selected(self, request, queryset):
        """First shows what each acceptance will do to its claim's verdict and certainty; its
        form posts back to this action with "confirm"."""
        submissions = list(queryset.select_related("claim", "submitted_by__profile"))
        if "confirm" not in request.POST:
            context = {
                **self.admin_site.each_context(request),
                "title": "Accept submissions",
                "opts": self.model._meta,
                "rows": self.acceptance_previews(request, submissions),
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "action": "accept_selected",
                "awaits_appraisal": AWAITS_APPRAISAL,
            }
            return TemplateResponse(
                request, "admin/community/submission/accept_confirmation.html", context
            )
        for submission in submissions:
            self.accept_one(request, submission)
        return None

    def acceptance_previews(self, request, submissions) -> list[dict]:
        """Per submission: the study it names if already on the site, what accepting it will
        do to the claim's verdict and certainty, and why it will be refused (4 queries)."""
        claim_ids = {s.claim_id for s in submissions}
        evidence = {claim_id: [] for claim_id in claim_ids}
        for link in approved_evidence(claim_ids):
            evidence[link.claim_id].append(link)
        pooled = pooled_in_by_study(
            {link.study_id for links in evidence.values() for link in links}
        )
        dois = {s.doi for s in submissions}
        studies = {study.doi: study for study in Study.objects.filter(doi__in=dois)}
        rows = []
        for submission in submissions:
            study = studies.get(submission.doi)
            accepted = Evidence(
                claim=submission.claim,
                stance=submission.stance,
                status=Evidence.Status.APPROVED,
                appraisal_status=Evidence.Appraisal.AWAITING,  # as submission_accept makes it
                added_by=submission.submitted_by,
            )
            if study is not None:
                accepted.study = study
            effect = verdict_preview(
                submission.claim,
                add=accepted,
                evidence=evidence[submission.claim_id],
                pooled=pooled,
            )
            own = submission.submitted_by_id == request.user.pk
            rows.append(
                {
                    "submission": submission,
                    "study": study,
                    "effect": effect,
                    "refusal": OWN_SUBMISSION if own else "",
                }
            )
        return rows

    def accept_one(self, request, submission) -> None:
        claim = submission.claim
        try:
            accepted = submission_accept(submission=submission, moderator=request.user)
        except CrossrefError as error:
            message = NOT_ACCEPTED_MESSAGE.format(
                doi=submission.doi, claim=claim, error=f"{error} {STAYS_PENDING}"
            )
            self.message_user(request, message, messages.ERROR)
            return
        except SubmissionError as error:
            message = NOT_ACCEPTED_MESSAGE.format(doi=submission.doi, claim=claim, error=error)
            self.message_user(request, message, messages.ERROR)
            return
        url = reverse("admin:claims_evidence_change", args=[accepted.evidence.pk])
        text = ACCEPTED_MESSAGE.format(doi=submission.doi, claim=claim)
        self.message_user(request, format_html(APPRAISE_LINK, text, url), messages.SUCCESS)
        if accepted.design_notice:
            study = accepted.evidence.study
            url = reverse("admin:studies_study_change", args=[study.pk])
            notice = format_html('{} <a href="{}">Edit the study</a>.', accepted.design_notice, url)
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
                self.message_user(request, rejected_message(rejected))
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Reject submissions",
            "opts": self.model._meta,
            "submissions": queryset.select_related("claim", "submitted_by__profile"),
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "action": "reject_with_note",
        }
        return TemplateResponse(
            request, "admin/community/submission/reject_confirmation.html", context
        )
