"""Keyset (cursor) pagination for /api/claims/: each page is read from where the last one ended
(claims created before the cursor's moment, or at it with a lower id), so page 5,000 costs what
page 1 does, and no COUNT(*) is run. `next` carries the cursor with the request's filters.

A cursor is a position, not a page: "<microseconds since 1970>-<id>" of the last claim shown.
Clients treat it as opaque and follow `next`; any cursor of that form is a valid position
(api/openapi.yaml gives the pattern), and any other is a 400. The page-number form (`page`)
stays for readers that use it (api.views.paginate), and answers a search (`q`), which is
ordered best match first and has no position to resume from."""

import datetime
import re

from django.db.models import Q
from django.http import HttpRequest

from core.site import site_url

from .http import BadRequest

# The pattern api/openapi.yaml gives the parameter: up to 17 digits of microseconds (to the
# year 5138) and 18 of id (a BigAutoField's range).
CURSOR = re.compile(r"([0-9]{1,17})-([0-9]{1,18})")
BAD_CURSOR = (
    "cursor is not one this API gave: start again with an empty cursor (cursor=) and follow "
    "each page's next link."
)
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def encode(claim) -> str:
    """Where a page ended: its last claim's creation moment and id."""
    delta = claim.created_at - EPOCH
    micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    return f"{micros}-{claim.pk}"


def decode(token: str) -> tuple[datetime.datetime, int]:
    match = CURSOR.fullmatch(token)
    if match is None:
        raise BadRequest(BAD_CURSOR)
    micros, pk = match.groups()
    return EPOCH + datetime.timedelta(microseconds=int(micros)), int(pk)


def cursor_page(request: HttpRequest, queryset, serialize, size: int) -> tuple[dict, list]:
    """The page after the request's cursor (the first when it is empty) of `queryset`, newest
    first (created_at, then id, both descending), as the cursor envelope, and its objects (one
    query: a row more than the page tells whether there is a next)."""
    token = request.GET.get("cursor", "")
    claims = queryset.order_by("-created_at", "-pk")
    if token:
        created, pk = decode(token)
        claims = claims.filter(Q(created_at__lt=created) | Q(created_at=created, pk__lt=pk))
    objects = list(claims[: size + 1])
    more, objects = len(objects) > size, objects[:size]
    next_url = None
    if more:
        params = request.GET.copy()
        params["cursor"] = encode(objects[-1])
        next_url = site_url(request, f"{request.path}?{params.urlencode()}")
    envelope = {
        "page_size": size,
        "next": next_url,
        "results": [serialize(item) for item in objects],
    }
    return envelope, objects
