"""With a shared cache, each process keeps its own copy of the anonymous claim pages it served
(settings.CACHES["local"], claims.page_version.cached_page): a warm page is then one round trip
to the shared cache (the version), not two (issue 20: page/floor with wrk). The copy is keyed by
the page's version, so an edit is still shown at once."""

import pytest
from django.core.cache import caches

from tests.factories import claim_with_a_finding

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def two_caches(settings):
    settings.CLAIM_VERSION_IN_CACHE = True  # as with Redis (config/settings.py)
    settings.FULL_VERDICT_REQUIRES_LOGIN = False
    settings.CACHES = {
        "default": {"BACKEND": "core.cache.BoundedLocMemCache", "LOCATION": "shared-test"},
        "local": {"BACKEND": "core.cache.BoundedLocMemCache", "LOCATION": "local-test"},
    }
    yield
    for name in ("default", "local"):
        caches[name].clear()


@pytest.fixture
def claim():
    return claim_with_a_finding("copied")


def page_keys(name):
    return [key for key in caches[name]._cache if "claim-page-anonymous" in key]


def test_a_served_page_is_kept_in_both_caches(client, claim):
    assert client.get("/claims/copied/").status_code == 200
    assert len(page_keys("default")) == 1
    assert len(page_keys("local")) == 1


def test_a_warm_page_is_served_from_the_local_copy(client, claim, django_assert_num_queries):
    first = client.get("/claims/copied/").content
    caches["default"].delete_many(
        [key.split(":", 2)[2] for key in page_keys("default")]  # strip Django's prefix:version
    )
    assert page_keys("default") == []
    with django_assert_num_queries(0):
        again = client.get("/claims/copied/")
    assert again.content == first
    assert page_keys("default") == []  # not read back from (nor rendered into) the shared one


def test_an_edit_is_shown_at_once_despite_the_copy(client, claim):
    assert "First finding." in client.get("/claims/copied/").content.decode()
    evidence = claim.evidence.get()
    evidence.finding = "A corrected finding."
    evidence.save()  # the receivers touch the claim: a new version, a new key
    assert "A corrected finding." in client.get("/claims/copied/").content.decode()


def test_a_copy_is_made_from_the_shared_cache_on_a_miss(client, claim):
    first = client.get("/claims/copied/").content
    caches["local"].clear()
    assert client.get("/claims/copied/").content == first
    assert len(page_keys("local")) == 1


def settings_caches(cache_url: str) -> dict:
    """config.settings' CACHES for this CACHE_URL, read in a new interpreter."""
    import json
    import os
    import subprocess
    import sys

    env = {**os.environ, "CACHE_URL": cache_url, "DEBUG": "1"}
    code = "import json; from config import settings; print(json.dumps(settings.CACHES))"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


@pytest.mark.parametrize(
    ("cache_url", "local"),
    [("redis://127.0.0.1:6379/1", "core.cache.BoundedLocMemCache"), ("", None)],
)
def test_the_local_copy_is_configured_only_beside_a_shared_cache(cache_url, local):
    caches_setting = settings_caches(cache_url)
    assert caches_setting.get("local", {}).get("BACKEND") == local
