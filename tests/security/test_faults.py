"""Faults: with the database unreachable, /healthz and pages answer 503; when it comes back the
same running process serves again (CONN_HEALTH_CHECKS), no restart."""

import contextlib
import http.client
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.http import HttpResponse
from django.test import RequestFactory

from config.middleware import DatabaseUnavailableMiddleware, server_error

ROOT = Path(__file__).resolve().parents[2]
SERVE = """
import sys
from wsgiref.simple_server import WSGIRequestHandler, make_server
from config.wsgi import application
class Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass
make_server("127.0.0.1", int(sys.argv[1]), application, handler_class=Quiet).serve_forever()
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


class Site:
    """The WSGI app in its own process, with its own settings (as gunicorn would run it)."""

    def __init__(self, database_url: str, **overrides: str):
        self.port = free_port()
        env = {
            **os.environ,
            "DEBUG": "1",
            "DATABASE_URL": database_url,
            "ALLOWED_HOSTS": "127.0.0.1",
            "CONN_MAX_AGE": "60",
            "PYTHONPATH": str(ROOT),
            "LOG_LEVEL": "CRITICAL",
            **overrides,
        }
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVE, str(self.port)], cwd=ROOT, env=env
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("the site did not start")

    def get(self, path: str) -> tuple[int, str]:
        return get(f"http://127.0.0.1:{self.port}{path}")

    def status(self, path: str) -> tuple[int, str]:
        """The status and Location of one plain-http request, without following redirects."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            return response.status, response.getheader("Location", "")
        finally:
            conn.close()

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


class TcpRelay:
    """A switchable TCP path to the database: down() closes it and every open connection."""

    def __init__(self, target: tuple[str, int]):
        self.target, self.port = target, free_port()
        self.sockets: list[socket.socket] = []
        self.listener = None
        self.up()

    def up(self):
        self.listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def down(self):
        with contextlib.suppress(OSError):  # shutdown wakes the blocked accept() (Linux)
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self.sockets.clear()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            self.sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                sink.shutdown(socket.SHUT_WR)


def test_it_answers_503_when_the_database_is_unreachable():
    site = Site("postgres://postgres@127.0.0.1:1/nothing-listens-here")
    try:
        status, body = site.get("/healthz")
        assert (status, body) == (503, "database unavailable")
        status, body = site.get("/")
        assert status == 503
        assert "We'll be right back" in body and "Traceback" not in body
        assert site.get("/claims/some-claim/")[0] == 503
    finally:
        site.stop()


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="needs PostgreSQL: a SQLite file cannot become unreachable over a network",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_recovers_without_a_restart_when_the_database_returns(demo):
    db = connection.settings_dict
    relay = TcpRelay((db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
    user = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    site = Site(f"postgres://{user}@127.0.0.1:{relay.port}/{db['NAME']}")
    try:
        assert site.get("/healthz") == (200, "ok")
        assert site.get("/claims/")[0] == 200
        relay.down()
        assert site.get("/healthz")[0] == 503
        status, body = site.get("/claims/")
        assert status == 503 and "We'll be right back" in body
        relay.up()
        assert site.get("/healthz") == (200, "ok")
        assert site.get("/claims/")[0] == 200
    finally:
        site.stop()
        relay.down()


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 50,
    "SECURE_SSL_REDIRECT": "1",
    "SITE_URL": "https://claims.example.org",
}


@pytest.mark.parametrize(
    ("database", "expected"), [("empty-file", 200), ("unreachable", 503)], ids=["up", "down"]
)
def test_it_answers_a_plain_http_health_check_without_redirecting(tmp_path, database, expected):
    """With DEBUG=0 every page over plain http is redirected to https, but a load balancer's
    http health check must see 200 or 503 (SECURE_REDIRECT_EXEMPT), not a 301."""
    url = {
        "empty-file": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "unreachable": "postgres://postgres@127.0.0.1:1/nothing-listens-here",
    }[database]
    site = Site(url, **PRODUCTION)
    try:
        assert site.status("/healthz")[0] == expected
        assert site.status("/") == (301, f"https://127.0.0.1:{site.port}/")
        assert site.status("/healthz/")[0] == 301  # only the health check itself is exempt
    finally:
        site.stop()


def test_it_exempts_only_the_health_check_from_the_https_redirect(db, client, settings):
    settings.DEBUG = False
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301
    assert client.get("/claims/").status_code == 301


def test_it_turns_a_database_error_in_a_view_into_the_503_page():
    middleware = DatabaseUnavailableMiddleware(lambda request: HttpResponse())
    response = middleware.process_exception(RequestFactory().get("/"), OperationalError("x"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "We'll be right back" in response.content.decode()
    assert middleware.process_exception(RequestFactory().get("/"), ValueError("x")) is None


def test_it_renders_the_500_page_without_the_database():
    # No django_db mark: any query here would fail the test.
    try:
        raise ValueError("boom")
    except ValueError:
        response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in html and "boom" not in html
