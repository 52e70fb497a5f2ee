"""studies.http.fetch: one deadline for the whole exchange, readable failures, Retry-After."""

import socket
import threading
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from studies.http import FetchError, fetch, retry_after_seconds


@contextmanager
def server(answer):
    """A real TCP server on 127.0.0.1 whose every connection is handled by answer(conn)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    stop = threading.Event()

    def serve():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            threading.Thread(target=_handle, args=(conn,), daemon=True).start()

    def _handle(conn):
        with conn:
            try:
                conn.recv(65536)
                answer(conn)
            except OSError:
                pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        listener.close()


def trickle(conn):
    """Headers and a body one byte every 0.2 s: each read is quick, the whole is slow."""
    for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 200\r\n\r\n" + b"x" * 200:
        conn.send(bytes([byte]))
        time.sleep(0.2)


def test_it_gives_up_on_a_trickled_answer_at_the_deadline():
    with server(trickle) as url:
        started = time.monotonic()
        with pytest.raises(FetchError, match="within 1 s") as error:
            fetch(url + "/slow", deadline=1)
        took = time.monotonic() - started
    assert error.value.timed_out and error.value.transient
    assert took < 2  # a per-read timeout of 1 s would have waited ~50 s


def answer_with(status_line: str, headers: str = "", body: bytes = b""):
    def answer(conn):
        head = f"HTTP/1.1 {status_line}\r\nContent-Length: {len(body)}\r\n{headers}\r\n"
        conn.sendall(head.encode() + body)

    return answer


def test_it_returns_a_2xx_body_and_headers():
    body = b'{"status": "ok"}'
    with server(answer_with("200 OK", "Content-Type: application/json\r\n", body)) as url:
        response = fetch(url + "/works/x", deadline=5)
    assert (response.status, response.body) == (200, body)
    assert response.headers["content-type"] == "application/json"


def test_it_reports_a_429_with_its_retry_after_as_transient():
    with (
        server(answer_with("429 Too Many Requests", "Retry-After: 7\r\n")) as url,
        pytest.raises(FetchError) as error,
    ):
        fetch(url, deadline=5)
    assert (error.value.status, error.value.retry_after, error.value.transient) == (429, 7.0, True)


def test_it_reports_a_404_as_permanent():
    with server(answer_with("404 Not Found")) as url, pytest.raises(FetchError) as error:
        fetch(url, deadline=5)
    assert (error.value.status, error.value.transient) == (404, False)


def test_it_refuses_an_answer_past_the_size_cap():
    with (
        server(answer_with("200 OK", body=b"x" * 5000)) as url,
        pytest.raises(FetchError, match="larger than 1,000 bytes"),
    ):
        fetch(url, deadline=5, max_bytes=1000)


def test_it_reports_a_refused_connection_readably():
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there now
    with pytest.raises(FetchError, match="could not reach 127.0.0.1") as error:
        fetch(f"http://127.0.0.1:{port}/", deadline=5)
    assert error.value.transient


@pytest.mark.parametrize("url", ["ftp://example.org/x", "file:///etc/passwd", "not a url"])
def test_it_refuses_anything_but_http(url):
    with pytest.raises(FetchError, match="not an http"):
        fetch(url, deadline=1)


def test_it_reads_retry_after_as_seconds_or_an_http_date():
    now = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
    later = format_datetime(now + timedelta(seconds=90), usegmt=True)
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds(later, now=now.timestamp()) == pytest.approx(90)
    assert retry_after_seconds(format_datetime(now - timedelta(hours=1), usegmt=True)) == 0.0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None
