"""The shared cache reuses one Redis client per connection pool (core.cache): Django's backend
built a new `redis.Redis` on every call, 0.2 ms each, most of a warm claim page's cost with two
cache calls (issue 20). Against the real Redis on 127.0.0.1:6379 (database 13; keys prefixed by
the process, as CI runs two suites at once), skipped without it."""

import os
import socket

import pytest

from core.cache import SoftFailingRedisCache

LOCATION = "redis://127.0.0.1:6379/13"


@pytest.fixture
def redis_cache():
    try:
        socket.create_connection(("127.0.0.1", 6379), 0.5).close()
    except OSError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    backend = SoftFailingRedisCache(LOCATION, {"KEY_PREFIX": f"reuse-{os.getpid()}"})
    yield backend
    backend.delete_many(["a", "b"])
    backend.close()


def test_each_call_uses_the_same_client(redis_cache):
    first = redis_cache._cache.get_client(write=False)
    assert redis_cache._cache.get_client(write=False) is first
    assert redis_cache._cache.get_client(write=True) is first  # one server: one pool


def test_the_reused_client_still_reads_and_writes(redis_cache):
    redis_cache.set("a", b"page bytes", 30)
    redis_cache.set_many({"b": 7}, 30)
    assert redis_cache.get_many(["a", "b"]) == {"a": b"page bytes", "b": 7}
    assert redis_cache.incr("b") == 8
