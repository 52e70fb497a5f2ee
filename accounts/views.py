import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from core.client_ip import client_ip
from core.site import site_url

from .forms import USERNAME_TAKEN, LoginForm, PasswordChangeForm, SetPasswordForm, SignupForm
from .models import RateLimitHit
from .services import (
    DisplayNameTaken,
    profile_save,
    rate_limit_count,
    rate_limit_hit,
    rate_limit_take,
)

WELCOME_MESSAGE = "Welcome, {username}: you now see the full verdict on every claim."
LOGGED_OUT_MESSAGE = "You are logged out."
TOO_MANY_SIGNUPS = (
    "Too many new accounts have been made from your network in the last hour. "
    "Please try again later."
)


logger = logging.getLogger("accounts")


def _too_many_signups(request: HttpRequest) -> bool:
    count = rate_limit_count(RateLimitHit.Kind.SIGNUP_FROM, client_ip(request))
    return count >= settings.SIGNUPS_PER_HOUR_PER_ADDRESS


def _take_signup(request: HttpRequest) -> RateLimitHit | None:
    """This address's next sign-up of the hour, taken before the account is made (issue 19
    review: 8 racing sign-ups all passed a check made before any was counted), or None."""
    kind, limit = RateLimitHit.Kind.SIGNUP_FROM, settings.SIGNUPS_PER_HOUR_PER_ADDRESS
    return rate_limit_take(kind, client_ip(request), limit)


def _safe_next(request: HttpRequest) -> str:
    """The `next` URL if it stays on this site, else ""."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if safe else ""


@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    form = SignupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and _too_many_signups(request):
        form.add_error(None, TOO_MANY_SIGNUPS)  # what they typed stays in the form
        context = {"form": form, "next": next_url}
        return render(request, "registration/signup.html", context, status=429)
    if request.method == "POST" and form.is_valid():
        taken = _take_signup(request)
        if taken is None:
            form.add_error(None, TOO_MANY_SIGNUPS)
            context = {"form": form, "next": next_url}
            return render(request, "registration/signup.html", context, status=429)
        try:
            with transaction.atomic():
                user = form.save()
                profile_save(user=user, display_name=form.cleaned_data["display_name"])
        except DisplayNameTaken as error:  # another member took it a moment ago
            taken.delete()
            form.add_error("display_name", str(error))
            return render(request, "registration/signup.html", {"form": form, "next": next_url})
        except IntegrityError:  # the same username (in any case) signed up a moment ago
            taken.delete()
            form.add_error("username", USERNAME_TAKEN)
            return render(request, "registration/signup.html", {"form": form, "next": next_url})
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, WELCOME_MESSAGE.format(username=user.username))
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    return render(request, "registration/signup.html", {"form": form, "next": next_url})


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset page, with a limit per client address and per email address.

    Every valid request counts, whether or not an account uses the email, and the answer is
    always the same redirect to "check your email": over a limit, no mail is sent, so the page
    tells a stranger nothing about who is a member, and cannot be used to flood a mailbox.
    """

    extra_email_context = {"SITE_NAME": settings.SITE_NAME}

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        from_address = rate_limit_hit(RateLimitHit.Kind.RESET_FROM, client_ip(self.request))
        to_email = rate_limit_hit(RateLimitHit.Kind.RESET_TO, email)
        # The link in the mail is on SITE_URL (production requires it), never on the Host
        # the request named.
        self.extra_email_context = {
            **self.extra_email_context,
            "origin": site_url(self.request, ""),
        }
        if (
            from_address > settings.PASSWORD_RESETS_PER_HOUR_PER_ADDRESS
            or to_email > settings.PASSWORD_RESETS_PER_HOUR_PER_EMAIL
        ):
            logger.warning("password reset throttled (address %s)", client_ip(self.request))
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class LoginView(auth_views.LoginView):
    """Django's log-in, with a username longer than any account's refused before it reaches
    django-axes (whose 255-character column made a 256-character one a 500)."""

    form_class = LoginForm


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's page, a refused new password said under the field it was typed in."""

    form_class = PasswordChangeForm


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's reset link, a refused new password said under the field it was typed in."""

    form_class = SetPasswordForm


class LogoutView(auth_views.LogoutView):
    """Django's log-out (POST only), and a message on the page it goes to. The claim page
    renders, rather than serves from its cache, an anonymous page with a message pending
    (claims.page_cache.PageKey.anonymous_page)."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.success(request, LOGGED_OUT_MESSAGE)
        return response
