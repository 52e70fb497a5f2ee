"""The site's own pages: About, Privacy and Terms (issue 18). Plain templates; the privacy
page reads its figures (session length, log-in lockout, how long log-in records are kept)
from the settings and constants it describes, so it cannot drift from them."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.services import RATE_LIMIT_WINDOW, WRONG_PASSWORD_WINDOW

ONE_DAY = 24 * 60 * 60


@require_safe
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/about.html")


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    context = {
        "session_days": settings.SESSION_COOKIE_AGE // ONE_DAY,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "retention_days": settings.AXES_LOG_RETENTION_DAYS,
        # The sign-up and password-reset counts (accounts.views: one window for both).
        "limit_minutes": int(RATE_LIMIT_WINDOW.total_seconds() // 60),
        "wrong_password_minutes": int(WRONG_PASSWORD_WINDOW.total_seconds() // 60),
    }
    return render(request, "pages/privacy.html", context)


@require_safe
def terms(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/terms.html")
