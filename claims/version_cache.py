"""A claim's other representations (/claims/<slug>.json, the API's claim, the BibTeX, RIS, CSV
and CSL exports) cached under the claim's version, with an ETag made of the version.

At 5,000 links each took ~500 ms to build, and a 304 cost as much, since the ETag was a hash
of the body (issue 20). Everything they show moves `Claim.cache_version` (the receivers touch
the claim, as for its page) or `scored_at` (a rescore), so the key is the version and the 304 is
answered from the claim's row alone: nothing is rendered, nothing read from the cache.
"""

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, quote_etag
from django.utils.http import http_date

from core.site import site_url

from .models import Claim
from .page_cache import FRAGMENT_TIMEOUT


def version_etag(request: HttpRequest, claim: Claim, kind: str) -> str:
    """The representation (`kind`: "json", "api", "bib", …), the claim's page version and last
    score, its status, the origin of its absolute URLs and the cache's key prefix (a deploy
    that changes the output changes it), hashed."""
    parts = [
        kind,
        site_url(request, ""),
        claim.cache_version,
        str(claim.scored_at.timestamp()) if claim.scored_at else "",
        claim.status,
        settings.CACHES["default"].get("KEY_PREFIX", ""),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def versioned(
    request: HttpRequest,
    claim: Claim,
    kind: str,
    render: Callable[[], bytes | str],
    content_type: str,
) -> HttpResponse:
    """A 304 when the client has this version (If-None-Match, else If-Modified-Since), else
    the body from the cache, rendered by `render()` on a miss. With ETag and Last-Modified
    (the claim's last change, as the API's updated_at)."""
    etag = quote_etag(version_etag(request, claim, kind))
    last_modified = int(claim.last_changed_at.timestamp())
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        key = f"claim-file:{etag.strip(chr(34))}"
        body = cache.get(key)
        if body is None:
            body = render()
            body = body.encode() if isinstance(body, str) else body
            cache.set(key, body, FRAGMENT_TIMEOUT)
        response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    return response
