from django import forms

from core.forms import FocusFirstError

from .models import NOTE_MAX_LENGTH, REASONS_FOR, FlagOutcome
from .services import (
    NOTE_TOO_LONG,
    OUTCOME_INVALID,
    REASON_INVALID,
    RESOLUTION_NOTE_REQUIRED,
)


class FlagForm(FocusFirstError, forms.Form):
    """What is wrong, and a short note; flags.services.flag_open checks the rest (a note is
    required for "something else"), and its errors land on these fields."""

    reason = forms.ChoiceField(
        label="What is wrong?",
        widget=forms.RadioSelect,
        error_messages={"required": REASON_INVALID, "invalid_choice": REASON_INVALID},
    )
    note = forms.CharField(
        label="A short note",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        help_text="What you noticed, and where (optional unless you chose “Something else”). "
        "An editor reads it.",
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTE_MAX_LENGTH}),
        error_messages={
            "max_length": NOTE_TOO_LONG.format(limit=NOTE_MAX_LENGTH, length="%(show_value)d")
        },
    )

    def __init__(self, *args, target_type: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = [(r.value, r.label) for r in REASONS_FOR[target_type]]


class ResolveForm(forms.Form):
    """The admin's resolve page: the outcome and the note the reader sees."""

    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[("", "---------"), *FlagOutcome.choices],
        error_messages={"required": OUTCOME_INVALID, "invalid_choice": OUTCOME_INVALID},
    )
    note = forms.CharField(
        label="Note to the reader",
        help_text="Shown with the outcome on their contributions page (markdown): say what "
        "you did or why nothing changed.",
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        error_messages={"required": RESOLUTION_NOTE_REQUIRED},
    )
