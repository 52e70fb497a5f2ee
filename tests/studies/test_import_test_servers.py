"""The local servers that stand in for Crossref, PubMed and the retraction watch's Crossref
share one scaffold (tests/http_server.py): a thread, start and stop, the requests recorded."""

import socket
import urllib.request

import pytest

from tests.crossref_server import CrossrefServer
from tests.http_server import LocalServer, QuietHandler
from tests.pubmed_server import PubmedServer
from tests.retraction_server import RetractionServer


class EchoHandler(QuietHandler):
    def do_GET(self):
        self.server.record({"path": self.path, "headers": dict(self.headers)})
        self.send(200, self.path.encode(), "text/plain", {"X-Echo": "yes"})


class EchoServer(LocalServer):
    handler = EchoHandler


@pytest.mark.parametrize("server_class", [CrossrefServer, PubmedServer, RetractionServer])
def test_each_stand_in_is_a_local_server(server_class):
    assert issubclass(server_class, LocalServer)


def test_it_serves_records_and_stops():
    with EchoServer() as server:
        with urllib.request.urlopen(f"{server.url}/hello", timeout=5) as answer:
            assert (answer.status, answer.read(), answer.headers["X-Echo"]) == (
                200,
                b"/hello",
                "yes",
            )
        assert [request["path"] for request in server.requests] == ["/hello"]
        host, port = server.server_address[:2]
    with pytest.raises(OSError), socket.create_connection((host, port), timeout=1):
        pass
