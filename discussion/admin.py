"""Editors moderate the discussion: hide a comment with a reason (readers see the reason in its
place, the text stays here for the record) or show it again."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.utils.text import Truncator

from claims.text import render_markdown
from core.admin import SafeIdsMixin

from .forms import HideForm
from .models import Comment
from .services import REASON_REQUIRED, comment_hide, comment_unhide


def hidden_message(count: int) -> str:
    return f"Hid {count} comment{pluralize(count)}; readers see your reason in their place."


def unhidden_message(count: int) -> str:
    return f"Showed {count} comment{pluralize(count)} again."


class CommentAdminForm(forms.ModelForm):
    """The change page: hide or unhide with a reason; the member's text is read-only."""

    class Meta:
        model = Comment
        fields = ("hidden", "hidden_reason")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("hidden") and not (cleaned.get("hidden_reason") or "").strip():
            self.add_error("hidden_reason", REASON_REQUIRED)
        return cleaned


@admin.register(Comment)
class CommentAdmin(SafeIdsMixin, admin.ModelAdmin):
    form = CommentAdminForm
    list_display = ("excerpt", "claim", "author", "created_at", "hidden", "hidden_reason")
    list_filter = ("hidden", "created_at")
    list_select_related = ("claim", "author")
    search_fields = ("body", "claim__slug", "author__username", "hidden_reason")
    date_hierarchy = "created_at"
    actions = ["hide_with_reason", "unhide"]
    readonly_fields = (
        "claim",
        "author",
        "parent",
        "created_at",
        "body_html",
        "body",
        "hidden_by",
        "hidden_at",
    )
    fieldsets = (
        (None, {"fields": ("claim", "author", "parent", "created_at", "body_html", "body")}),
        ("Moderation", {"fields": ("hidden", "hidden_reason", "hidden_by", "hidden_at")}),
    )

    # Comments come from members on the thread page; a hidden one stays for the record.
    def has_add_permission(self, request):
        return False

    @admin.display(description="Comment")
    def excerpt(self, obj: Comment) -> str:
        return Truncator(obj.body).chars(120)

    @admin.display(description="As readers see it (when shown)")
    def body_html(self, obj: Comment):
        return render_markdown(obj.body)

    def get_readonly_fields(self, request, obj=None):
        """An editor's own comment: its moderation fields are for another editor."""
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and obj.author_id == request.user.pk:
            return (*fields, "hidden", "hidden_reason")
        return fields

    def save_model(self, request, obj, form, change):
        """Through the services, so who hid it and when are recorded."""
        if obj.hidden:
            comment_hide(comment=obj, editor=request.user, reason=obj.hidden_reason)
        elif "hidden" in form.changed_data:
            comment_unhide(comment=obj, editor=request.user)
        else:
            obj.save()

    @admin.action(description="Hide (with reason)", permissions=["change"])
    def hide_with_reason(self, request, queryset):
        """First shows a page asking for the reason; its form posts back to this action."""
        form = HideForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            hidden = 0
            for comment in queryset.select_related("claim"):
                try:
                    comment_hide(
                        comment=comment, editor=request.user, reason=form.cleaned_data["reason"]
                    )
                except ValidationError as error:
                    self._refused(request, comment, error)
                else:
                    hidden += 1
            self.message_user(request, hidden_message(hidden))
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Hide comments",
            "opts": self.model._meta,
            "comments": queryset.select_related("claim", "author__profile"),
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "action": "hide_with_reason",
        }
        return TemplateResponse(request, "admin/discussion/comment/hide_confirmation.html", context)

    def _refused(self, request, comment: Comment, error: ValidationError) -> None:
        """One message per refused comment, naming it; the others are still done."""
        excerpt = Truncator(comment.body).chars(60)
        self.message_user(request, f"{excerpt}: {' '.join(error.messages)}", messages.ERROR)

    @admin.action(description="Show again (unhide)", permissions=["change"])
    def unhide(self, request, queryset):
        shown = 0
        for comment in queryset.filter(hidden=True):
            try:
                comment_unhide(comment=comment, editor=request.user)
            except ValidationError as error:
                self._refused(request, comment, error)
            else:
                shown += 1
        self.message_user(request, unhidden_message(shown))
