"""One HTTP GET for every outside service (Crossref, PubMed): a total deadline, a size cap, and
failures an editor can read.

A socket timeout bounds each read, not the whole answer: a server that trickles a byte a second
would hold a worker (or a gunicorn request) for as long as it likes. Here a watchdog timer shuts
the socket when the deadline passes, whatever phase the exchange is in (connecting, headers,
body), so `fetch` returns or raises within `deadline` seconds plus a little.

`FetchError.retry_after` carries a 429/503 answer's Retry-After (seconds) so a task can retry
when the service asks; `FetchError.transient` says whether trying again later may help.
"""

import contextlib
import email.utils
import http.client
import socket
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
DEFAULT_MAX_BYTES = 5_000_000
CHUNK = 65_536


class FetchError(Exception):
    """The GET failed; str(error) says why. `status` is the HTTP status (None: no answer)."""

    def __init__(self, reason: str, *, status=None, retry_after=None, timed_out=False):
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.retry_after = retry_after
        self.timed_out = timed_out

    @property
    def transient(self) -> bool:
        return self.status is None or self.status in TRANSIENT_STATUSES


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    headers: dict


def retry_after_seconds(value: str | None, *, now: float | None = None) -> float | None:
    """A Retry-After header (delta-seconds or an HTTP date) in seconds from now; None if absent
    or unreadable. Never negative."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - datetime.fromtimestamp(now, UTC).timestamp())


def fetch(
    url: str,
    *,
    deadline: float,
    headers: dict | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Response:
    """GET `url`; the whole exchange ends within `deadline` seconds. Returns a 2xx Response;
    raises FetchError for anything else (status ≥ 300, network error, deadline, too large)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"not an http(s) address: {url!r}")
    connection_class = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    connection = connection_class(parts.hostname, parts.port, timeout=deadline)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    expired = threading.Event()

    def cut_off():
        expired.set()
        sock = connection.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    started = time.monotonic()
    watchdog = threading.Timer(deadline, cut_off)
    watchdog.daemon = True
    watchdog.start()
    try:
        connection.request("GET", path, headers=headers or {})
        answer = connection.getresponse()
        chunks, size = [], 0
        while True:
            if time.monotonic() - started > deadline:
                expired.set()
                raise TimeoutError
            chunk = answer.read1(CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                raise FetchError(f"the answer is larger than {max_bytes:,} bytes")
            chunks.append(chunk)
        body = b"".join(chunks)
    except FetchError:
        raise
    except TimeoutError:
        raise FetchError(f"no complete answer within {deadline:g} s", timed_out=True) from None
    except (OSError, http.client.HTTPException, ValueError) as error:
        if expired.is_set():
            raise FetchError(f"no complete answer within {deadline:g} s", timed_out=True) from None
        raise FetchError(f"could not reach {parts.hostname} ({error})") from None
    finally:
        watchdog.cancel()
        connection.close()
    if expired.is_set():
        raise FetchError(f"no complete answer within {deadline:g} s", timed_out=True)
    headers_out = {name.lower(): value for name, value in answer.getheaders()}
    if not 200 <= answer.status < 300:
        raise FetchError(
            f"HTTP {answer.status}",
            status=answer.status,
            retry_after=retry_after_seconds(headers_out.get("retry-after")),
        )
    return Response(status=answer.status, body=body, headers=headers_out)
