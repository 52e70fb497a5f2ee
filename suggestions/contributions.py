"""A member's suggested edits as "My contributions" shows them (templates/suggestions/
_my_contributions.html): each field from → to, where, whether a pending one has been overtaken
by a newer edit, and what the editor decided."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType

from claims.models import Claim, Evidence

from .diff import Diff, word_diff
from .models import Suggestion
from .services import stale_fields
from .targets import describe, page_url

SHOWN = 100  # the latest; older ones stay in the database and the editors' queue


@dataclass(frozen=True)
class Contribution:
    suggestion: Suggestion
    target_name: str  # "the claim “…”", or "something since deleted"
    target_url: str  # "" when the target is gone or not public
    field_labels: list[str]
    changes: list[tuple[str, Diff]]  # (label, the member's from → to), in SUGGESTIBLE order
    overtaken: bool  # pending, and a field has changed since the member saw it

    @property
    def can_withdraw(self) -> bool:
        return self.suggestion.is_pending

    @property
    def status(self) -> str:
        return self.suggestion.status

    @property
    def status_label(self) -> str:
        return self.suggestion.get_status_display()

    @property
    def note(self) -> str:
        return self.suggestion.review_note


def contributions(user) -> dict:
    """{"suggestions": [Contribution], "suggestion_count": n}: the member's latest suggestions,
    newest first (four queries: the suggestions, and the targets of each kind)."""
    suggestions = list(
        Suggestion.objects.filter(suggested_by=user).order_by("-created_at", "-pk")[:SHOWN]
    )
    targets = _targets(suggestions)
    rows = []
    for suggestion in suggestions:
        model = ContentType.objects.get_for_id(suggestion.content_type_id).model_class()
        target = targets.get((model, suggestion.object_id))
        labels = [
            str(model._meta.get_field(name).verbose_name).capitalize()
            for name in suggestion.field_names
        ]
        diffs = [
            word_diff(suggestion.changes[name]["from"], suggestion.changes[name]["to"])
            for name in suggestion.field_names
        ]
        overtaken = (
            suggestion.is_pending and target is not None and bool(stale_fields(suggestion, target))
        )
        rows.append(
            Contribution(
                suggestion=suggestion,
                target_name=describe(target) if target else "something since deleted",
                target_url=_public_url(target),
                field_labels=labels,
                changes=list(zip(labels, diffs, strict=True)),
                overtaken=overtaken,
            )
        )
    return {
        "suggestions": rows,
        "suggestion_count": Suggestion.objects.filter(suggested_by=user).count(),
    }


def _targets(suggestions) -> dict:
    """{(model, pk): target} for every suggestion, one query per kind of target."""
    wanted: dict[type, set[int]] = {}
    for suggestion in suggestions:
        model = ContentType.objects.get_for_id(suggestion.content_type_id).model_class()
        wanted.setdefault(model, set()).add(suggestion.object_id)
    found = {}
    for model, pks in wanted.items():
        rows = model.objects.filter(pk__in=pks)
        if model is Evidence:
            rows = rows.select_related("claim", "study")
        found |= {(model, row.pk): row for row in rows}
    return found


def _public_url(target) -> str:
    if target is None:
        return ""
    claim = target if isinstance(target, Claim) else getattr(target, "claim", None)
    if claim is not None and claim.status != Claim.Status.PUBLISHED:
        return ""
    return page_url(target)
