"""A member's own account: their display name, their email, deleting the account. Changing
the password is Django's own page (password_change)."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from core.display_names import display_name
from core.site import site_url

from .forms import AccountDeleteForm, DisplayNameForm, EmailChangeForm
from .services import (
    DisplayNameTaken,
    EmailLinkInvalid,
    account_delete,
    email_change_confirm,
    email_change_pending,
    email_change_request,
    profile_save,
)

DISPLAY_NAME_SAVED = "Your display name is now “{name}”."
EMAIL_SENT = (
    "We sent a confirmation link to {email}: your address changes when you follow it (it "
    "works for 3 days). Until then your account keeps its current address, to which we sent "
    "a notice."
)
EMAIL_CONFIRMED = "Your email address is now {email}."
EMAIL_LINK_INVALID = (
    "This confirmation link is invalid, expired or used already, or the address is no longer "
    "free. Ask for a new one from the email page of your account."
)
ACCOUNT_DELETED = "Your account is deleted. Your contributions stay, credited to “a former member”."
STAFF_CLOSED_BY_ADMIN = (
    "Staff accounts are closed by an administrator, so that your declarations of interest "
    "and the appraisals you reviewed stay credited to you. Ask an administrator to close it."
)
# Where the account pages send the member back to (community's My contributions page).
ACCOUNT_HOME = "my-contributions"


@require_http_methods(["GET", "POST"])
@login_required
def display_name_change(request: HttpRequest) -> HttpResponse:
    user = request.user
    profile = getattr(user, "profile", None)
    initial = {
        "display_name": display_name(user),
        "credentials": profile.credentials if profile else "",
    }
    form = DisplayNameForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            profile = profile_save(
                user=user,
                display_name=form.cleaned_data["display_name"],
                credentials=form.cleaned_data.get("credentials"),  # None: not asked
            )
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
        email = form.cleaned_data["email"]

        def confirm_url(token: str) -> str:
            return site_url(request, reverse("account-email-confirm", args=[token]))

        email_change_request(user=request.user, email=email, confirm_url=confirm_url)
        messages.success(request, EMAIL_SENT.format(email=email))
        return redirect(ACCOUNT_HOME)
    return render(request, "accounts/email_change.html", {"form": form})


@require_http_methods(["GET", "POST"])
def email_confirm_view(request: HttpRequest, token: str) -> HttpResponse:
    """The link mailed to the new address. No login needed (the signed token decides); GET
    only shows a button, so a mail scanner that opens links changes nothing."""
    try:
        if request.method == "POST":
            _, email = email_change_confirm(token=token)
        else:
            _, email = email_change_pending(token=token)
    except EmailLinkInvalid:
        context = {"invalid": EMAIL_LINK_INVALID}
        return render(request, "accounts/email_confirm.html", context, status=400)
    if request.method == "POST":
        messages.success(request, EMAIL_CONFIRMED.format(email=email))
        return redirect(ACCOUNT_HOME if request.user.is_authenticated else "login")
    return render(request, "accounts/email_confirm.html", {"email": email})


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
@login_required
def account_delete_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_staff or user.is_superuser:  # the page says why; nothing posted is read
        context = {"form": None, "staff_notice": STAFF_CLOSED_BY_ADMIN}
        return render(request, "accounts/delete.html", context)
    form = AccountDeleteForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        logout(request)  # the session goes first: it names the user being deleted
        account_delete(user=user)
        messages.success(request, ACCOUNT_DELETED)
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})
