"""A shared cache whose outage degrades the site instead of breaking it.

Django's RedisCache raises on every call while Redis is down: the list, search, every claim
page, sign-up and password reset answered 500 (issue 19). This backend answers a miss instead
(get → the default, add/set → not stored, incr → counted as a first one), logs the outage once a
minute, and gives up on a dead server within its socket timeouts, so pages are rendered uncached.

The failure mode: while the cache is down nothing is cached, and what is counted in it is not
counted. The limits that must hold (sign-ups, password resets, members' hourly limits) are
counted in the database (core.limits, accounts), not here.

Also the per-process default, BoundedLocMemCache: Django's LocMemCache bounded in bytes as
well as entries (docs/performance.md, "Cache sizing").
"""

import logging
import threading
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger("core.cache")
LOG_EVERY_SECONDS = 60
# Connect and read timeouts for the Redis client: a cache that hangs must cost a request
# little more than a miss does.
SOCKET_TIMEOUT_SECONDS = 0.5
# After a Redis error, calls are misses without trying for this long (a hung Redis must not
# cost each of a page's cache calls its timeout).
FAIL_FAST_SECONDS = 5


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's Redis client, with one `redis.Redis` per connection pool instead of a new one
    per call: building one fills ~170 response callbacks, 0.2 ms of every cache call, more than
    the loopback round trip itself (issue 20: two of them were most of a warm claim page)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:  # a redis.Redis is thread-safe; the pool hands out connections
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class SoftFailingRedisCache(RedisCache):
    """RedisCache that treats a Redis error as a miss (see the module docstring).

    After an error every call is a miss at once for FAIL_FAST_SECONDS (issue 19 review: a Redis
    that accepts and never answers cost each call its 0.5 s timeout, 10 s a claim page), then
    the next call tries Redis again."""

    _last_logged = 0.0
    # Per server list, shared by the backend's per-thread instances: the monotonic time until
    # which calls do not try it.
    _down_until: dict[tuple, float] = {}

    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        options.setdefault("socket_connect_timeout", SOCKET_TIMEOUT_SECONDS)
        options.setdefault("socket_timeout", SOCKET_TIMEOUT_SECONDS)
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

    def _soft(self, operation: str, answer, call, *args):
        """call(*args), or `answer` when Redis fails or failed a moment ago."""
        servers = tuple(self._servers)
        if time.monotonic() < SoftFailingRedisCache._down_until.get(servers, 0.0):
            return answer
        try:
            return call(*args)
        except RedisError as error:
            now = time.monotonic()
            SoftFailingRedisCache._down_until[servers] = now + FAIL_FAST_SECONDS
            if now - SoftFailingRedisCache._last_logged > LOG_EVERY_SECONDS:
                SoftFailingRedisCache._last_logged = now
                logger.error("cache unavailable (%s): %s; serving uncached", operation, error)
            return answer

    def is_available(self) -> bool:
        """Whether Redis answers a PING now (for /healthz; it always asks)."""
        try:
            return bool(self._cache.get_client(write=False).ping())
        except RedisError:
            return False

    def get(self, key, default=None, version=None):
        return self._soft("get", default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._soft("get_many", {}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._soft("has_key", False, super().has_key, key, version)

    def add(self, key, value, timeout=None, version=None):
        return self._soft("add", False, super().add, key, value, timeout, version)

    def set(self, key, value, timeout=None, version=None):
        return self._soft("set", None, super().set, key, value, timeout, version)

    def set_many(self, data, timeout=None, version=None):
        return self._soft("set_many", list(data), super().set_many, data, timeout, version)

    def touch(self, key, timeout=None, version=None):
        return self._soft("touch", False, super().touch, key, timeout, version)

    def incr(self, key, delta=1, version=None):
        return self._soft("incr", delta, super().incr, key, delta, version)

    def delete(self, key, version=None):
        return self._soft("delete", False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        return self._soft("delete_many", None, super().delete_many, keys, version)

    def clear(self):
        return self._soft("clear", False, super().clear)


# The per-process cache's default byte bound: one 5,000-link claim page is 1.7 MB, so a bound
# in entries alone (5,000) let a worker grow past 128 MB (issue 20).
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
# Bytes held per cache name, shared by the backend's per-thread instances (as LocMemCache's
# own store is): name -> [total, {key: bytes}].
_held: dict[str, list] = {}
_held_lock = threading.Lock()


class BoundedLocMemCache(LocMemCache):
    """LocMemCache bounded by the bytes it holds (OPTIONS MAX_BYTES) as well as its entries.

    What is counted is each value as stored (pickled) plus its key. Past the bound the least
    recently used entries go first, as when the entry bound culls; a single value larger than
    the bound is not stored (a miss: the page is rendered, as with no cache)."""

    def __init__(self, name, params):
        super().__init__(name, params)
        options = params.get("OPTIONS", {})
        self.max_bytes = int(options.get("MAX_BYTES", DEFAULT_MAX_BYTES))
        with _held_lock:
            self._held = _held.setdefault(name, [0, {}])

    @property
    def bytes_held(self) -> int:
        return self._held[0]

    def _forget(self, key) -> None:
        size = self._held[1].pop(key, None)
        if size is not None:
            self._held[0] -= size

    def _set(self, key, value, timeout=None):
        size = len(value) + len(key)
        self._forget(key)
        if size > self.max_bytes:
            self._delete(key)
            return
        super()._set(key, value, timeout)
        self._held[1][key] = size
        self._held[0] += size
        while self._held[0] > self.max_bytes and len(self._cache) > 1:
            oldest, _ = self._cache.popitem()  # the least recently used (LocMemCache's order)
            self._expire_info.pop(oldest, None)
            self._forget(oldest)

    def _cull(self):
        if self._cull_frequency == 0:
            self._cache.clear()
            self._expire_info.clear()
            self._held[:] = [0, {}]
            return
        for _ in range(len(self._cache) // self._cull_frequency):
            key, _ = self._cache.popitem()
            self._expire_info.pop(key, None)
            self._forget(key)

    def _delete(self, key):
        self._forget(key)
        return super()._delete(key)

    def clear(self):
        with self._lock:
            self._cache.clear()
            self._expire_info.clear()
            self._held[:] = [0, {}]
