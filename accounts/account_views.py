"""A member's own account: their display name, their email, deleting the account. Changing
the password is Django's own page (password_change)."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from core.display_names import display_name

from .forms import AccountDeleteForm, DisplayNameForm, EmailChangeForm
from .services import DisplayNameTaken, account_delete, email_change, profile_save

DISPLAY_NAME_SAVED = "Your display name is now “{name}”."
EMAIL_SAVED = "Your email address is now {email}."
ACCOUNT_DELETED = "Your account is deleted. Your contributions stay, credited to “a former member”."
# Where the account pages send the member back to (community's My contributions page).
ACCOUNT_HOME = "my-contributions"


@require_http_methods(["GET", "POST"])
@login_required
def display_name_change(request: HttpRequest) -> HttpResponse:
    user = request.user
    initial = {"display_name": display_name(user)}
    form = DisplayNameForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            profile = profile_save(user=user, display_name=form.cleaned_data["display_name"])
        except DisplayNameTaken as error:
            form.add_error("display_name", str(error))
        else:
            messages.success(request, DISPLAY_NAME_SAVED.format(name=profile.display_name))
            return redirect(ACCOUNT_HOME)
    return render(request, "accounts/display_name.html", {"form": form})


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
@login_required
def email_change_view(request: HttpRequest) -> HttpResponse:
    form = EmailChangeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        email_change(user=request.user, email=form.cleaned_data["email"])
        messages.success(request, EMAIL_SAVED.format(email=form.cleaned_data["email"]))
        return redirect(ACCOUNT_HOME)
    return render(request, "accounts/email_change.html", {"form": form})


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
@login_required
def account_delete_view(request: HttpRequest) -> HttpResponse:
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)  # the session goes first: it names the user being deleted
        account_delete(user=user)
        messages.success(request, ACCOUNT_DELETED)
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})
