"""The one Crossref client: a DOI's bibliographic metadata from the Crossref REST API.

GET {CROSSREF_API_URL}/works/{doi}, with a polite User-Agent naming a contact address
(https://api.crossref.org/swagger-ui/index.html, "Etiquette") and a timeout. Every failure
(network error, timeout, 404, another HTTP error, a body that is not the JSON we expect)
raises `CrossrefError` with a message an editor can read.

What is mapped onto `Study`: title, authors ("Family, Given; …"), journal (container-title),
year (the first of published / published-print / published-online / issued date-parts),
abstract (JATS tags stripped) and url. Crossref's `type` ("journal-article", "posted-content",
"book-chapter", …) is the kind of publication, not the study design, so it is kept on
`CrossrefWork.type` for the editor to see and never mapped to `Study.design`: the design,
sample size, population and duration are an editor's judgement.
"""

import html
import http.client
import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings

USER_AGENT = "EvidenceClaims/0.1 (mailto:{contact})"
MAX_RESPONSE_BYTES = 2_000_000
DATE_FIELDS = ("published", "published-print", "published-online", "issued")

# Study field lengths (kept here so a long Crossref value is cut, not refused by the database).
TITLE_MAX, JOURNAL_MAX, URL_MAX = 500, 300, 500

NOT_FOUND_MESSAGE = "Crossref has no record of DOI {doi}."
HTTP_ERROR_MESSAGE = "Crossref answered HTTP {status} for DOI {doi}; try again later."
TIMEOUT_MESSAGE = (
    "Crossref did not answer for DOI {doi} within the {timeout} s timeout; try again later."
)
NETWORK_ERROR_MESSAGE = "Could not reach Crossref for DOI {doi} ({reason}); try again later."
MALFORMED_MESSAGE = "Crossref sent a response for DOI {doi} that is not valid work metadata."
NO_TITLE_MESSAGE = "Crossref has no title for DOI {doi}."


class CrossrefError(Exception):
    """Crossref could not give us a work's metadata; str(error) says why, readably."""


@dataclass(frozen=True)
class CrossrefWork:
    doi: str
    title: str
    authors: str = ""
    journal: str = ""
    year: int | None = None
    abstract: str = ""
    url: str = ""
    type: str = ""

    def study_fields(self) -> dict:
        """The Study fields Crossref knows; empty values are left out so they never erase data."""
        fields = {
            "title": self.title,
            "authors": self.authors,
            "journal": self.journal,
            "year": self.year,
            "abstract": self.abstract,
            "url": self.url,
        }
        return {name: value for name, value in fields.items() if value}


def work_url(doi: str) -> str:
    return f"{settings.CROSSREF_API_URL.rstrip('/')}/works/{quote(doi, safe='/')}"


def fetch_work(doi: str) -> CrossrefWork:
    """The metadata of one (normalised) DOI. Raises CrossrefError."""
    timeout = settings.CROSSREF_TIMEOUT
    request = urllib.request.Request(
        work_url(doi),
        headers={
            "User-Agent": USER_AGENT.format(contact=settings.CROSSREF_CONTACT),
            "Accept": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read(MAX_RESPONSE_BYTES + 1)
    except urllib.error.HTTPError as error:
        error.close()
        if error.code == 404:
            raise CrossrefError(NOT_FOUND_MESSAGE.format(doi=doi)) from None
        raise CrossrefError(HTTP_ERROR_MESSAGE.format(status=error.code, doi=doi)) from None
    except TimeoutError:
        raise CrossrefError(TIMEOUT_MESSAGE.format(timeout=timeout, doi=doi)) from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise CrossrefError(TIMEOUT_MESSAGE.format(timeout=timeout, doi=doi)) from None
        raise CrossrefError(NETWORK_ERROR_MESSAGE.format(doi=doi, reason=error.reason)) from None
    # A connection reset mid-read, an answer that is not HTTP, a bad URL setting.
    except (OSError, http.client.HTTPException, ValueError) as error:
        raise CrossrefError(NETWORK_ERROR_MESSAGE.format(doi=doi, reason=error)) from None
    if len(body) > MAX_RESPONSE_BYTES:
        raise CrossrefError(MALFORMED_MESSAGE.format(doi=doi))
    return parse_work(doi, body)


def parse_work(doi: str, body: bytes) -> CrossrefWork:
    """Map a /works/{doi} response body onto a CrossrefWork. Raises CrossrefError."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise CrossrefError(MALFORMED_MESSAGE.format(doi=doi)) from None
    message = data.get("message") if isinstance(data, dict) else None
    if not isinstance(message, dict) or data.get("status") != "ok":
        raise CrossrefError(MALFORMED_MESSAGE.format(doi=doi))
    try:
        title = _clip(_first(message.get("title")), TITLE_MAX)
        work = CrossrefWork(
            doi=doi,
            title=title,
            authors=_authors(message.get("author") or []),
            journal=_clip(_first(message.get("container-title")), JOURNAL_MAX),
            year=_year(message),
            abstract=jats_to_text(message.get("abstract") or ""),
            url=_url(message.get("URL") or ""),
            type=str(message.get("type") or ""),
        )
    except (TypeError, ValueError, AttributeError, KeyError, IndexError):
        raise CrossrefError(MALFORMED_MESSAGE.format(doi=doi)) from None
    if not work.title:
        raise CrossrefError(NO_TITLE_MESSAGE.format(doi=doi))
    return work


_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"[ \t\r\n]+")
_BLOCK_END = re.compile(r"</(?:jats:)?(?:p|title|sec)>", re.IGNORECASE)


def _text(value: str) -> str:
    """Crossref strings may hold inline markup (<i>, <scp>) and HTML entities; null is ""."""
    if not isinstance(value, str):
        return ""
    return _SPACE.sub(" ", html.unescape(_TAG.sub("", value))).strip()


def jats_to_text(abstract: str) -> str:
    """A JATS abstract as plain text: one paragraph per <jats:p> or <jats:title>.

    A leading "Abstract" heading is dropped; the section headings of structured
    abstracts ("Methods", "Results") are kept as paragraphs of their own.
    """
    if not isinstance(abstract, str):
        return ""
    blocks = [_text(block) for block in _BLOCK_END.split(abstract)]
    blocks = [block for block in blocks if block]
    if blocks and blocks[0].lower() == "abstract":
        blocks = blocks[1:]
    return "\n\n".join(blocks)


def _first(values) -> str:
    if isinstance(values, str):
        return _text(values)
    return _text(values[0]) if values else ""


def _clip(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def _authors(authors: list) -> str:
    names = []
    for author in authors:
        if not isinstance(author, dict):
            continue  # one odd entry should not cost the whole author list
        family, given = _text(author.get("family", "")), _text(author.get("given", ""))
        if family:
            names.append(f"{family}, {given}" if given else family)
        elif author.get("name"):  # a consortium or group author
            names.append(_text(author["name"]))
    return "; ".join(names)


def _year(message: dict) -> int | None:
    for field in DATE_FIELDS:
        parts = (message.get(field) or {}).get("date-parts") or []
        if parts and parts[0] and parts[0][0]:
            try:
                year = int(parts[0][0])
            except (TypeError, ValueError):
                continue  # try the next date field
            if 1600 <= year <= 9999:
                return year
    return None


def _url(url: str) -> str:
    url = url.strip() if isinstance(url, str) else ""
    if not url.startswith(("https://", "http://")) or len(url) > URL_MAX:
        return ""
    return url
