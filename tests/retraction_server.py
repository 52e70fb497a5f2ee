"""A real HTTP server on 127.0.0.1 answering like Crossref's /works/{doi}, for the retraction
watch: it serves the recorded relations in tests/data/crossref/retractions/ by DOI (README
there says where each came from) and 404s for any other DOI.

A test changes what Crossref "says" between checks with `serve(doi, file)` (a retraction
appears, or is withdrawn) and scripts failures with `fail(doi, status, times=…,
retry_after=…)`. The client under test (studies.http.fetch) is not mocked.
"""

import json
from pathlib import Path
from urllib.parse import unquote

import pytest

from tests.http_server import LocalServer, QuietHandler

DATA = Path(__file__).parent / "data" / "crossref" / "retractions"
# Edited bodies (README): served only when a test swaps one in.
EDITED = {"wakefield-1998-corrected", "wakefield-1998-lifted"}

WAKEFIELD = "10.1016/s0140-6736(97)11096-0"
WAKEFIELD_NOTICE = "10.1016/s0140-6736(10)60175-4"
MEHRA_NEJM = "10.1056/nejmoa2007621"
MEHRA_LANCET = "10.1016/s0140-6736(20)31180-6"
SPRINGER_SELF = "10.1007/s00132-015-3148-2"


def recorded(name: str) -> bytes:
    return (DATA / f"{name}.json").read_bytes()


def message(name: str) -> dict:
    return json.loads(recorded(name))["message"]


def recorded_works() -> dict[str, bytes]:
    works = {}
    for path in sorted(DATA.glob("*.json")):
        if path.stem not in EDITED:
            body = path.read_bytes()
            works[json.loads(body)["message"]["DOI"].lower()] = body
    return works


class RetractionHandler(QuietHandler):
    server: "RetractionServer"

    def do_GET(self):
        self.server.record({"path": self.path, "headers": dict(self.headers)})
        prefix = "/works/"
        doi = unquote(self.path[len(prefix) :]).lower() if self.path.startswith(prefix) else ""
        with self.server.lock:
            failures = self.server.failures.get(doi)
            failure = failures.pop(0) if failures else None
            body = self.server.works.get(doi)
        if failure is not None:
            status, retry_after = failure
            headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
            return self.send(status, b"Service Unavailable", "text/plain", headers)
        if body is None:  # what Crossref says for an unknown DOI
            return self.send(404, b"Resource not found.", "text/plain")
        return self.send(200, body, "application/json")


class RetractionServer(LocalServer):
    handler = RetractionHandler

    def __init__(self):
        super().__init__()
        self.reset()

    def reset(self):
        with self.lock:
            self.works = recorded_works()
            self.failures: dict[str, list] = {}
            self.requests: list[dict] = []

    def serve(self, doi: str, name: str | None) -> None:
        """From now on answer `doi` with the recorded file `name` (None: 404)."""
        with self.lock:
            if name is None:
                self.works.pop(doi, None)
            else:
                self.works[doi] = recorded(name)

    def fail(self, doi: str, status: int, *, times: int = 1, retry_after=None) -> None:
        with self.lock:
            self.failures.setdefault(doi, []).extend([(status, retry_after)] * times)

    def requests_for(self, doi: str) -> int:
        return sum(1 for r in self.requests if unquote(r["path"]).lower().endswith(doi))


@pytest.fixture(scope="session")
def retraction_server_session():
    with RetractionServer() as server:
        yield server


@pytest.fixture
def retractions(retraction_server_session, settings):
    """Point Crossref at the local server (fresh recorded answers), with a short deadline."""
    settings.CROSSREF_API_URL = retraction_server_session.url
    settings.CROSSREF_TIMEOUT = 2
    retraction_server_session.reset()
    return retraction_server_session
