"""The Crossref client's deadline and retry hints, against a real local HTTP server.

Issue 15: a trickled response took 45 s with CROSSREF_TIMEOUT=2, because urllib's timeout
bounds each socket read, not the answer. fetch_work now goes through studies.http.fetch,
whose deadline covers the whole exchange.
"""

import socket
import time

import pytest

from studies import crossref as client
from studies.crossref import CrossrefError, fetch_work
from tests import crossref_server as server


def test_a_trickled_answer_is_cut_off_at_the_deadline(crossref, settings):
    settings.CROSSREF_TIMEOUT = 1
    started = time.monotonic()
    with pytest.raises(CrossrefError) as error:
        fetch_work(server.TRICKLE_DOI)
    elapsed = time.monotonic() - started
    # The server would take TRICKLE_BYTES × TRICKLE_INTERVAL ≈ 4 s; each read gets a byte in
    # 0.2 s, so a per-read timeout of 1 s never fires.
    assert elapsed < 1.8
    assert str(error.value) == client.TIMEOUT_MESSAGE.format(doi=server.TRICKLE_DOI, timeout=1)
    assert error.value.transient


def test_the_trickle_route_does_answer_given_time(crossref, settings):
    """The route is a slow server, not a broken one: with time enough the work arrives."""
    settings.CROSSREF_TIMEOUT = 10
    assert fetch_work(server.TRICKLE_DOI).title.startswith("Twenty Years of Organic Letters")


def test_a_429_carries_its_retry_after(crossref):
    with pytest.raises(CrossrefError) as error:
        fetch_work(server.RATE_LIMITED_DOI)
    assert str(error.value) == client.HTTP_ERROR_MESSAGE.format(
        status=429, doi=server.RATE_LIMITED_DOI
    )
    assert error.value.transient
    assert error.value.retry_after == server.RETRY_AFTER_SECONDS


def test_a_503_is_transient_without_a_retry_after(crossref):
    with pytest.raises(CrossrefError) as error:
        fetch_work(server.SERVER_ERROR_DOI)
    assert error.value.transient
    assert error.value.retry_after is None


@pytest.mark.parametrize("doi", ["10.5555/unknown", server.MALFORMED_DOI, server.UNTITLED_DOI])
def test_an_answer_that_will_not_change_is_permanent(crossref, doi):
    with pytest.raises(CrossrefError) as error:
        fetch_work(doi)
    assert not error.value.transient
    assert error.value.retry_after is None


def test_no_answer_at_all_is_transient(settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.CROSSREF_API_URL = f"http://127.0.0.1:{port}"
    with pytest.raises(CrossrefError) as error:
        fetch_work("10.1021/acs.orglett.7b03845")
    assert str(error.value).startswith("Could not reach Crossref for DOI 10.1021/acs.orglett.")
    assert "could not reach 127.0.0.1" not in str(error.value)  # said once, not twice
    assert error.value.transient


def test_an_error_raised_from_another_takes_its_retry_hints():
    """A CrossrefError made elsewhere (a task, the retraction watch) from a FetchError."""
    from studies.http import FetchError  # local: only this test builds one by hand

    try:
        try:
            raise FetchError("HTTP 503", status=503, retry_after=12)
        except FetchError as fetch:
            raise CrossrefError("Crossref answered HTTP 503; try again later.") from fetch
    except CrossrefError as error:
        assert error.transient
        assert error.retry_after == 12
    assert not CrossrefError("not valid work metadata").transient
