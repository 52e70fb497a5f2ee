"""A shared cache whose outage degrades the site instead of breaking it.

Django's RedisCache raises on every call while Redis is down: the list, search, every claim
page, sign-up and password reset answered 500 (issue 19). This backend answers a miss instead
(get → the default, add/set → not stored, incr → counted as a first one), logs the outage once a
minute, and gives up on a dead server within its socket timeouts, so pages are rendered uncached.

The failure mode: while the cache is down nothing is cached, and what is counted in it is not
counted. The limits that must hold (sign-ups, password resets, members' hourly limits) are
counted in the database (core.limits, accounts), not here.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("core.cache")
LOG_EVERY_SECONDS = 60
# Connect and read timeouts for the Redis client: a cache that hangs must cost a request
# little more than a miss does.
SOCKET_TIMEOUT_SECONDS = 0.5


class SoftFailingRedisCache(RedisCache):
    """RedisCache that treats a Redis error as a miss (see the module docstring)."""

    _last_logged = 0.0

    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        options.setdefault("socket_connect_timeout", SOCKET_TIMEOUT_SECONDS)
        options.setdefault("socket_timeout", SOCKET_TIMEOUT_SECONDS)
        super().__init__(server, params)

    def _failed(self, operation: str, error: Exception, answer=None):
        now = time.monotonic()
        if now - SoftFailingRedisCache._last_logged > LOG_EVERY_SECONDS:
            SoftFailingRedisCache._last_logged = now
            logger.error("cache unavailable (%s): %s; serving uncached", operation, error)
        return answer

    def is_available(self) -> bool:
        """Whether Redis answers a PING now (for /healthz)."""
        try:
            return bool(self._cache.get_client(write=False).ping())
        except RedisError:
            return False

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except RedisError as error:
            return self._failed("get", error, default)

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except RedisError as error:
            return self._failed("get_many", error, {})

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except RedisError as error:
            return self._failed("has_key", error, False)

    def add(self, key, value, timeout=None, version=None):
        try:
            return super().add(key, value, timeout, version)
        except RedisError as error:
            return self._failed("add", error, False)

    def set(self, key, value, timeout=None, version=None):
        try:
            return super().set(key, value, timeout, version)
        except RedisError as error:
            return self._failed("set", error)

    def set_many(self, data, timeout=None, version=None):
        try:
            return super().set_many(data, timeout, version)
        except RedisError as error:
            return self._failed("set_many", error, list(data))

    def touch(self, key, timeout=None, version=None):
        try:
            return super().touch(key, timeout, version)
        except RedisError as error:
            return self._failed("touch", error, False)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except RedisError as error:
            return self._failed("incr", error, delta)

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except RedisError as error:
            return self._failed("delete", error, False)

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version)
        except RedisError as error:
            return self._failed("delete_many", error)

    def clear(self):
        try:
            return super().clear()
        except RedisError as error:
            return self._failed("clear", error, False)
