"""A real HTTP server on 127.0.0.1 that answers like Crossref's /works/{doi}.

It serves the recorded responses in tests/data/crossref/ by their DOI, 404s for any other
DOI, and has routes for the failures the client must survive. A recorded file is either a
whole /works response or, as some projects save them, just its "message" (the work); the
latter is served inside the envelope Crossref puts around it. The tests point
settings.CROSSREF_API_URL at it; the client under test is not mocked.
"""

import json
import time
from pathlib import Path
from urllib.parse import unquote

from tests.http_server import LocalServer, QuietHandler

DATA = Path(__file__).parent / "data" / "crossref"

MALFORMED_DOI = "10.5555/malformed"  # truncated JSON
NOT_A_WORK_DOI = "10.5555/not-a-work"  # valid JSON, not a work
UNTITLED_DOI = "10.5555/untitled"  # a work without a title
SERVER_ERROR_DOI = "10.5555/server-error"  # HTTP 503
BAD_STATUS_DOI = "10.5555/bad-status"  # answers something that is not HTTP
SLOW_DOI = "10.5555/slow"  # answers after SLOW_SECONDS
SLOW_SECONDS = 3.0
TRICKLE_DOI = "10.5555/trickle"  # a real body, one byte every TRICKLE_INTERVAL seconds
TRICKLE_INTERVAL = 0.2
TRICKLE_BYTES = 20  # then the rest at once: about 4 s in all, whatever the per-read timeout
TRICKLED_DOI = "10.1021/acs.orglett.7b03845"  # smith-suffix-2018.json
RATE_LIMITED_DOI = "10.5555/rate-limited"  # HTTP 429 with Retry-After
RETRY_AFTER_SECONDS = 7


def recorded_works() -> dict[str, bytes]:
    """Each recorded response body by its (lower-case) DOI."""
    works = {}
    for path in DATA.glob("*.json"):
        body = path.read_bytes()
        try:
            data = json.loads(body)
        except ValueError:
            continue
        if "message" not in data:  # a saved work without the response around it
            data = {"status": "ok", "message-type": "work", "message-version": "1.0.0",
                    "message": data}  # fmt: skip
            body = json.dumps(data, ensure_ascii=False).encode()
        works[data["message"]["DOI"].lower()] = body
    works[MALFORMED_DOI] = (DATA / "malformed.json").read_bytes()
    works[NOT_A_WORK_DOI] = json.dumps({"status": "ok", "message": ["not", "a", "work"]}).encode()
    untitled = {"status": "ok", "message-type": "work", "message": {"DOI": UNTITLED_DOI}}
    works[UNTITLED_DOI] = json.dumps(untitled).encode()
    return works


class CrossrefHandler(QuietHandler):
    server: "CrossrefServer"

    def do_GET(self):
        self.server.record({"path": self.path, "headers": dict(self.headers)})
        prefix = "/works/"
        doi = unquote(self.path[len(prefix) :]).lower() if self.path.startswith(prefix) else ""
        if doi == SLOW_DOI:
            time.sleep(SLOW_SECONDS)
        if doi == SERVER_ERROR_DOI:
            return self.send(503, b"Service Unavailable", "text/plain")
        if doi == RATE_LIMITED_DOI:
            headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
            return self.send(429, b"Too Many Requests", "text/plain", headers)
        if doi == TRICKLE_DOI:
            return self._trickle(self.server.works[TRICKLED_DOI])
        if doi == BAD_STATUS_DOI:
            self.wfile.write(b"HTTP/1.1 ok-ish\r\n\r\n")
            self.close_connection = True
            return None
        body = self.server.works.get(doi)
        if body is None:  # what Crossref says for an unknown DOI
            return self.send(404, b"Resource not found.", "text/plain")
        return self.send(200, body, "application/json")

    def _trickle(self, body: bytes) -> None:
        """Headers at once, then the body a byte at a time: every read gets a byte well within
        any per-read timeout, so only a deadline on the whole answer stops it."""
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.flush()
            for index in range(TRICKLE_BYTES):
                self.wfile.write(body[index : index + 1])
                self.wfile.flush()
                time.sleep(TRICKLE_INTERVAL)
            self.wfile.write(body[TRICKLE_BYTES:])
        except (BrokenPipeError, ConnectionResetError, OSError):  # the client gave up
            self.close_connection = True


class CrossrefServer(LocalServer):
    handler = CrossrefHandler

    def __init__(self):
        super().__init__()
        self.works = recorded_works()
