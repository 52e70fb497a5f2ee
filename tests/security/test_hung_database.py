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


LISTENERS: dict[int, SilentListener] = {}


@pytest.fixture
def silent_database():
    listener = SilentListener()
    LISTENERS[listener.port] = listener
    yield f"postgres://postgres@127.0.0.1:{listener.port}/hangs"
    listener.close()
    LISTENERS.pop(listener.port)


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


def test_after_one_failed_connection_the_process_fails_fast(silent_database):
    """Issue 19, left from round two: each request waited its own connect timeout. Now one
    request waits; the next ones in the window answer 503 without trying (the listener sees
    one connection, not five), and after the window one request tries again."""
    listener_port = int(silent_database.rsplit(":", 1)[1].split("/")[0])
    site = Site(silent_database, DB_FAIL_FAST_SECONDS="2")
    try:
        paths = ("/healthz", "/", "/claims/", "/claims/some-claim/")
        statuses = [site.get(path)[0] for path in paths]
        attempts_in_window = connections_to(listener_port)
        time.sleep(2.2)  # the window passes: the next request is the probe
        probe = site.get("/claims/")[0]
        attempts_after = connections_to(listener_port)
    finally:
        site.stop()
    assert statuses == [503, 503, 503, 503]
    assert attempts_in_window == 1
    assert probe == 503 and attempts_after == 2


def connections_to(port: int) -> int:
    """How many connections the silent listener on `port` has accepted so far."""
    return len(LISTENERS[port].held)
