"""Page-number pagination for claim lists at any corpus size (issue 20).

Django's Paginator counts the whole list on every request (COUNT(*) over every published claim)
and takes a page with OFFSET, which makes the database compute each skipped row's columns (the
link counts' subqueries) before throwing it away. ClaimPaginator reads the count from the cache
under the "claims changed" version (ClaimQuerySet.list_version: any write that could change
a count moves it, in every process at once), and takes a page in two steps: the page's keys
through the list's index, then those rows only.
"""

import hashlib
import json
from collections.abc import Mapping

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property

from .models import Claim

# A count is never stale (its key moves with the version): the timeout only bounds memory,
# since every write leaves the keys of the version before it behind.
COUNT_TIMEOUT = 60 * 60
# The filters that change what a list holds (not its order).
COUNTED_FILTERS = ("q", "topic", "type", "verdict", "certainty", "updated_since")


def list_key(name: str, filters: Mapping | None = None) -> str:
    """A list's name and the filters that narrow it, as a short cache key part."""
    narrowed = {k: str(filters[k]) for k in COUNTED_FILTERS if filters and filters.get(k)}
    digest = hashlib.sha256(json.dumps(narrowed, sort_keys=True).encode()).hexdigest()[:16]
    return f"{name}:{digest}"


class ClaimPaginator(Paginator):
    """A Paginator over a claim QuerySet whose count is cached under `version` (read when
    first needed unless given, so a request reading it for other figures reads it once) and
    whose pages are read by key. `key` names the list and its filters (list_key)."""

    def __init__(self, object_list, per_page, *, key: str, version: str | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.key = key
        self._version = version

    @cached_property
    def version(self) -> str:
        return self._version or Claim.objects.list_version()

    @cached_property
    def count(self) -> int:
        key = f"claim-count:{self.version}:{self.key}"
        count = cache.get(key)
        if count is None:
            count = self.object_list.count()
            cache.set(key, count, COUNT_TIMEOUT)
        return count

    def _get_page(self, object_list, number, paginator) -> Page:
        """The page's claims, in the list's order. Past the first page, their keys first
        (the list's index, no columns computed for the rows before them), then those rows."""
        if number == 1:
            return super()._get_page(object_list, number, paginator)
        keys = list(object_list.values_list("pk", flat=True))
        rows = {row.pk: row for row in self.object_list.order_by().filter(pk__in=keys)}
        return Page([rows[pk] for pk in keys if pk in rows], number, paginator)
