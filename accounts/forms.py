from django import forms
from django.contrib.auth.forms import UserCreationForm


class SignupForm(UserCreationForm):
    """Username, email and a password checked by AUTH_PASSWORD_VALIDATORS.

    Email is required (for password resets) but not checked for uniqueness: telling a
    stranger "that email already has an account" would leak who is a member, which the
    password reset page takes care not to do.
    """

    email = forms.EmailField(
        required=True,
        help_text="Only for resetting your password; never shown.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")
