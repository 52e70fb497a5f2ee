"""The site's absolute-URL origin."""

from django.conf import settings
from django.utils.encoding import iri_to_uri


def site_url(request, path: str) -> str:
    """An absolute URL on SITE_URL, or on the request's own origin when SITE_URL is unset.

    Every absolute URL a reader or a machine gets is built here (pages, JSON, API, exports,
    sitemap, feeds); `site_url(request, "")` is the origin alone."""
    origin = settings.SITE_URL or f"{request.scheme}://{request.get_host()}"
    return iri_to_uri(origin + path)
