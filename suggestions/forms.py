import re
import unicodedata

from django import forms

from core.forms import FocusFirstError

from .diff import as_text
from .services import RATIONALE_MAX_LENGTH, RATIONALE_REQUIRED, REJECT_NOTE_REQUIRED
from .targets import current_values, editable_fields

SEEN_PREFIX = "seen_"
# Invisible control characters (all but tab, newline and return): nothing a reader sees, and
# what XML and many readers refuse (issue 19 review: accepted, they broke both Atom feeds).
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
CONTROL_MESSAGE = (
    "This contains an invisible control character ({name}); remove it (retype the text if you "
    "pasted it)."
)


class SuggestionForm(FocusFirstError, forms.Form):
    """The target's editable fields, pre-filled with their current values, and the reason.

    Each field also carries, hidden, its value as the member saw it when the form was drawn:
    what the suggestion records as "from", so a change made meanwhile is caught on accepting."""

    rationale = forms.CharField(
        label="Why this change",
        max_length=RATIONALE_MAX_LENGTH,
        help_text="What is wrong now and where the right version comes from (the paper, a "
        "correction). Markdown is allowed.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": RATIONALE_REQUIRED},
    )

    def __init__(self, *args, target, **kwargs):
        super().__init__(*args, **kwargs)
        current = current_values(target)
        fields = {}
        for model_field in editable_fields(target):
            name = model_field.name
            field = model_field.formfield()
            field.required = False  # the service says what a field may not be (blank, size)
            field.initial = current[name]
            fields[name] = field
            fields[SEEN_PREFIX + name] = forms.CharField(
                required=False,
                strip=False,
                widget=forms.HiddenInput,
                initial=as_text(current[name]),
            )
        self.editable = [name for name in fields if not name.startswith(SEEN_PREFIX)]
        self.fields = {**fields, "rationale": self.fields["rationale"]}

    def clean(self):
        cleaned = super().clean()
        for name in self.editable:
            value = cleaned.get(name)
            if isinstance(value, str) and (found := CONTROL.search(value)):
                char = found.group()
                label = f"U+{ord(char):04X} {unicodedata.name(char, 'CONTROL CHARACTER')}"
                self.add_error(name, CONTROL_MESSAGE.format(name=label))
        return cleaned

    def proposed(self) -> dict:
        """The fields the POST carries: one left out is unchanged, not cleared (a form
        field missing from the data cleans to "" or None like an emptied one)."""
        return {name: self.cleaned_data.get(name) for name in self.editable if name in self.data}

    def seen(self) -> dict:
        return {name: self.cleaned_data.get(SEEN_PREFIX + name, "") for name in self.editable}


class ReviewRejectForm(forms.Form):
    """The note an editor must give when rejecting."""

    note = forms.CharField(
        label="Note to the member",
        help_text="Shown with their contributions: say why, kindly and specifically.",
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        error_messages={"required": REJECT_NOTE_REQUIRED},
    )
