"""A database that accepts connections and never answers (a frozen server, a black-holed proxy)
is a 503 within 5 s, for /healthz and pages alike (issue 19: every request hung until gunicorn
killed the worker at 30 s; there was no connect timeout)."""

import socket
import threading
import time

import pytest

from tests.security.test_faults import Site


class SilentListener:
    """Accepts every TCP connection and never sends a byte."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            self.held.append(client)

    def close(self):
        self.listener.close()
        for sock in self.held:
            sock.close()


@pytest.fixture
def silent_database():
    listener = SilentListener()
    yield f"postgres://postgres@127.0.0.1:{listener.port}/hangs"
    listener.close()


@pytest.mark.parametrize("path", ["/healthz", "/", "/claims/some-claim/"])
def test_a_database_that_never_answers_is_a_503_within_5_seconds(silent_database, path):
    site = Site(silent_database)
    try:
        started = time.monotonic()
        status, body = site.get(path)
        elapsed = time.monotonic() - started
    finally:
        site.stop()
    assert status == 503
    assert "Traceback" not in body
    assert elapsed < 5, f"{path} took {elapsed:.1f} s"


def test_the_api_says_it_in_json(silent_database):
    site = Site(silent_database)
    try:
        status, body = site.get("/api/claims/")
    finally:
        site.stop()
    assert status == 503
    assert '"status": 503' in body and "database is unavailable" in body
