"""A real HTTP server on 127.0.0.1 that answers like Crossref's /works/{doi}.

It serves the recorded responses in tests/data/crossref/ by their DOI, 404s for any other
DOI, and has routes for the failures the client must survive. The tests point
settings.CROSSREF_API_URL at it; the client under test is not mocked.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

DATA = Path(__file__).parent / "data" / "crossref"

MALFORMED_DOI = "10.5555/malformed"  # truncated JSON
NOT_A_WORK_DOI = "10.5555/not-a-work"  # valid JSON, not a work
UNTITLED_DOI = "10.5555/untitled"  # a work without a title
SERVER_ERROR_DOI = "10.5555/server-error"  # HTTP 503
BAD_STATUS_DOI = "10.5555/bad-status"  # answers something that is not HTTP
SLOW_DOI = "10.5555/slow"  # answers after SLOW_SECONDS
SLOW_SECONDS = 3.0


def recorded_works() -> dict[str, bytes]:
    """Each recorded response body by its (lower-case) DOI."""
    works = {}
    for path in DATA.glob("*.json"):
        body = path.read_bytes()
        try:
            doi = json.loads(body)["message"]["DOI"].lower()
        except ValueError:
            continue
        works[doi] = body
    works[MALFORMED_DOI] = (DATA / "malformed.json").read_bytes()
    works[NOT_A_WORK_DOI] = json.dumps({"status": "ok", "message": ["not", "a", "work"]}).encode()
    untitled = {"status": "ok", "message-type": "work", "message": {"DOI": UNTITLED_DOI}}
    works[UNTITLED_DOI] = json.dumps(untitled).encode()
    return works


class CrossrefHandler(BaseHTTPRequestHandler):
    server: "CrossrefServer"

    def do_GET(self):
        self.server.requests.append({"path": self.path, "headers": dict(self.headers)})
        prefix = "/works/"
        doi = unquote(self.path[len(prefix) :]).lower() if self.path.startswith(prefix) else ""
        if doi == SLOW_DOI:
            time.sleep(SLOW_SECONDS)
        if doi == SERVER_ERROR_DOI:
            return self._send(503, b"Service Unavailable", "text/plain")
        if doi == BAD_STATUS_DOI:
            self.wfile.write(b"HTTP/1.1 ok-ish\r\n\r\n")
            self.close_connection = True
            return None
        body = self.server.works.get(doi)
        if body is None:  # what Crossref says for an unknown DOI
            return self._send(404, b"Resource not found.", "text/plain")
        return self._send(200, body, "application/json")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
            pass

    def log_message(self, format, *args):  # keep test output quiet
        pass


class CrossrefServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self):
        super().__init__(("127.0.0.1", 0), CrossrefHandler)
        self.works = recorded_works()
        self.requests: list[dict] = []
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()
        self.thread.join(timeout=5)
