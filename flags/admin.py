"""The editors' flag queue: open flags first, filters, a link to each target, and a resolve
page (an outcome and a required note the reader sees)."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from claims.text import render_markdown
from core.admin import MemberRecordAdmin, SafeIdsMixin

from .forms import ResolveForm
from .models import FLAGGABLE, TARGET_TYPE_OF_LABEL, Flag
from .services import ALREADY_RESOLVED, flag_resolve, resolve_refusal

RESOLVED_MESSAGE = "Resolved the flag as “{outcome}”; the reader sees your note."
NOT_RESOLVED_MESSAGE = "Not resolved: {error}"


class TargetTypeFilter(admin.SimpleListFilter):
    title = "target type"
    parameter_name = "target"

    def lookups(self, request, model_admin):
        kinds = [TARGET_TYPE_OF_LABEL[label] for label in sorted(FLAGGABLE)]
        return [(kind, kind) for kind in kinds]

    def queryset(self, request, queryset):
        labels = {kind: label for label, kind in TARGET_TYPE_OF_LABEL.items()}
        label = labels.get(self.value() or "")
        if label is None:
            return queryset
        app_label, model = label.split(".")
        return queryset.filter(content_type__app_label=app_label, content_type__model=model)


def admin_url(target) -> str:
    meta = target._meta
    try:
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[target.pk])
    except NoReverseMatch:  # not in the admin
        return ""


def comment_context(target) -> dict:
    """For a flagged comment, its text (hidden or not) and its admin page, where an editor
    hides it: the report is handled in one trip. Empty for any other target."""
    if target is None or target._meta.label_lower != "discussion.comment":
        return {}
    return {"comment": target, "comment_admin_url": admin_url(target)}


@admin.register(Flag)
class FlagAdmin(MemberRecordAdmin, SafeIdsMixin, admin.ModelAdmin):
    list_display = (
        "target_links",
        "reason",
        "note_excerpt",
        "flagger",
        "created_at",
        "status",
        "outcome",
        "resolved_by",
        "resolved_at",
        "resolve_link",
    )
    list_filter = ("status", "reason", TargetTypeFilter)
    list_select_related = ("claim", "content_type")
    search_fields = ("note", "resolution_note", "flagged_by__username", "claim__slug")
    date_hierarchy = "created_at"

    FIELDS = (
        "target_links",
        "claim",
        "reason",
        "note_html",
        "flagger",
        "created_at",
        "status",
        "outcome",
        "resolution_note_html",
        "resolved_by",
        "resolved_at",
        "resolve_link",
    )
    fields = readonly_fields = FIELDS

    # The outcome changes only through the resolve page: a flag's own page is view-only.
    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request)

    def get_queryset(self, request):
        return super().get_queryset(request).with_targets()

    def get_urls(self):
        resolve = path(
            "<path:object_id>/resolve/",
            self.admin_site.admin_view(self.resolve_view),
            name="flags_flag_resolve",
        )
        return [resolve, *super().get_urls()]

    @admin.display(description="Flagged")
    def target_links(self, obj: Flag):
        target = obj.target
        if target is None:
            return obj.target_label
        links = [(obj.target_url, "public page")] if obj.target_url else []
        if admin_url(target):
            links.append((admin_url(target), "admin page"))
        joined = format_html_join(" · ", '<a href="{}">{}</a>', links)
        return format_html("{}<br>{}", Truncator(obj.target_label).chars(300), joined)

    @admin.display(description="Note")
    def note_excerpt(self, obj: Flag) -> str:
        return Truncator(obj.note).chars(160)

    @admin.display(description="Note")
    def note_html(self, obj: Flag):
        return render_markdown(obj.note)

    @admin.display(description="Resolution note")
    def resolution_note_html(self, obj: Flag):
        return render_markdown(obj.resolution_note)

    @admin.display(description="Flagged by", ordering="flagged_by__username")
    def flagger(self, obj: Flag) -> str:
        return obj.flagger_name

    @admin.display(description="Resolve")
    def resolve_link(self, obj: Flag):
        if not obj.is_open:
            return "—"
        url = reverse("admin:flags_flag_resolve", args=[obj.pk])
        return format_html('<a class="button" href="{}">Resolve</a>', url)

    def resolve_view(self, request, object_id):
        if not self.has_change_permission(request):
            raise PermissionDenied
        flag = self.get_object(request, unquote(object_id))
        if flag is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        refusal = ""
        if not flag.is_open:
            refusal = ALREADY_RESOLVED
        else:
            refusal = resolve_refusal(flag=flag, editor=request.user)
        form = ResolveForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            try:
                flag_resolve(flag=flag, editor=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
                messages.error(request, NOT_RESOLVED_MESSAGE.format(error=" ".join(error.messages)))
            else:
                outcome = flag.get_outcome_display()
                self.message_user(
                    request, RESOLVED_MESSAGE.format(outcome=outcome), messages.SUCCESS
                )
                return HttpResponseRedirect(reverse("admin:flags_flag_changelist"))
        elif form.is_bound:
            self.message_user(request, "Not resolved: see the errors below.", messages.ERROR)
        context = {
            **self.admin_site.each_context(request),
            "title": "Resolve a flag",
            "opts": self.opts,
            "flag": flag,
            "target_links": self.target_links(flag),
            "form": form,
            "refusal": refusal,
            "change_url": reverse("admin:flags_flag_change", args=[flag.pk]),
            **comment_context(flag.target),
        }
        return TemplateResponse(request, "admin/flags/flag/resolve.html", context)
