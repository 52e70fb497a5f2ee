"""Edit conflicts: a Claim or Analysis form saved over someone else's newer save is refused."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F

EDIT_CONFLICT = (
    "Someone else saved this {name} while you were editing ({detail}). "
    "Reload to see their changes; your edits were not saved."
)
EDIT_CONFLICT_DETAIL = "you started from revision {mine}; it is now at revision {theirs}"


class EditConflict(Exception):
    """The row changed between the form's check and its save (only possible without row locks)."""


class LockVersionForm(forms.ModelForm):
    """Optimistic locking: the form carries the lock_version it was built from; saving a form
    built from an older version is refused with EDIT_CONFLICT instead of overwriting.

    clean() locks the row (SELECT … FOR UPDATE, inside the admin's transaction) and compares;
    LockVersionAdminMixin.save_model then bumps the version with a compare-and-set UPDATE.
    A write to a row the form's inlines show (a claim's evidence and ideal studies, an
    analysis's mechanisms) bumps it too (claims.receivers).
    """

    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None or "lock_version" in self.errors:
            return cleaned
        model = type(self.instance)
        current = (
            model.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("lock_version", flat=True)
            .first()
        )
        mine = cleaned.get("lock_version")
        if current is not None and current != mine:  # a form without a version is stale too
            detail = EDIT_CONFLICT_DETAIL.format(mine=mine, theirs=current)
            raise ValidationError(
                EDIT_CONFLICT.format(name=model._meta.verbose_name, detail=detail),
                code="edit_conflict",
            )
        return cleaned


class LockVersionAdminMixin:
    form = LockVersionForm

    def save_model(self, request, obj, form, change):
        if change:
            expected = form.cleaned_data["lock_version"]
            bumped = (
                type(obj)
                .objects.filter(pk=obj.pk, lock_version=expected)
                .update(lock_version=F("lock_version") + 1)
            )
            if not bumped:  # the admin's transaction rolls back: nothing is overwritten
                raise EditConflict(f"{obj._meta.label} {obj.pk} changed during the save")
            obj.lock_version = expected + 1
        super().save_model(request, obj, form, change)
