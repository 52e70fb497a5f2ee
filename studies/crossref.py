"""The one Crossref client: a DOI's bibliographic metadata from the Crossref REST API.

GET {CROSSREF_API_URL}/works/{doi}, with a polite User-Agent naming a contact address
(https://api.crossref.org/swagger-ui/index.html, "Etiquette"), through studies.http.fetch: the
CROSSREF_TIMEOUT is a deadline for the whole answer, so a server trickling a byte at a time
cannot hold a request or a worker. Every failure (network error, deadline, 404, another HTTP
error, a body that is not the JSON we expect) raises `CrossrefError` with a message an editor
can read; `.transient` and `.retry_after` (a 429/503's Retry-After) tell a task whether and when
to try again.

What is mapped onto `Study` (each only when Crossref has it, so a refetch never erases data):
title and subtitle, authors ("Family, Given Suffix; …"), journal (container-title), volume,
issue, pages (page, else article-number), ISSN (comma-separated), work_type (Crossref's `type`),
year, abstract, and url. Markup becomes text by the rules of studies/crossref_text.py.

- Authors: people ("family"/"given"/"suffix") and group authors ("name": a consortium, a
  trial group). Some publishers deposit their authors' institutions as name-only "authors"
  beside the people (10.17705/1cais.04607 lists "Paderborn University"); beside people, a
  name-only entry counts only when it reads as a group (GROUP_WORDS). Affiliations given in
  an author's "affiliation" list are never authors.
- Year: the first of published, published-print, published-online, issued, posted, approved,
  the journal issue's dates, and only then `created` (when the DOI was registered: nearly
  always the year a work without any publication date appeared; better than no year, and an
  editor sees it). Unreadable dates (`[[null]]`, text, odd shapes) are skipped, never fatal.
- url: the publisher's landing page (`resource.primary.URL`), or nothing. Crossref's `URL` is
  the doi.org link, which the study already has from its DOI (Study.full_text_url falls
  back to it), so storing it as "the publisher's URL" would only hide that we have none.

Crossref's `type` ("journal-article", "posted-content", …) is the kind of publication, not the
study design, so it goes to Study.work_type and never to Study.design: the design, sample size,
population and duration are an editor's judgement.
"""

import json
import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from django.conf import settings

from .crossref_text import jats_to_text, markup_to_text
from .http import FetchError, fetch

__all__ = ["CrossrefError", "CrossrefWork", "fetch_work", "jats_to_text", "parse_work"]

USER_AGENT = "EvidenceClaims/0.1 (mailto:{contact})"
MAX_RESPONSE_BYTES = 2_000_000
DATE_FIELDS = (
    "published",
    "published-print",
    "published-online",
    "issued",
    "posted",
    "approved",
)
ISSUE_DATE_FIELDS = ("published-print", "published-online")

# Study field lengths (kept here so a long Crossref value is cut, not refused by the database).
TITLE_MAX, JOURNAL_MAX, URL_MAX = 500, 300, 500
SHORT_MAX, TYPE_MAX = 40, 80  # volume, issue, pages, ISSN; work_type

# A name-only "author" beside people is a group author only when it says so; otherwise it is
# an institution deposited in the wrong place.
GROUP_WORDS = re.compile(
    r"collaborat|consorti|group|investigators|committee|network|team|trialists|working party|"
    r"study|initiative|alliance|task force|panel|writing|on behalf|programme|program",
    re.IGNORECASE,
)
NOT_LANDING_PAGES = ("doi.org", "dx.doi.org", "www.crossref.org", "crossref.org")

NOT_FOUND_MESSAGE = "Crossref has no record of DOI {doi}."
HTTP_ERROR_MESSAGE = "Crossref answered HTTP {status} for DOI {doi}; try again later."
TIMEOUT_MESSAGE = (
    "Crossref did not answer for DOI {doi} within the {timeout} s timeout; try again later."
)
NETWORK_ERROR_MESSAGE = "Could not reach Crossref for DOI {doi} ({reason}); try again later."
MALFORMED_MESSAGE = "Crossref sent a response for DOI {doi} that is not valid work metadata."
NO_TITLE_MESSAGE = "Crossref has no title for DOI {doi}."


class CrossrefError(Exception):
    """Crossref could not give us a work's metadata; str(error) says why, readably.

    `transient`: trying again later may help (a timeout, no answer, 429, 5xx). `retry_after`:
    the seconds Crossref asked us to wait, if it said. Unless given, both come from the error
    this one was raised from (a studies.http.FetchError), else it is permanent."""

    def __init__(self, message: str, *, transient: bool | None = None, retry_after=None):
        super().__init__(message)
        self._transient = transient
        self._retry_after = retry_after

    @property
    def transient(self) -> bool:
        if self._transient is not None:
            return self._transient
        return bool(getattr(self.__cause__, "transient", False))

    @property
    def retry_after(self) -> float | None:
        if self._retry_after is not None:
            return self._retry_after
        return getattr(self.__cause__, "retry_after", None)


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
    subtitle: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    issn: str = ""

    def study_fields(self) -> dict:
        """The Study fields Crossref knows; empty values are left out so they never erase data."""
        fields = {
            "title": self.title,
            "subtitle": self.subtitle,
            "authors": self.authors,
            "journal": self.journal,
            "volume": self.volume,
            "issue": self.issue,
            "pages": self.pages,
            "issn": self.issn,
            "work_type": _clip(self.type, TYPE_MAX),
            "year": self.year,
            "abstract": self.abstract,
            "url": self.url,
        }
        return {name: value for name, value in fields.items() if value}


def work_url(doi: str) -> str:
    return f"{settings.CROSSREF_API_URL.rstrip('/')}/works/{quote(doi, safe='/')}"


def fetch_message(doi: str) -> dict:
    """GET /works/{doi}: the work's `message` (the one Crossref request here: the import and
    the retraction watch both ask through it). Raises CrossrefError, raised from the
    FetchError behind it when the exchange failed (its status, reason, Retry-After)."""
    timeout = settings.CROSSREF_TIMEOUT
    headers = {
        "User-Agent": USER_AGENT.format(contact=settings.CROSSREF_CONTACT),
        "Accept": "application/json",
    }
    try:
        response = fetch(
            work_url(doi), deadline=timeout, headers=headers, max_bytes=MAX_RESPONSE_BYTES
        )
    except FetchError as error:
        raise _crossref_error(doi, timeout, error) from error
    return work_message(doi, response.body)


def fetch_work(doi: str) -> CrossrefWork:
    """The metadata of one (normalised) DOI. Raises CrossrefError."""
    return work_from_message(doi, fetch_message(doi))


def _crossref_error(doi: str, timeout, error: FetchError) -> CrossrefError:
    if error.status == 404:
        return CrossrefError(NOT_FOUND_MESSAGE.format(doi=doi), transient=False)
    if error.status is not None:
        return CrossrefError(
            HTTP_ERROR_MESSAGE.format(status=error.status, doi=doi),
            transient=error.transient,
            retry_after=error.retry_after,
        )
    if error.timed_out:
        return CrossrefError(TIMEOUT_MESSAGE.format(timeout=timeout, doi=doi), transient=True)
    if error.reason.startswith("the answer is larger than"):  # studies.http's size cap
        return CrossrefError(MALFORMED_MESSAGE.format(doi=doi), transient=False)
    # No HTTP answer: refused, reset, not HTTP at all, a bad CROSSREF_API_URL. studies.http
    # says "could not reach host (why)"; the message names Crossref already, so keep the why.
    reason = re.sub(r"^could not reach \S+ \((.*)\)$", r"\1", error.reason, flags=re.DOTALL)
    return CrossrefError(NETWORK_ERROR_MESSAGE.format(doi=doi, reason=reason), transient=True)


def work_message(doi: str, body: bytes) -> dict:
    """The `message` of a /works/{doi} response body. Raises CrossrefError."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise CrossrefError(MALFORMED_MESSAGE.format(doi=doi)) from None
    message = data.get("message") if isinstance(data, dict) else None
    if not isinstance(message, dict) or data.get("status") != "ok":
        raise CrossrefError(MALFORMED_MESSAGE.format(doi=doi))
    return message


def parse_work(doi: str, body: bytes) -> CrossrefWork:
    """Map a /works/{doi} response body onto a CrossrefWork. Raises CrossrefError."""
    return work_from_message(doi, work_message(doi, body))


def work_from_message(doi: str, message: dict) -> CrossrefWork:
    """Map a work's `message` onto a CrossrefWork. Raises CrossrefError."""
    try:
        work = CrossrefWork(
            doi=doi,
            title=_clip(_first(message.get("title")), TITLE_MAX),
            subtitle=_clip(_first(message.get("subtitle")), TITLE_MAX),
            authors=_authors(message.get("author")),
            journal=_clip(_first(message.get("container-title")), JOURNAL_MAX),
            volume=_clip(_first(message.get("volume")), SHORT_MAX),
            issue=_clip(_first(message.get("issue")), SHORT_MAX),
            pages=_pages(message),
            issn=_issn(message.get("ISSN")),
            year=_year(message),
            abstract=jats_to_text(message.get("abstract")),
            url=_landing_page(message.get("resource")),
            type=markup_to_text(message.get("type")),
        )
    except (TypeError, ValueError, AttributeError, KeyError, IndexError):
        raise CrossrefError(MALFORMED_MESSAGE.format(doi=doi)) from None
    if not work.title:
        raise CrossrefError(NO_TITLE_MESSAGE.format(doi=doi))
    return work


def _first(values) -> str:
    """The text of a Crossref string, or of the first of a list of them; "" for anything else."""
    if isinstance(values, list):
        values = next((value for value in values if isinstance(value, str) and value), "")
    return markup_to_text(values) if isinstance(values, str) else ""


def _clip(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def _authors(authors) -> str:
    """ "Family, Given Suffix; …" of the people and group authors (not institutions)."""
    authors = authors if isinstance(authors, list) else []
    # One odd entry should not cost the whole author list.
    entries = [author for author in authors if isinstance(author, dict)]
    people = any(_first(author.get("family")) for author in entries)
    names = []
    for author in entries:
        family, given = _first(author.get("family")), _first(author.get("given"))
        suffix = _first(author.get("suffix"))
        if family:
            name = f"{family}, {given}" if given else family
            names.append(f"{name} {suffix}" if suffix else name)
        elif name := _first(author.get("name")):
            if people and not GROUP_WORDS.search(name):
                continue  # an institution deposited as an author
            names.append(name)
    return "; ".join(names)


def _year(message: dict) -> int | None:
    issue = message.get("journal-issue")
    issue = issue if isinstance(issue, dict) else {}
    dates = [message.get(name) for name in DATE_FIELDS]
    dates += [issue.get(name) for name in ISSUE_DATE_FIELDS]
    dates.append(message.get("created"))  # the registration date, as a last resort
    for date in dates:
        year = _date_year(date)
        if year is not None:
            return year
    return None


def _date_year(date) -> int | None:
    """The year of a Crossref date ({"date-parts": [[2024, 3, 5]]}); None when unreadable."""
    parts = date.get("date-parts") if isinstance(date, dict) else None
    first = parts[0] if isinstance(parts, list) and parts else None
    value = first[0] if isinstance(first, list) and first else None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 1600 <= value <= 9999:
        return value
    return None


def _pages(message: dict) -> str:
    pages = _first(message.get("page")) or _first(message.get("article-number"))
    pages = re.sub(r"^(\w+)\s*-\s*(\w+)$", r"\1–\2", pages)  # "85-101" → "85–101"
    return _clip(pages, SHORT_MAX)


def _issn(values) -> str:
    values = values if isinstance(values, list) else [values]
    issns = []
    for value in values:
        issn = _first(value)
        if issn and issn not in issns:
            issns.append(issn)
    joined = ", ".join(issns)
    return joined if len(joined) <= SHORT_MAX else ", ".join(issns[:1])[:SHORT_MAX]


def _landing_page(resource) -> str:
    primary = resource.get("primary") if isinstance(resource, dict) else None
    url = primary.get("URL") if isinstance(primary, dict) else None
    url = url.strip() if isinstance(url, str) else ""
    if not url.lower().startswith(("https://", "http://")) or len(url) > URL_MAX:
        return ""
    if (urlsplit(url).hostname or "").lower() in NOT_LANDING_PAGES:
        return ""  # the DOI link itself, or Crossref's "deleted DOI" page
    return url
