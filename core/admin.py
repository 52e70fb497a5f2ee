"""Admin safety shared by every app's ModelAdmins: ids posted by staff that are not ids
("abc", "1.5", past the database's integers) become a form error or a message, never a 500."""

from django import forms
from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.text import Truncator

BAD_IDS_MESSAGE = "Ignored {ids}: not the id of any {name}."
SHOWN_BAD_IDS = 5


def is_key(field, value) -> bool:
    """Whether `value` can be looked up in the model field `field` without the database
    refusing it: "abc" is no integer, and SQLite overflows on one past 64 bits."""
    try:
        value = field.to_python(value)
    except ValidationError:
        return False
    if isinstance(value, int):
        low, high = connection.ops.integer_field_ranges.get(field.get_internal_type(), (None, None))
        return (low is None or low <= value) and (high is None or value <= high)
    return True


def related_key_field(model_field):
    """The field of the related model that a relation's posted values name."""
    remote = model_field.remote_field
    opts = remote.model._meta
    return opts.get_field(getattr(remote, "field_name", None) or opts.pk.name)


def quoted(values) -> str:
    shown = ", ".join(f"“{Truncator(str(v)).chars(20)}”" for v in values[:SHOWN_BAD_IDS])
    return shown + (" …" if len(values) > SHOWN_BAD_IDS else "")


class KeySafeAutocompleteMixin:
    """Renders the posted selection without querying for what is not a key: Django's widget
    looked a posted "abc" up again to show it (ValueError, a 500 instead of the form error)."""

    def optgroups(self, name, value, attr=None):
        field = related_key_field(self.field)
        keys = [v for v in value if v in (None, "") or is_key(field, v)]
        return super().optgroups(name, keys, attr)


class KeySafeAutocompleteSelect(KeySafeAutocompleteMixin, AutocompleteSelect):
    pass


class KeySafeAutocompleteSelectMultiple(KeySafeAutocompleteMixin, AutocompleteSelectMultiple):
    pass


class KeySafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses a value past the database's integers as it refuses "abc" (it overflowed)."""

    def _check_values(self, value):
        opts = self.queryset.model._meta
        field = opts.get_field(self.to_field_name) if self.to_field_name else opts.pk
        for key in value:
            if not is_key(field, key):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": key},
                )
        return super()._check_values(value)


class SafeIdsMixin:
    """For every ModelAdmin and inline of the site (tests/admin/test_bad_ids.py checks it):
    autocompletes render and validate bad ids as form errors, and changelist actions drop
    selected "ids" that are not ids, with a message."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KeySafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KeySafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        kwargs.setdefault("form_class", KeySafeModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def response_action(self, request, queryset):
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        keys = [value for value in selected if is_key(self.opts.pk, value)]
        if len(keys) < len(selected):
            bad = [value for value in selected if not is_key(self.opts.pk, value)]
            message = BAD_IDS_MESSAGE.format(ids=quoted(bad), name=self.opts.verbose_name)
            self.message_user(request, message, messages.WARNING)
            posted = request.POST.copy()
            posted.setlist(helpers.ACTION_CHECKBOX_NAME, keys)
            request.POST = posted  # Django's response_action filters the selection by it
        return super().response_action(request, queryset)


class MemberRecordAdmin:
    """A ModelAdmin mixin for what members send (submissions, flags, suggestions): it comes
    from the site, never the admin, where an editor could name anyone as its author; and it is
    a record: an editor rejects or resolves it with a note, never deletes it (nor does the
    "Delete selected" action show, which needs the delete permission)."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
