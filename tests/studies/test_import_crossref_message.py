"""One Crossref GET: crossref.fetch_message(doi) gives a work's message, and both the import
(fetch_work) and the retraction watch (fetch_retraction) ask through it, so they send the same
headers and meet the same deadline and errors."""

from unittest import mock

import pytest

from studies import crossref as crossref_module
from studies import retraction_watch
from studies.http import FetchError
from tests import crossref_server as server

REFALO = "10.1080/02640414.2024.2321021"


def test_it_gives_the_message_of_a_work(crossref):
    message = crossref_module.fetch_message(REFALO)
    assert message["DOI"].lower() == REFALO
    (request,) = crossref.requests
    assert request["headers"]["Accept"] == "application/json"
    assert "mailto:" in request["headers"]["User-Agent"]


def test_it_raises_a_readable_crossref_error(crossref):
    with pytest.raises(crossref_module.CrossrefError) as failed:
        crossref_module.fetch_message("10.5555/unknown")
    assert str(failed.value) == crossref_module.NOT_FOUND_MESSAGE.format(doi="10.5555/unknown")
    assert not failed.value.transient


def test_it_refuses_an_answer_that_is_not_a_work(crossref):
    with pytest.raises(crossref_module.CrossrefError) as failed:
        crossref_module.fetch_message(server.MALFORMED_DOI)
    assert str(failed.value) == crossref_module.MALFORMED_MESSAGE.format(doi=server.MALFORMED_DOI)


@pytest.mark.parametrize("call", [crossref_module.fetch_work, retraction_watch.fetch_retraction])
def test_the_import_and_the_watch_both_ask_through_it(crossref, call):
    real = crossref_module.fetch_message
    with mock.patch.object(crossref_module, "fetch_message", wraps=real) as asked:
        call(REFALO)
    asked.assert_called_once_with(REFALO)


def test_the_watch_keeps_its_fetch_error_with_the_services_retry_after(crossref):
    with pytest.raises(FetchError) as failed:
        retraction_watch.fetch_retraction(server.RATE_LIMITED_DOI)
    assert failed.value.transient and failed.value.status == 429
    assert failed.value.retry_after is not None
