"""The per-process cache is bounded in bytes, not only in entries (core.cache.BoundedLocMemCache):
one 5,000-link claim page is 1.7 MB, so 5,000 entries could hold gigabytes."""

import pytest
from django.conf import settings

from core.cache import BoundedLocMemCache


@pytest.fixture
def small():
    cache = BoundedLocMemCache(
        "test-bounded", {"OPTIONS": {"MAX_BYTES": 10_000, "MAX_ENTRIES": 1000}}
    )
    cache.clear()
    yield cache
    cache.clear()


def test_it_is_the_default_in_process_cache():
    assert settings.CACHES["default"]["BACKEND"] == "core.cache.BoundedLocMemCache"
    assert settings.CACHES["default"]["OPTIONS"]["MAX_BYTES"] == 64 * 1024 * 1024


def test_it_drops_the_least_recently_used_past_its_byte_bound(small):
    for name in "abc":
        small.set(name, b"x" * 3000)
    small.get("a")  # used: now the most recent
    small.set("d", b"x" * 3000)  # 4 x 3,000 bytes is over the bound: the oldest used goes

    assert small.bytes_held <= 10_000
    assert small.get("b") is None
    assert all(small.get(name) is not None for name in "acd")


def test_it_does_not_store_a_value_larger_than_its_bound(small):
    small.set("kept", b"x" * 100)
    small.set("huge", b"x" * 20_000)
    assert small.get("huge") is None
    assert small.get("kept") == b"x" * 100


def test_replacing_and_deleting_give_the_bytes_back(small):
    small.set("page", b"x" * 5000)
    small.set("page", b"x" * 1000)
    held = small.bytes_held
    assert 1000 < held < 2000
    small.delete("page")
    assert small.bytes_held == 0
    small.set_many({"a": b"x" * 100, "b": b"y" * 100})
    small.clear()
    assert small.bytes_held == 0 and small.get("a") is None


def test_its_instances_share_one_count_as_they_share_one_store(small):
    other = BoundedLocMemCache("test-bounded", {"OPTIONS": {"MAX_BYTES": 10_000}})
    small.set("a", b"x" * 4000)
    other.set("b", b"x" * 4000)
    other.set("c", b"x" * 4000)  # over the bound: "a" goes, whichever instance stored it
    assert small.get("a") is None
    assert small.bytes_held == other.bytes_held <= 10_000


def test_the_entry_bound_still_culls_and_the_count_follows(small):
    few = BoundedLocMemCache("test-few", {"OPTIONS": {"MAX_BYTES": 10_000, "MAX_ENTRIES": 3}})
    few.clear()
    for name in "abcdef":
        few.set(name, b"x" * 10)
    assert len(few._cache) <= 3
    assert few.bytes_held == sum(few._held[1].values())
    few.clear()
