"""The audit trail's plumbing: which path a write came through, read by the history records.

django-simple-history keeps one historical table per audited model (claims, evidence links,
studies, analyses, mechanisms, steps): who (`history_user`), when (`history_date`), the row as
it was, and here, in `history_change_reason`, the path: "admin", "submission", "task" (with the
task's public name: "task: the retraction watch") or "shell/command" when nothing said.

A write says its path with the context manager (a contextvar, so nested paths and threads
behave):

    with audit_path("submission"):
        ...  # every history row written in here reads "submission"
    with audit_path("task", actor="the retraction watch"):
        ...

`AuditMiddleware` gives simple-history the request (its user) and sets "admin" for the admin's
URLs; services inside the admin (accepting a submission) set their own path over it.
"""

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import HistoricalRecords

ADMIN = "admin"
SUBMISSION = "submission"
SUGGESTION = "suggestion"
TASK = "task"
SHELL = "shell/command"
PATHS = (ADMIN, SUBMISSION, SUGGESTION, TASK, SHELL)

# (the stored reason, the user who acts, or None for the request's user)
_path: ContextVar[tuple[str, object]] = ContextVar("audit_path", default=(SHELL, None))


@contextmanager
def audit_path(path: str, *, actor: str = "", user=None) -> Iterator[None]:
    """History rows written inside say `path`; a task also names itself for readers (`actor`),
    a service may name who acts (`user`) when it runs outside a request."""
    if path not in PATHS:
        raise ValueError(f"unknown audit path {path!r}: one of {', '.join(PATHS)}")
    token = _path.set((f"{path}: {actor}" if actor else path, user))
    try:
        yield
    finally:
        _path.reset(token)


def current_path() -> str:
    return _path.get()[0]


def split_reason(reason: str | None) -> tuple[str, str]:
    """A stored `history_change_reason` → (path, actor); rows from before the trail: shell."""
    path, _, actor = (reason or SHELL).partition(": ")
    return (path if path in PATHS else SHELL), actor


class AuditedHistory(HistoricalRecords):
    """HistoricalRecords that stamp the current path and skip saves of derived fields only."""

    def get_change_reason_for_object(self, instance, history_type, using):
        return getattr(instance, "_change_reason", None) or current_path()

    def get_history_user(self, instance):
        user = _path.get()[1]
        return user if user is not None else super().get_history_user(instance)

    def post_save(self, instance, created, using=None, update_fields=None, **kwargs):
        # save(update_fields=[...]) of excluded fields only (a stamp, a lock bump): no change.
        if not created and update_fields and set(update_fields) <= set(self.excluded_fields):
            return
        super().post_save(instance, created, using=using, update_fields=update_fields, **kwargs)


class AuditMiddleware:
    """simple-history's request (for `history_user`), and path "admin" under the admin."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        HistoricalRecords.context.request = request
        try:
            if request.path.startswith(reverse("admin:index")):
                with audit_path(ADMIN):
                    return self.get_response(request)
            return self.get_response(request)
        finally:
            # Already cleared by a nested request (the test client) or never set: fine.
            with suppress(AttributeError):
                del HistoricalRecords.context.request


class AuditedAdmin(SimpleHistoryAdmin):
    """The admin's History button with simple-history's per-field diff: our ModelAdmins'
    base class in place of admin.ModelAdmin. The trail is read-only: a "revert" would save a
    past row past the change form's edit lock and inlines, so editors edit the object instead."""

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied("The history is read-only: edit the object itself.")
        return super().history_form_view(request, object_id, version_id, extra_context)
