from django.contrib import admin
from django.utils.html import format_html

from .models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Read-only: a job's row is written by its task, never by hand."""

    list_display = ("created_at", "kind", "state", "target", "started_by", "attempts", "reason")
    list_filter = ("kind", "state")
    search_fields = ("target_label", "reason", "summary")
    list_select_related = ("started_by",)
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-pk")
    readonly_fields = [field.name for field in Job._meta.fields]

    @admin.display(description="target", ordering="target_label")
    def target(self, job):
        if job.target_url:
            return format_html('<a href="{}">{}</a>', job.target_url, job.target_label)
        return job.target_label

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
