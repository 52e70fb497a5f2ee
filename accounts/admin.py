"""Editors' declarations of conflicts of interest: each editor adds their own (a renewal is a
new row), sees their own, and is warned on the admin index when theirs is missing or more
than a year old.

An out-of-date declaration does not block appraising: the claim pages the editor reviewed say
"declaration out of date" instead, and the warning below asks them to renew it. (Blocking
would stop every editor the day their year runs out, mid-queue; the page tells readers.)
Every member of staff may declare (no group permission needed): it is about themselves.
"""

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from .models import ConflictOfInterestDeclaration, Profile

DECLARE_FIRST = "You have not declared your conflicts of interest: claim pages you review say so."
RENEW = (
    "Your declaration of interests is more than a year old: claim pages you reviewed say "
    "“declaration out of date”."
)
DECLARE_LINK = '{} <a href="{}">Declare them now</a>.'


class DeclarationForm(forms.ModelForm):
    class Meta:
        model = ConflictOfInterestDeclaration
        fields = ("no_conflicts", "statement")

    def clean(self):
        cleaned = super().clean()
        statement = (cleaned.get("statement") or "").strip()
        cleaned["statement"] = statement
        # "None" or a statement, not both: the model's check constraint says so (once, in
        # NONE_OR_STATEMENT's words) when the form validates the instance.
        return cleaned


@admin.register(ConflictOfInterestDeclaration)
class DeclarationAdmin(admin.ModelAdmin):
    form = DeclarationForm
    list_display = ("declared_at", "editor", "summary", "current")
    list_select_related = ("editor",)
    readonly_fields = ("editor", "declared_at")

    # A declaration is a record of what was said when: never changed or deleted here, and
    # each editor's are their own (a superuser sees everyone's).
    def _staff(self, request) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_module_permission(self, request):
        return self._staff(request)

    def has_view_permission(self, request, obj=None):
        return self._staff(request) and (
            obj is None or obj.editor_id == request.user.pk or request.user.is_superuser
        )

    def has_add_permission(self, request):
        return self._staff(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        return rows if request.user.is_superuser else rows.filter(editor=request.user)

    def get_fields(self, request, obj=None):
        return ("no_conflicts", "statement") if obj is None else (*self.readonly_fields, "summary")

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else ("editor", "declared_at", "summary")

    @admin.display(boolean=True, description="Current")
    def current(self, obj):
        return obj.is_current()

    def save_model(self, request, obj, form, change):
        obj.editor = request.user  # their own, whatever was posted
        super().save_model(request, obj, form, change)


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    """Members' display names and editors' credentials ("Reviewed by …, MSc sports science").
    The display name is changed on the member's own page, where its look-alike checks are:
    here, only the credentials. A profile comes and goes with its account."""

    list_display = ("display_name", "user", "credentials")
    list_select_related = ("user",)
    search_fields = ("display_name", "user__username", "credentials")
    fields = ("user", "display_name", "credentials")
    readonly_fields = ("user", "display_name")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def declaration_warning(user) -> str:
    """What the admin index tells an editor about their declaration, or "" (one query)."""
    if not (user.is_active and user.is_staff):
        return ""
    latest = ConflictOfInterestDeclaration.objects.filter(editor=user).first()
    if latest is None:
        return DECLARE_FIRST
    return "" if latest.is_current() else RENEW


_index = admin.site.index


def index(request, extra_context=None):
    """The admin index, with a warning for an editor whose declaration is missing or old.
    (The site is Django's own: wrapping its index here keeps the warning beside the model.)"""
    warning = declaration_warning(request.user)
    if warning:
        url = reverse("admin:accounts_conflictofinterestdeclaration_add")
        messages.warning(request, format_html(DECLARE_LINK, warning, url))
    return _index(request, extra_context)


admin.site.index = index
