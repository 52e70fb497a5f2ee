"""Site-wide middleware: the request body's size limit (413), the CSP header, the database-down
503 page, NUL-free addresses, cookies and headers, the API's CORS header on what other
middleware answers.

Also `server_error`, the handler500: it renders templates/500.html without touching the
database, and the 503 page instead when the error was the database being unreachable; and
`csrf_failure`, the CSRF_FAILURE_VIEW, a plain 403 page.
"""

import logging
import sys
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseServerError,
)
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.csrf import requires_csrf_token

from api.http import error as api_error
from core.db_outage import outage

logger = logging.getLogger("config.errors")

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
HEALTHZ = "/healthz"


def _plain_page(template_name: str, **context) -> str:
    """Render an error page with no request context: no context processors, no database."""
    try:
        stylesheet = static("css/site.css")
    except ValueError:  # no staticfiles manifest yet (collectstatic not run)
        stylesheet = f"/{settings.STATIC_URL.strip('/')}/css/site.css"
    return loader.render_to_string(
        template_name, {"stylesheet": stylesheet, "SITE_NAME": settings.SITE_NAME, **context}
    )


def _refusal(request: HttpRequest | None, status: int, message: str, template_name: str, **context):
    """The answer middleware gives instead of the view's: JSON under /api/, like every other API
    error (api.http.error), else the plain page."""
    if request is not None and request.path.startswith("/api/"):
        return api_error(status, message)
    return HttpResponse(_plain_page(template_name, **context), status=status)


def too_large(request: HttpRequest, limit: int) -> HttpResponse:
    text = f"{limit / 1_048_576:g} MB"
    message = f"The request body is larger than {text}."
    response = _refusal(request, 413, message, "413.html", limit_text=text)
    if not request.path.startswith("/api/"):
        response["Connection"] = "close"  # the body was not read: the connection cannot be reused
    return response


def database_unavailable(request: HttpRequest | None = None) -> HttpResponse:
    """The friendly 503 page; rendered without a request context, so without the database.
    Under /api/ the same answer in JSON, like every other API error."""
    message = "The database is unavailable; try again shortly."
    response = _refusal(request, 503, message, "503.html")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """A view that fails because the database is unreachable answers the 503 page, not a 500.

    Django's CONN_HEALTH_CHECKS drops the broken connection on the next request, so the site
    recovers by itself when the database is back. While it cannot connect at all, requests
    fail fast (core.db_outage).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # /healthz always asks the database: the load balancer's probe must see it return.
        admitted = True if request.path == HEALTHZ else outage.admit()
        if admitted is False:
            return database_unavailable(request)  # a request just failed to connect: at once
        response = self.get_response(request)
        if admitted is None and not getattr(request, "database_failed", False):
            outage.probed()  # ends the outage only if the probe reached the database
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_ERRORS):
            logger.error(
                "database unavailable: %s", exception.__class__.__name__, exc_info=exception
            )
            request.database_failed = True
            outage.failed()
            return database_unavailable(request)
        return None


NUL_IN_QUERY_MESSAGE = "The address contains a NUL character (%00); remove it and try again."
NUL_IN_HEADERS_MESSAGE = (
    "The request carries a NUL character in a cookie or a header; the cookie has been cleared, "
    "try again."
)


class RefuseNulMiddleware:
    """A NUL in the decoded path, a query parameter, a cookie or a header is a 400 here, on
    every database: PostgreSQL cannot compare or store text with one (a session cookie with a NUL
    was a 500 on every page; django-axes stores the User-Agent of each login) and SQLite would
    quietly match nothing. The cookies that carried one are cleared with the 400, so a browser
    holding one is not refused forever. (Form fields refuse a NUL themselves: Django's CharField.)
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = "".join(key + "".join(values) for key, values in request.GET.lists())
        if "\x00" in request.path or "\x00" in query:
            return self._refuse(request, NUL_IN_QUERY_MESSAGE)
        bad_cookies = [name for name, value in request.COOKIES.items() if "\x00" in name + value]
        in_headers = any(
            "\x00" in str(value)
            for key, value in request.META.items()
            if key.startswith("HTTP_") or key in ("CONTENT_TYPE", "CONTENT_LENGTH")
        )
        if bad_cookies or in_headers:
            response = self._refuse(request, NUL_IN_HEADERS_MESSAGE)
            for name in bad_cookies:
                if "\x00" not in name:
                    response.delete_cookie(name)
            return response
        return self.get_response(request)

    @staticmethod
    def _refuse(request: HttpRequest, message: str) -> HttpResponse:
        return _refusal(request, 400, message, "400.html")


def body_limit(path: str) -> int:
    """The largest request body a path accepts: DATA_UPLOAD_MAX_MEMORY_SIZE, or a larger one
    for the few upload pages (REQUEST_BODY_LIMITS: URL name → bytes, each above the default)."""
    for url_name, limit in settings.REQUEST_BODY_LIMITS.items():
        if path == reverse(url_name):
            return limit
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class RequestBodyLimitMiddleware:
    """Refuses, with a 413 and before anything reads it, a body whose Content-Length is over the
    path's limit, whatever its content type. Django's own DATA_UPLOAD_MAX_MEMORY_SIZE leaves
    file uploads out: a 300 MB file posted to the login page was written to a temporary file.

    A body without a Content-Length (chunked) is never read by Django under WSGI: it reads
    CONTENT_LENGTH bytes at most (django.core.handlers.wsgi.LimitedStream), so the declared length
    is also the most that is ever streamed in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponseBadRequest(_plain_page("400.html"))
        # Most requests are under the default: only they need no URL lookup (a hot path).
        if declared > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            limit = body_limit(request.path)
            if declared > limit:
                return too_large(request, limit)
        return self.get_response(request)


API_READ_METHODS = ("GET", "HEAD", "OPTIONS")


class ApiCorsMiddleware:
    """Every GET/HEAD/OPTIONS answer under /api/ may be read from any site, also the ones no
    API view wrote: CommonMiddleware's APPEND_SLASH redirect (/api → /api/) and the NUL 400.
    Without the header a browser's cross-site fetch fails at the redirect."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        path = request.path_info
        if (path == "/api" or path.startswith("/api/")) and request.method in API_READ_METHODS:
            response.headers.setdefault("Access-Control-Allow-Origin", "*")
        return response


class ContentSecurityPolicyMiddleware:
    """Adds settings.CONTENT_SECURITY_POLICY (Django 5.2 has no built-in CSP) to each response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            policy = self.policy
            if request.path.startswith("/admin/"):
                # Django 5.2's admin is not CSP-clean: its change forms' widgets (select2) add
                # <style> elements. Styles only; scripts stay 'self'. Reader pages stay strict.
                policy = policy.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
            response["Content-Security-Policy"] = policy
        return response


@requires_csrf_token
def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """handler500: a plain page, no traceback, no database (also catches errors that escaped
    DatabaseUnavailableMiddleware, e.g. from another middleware, as the 503 page)."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_ERRORS):
        outage.failed()
        return database_unavailable(request)
    return HttpResponseServerError(_plain_page(template_name))


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception, template_name: str = "400.html"):
    """handler400 (also for a request body over DATA_UPLOAD_MAX_MEMORY_SIZE)."""
    return HttpResponseBadRequest(_plain_page(template_name))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a plain page that says what to do, without Django's diagnostics
    (django.security.csrf already logs the reason)."""
    return HttpResponseForbidden(_plain_page("403_csrf.html"))
