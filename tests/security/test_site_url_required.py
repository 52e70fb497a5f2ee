"""Production takes every absolute URL from SITE_URL, never from the request's Host (issue 19:
ALLOWED_HOSTS ignores the port, so "Host: localhost:<N>" put a chosen port into the canonical
link, og:url and JSON-LD, and minted a new anonymous-page cache key per port)."""

import os
import subprocess
import sys
from pathlib import Path

from tests.factories import make_claim

ROOT = Path(__file__).resolve().parents[2]


def settings_exit(**env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "DEBUG")}
    environment.update(PYTHONPATH=str(ROOT), DJANGO_SETTINGS_MODULE="config.settings", **env)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


PRODUCTION = {"DEBUG": "0", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "claims.example.org"}


def test_production_refuses_to_start_without_site_url():
    result = settings_exit(**PRODUCTION)
    assert result.returncode != 0
    assert "SITE_URL must be set when DEBUG is off" in result.stderr


def test_production_starts_with_site_url():
    assert settings_exit(**PRODUCTION, SITE_URL="https://claims.example.org").returncode == 0


def test_a_port_in_the_host_changes_neither_the_links_nor_the_cache_key(client, db, settings):
    settings.SITE_URL = "https://claims.example.org"
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    claim = make_claim(slug="port-trick", status="published")
    responses = [
        client.get(f"/claims/{claim.slug}/", HTTP_HOST=f"localhost:{port}") for port in (8001, 8002)
    ]
    for response in responses:
        page = response.content.decode()
        assert 'href="https://claims.example.org/claims/port-trick/"' in page
        assert "localhost:800" not in page
    # The ETag is built on the page's cache key parts, origin included: one page, one key.
    assert responses[0]["ETag"] == responses[1]["ETag"]
