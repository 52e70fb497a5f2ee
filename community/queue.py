"""The editors' one queue (issue 16): everything awaiting an editor — pending submissions,
open flags (readers' reports on comments among them, with the comment's text) and pending
suggestions — grouped by kind, oldest first, each row linking to where it is acted on and
marked when it is the editor's own work. A flat number of queries, however long the queue.

Served at /admin/queue/ through admin.site.admin_view (staff only; config/urls.py), and
counted on the admin index, whose view this module wraps (after accounts.admin's wrap), with
the dashboard of all pending work beside it (pending_work: appraisals and out-of-date analyses
too)."""

from dataclasses import dataclass

from django.contrib import admin
from django.db.models import F
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import Truncator
from django.views.decorators.http import require_safe

from claims.admin.analysis import with_currency
from claims.models import Analysis, Evidence
from flags.models import Flag
from flags.services import OwnWork, resolve_refusal
from suggestions.models import Suggestion

from .models import Submission

EXCERPT_CHARS = 200
OWN_SUBMISSION = "Your own submission: another editor must review it."
OWN_SUGGESTION = "Your own suggestion: another editor must review it."


@dataclass(frozen=True)
class QueueRow:
    what: str  # one line: what awaits
    detail: str  # plain text (a note, a comment's text), truncated; the template escapes it
    who: str
    created_at: object
    action_url: str
    action_label: str
    refusal: str = ""  # why this editor cannot act on it ("" when they can)


@dataclass(frozen=True)
class QueueGroup:
    kind: str
    rows: list


def _username(user) -> str:
    return user.get_username() if user is not None else "a former member"


def submission_rows(editor) -> list[QueueRow]:
    pending = Submission.objects.pending().select_related("claim", "submitted_by")
    changelist = reverse("admin:community_submission_changelist")
    return [
        QueueRow(
            what=f"“{submission.title or submission.doi}” for the claim "
            f"“{submission.claim.plain_statement}”",
            detail=Truncator(submission.rationale).chars(EXCERPT_CHARS),
            who=_username(submission.submitted_by),
            created_at=submission.created_at,
            # Accepting and rejecting are the changelist's actions: the row alone, selectable.
            action_url=f"{changelist}?id__exact={submission.pk}",
            action_label="Accept or reject",
            refusal=OWN_SUBMISSION if submission.submitted_by_id == editor.pk else "",
        )
        for submission in pending.order_by("created_at", "pk")
    ]


def flag_rows(editor) -> list[QueueRow]:
    flags = Flag.objects.open().with_targets().order_by("created_at", "pk")
    own_work = OwnWork(editor)
    rows = []
    for flag in flags:
        target = flag.target
        is_comment = target is not None and target._meta.label_lower == "discussion.comment"
        detail = target.body if is_comment else flag.note
        what = f"{flag.get_reason_display()}: {flag.target_label}"
        rows.append(
            QueueRow(
                what=Truncator(what).chars(EXCERPT_CHARS),
                detail=Truncator(detail).chars(EXCERPT_CHARS),
                who=flag.flagger_name,
                created_at=flag.created_at,
                action_url=reverse("admin:flags_flag_resolve", args=[flag.pk]),
                action_label="Resolve",
                refusal=resolve_refusal(flag=flag, editor=editor, own_work=own_work),
            )
        )
    return rows


def suggestion_rows(editor) -> list[QueueRow]:
    pending = Suggestion.objects.pending().select_related("content_type", "claim", "suggested_by")
    rows = []
    for suggestion in pending.order_by("created_at", "pk"):
        on_claim = f" on “{suggestion.claim.plain_statement}”" if suggestion.claim_id else ""
        rows.append(
            QueueRow(
                what=f"An edit to a {suggestion.target_label}{on_claim}: "
                f"{', '.join(suggestion.changes)}",
                detail=Truncator(suggestion.rationale).chars(EXCERPT_CHARS),
                who=_username(suggestion.suggested_by),
                created_at=suggestion.created_at,
                action_url=reverse("admin:suggestions_suggestion_change", args=[suggestion.pk]),
                action_label="Review",
                refusal=OWN_SUGGESTION if suggestion.suggested_by_id == editor.pk else "",
            )
        )
    return rows


def queue_groups(editor) -> list[QueueGroup]:
    return [
        QueueGroup("Submissions", submission_rows(editor)),
        QueueGroup("Flags and comment reports", flag_rows(editor)),
        QueueGroup("Suggested edits", suggestion_rows(editor)),
    ]


def queue_total() -> int:
    """How many items await an editor (three counts), for the admin index."""
    return (
        Submission.objects.pending().count()
        + Flag.objects.open().count()
        + Suggestion.objects.pending().count()
    )


@dataclass(frozen=True)
class PendingCount:
    what: str  # "pending submissions"
    count: int
    url: str  # the admin list showing them, filtered to them


def pending_work() -> list[PendingCount]:
    """The admin index's dashboard: each kind of work awaiting an editor, counted, with the
    list that shows the same rows (one COUNT each)."""
    # As the analyses list's "out of date" filter: current versions on another basis.
    out_of_date = (
        with_currency(Analysis.objects.all())
        .filter(is_current=True)
        .exclude(basis_digest=F("claim__basis_digest"))
    )
    counts = [
        (
            "pending submissions",
            Submission.objects.pending(),
            "admin:community_submission_changelist",
            "status=pending",
        ),
        (
            "links awaiting appraisal",
            Evidence.objects.filter(appraisal_status=Evidence.Appraisal.AWAITING),
            "admin:claims_evidence_changelist",
            "appraisal_status__exact=awaiting",
        ),
        ("open flags", Flag.objects.open(), "admin:flags_flag_changelist", "status__exact=open"),
        (
            "pending suggested edits",
            Suggestion.objects.pending(),
            "admin:suggestions_suggestion_changelist",
            "status__exact=pending",
        ),
        (
            "out-of-date analyses",
            out_of_date,
            "admin:claims_analysis_changelist",
            "out_of_date=yes",
        ),
    ]
    return [
        PendingCount(what, rows.count(), f"{reverse(name)}?{query}")
        for what, rows, name, query in counts
    ]


@require_safe
def editors_queue(request):
    groups = queue_groups(request.user)
    context = {
        **admin.site.each_context(request),
        "title": "Awaiting an editor",
        "groups": groups,
        "total": sum(len(group.rows) for group in groups),
    }
    return TemplateResponse(request, "admin/queue.html", context)


_index = admin.site.index


def index_with_queue(request, extra_context=None):
    """The admin index (with accounts.admin's declaration warning), the queue's count and the
    dashboard of pending work."""
    extra_context = {
        **(extra_context or {}),
        "queue_total": queue_total(),
        "pending_work": pending_work(),
    }
    return _index(request, extra_context)


admin.site.index = index_with_queue
