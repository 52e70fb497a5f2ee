from django import forms

from .models import BODY_MAX_LENGTH
from .services import BODY_REQUIRED, BODY_TOO_LONG, REASON_REQUIRED


class CommentForm(forms.Form):
    """A comment or, with `parent`, a reply. The body is stripped before its length is checked."""

    body = forms.CharField(
        label="Your comment",
        max_length=BODY_MAX_LENGTH,
        help_text="Markdown is allowed. A DOI (10.…) becomes a link to the study.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": BODY_REQUIRED,
            "max_length": BODY_TOO_LONG.replace("{limit}", "%(limit_value)d").replace(
                "{length}", "%(show_value)d"
            ),
        },
    )
    parent = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class HideForm(forms.Form):
    """The reason for the admin's "Hide (with reason)" action."""

    reason = forms.CharField(
        label="Reason shown to readers",
        max_length=300,
        help_text="Readers see “Hidden by an editor:” and this reason in the comment's place; "
        "the text stays on record here.",
        widget=forms.TextInput(attrs={"size": 80}),
        error_messages={"required": REASON_REQUIRED},
    )
