"""A process trusts the claims' version generation it read for CLAIM_VERSION_RECHECK_MS
(claims.page_version): within that window a warm anonymous page asks the shared cache nothing;
its own writes are seen at once, another process's once the window has passed (issue 20:
the shared cache's round trip was half of a warm page's time)."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.utils import timezone

from claims import page_version
from claims.models import Claim
from tests.factories import claim_with_a_finding

pytestmark = pytest.mark.django_db


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(page_version.time, "monotonic", clock)
    return clock


@pytest.fixture(autouse=True)
def shared_cache(settings):
    settings.CLAIM_VERSION_IN_CACHE = True  # as with Redis (config/settings.py)
    settings.CLAIM_VERSION_RECHECK_MS = 500
    settings.FULL_VERDICT_REQUIRES_LOGIN = False


@pytest.fixture
def claim():
    return claim_with_a_finding("window")


def page(client):
    response = client.get("/claims/window/")
    assert response.status_code == 200
    return response


def another_process_edits(claim):
    """What another process's write leaves: a new version in the database and the generation
    moved in the shared cache, with nothing said to this process."""
    Claim.objects.filter(pk=claim.pk).update(content_changed_at=timezone.now())
    cache.incr(page_version.GENERATION_KEY)


def test_within_the_window_a_warm_page_asks_the_shared_cache_nothing(client, claim, clock):
    page(client)
    page(client)  # the version is remembered
    with (
        mock.patch.object(cache, "get_many", wraps=cache.get_many) as get_many,
        mock.patch.object(cache, "get", wraps=cache.get) as get,
    ):
        page(client)
    version_reads = [c for c in get_many.call_args_list + get.call_args_list if "claim-v" in str(c)]
    assert version_reads == []


def test_after_the_window_the_generation_is_asked_again(client, claim, clock):
    page(client)
    clock.now += 0.6
    with mock.patch.object(cache, "get_many", wraps=cache.get_many) as get_many:
        page(client)
    assert get_many.call_count == 1


def test_another_process_write_is_seen_once_the_window_has_passed(client, claim, clock):
    before = page(client)["ETag"]
    another_process_edits(claim)
    clock.now += 0.1
    assert page(client)["ETag"] == before  # still within the window: at most half a second
    clock.now += 0.5
    assert page(client)["ETag"] != before


def test_this_process_write_is_seen_at_once(client, claim, clock):
    before = page(client)["ETag"]
    Claim.objects.filter(pk=claim.pk).touch()  # moves the generation here too
    assert page(client)["ETag"] != before


def test_no_window_asks_every_time(client, claim, clock, settings):
    settings.CLAIM_VERSION_RECHECK_MS = 0
    before = page(client)["ETag"]
    another_process_edits(claim)
    assert page(client)["ETag"] != before
