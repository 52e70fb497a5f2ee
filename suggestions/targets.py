"""What a suggestion can point at: the three targets, their editable fields and their claim."""

from django.apps import apps
from django.db import models
from django.utils.text import Truncator

from claims.models import Claim, Evidence

from .models import SUGGESTIBLE, TARGET_TYPES

# A TextField has no max_length of its own; a suggestion still has bounds.
TEXT_MAX_LENGTH = 20_000


def label_of(target) -> str:
    return target._meta.label_lower


def model_for(target_type: str) -> type[models.Model] | None:
    """The model behind a URL's <target_type>, or None for anything else."""
    label = TARGET_TYPES.get(target_type)
    return apps.get_model(label) if label else None


def claim_of(target) -> Claim | None:
    """The claim whose page shows the target; None for a study (it may inform many)."""
    if isinstance(target, Claim):
        return target
    if isinstance(target, Evidence):
        return target.claim
    return None


def is_open_to_members(target) -> bool:
    """Members suggest edits to what readers see: no draft claim, no unapproved link."""
    if label_of(target) not in SUGGESTIBLE:
        return False
    if isinstance(target, Evidence) and target.status != Evidence.Status.APPROVED:
        return False
    claim = claim_of(target)
    return claim is None or claim.status == Claim.Status.PUBLISHED


def editable_fields(target_or_model) -> list[models.Field]:
    meta = target_or_model._meta
    return [meta.get_field(name) for name in SUGGESTIBLE.get(meta.label_lower, ())]


def current_values(target) -> dict:
    """{field name: its value now}, as JSON can store it (text, a number or None)."""
    return {field.name: field.value_from_object(target) for field in editable_fields(target)}


def describe(target) -> str:
    """One line naming the target for the member and the editor."""
    if isinstance(target, Claim):
        return f"the claim “{_short(target.plain_statement, 80)}”"
    if isinstance(target, Evidence):
        study, claim = _short(target.study.title, 60), _short(target.claim.plain_statement, 60)
        return f"the finding of “{study}” on “{claim}”"
    return f"the study “{_short(str(target), 80)}”"


def _short(text: str, length: int) -> str:
    return Truncator(text).chars(length)


def page_url(target) -> str:
    """Where a reader sees the target: an evidence link on its claim's page."""
    claim = claim_of(target)
    return (claim or target).get_absolute_url()
