"""The site's URLs plus `/bench/floor/`: a constant response, to measure the server's ceiling."""

import os

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns

_BODY = b"x" * int(os.environ.get("BENCH_FLOOR_BYTES", "50000"))


def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_BODY, content_type="text/html; charset=utf-8")


urlpatterns = [path("bench/floor/", floor, name="bench-floor"), *site_urlpatterns]
