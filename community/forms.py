from django import forms

from core.forms import FocusFirstError
from studies.doi import normalize_doi
from studies.models import Stance

from .models import FollowDelivery
from .services import RATIONALE_MAX_LENGTH, RATIONALE_REQUIRED, REJECT_NOTE_REQUIRED


class SubmissionForm(FocusFirstError, forms.Form):
    doi = forms.CharField(
        label="DOI",
        max_length=300,
        # An example that is not a DOI: a reference manager reading the page would offer it.
        help_text="As printed on the paper (10.xxxx/…), or its https://doi.org/10.xxxx/… link",
        # Wide enough for a doi.org link (site.css: the whole width on a phone).
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "size": 60, "class": "input-wide"}
        ),
    )
    stance = forms.ChoiceField(label="This study", choices=Stance.choices, widget=forms.RadioSelect)
    rationale = forms.CharField(
        label="Why it bears on the claim",
        max_length=RATIONALE_MAX_LENGTH,
        help_text="What the study found for this claim. The first line becomes its one-line "
        "finding. Markdown is allowed.",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": RATIONALE_REQUIRED},
    )

    @classmethod
    def for_stance(cls, stance: str | None) -> "SubmissionForm":
        """The empty form, its stance chosen when the link said which side ("?stance=");
        anything else is ignored."""
        initial = {"stance": stance} if stance in Stance.values else {}
        return cls(initial=initial)

    def focus(self) -> None:
        """Where the keyboard goes when the form is shown: the first field of a fresh form
        (it was loaded in place, focus would stay on <body>), else the first error."""
        if self.is_bound:
            self.focus_first_error()
        else:
            self.fields["doi"].widget.attrs["autofocus"] = True

    def clean_doi(self) -> str:
        return normalize_doi(self.cleaned_data["doi"])


class RejectForm(forms.Form):
    """The note for the admin's "Reject (with note)" action."""

    note = forms.CharField(
        label="Note to the member",
        help_text="Shown on their submissions page: say why, kindly and specifically.",
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        error_messages={"required": REJECT_NOTE_REQUIRED},
    )


class FollowSettingsForm(forms.Form):
    """The following page's one preference: an email per change or a daily digest."""

    delivery = forms.ChoiceField(
        label="Tell me",
        choices=FollowDelivery.choices,
        widget=forms.RadioSelect,
    )
