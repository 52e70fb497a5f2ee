"""The editors' queue of suggested edits and the review page: each field's word-level diff
(current | proposed), a warning where the field changed since the member saw it, Accept, and
Reject with a required note. Once reviewed (or withdrawn) the page shows what the member saw
beside what they proposed. Nobody deletes a suggestion here: it is the member's record."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import Truncator

from core.admin import MemberRecordAdmin, SafeIdsMixin
from core.display_names import display_name

from .diff import as_text, word_diff
from .forms import ReviewRejectForm
from .models import QUEUE_ORDER, TARGET_TYPES, Suggestion
from .services import (
    OWN_SUGGESTION,
    STALE,
    TARGET_GONE,
    SuggestionError,
    suggestion_accept,
    suggestion_reject,
)
from .targets import describe, page_url

ACCEPTED_MESSAGE = "Accepted: {target} now reads as the member suggested."
REJECTED_MESSAGE = "Rejected: the member sees your note."
NOT_DONE_MESSAGE = "Not done: {error}"


class TargetFilter(admin.SimpleListFilter):
    """Claims, studies or evidence links: without listing every content type of the site."""

    title = "target"
    parameter_name = "target"

    def lookups(self, request, model_admin):
        return [(name, name) for name in TARGET_TYPES]

    def queryset(self, request, queryset):
        label = TARGET_TYPES.get(self.value() or "")
        if label is None:
            return queryset
        app_label, model = label.split(".")
        return queryset.filter(content_type__app_label=app_label, content_type__model=model)


@admin.register(Suggestion)
class SuggestionAdmin(MemberRecordAdmin, SafeIdsMixin, admin.ModelAdmin):
    list_display = (
        "summary",
        "claim",
        "rationale_excerpt",
        "suggested_by_name",
        "status",
        "created_at",
        "reviewed_by_name",
    )
    list_display_links = ("summary",)
    list_filter = ("status", TargetFilter)
    search_fields = ("rationale", "suggested_by__username", "claim__slug")

    def get_queryset(self, request):
        return Suggestion.objects.for_queue()

    def get_ordering(self, request):
        # The queue: pending first (an annotation of for_queue(), so not in `ordering`, which
        # the system checks hold to model fields), then newest first.
        return QUEUE_ORDER

    @admin.display(description="Suggested by", ordering="suggested_by__username")
    def suggested_by_name(self, obj: Suggestion) -> str:
        return display_name(obj.suggested_by)

    @admin.display(description="Reviewed by", ordering="reviewed_by__username")
    def reviewed_by_name(self, obj: Suggestion) -> str:
        return display_name(obj.reviewed_by) if obj.reviewed_at else "-"

    @admin.display(description="Suggested edit")
    def summary(self, obj: Suggestion) -> str:
        model = obj.target_model
        labels = [str(model._meta.get_field(name).verbose_name) for name in obj.field_names]
        return f"{obj.target_label} {obj.object_id}: {', '.join(labels)}"

    @admin.display(description="Why")
    def rationale_excerpt(self, obj: Suggestion) -> str:
        return Truncator(obj.rationale).chars(120)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The review page in place of a change form: what the member sent is not editable;
        the two buttons post here."""
        suggestion = self.get_object(request, unquote(object_id))
        if suggestion is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, suggestion):
            raise PermissionDenied
        form = ReviewRejectForm()
        if request.method == "POST":
            if not self.has_change_permission(request, suggestion):
                raise PermissionDenied
            if "accept" in request.POST:
                return self._accept(request, suggestion)
            form = ReviewRejectForm(request.POST)
            if form.is_valid():
                return self._reject(request, suggestion, form.cleaned_data["note"])
        return TemplateResponse(
            request,
            "admin/suggestions/suggestion/review.html",
            self.review_context(request, suggestion, form),
        )

    def review_context(self, request, suggestion: Suggestion, form) -> dict:
        target = suggestion.target
        pending = suggestion.is_pending
        rows = []
        for name in suggestion.field_names:
            change = suggestion.changes[name]
            field = suggestion.target_model._meta.get_field(name)
            # Pending: against the text now, which accepting would replace. Reviewed: against
            # what the member saw (the text now may be theirs, or someone's since).
            current = getattr(target, name) if target is not None and pending else change["from"]
            stale = pending and target is not None and current != change["from"]
            rows.append(
                {
                    "label": str(field.verbose_name).capitalize(),
                    "diff": word_diff(current, change["to"]),
                    "seen": as_text(change["from"]),
                    "stale": STALE.format(current=as_text(current)) if stale else "",
                }
            )
        own = suggestion.suggested_by_id == request.user.pk
        return {
            **self.admin_site.each_context(request),
            "title": f"Review a suggested edit to {describe(target) if target else 'a page'}",
            "opts": self.opts,
            "original": suggestion,
            "suggestion": suggestion,
            "target_url": page_url(target) if target is not None else "",
            "target_gone": TARGET_GONE if target is None else "",
            "rows": rows,
            "any_stale": any(row["stale"] for row in rows),
            "before_heading": "Current value" if pending else "Value the member saw",
            "suggested_by_name": display_name(suggestion.suggested_by),
            "reviewed_by_name": display_name(suggestion.reviewed_by),
            "own": OWN_SUGGESTION if own else "",
            "can_review": suggestion.is_pending
            and not own
            and self.has_change_permission(request, suggestion),
            "form": form,
        }

    def _accept(self, request, suggestion: Suggestion):
        target = suggestion.target
        try:
            suggestion_accept(suggestion=suggestion, editor=request.user)
        except SuggestionError as error:
            self.message_user(request, NOT_DONE_MESSAGE.format(error=error), messages.ERROR)
            return HttpResponseRedirect(request.path)
        name = describe(target) if target is not None else "the page"
        self.message_user(request, ACCEPTED_MESSAGE.format(target=name), messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:suggestions_suggestion_changelist"))

    def _reject(self, request, suggestion: Suggestion, note: str):
        try:
            suggestion_reject(suggestion=suggestion, editor=request.user, note=note)
        except SuggestionError as error:
            self.message_user(request, NOT_DONE_MESSAGE.format(error=error), messages.ERROR)
            return HttpResponseRedirect(request.path)
        self.message_user(request, REJECTED_MESSAGE, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:suggestions_suggestion_changelist"))
