"""The API's HTTP rules, shared by every /api/ view and /claims/<slug>.json: JSON errors,
read-only methods, CORS, and conditional GET on an ETag and a Last-Modified date."""

import datetime
import functools
import hashlib
from collections.abc import Callable, Iterable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_http_date_safe
from django.views.decorators.csrf import csrf_exempt

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
JSON_OPTIONS = {"ensure_ascii": False}
PUBLIC_CACHE = "public, max-age=60"
# What a script on another site may read of a response besides the simple headers.
EXPOSED_HEADERS = "ETag, Last-Modified"

METHOD_NOT_ALLOWED = "This API is read-only: use GET, HEAD or OPTIONS."


class BadRequest(Exception):
    """Raised by a view for a bad query string: becomes a JSON error with this status."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message, "status": status}, status=status)


def json_response(data, last_modified: datetime.datetime | None = None, **dumps) -> JsonResponse:
    """A JSON body; `last_modified` becomes its Last-Modified header (see conditional)."""
    response = JsonResponse(data, json_dumps_params={**JSON_OPTIONS, **dumps})
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    return response


def newest(moments: Iterable[datetime.datetime | None]) -> datetime.datetime | None:
    """The latest of the moments given (None when there is none): a list's Last-Modified."""
    return max((moment for moment in moments if moment), default=None)


def cors(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    return response


def conditional(
    request: HttpRequest, response: HttpResponse, cache_control: str = PUBLIC_CACHE
) -> HttpResponse:
    """A strong ETag from the body beside the view's Last-Modified; 304 when the client has
    it (If-None-Match first; If-Modified-Since only when no ETag is sent, as RFC 9110 says)."""
    etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
    response["ETag"] = etag
    response["Cache-Control"] = cache_control
    last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
    return get_conditional_response(
        request, etag=etag, last_modified=last_modified, response=response
    )


def preflight() -> HttpResponse:
    response = HttpResponse(status=204)
    response["Allow"] = ", ".join(SAFE_METHODS)
    response["Access-Control-Allow-Methods"] = ", ".join(SAFE_METHODS)
    response["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
    response["Access-Control-Max-Age"] = "86400"
    return response


def method_not_allowed() -> JsonResponse:
    response = error(405, METHOD_NOT_ALLOWED)
    response["Allow"] = ", ".join(SAFE_METHODS)
    return response


def read_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """GET and HEAD go to the view; OPTIONS is a CORS preflight (a script sending
    If-None-Match asks first); any other method a JSON 405."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in SAFE_METHODS:
            return method_not_allowed()
        if request.method == "OPTIONS":
            return cors(preflight())
        return view(request, *args, **kwargs)

    # Nothing here acts on unsafe methods: answer them with a JSON 405, not a CSRF page.
    return csrf_exempt(wrapper)


def api_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Read-only, CORS-open for GET/HEAD/OPTIONS, with an ETag, Last-Modified and
    conditional GET (304).

    OPTIONS answers a CORS preflight itself; other methods get a JSON 405. A BadRequest
    raised by the view becomes a JSON error (400 unless it says otherwise).
    """

    @read_only
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            response = view(request, *args, **kwargs)
        except BadRequest as exc:
            response = error(exc.status, str(exc))
        if response.status_code == 200:
            response = conditional(request, response)
        return cors(response)

    return wrapper
