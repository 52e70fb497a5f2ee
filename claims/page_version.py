"""Claims' page versions held in the cache, so a warm anonymous claim page reads no database.

The claim page's keys are built on `Claim.cache_version`; reading it costs a query per request
(Claim.objects.published_version). Here each slug's version row (or "no published claim") is
cached under a generation number, and every write that moves a claim's version moves the
generation: Claim saves and deletes (claims.receivers), the QuerySet touches
(ClaimQuerySet.touch, touch_related_list) and the stored scores' write (claims.services). A new
generation is a new set of keys, so no old version is read again, whichever claim it was.

The generation moves twice a write: at once (this connection's later reads, and tests, which
never commit) and once the transaction commits. A reader reads the generation before the
database, so a version read before the commit is filed under a generation the second move
leaves behind: no reader can file an old version under the newest generation.

Only with a cache shared by every process that writes (Redis): a per-process cache would not
hear of a worker's or another web process's write (settings.CLAIM_VERSION_IN_CACHE).
A bulk write that does not touch (docs/architecture.md, "Where a write goes") is seen within
VERSION_TIMEOUT.

A process trusts the generation it read for settings.CLAIM_VERSION_RECHECK_MS (half a
second) and keeps the versions it read under it, so a hot
page asks the shared cache nothing at all within that window: this process's own writes are seen
at once (they move the generation here), another process's within the window (issue 20: the
round trip was half of a warm page's time; 0 turns the window off).

The anonymous page itself (`cached_page`, `keep_page`): with a shared cache, each process also
keeps its own copy of the pages it served (settings.CACHES["local"], bounded in bytes). The key
holds the page's version, so a copy is never stale; it saves the second round trip and the
transfer of ~100 kB a warm page would otherwise cost (issue 20: page/floor with wrk).
"""

import time

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction

GENERATION_KEY = "claim-versions:generation"
# Bounds how long a bulk write that forgot to touch can go unseen; a hot page still reads
# its version from the database about once a minute, not once a request.
VERSION_TIMEOUT = 60
NOT_PUBLISHED = "none"  # cached for a slug with no published claim (a 404 or a draft)


def enabled() -> bool:
    return settings.CLAIM_VERSION_IN_CACHE


def versions_moved() -> None:
    """Some claims' versions moved: no cached version is read again (see the module)."""
    if not enabled():
        return
    _move_generation()
    transaction.on_commit(_move_generation)


def _move_generation() -> None:
    forget()  # this process asks the shared cache again at once
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # none yet, or evicted: start at a number no earlier one reached
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)


def forget() -> None:
    """Drop what this process remembers: its next read asks the shared cache (tests call it
    after emptying the cache)."""
    _seen["trusted_until"] = 0.0


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        _move_generation()
        value = cache.get(GENERATION_KEY)
    return value


def version_key(generation: int, slug: str) -> str:
    return f"claim-version:{generation}:{slug}"


def published_version(slug: str, read):
    """The published claim at `slug` holding only its version fields, or None, as `read(slug)`
    gives it (Claim.objects.published_version), cached under the current generation: a hit
    reads nothing from the database, and one round trip to the cache (see _cached)."""
    if not enabled():
        return read(slug)
    current, cached = _recent_or_cached(slug)
    if cached is None:
        claim = read(slug)  # after the generation was read: see the module
        cached = NOT_PUBLISHED if claim is None else _values_of(claim)
        cache.set(version_key(current, slug), cached, VERSION_TIMEOUT)
    _remember(current, slug, cached)
    return None if cached == NOT_PUBLISHED else _claim_from(cached)


# The generation this process saw last (its guess of the current one), until when it trusts
# it without asking, and the versions it read under it, keyed by (generation, slug): one
# thread replacing an entry while another reads is safe, and an entry read under an older
# generation is never taken for the newer one's.
_seen = {"generation": None, "trusted_until": 0.0}
_recent: dict[tuple[int, str], tuple | str] = {}
RECENT_MAX = 10_000  # slugs remembered; past it the memory starts again


def _recent_or_cached(slug: str) -> tuple[int, tuple | str | None]:
    guess = _seen["generation"]
    trusted = guess is not None and time.monotonic() < _seen["trusted_until"]
    if trusted and (value := _recent.get((guess, slug))) is not None:
        return guess, value
    return _cached(slug)


def _remember(current: int, slug: str, value) -> None:
    if len(_recent) >= RECENT_MAX:
        _recent.clear()
    _recent[(current, slug)] = value


def _cached(slug: str) -> tuple[int, tuple | str | None]:
    """The current generation and the slug's entry under it (None: a miss). The generation
    and the entry under the generation seen last are read at once (one MGET on Redis, as
    atomic as two gets in a row): when it is still current, that entry is the answer."""
    guess = _seen["generation"]
    if guess is not None:
        found = cache.get_many([GENERATION_KEY, version_key(guess, slug)])
        if found.get(GENERATION_KEY) == guess:
            _trust()
            return guess, found.get(version_key(guess, slug))
    current = generation()
    if current != guess:
        _recent.clear()  # entries of older generations are never read again
    _seen["generation"] = current
    _trust()
    return current, cache.get(version_key(current, slug))


def _trust() -> None:
    _seen["trusted_until"] = time.monotonic() + settings.CLAIM_VERSION_RECHECK_MS / 1000


def _fields():
    from .models.claim import ClaimQuerySet  # the models import this module (their touches)

    return ClaimQuerySet.VERSION_FIELDS


def _values_of(claim) -> tuple:
    return tuple(getattr(claim, field) for field in _fields())


def _claim_from(values: tuple):
    from .models import Claim  # a cycle: the models import this module (see _fields)

    return Claim.from_db(Claim.objects.db, _fields(), list(values))


def _local():
    # A copy lives VERSION_TIMEOUT only: keys never go stale, but a flush of the shared cache
    # (a deploy's) then reaches every process's copies within a minute.
    return caches["local"] if "local" in settings.CACHES else None


def cached_page(key: str) -> bytes | None:
    """An anonymous page's bytes: this process's copy, else the shared cache's (then copied)."""
    local = _local()
    if local is not None and (content := local.get(key)) is not None:
        return content
    content = cache.get(key)
    if content is not None and local is not None:
        local.set(key, content, VERSION_TIMEOUT)
    return content


def keep_page(key: str, content: bytes, timeout: int) -> None:
    cache.set(key, content, timeout)
    if (local := _local()) is not None:
        local.set(key, content, VERSION_TIMEOUT)
