"""The Crossref client against a real local HTTP server serving recorded responses."""

import json
import socket

import pytest

from studies import crossref as client
from studies.crossref import CrossrefError, fetch_work, jats_to_text
from tests import crossref_server as server

REFALO = "10.1080/02640414.2024.2321021"
HERMANN = "10.1249/mss.0000000000003728"
IJES = "10.70252/ijes2026403"


def test_it_maps_a_recorded_work_onto_study_fields(crossref):
    work = fetch_work(REFALO)
    assert work.title.startswith("Similar muscle hypertrophy following eight weeks")
    assert work.authors == (
        "Refalo, Martin C.; Helms, Eric R.; Robinson, Zac P.; Hamilton, D. Lee; Fyfe, Jackson J."
    )
    assert work.journal == "Journal of Sports Sciences"
    assert work.year == 2024
    # The publisher's landing page (resource.primary.URL), not the doi.org link (issue 15).
    assert work.url == "https://www.tandfonline.com/doi/full/10.1080/02640414.2024.2321021"
    assert work.type == "journal-article"


def test_it_strips_jats_tags_and_the_abstract_heading(crossref):
    abstract = fetch_work(REFALO).abstract
    assert "<" not in abstract
    assert abstract.startswith("Eighteen resistance-trained adults")
    assert "1–2 repetitions in reserve" in abstract
    assert "\n\nMuscle thickness" in abstract


def test_it_unescapes_html_entities_in_crossref_strings(crossref):
    work = fetch_work(HERMANN)
    assert work.journal == "Medicine & Science in Sports & Exercise"
    assert work.year == 2025


def test_it_leaves_out_what_crossref_does_not_know(crossref):
    work = fetch_work(IJES)
    assert work.authors == ""
    assert work.abstract == ""
    fields = work.study_fields()
    assert "authors" not in fields
    assert "abstract" not in fields
    assert fields["journal"] == "International Journal of Exercise Science"


def test_it_never_maps_the_crossref_type_to_a_design(crossref):
    assert "design" not in fetch_work(REFALO).study_fields()


def test_it_asks_politely_with_a_contact_address(crossref, settings):
    settings.CROSSREF_CONTACT = "team@example.org"
    fetch_work(REFALO)
    request = crossref.requests[-1]
    assert request["path"] == f"/works/{REFALO}"
    assert request["headers"]["User-Agent"] == "EvidenceClaims/0.1 (mailto:team@example.org)"


@pytest.mark.parametrize(
    ("doi", "message"),
    [
        ("10.5555/unknown", client.NOT_FOUND_MESSAGE.format(doi="10.5555/unknown")),
        (server.MALFORMED_DOI, client.MALFORMED_MESSAGE.format(doi=server.MALFORMED_DOI)),
        (server.NOT_A_WORK_DOI, client.MALFORMED_MESSAGE.format(doi=server.NOT_A_WORK_DOI)),
        (server.UNTITLED_DOI, client.NO_TITLE_MESSAGE.format(doi=server.UNTITLED_DOI)),
        (
            server.SERVER_ERROR_DOI,
            client.HTTP_ERROR_MESSAGE.format(status=503, doi=server.SERVER_ERROR_DOI),
        ),
    ],
)
def test_it_raises_one_readable_error_for_each_bad_answer(crossref, doi, message):
    with pytest.raises(CrossrefError) as error:
        fetch_work(doi)
    assert str(error.value) == message


def test_it_gives_up_after_the_timeout(crossref, settings):
    settings.CROSSREF_TIMEOUT = 0.3
    with pytest.raises(CrossrefError) as error:
        fetch_work(server.SLOW_DOI)
    assert str(error.value) == client.TIMEOUT_MESSAGE.format(doi=server.SLOW_DOI, timeout=0.3)


def test_it_reports_a_network_error_when_nothing_listens(settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.CROSSREF_API_URL = f"http://127.0.0.1:{port}"
    with pytest.raises(CrossrefError) as error:
        fetch_work(REFALO)
    assert str(error.value).startswith(f"Could not reach Crossref for DOI {REFALO} (")


def test_it_keeps_structured_abstract_headings_as_paragraphs():
    abstract = (
        "<jats:title>Abstract</jats:title><jats:sec><jats:title>Methods</jats:title>"
        "<jats:p>We  measured <jats:italic>things</jats:italic> &amp; more.</jats:p></jats:sec>"
    )
    assert jats_to_text(abstract) == "Methods\n\nWe measured things & more."


def test_it_reports_a_network_error_when_the_answer_is_not_http(crossref):
    with pytest.raises(CrossrefError) as error:
        fetch_work(server.BAD_STATUS_DOI)
    assert str(error.value).startswith(f"Could not reach Crossref for DOI {server.BAD_STATUS_DOI}")


def test_it_keeps_a_work_whose_author_or_date_entries_are_odd():
    body = json.dumps(
        {
            "status": "ok",
            "message": {
                "title": ["A real title"],
                "author": [
                    {"family": None, "given": "Ann"},
                    "not an author",
                    {"family": "Lee", "given": None},
                    {"name": "The Trial Group"},
                ],
                "published-print": {"date-parts": [["soon"]]},
                "issued": {"date-parts": [[2021, 5]]},
            },
        }
    ).encode()
    work = client.parse_work("10.1000/odd", body)
    assert work.title == "A real title"
    assert work.authors == "Lee; The Trial Group"
    assert work.year == 2021
