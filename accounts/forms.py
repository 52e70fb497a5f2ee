from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.core.exceptions import ValidationError

from core.forms import FocusFirstError

from .display_names import MAX_LENGTH, validate_display_name
from .models import Profile
from .services import (
    WRONG_PASSWORD_WINDOW,
    WRONG_PASSWORDS_ALLOWED,
    TooManyWrongPasswords,
    password_check,
)

DISPLAY_NAME_HELP = (
    "Shown beside your contributions on claim pages. Leave empty to use your username."
)
WRONG_PASSWORD = "That is not your password."
TOO_MANY_WRONG_PASSWORDS = (
    f"{WRONG_PASSWORDS_ALLOWED} wrong passwords within {WRONG_PASSWORD_WINDOW.seconds // 60} "
    "minutes: for your account's safety, this form is paused. Try again in a quarter of an "
    "hour, or reset your password if you have forgotten it."
)
# Django's own words for a taken username: its clean_username refuses one that differs only in
# case; the view says the same when a racing sign-up meets the LOWER(username) unique index.
USERNAME_TAKEN = "A user with that username already exists."
CONFIRM_WORDS = "delete my account"
CONFIRM_MISMATCH = f"Type “{CONFIRM_WORDS}” to confirm."


class PasswordErrorsUnderFirst:
    """A form mixin for Django's password forms: what AUTH_PASSWORD_VALIDATORS say against a
    new password goes under the field it was typed in, not under the confirmation (Django's
    default); "the two fields didn't match" stays under the confirmation."""

    first_password_field = "password1"

    def validate_password_for_user(self, user, password_field_name=None, **kwargs):
        super().validate_password_for_user(user, self.first_password_field, **kwargs)


class SignupForm(PasswordErrorsUnderFirst, FocusFirstError, UserCreationForm):
    """Username, display name, email and a password checked by AUTH_PASSWORD_VALIDATORS.

    Email is required (for password resets) but not checked for uniqueness: telling a
    stranger "that email already has an account" would leak who is a member, which the
    password reset page takes care not to do.
    """

    display_name = forms.CharField(
        max_length=MAX_LENGTH, required=False, help_text=DISPLAY_NAME_HELP
    )
    email = forms.EmailField(
        required=True,
        help_text="Only for resetting your password; never shown.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    class Meta(UserCreationForm.Meta):
        fields = ("username", "display_name", "email")

    PASSWORD_FIELDS = ("password1", "password2")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A sign-up refused for its username or email keeps the passwords typed, so the
        # newcomer fixes one field rather than three. Only here: the page is the answer to
        # their own post (never cached), and a refused password is still cleared (full_clean).
        for name in self.PASSWORD_FIELDS:
            self.fields[name].widget.render_value = True

    def full_clean(self):
        super().full_clean()
        if any(name in self.errors for name in self.PASSWORD_FIELDS):
            for name in self.PASSWORD_FIELDS:
                self.fields[name].widget.render_value = False
        if self.errors:
            # The keyboard goes to the first field in error, not to the username (Django's
            # form always autofocuses it; review: a refused password left focus there).
            self.fields["username"].widget.attrs.pop("autofocus", None)
            self.focus_first_error()

    def clean(self):
        cleaned = super().clean()
        # The default is the username, checked the same way; a refused username (Django's
        # clean_username leaves None) leaves the display name alone: one error, not two.
        if cleaned.get("username"):
            typed = cleaned.get("display_name") or cleaned["username"]
            try:
                cleaned["display_name"] = validate_display_name(typed)
            except ValidationError as error:
                self.add_error("display_name", error)
        return cleaned


class LoginForm(auth_forms.AuthenticationForm):
    """Django's log-in form; a username longer than the field allows is the usual "wrong
    username or password" before authenticate() runs, so django-axes never stores it."""

    def clean(self):
        username = self.data.get("username") or ""
        if len(username) > get_user_model()._meta.get_field("username").max_length:
            raise self.get_invalid_login_error()
        return super().clean()


class SetPasswordForm(PasswordErrorsUnderFirst, auth_forms.SetPasswordForm):
    """The reset link's form: the validators' errors under "New password"."""

    first_password_field = "new_password1"


class PasswordChangeForm(PasswordErrorsUnderFirst, auth_forms.PasswordChangeForm):
    """Change your password: the validators' errors under "New password"."""

    first_password_field = "new_password1"


CREDENTIALS_HELP = (
    "Shown after your name where claim pages credit you as an editor, e.g. “MSc sports "
    "science”. Leave empty for none."
)


class DisplayNameForm(forms.Form):
    display_name = forms.CharField(max_length=MAX_LENGTH, help_text=DISPLAY_NAME_HELP)
    credentials = forms.CharField(
        max_length=Profile._meta.get_field("credentials").max_length,
        required=False,
        help_text=CREDENTIALS_HELP,
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        # Only editors are credited with their credentials: members are not asked.
        if not user.is_staff:
            del self.fields["credentials"]

    def clean_display_name(self):
        return validate_display_name(self.cleaned_data["display_name"], user=self.user)


class PasswordCheckedForm(forms.Form):
    """A form that asks for the member's password before it changes their account; wrong
    passwords are limited per account (accounts.services.password_check)."""

    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Your current password, to confirm it is you.",
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        try:
            right = password_check(user=self.user, password=password)
        except TooManyWrongPasswords:
            raise ValidationError(TOO_MANY_WRONG_PASSWORDS, code="too_many") from None
        if not right:
            raise ValidationError(WRONG_PASSWORD, code="wrong_password")
        return password


class EmailChangeForm(PasswordCheckedForm):
    email = forms.EmailField(
        label="New email address", widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    field_order = ["email", "password"]

    def clean_email(self):
        # Whether another account uses it is not said here (it would tell who is a
        # member): accounts.services.email_change_request sends that address no link.
        return get_user_model().objects.normalize_email(self.cleaned_data["email"])


class AccountDeleteForm(PasswordCheckedForm):
    confirm = forms.CharField(
        label=f"Type “{CONFIRM_WORDS}”",
        help_text="Your contributions stay on the site, credited to “a former member”.",
    )

    def clean_confirm(self):
        typed = " ".join(self.cleaned_data["confirm"].lower().split())
        if typed != CONFIRM_WORDS:
            raise ValidationError(CONFIRM_MISMATCH, code="mismatch")
        return typed
