"""A real HTTP server on 127.0.0.1 that answers like NCBI's efetch.fcgi for db=pubmed.

It serves the recorded bodies in tests/data/pubmed/ by the PMIDs they hold (a body recorded
for two PMIDs is served for either: the client picks its record), answers an unknown PMID the
way efetch does (an empty PubmedArticleSet), and has routes for the failures the client must
survive. Tests point settings.PUBMED_API_URL at it; the client under test is not mocked.
"""

import re
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from tests.http_server import LocalServer, QuietHandler

DATA = Path(__file__).parent / "data" / "pubmed"

SERVER_ERROR_PMID = "900000001"  # HTTP 503 with Retry-After
SLOW_PMID = "900000002"  # answers after SLOW_SECONDS
TRUNCATED_PMID = "900000003"  # half of a recorded body
ERROR_PMID = "900000004"  # an <ERROR> answer instead of articles
SLOW_SECONDS = 3.0
# efetch's answer for a PMID it does not know: the set, empty (its shape, not a recording).
EMPTY_SET = (
    b'<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, '
    b'1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
    b"<PubmedArticleSet></PubmedArticleSet>\n"
)
# efetch's <ERROR> answer, its shape as NCBI documents it (not a recording).
ERROR_BODY = b"<eFetchResult>\n\t<ERROR>Empty id list - nothing todo</ERROR>\n</eFetchResult>\n"


def recorded_bodies() -> dict[str, bytes]:
    """Each recorded body by every PMID it holds."""
    bodies = {}
    for path in sorted(DATA.glob("*.xml")):
        body = path.read_bytes()
        for pmid in re.findall(rb'<PMID Version="1">(\d+)</PMID>', body):
            bodies.setdefault(pmid.decode(), body)
    return bodies


class PubmedHandler(QuietHandler):
    server: "PubmedServer"

    def do_GET(self):
        parts = urlsplit(self.path)
        query = {name: values[0] for name, values in parse_qs(parts.query).items()}
        self.server.record({"path": parts.path, "query": query})
        if parts.path != "/efetch.fcgi" or query.get("db") != "pubmed":
            return self.send(404, b"Not found", "text/plain")
        pmid = query.get("id", "")
        if pmid == SLOW_PMID:
            time.sleep(SLOW_SECONDS)
        if pmid == SERVER_ERROR_PMID:
            return self.send(503, b"Service Unavailable", "text/plain", {"Retry-After": "7"})
        if pmid == ERROR_PMID:
            return self.send(200, ERROR_BODY, "text/xml")
        if pmid == TRUNCATED_PMID:
            body = self.server.bodies["28775130"]
            return self.send(200, body[: len(body) // 2], "text/xml")
        return self.send(200, self.server.bodies.get(pmid, EMPTY_SET), "text/xml")


class PubmedServer(LocalServer):
    handler = PubmedHandler

    def __init__(self):
        super().__init__()
        self.bodies = recorded_bodies()


@contextmanager
def serving(settings):
    """A server, with settings.PUBMED_API_URL pointing at it and a short deadline."""
    with PubmedServer() as server:
        settings.PUBMED_API_URL = server.url
        settings.PUBMED_TIMEOUT = 1
        settings.PUBMED_API_KEY = ""
        yield server
