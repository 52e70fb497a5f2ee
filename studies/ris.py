"""Reading a RIS file (EndNote, Zotero, Scopus, PubMed Central exports) into Study fields.

rispy parses the records; it is lenient (a record without its closing "ER  -" is dropped
silently, a file of prose gives no records), so the file's structure is checked first, line by
line, and a broken file is refused with the line that breaks it: nothing is imported from a
file that may be cut short.

What is mapped: TI/T1 title, AU/A1 authors, JO/JF/T2 journal, VL, IS, SP–EP pages, PY/Y1 year,
AB/N2 abstract, DO DOI (normalised), SN ISSN, UR the first web address, TY into work_type, and a
PMID from AN when the database is PubMed/MEDLINE or the number is marked as one
("PMID: 123", "123[pmid]" in any field, as PubMed Central writes it). RIS has no study design.
"""

import re
from dataclasses import dataclass, field

import rispy
from django.core.exceptions import ValidationError

from .doi import DOI_TRAILING, normalize_doi

TAG_LINE = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")
YEAR_PATTERN = re.compile(r"\b(1[6-9][0-9]{2}|20[0-9]{2})\b")
PMID_MARKED = re.compile(r"^\s*(?:PMID:?\s*)?([1-9][0-9]{0,11})\s*(?:\[pmid\])?\s*$", re.I)
PMID_BRACKETED = re.compile(r"^\s*([1-9][0-9]{0,11})\s*\[pmid\]\s*$", re.I)
PUBMED_DATABASES = ("pubmed", "medline", "nlm")

NOT_TEXT_MESSAGE = "The file is not text (line {line}): export it again as RIS (UTF-8)."
NO_RECORDS_MESSAGE = (
    "No RIS references found: each reference starts with a line “TY  - JOUR” (or another "
    "type) and ends with “ER  - ”."
)
UNCLOSED_MESSAGE = (
    "Line {line}: the reference that starts here has no end (“ER  - ”): the file may be cut "
    "short. Nothing was imported."
)
NEW_BEFORE_END_MESSAGE = (
    "Line {line}: a new reference starts (TY) before the one from line {start} ended (ER)."
)
OUTSIDE_MESSAGE = (
    "Line {line}: “{text}” is outside any reference (each starts with “TY  - ” and ends "
    "with “ER  - ”)."
)
UNREADABLE_MESSAGE = "The RIS file could not be read ({error})."
NO_TITLE_MESSAGE = "Reference {number} (line {line}) has no title (TI or T1): not imported."
DOI_WRAPPERS = {('"', '"'), ("'", "'"), ("“", "”"), ("‘", "’"), ("<", ">"), ("«", "»")}
BAD_DOI_MESSAGE = "Reference {number} (line {line}): “{doi}” is not a DOI; imported without it."


class RisError(Exception):
    """The file cannot be read as RIS; str(error) says where and why."""


@dataclass
class RisReference:
    """One reference of the file: its position, the Study fields it gives, and notes."""

    number: int  # 1-based, in file order
    line: int  # where its TY line is
    fields: dict
    warnings: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.fields.get("title", "")


@dataclass
class RisFile:
    references: list[RisReference]  # the importable ones
    errors: list[str]  # references left out, and fields dropped, in words


def parse_ris(data: bytes | str) -> RisFile:
    """The references of a RIS file. Raises RisError for a file that is not RIS."""
    text = _decode(data) if isinstance(data, bytes) else data.lstrip("\ufeff")
    starts = _record_lines(text)
    try:
        entries = rispy.loads(text)
    except Exception as error:  # rispy raises bare exceptions on odd input; say so, readably
        raise RisError(UNREADABLE_MESSAGE.format(error=error)) from None
    if len(entries) != len(starts):
        raise RisError(UNREADABLE_MESSAGE.format(error="records and TY lines differ"))
    references, errors = [], []
    for number, (entry, line) in enumerate(zip(entries, starts, strict=True), start=1):
        reference = study_reference(entry, number=number, line=line)
        if not reference.title:
            errors.append(NO_TITLE_MESSAGE.format(number=number, line=line))
            continue
        errors += reference.warnings
        references.append(reference)
    return RisFile(references=references, errors=errors)


def _decode(data: bytes) -> str:
    """UTF-8 (with or without a BOM), else Windows-1252: older EndNote and Reference Manager
    exports are Latin-1 / Windows-1252, and a byte that is not UTF-8 is one of its letters.
    A file that is neither (bytes Windows-1252 leaves undefined, or NUL) is refused."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise RisError(NOT_TEXT_MESSAGE.format(line=line)) from None
    if "\x00" in text:
        raise RisError(NOT_TEXT_MESSAGE.format(line=text[: text.index("\x00")].count("\n") + 1))
    return text


def _record_lines(text: str) -> list[int]:
    """The line number of each record's TY; RisError where the structure breaks."""
    starts, open_at = [], None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        tag = TAG_LINE.match(line)
        if tag is None:
            continue  # a continuation line, or blank
        name = tag.group(1)
        if name == "TY":
            if open_at is not None:
                raise RisError(NEW_BEFORE_END_MESSAGE.format(line=number, start=open_at))
            open_at = number
            starts.append(number)
        elif open_at is None:
            raise RisError(OUTSIDE_MESSAGE.format(line=number, text=line[:60]))
        elif name == "ER":
            open_at = None
    if open_at is not None:
        raise RisError(UNCLOSED_MESSAGE.format(line=open_at))
    if not starts:
        raise RisError(NO_RECORDS_MESSAGE)
    return starts


def study_reference(entry: dict, *, number: int, line: int) -> RisReference:
    """One rispy record as Study fields (empty values left out)."""
    warnings = []
    doi = _first(entry, "doi")
    if doi:
        try:
            doi = normalize_doi(unwrapped_doi(doi))
        except ValidationError:
            warnings.append(BAD_DOI_MESSAGE.format(number=number, line=line, doi=doi[:80]))
            doi = ""
    start, end = _first(entry, "start_page"), _first(entry, "end_page")
    fields = {
        "title": _first(entry, "title", "primary_title"),
        "authors": "; ".join(_names(entry)),
        "journal": _first(entry, "journal_name", "alternate_title3", "secondary_title"),
        "volume": _first(entry, "volume"),
        "issue": _first(entry, "number"),
        "pages": f"{start}–{end}" if start and end and start != end else start or end,
        "year": _year(entry),
        "abstract": _first(entry, "abstract", "notes_abstract"),
        "doi": doi,
        "issn": ", ".join(_first(entry, "issn").split()),
        "url": next((u for u in _list(entry, "urls") if _is_web(u)), ""),
        "work_type": _first(entry, "type_of_reference"),
        "pmid": _pmid(entry),
    }
    fields = {name: value for name, value in fields.items() if value}
    return RisReference(number=number, line=line, fields=fields, warnings=warnings)


def unwrapped_doi(text: str) -> str:
    """A DO field without what exporters and people wrap a DOI in: quotes or angle brackets
    around it, a full stop or other punctuation after it ("10.1000/x".), in any order.
    A DOI may end in such a character, but that is rare; a copied full stop is far likelier."""
    previous = None
    while text != previous:
        previous = text
        text = text.strip().rstrip(DOI_TRAILING)
        if len(text) > 1 and (text[0], text[-1]) in DOI_WRAPPERS:
            text = text[1:-1]
    return text


def _first(entry: dict, *keys: str) -> str:
    for key in keys:
        value = entry.get(key)
        if isinstance(value, list):
            value = value[0] if value else ""
        value = " ".join(str(value or "").split())
        if value:
            return value
    return ""


def _list(entry: dict, key: str) -> list[str]:
    value = entry.get(key) or []
    return [value] if isinstance(value, str) else [str(v) for v in value]


def _names(entry: dict) -> list[str]:
    names = _list(entry, "authors") or _list(entry, "first_authors")
    return [" ".join(name.split()) for name in names if name.strip()]


def _year(entry: dict) -> int | None:
    for key in ("year", "publication_year", "date"):
        found = YEAR_PATTERN.search(_first(entry, key))
        if found:
            return int(found.group(1))
    return None


def _pmid(entry: dict) -> str:
    accession = _first(entry, "accession_number")
    database = _first(entry, "name_of_database").lower()
    if accession and any(name in database for name in PUBMED_DATABASES):
        found = PMID_MARKED.match(accession)
        if found:
            return found.group(1)
    if accession.lower().startswith("pmid"):
        found = PMID_MARKED.match(accession)
        if found:
            return found.group(1)
    others = [v for values in (entry.get("unknown_tag") or {}).values() for v in values]
    for value in [*others, *_list(entry, "notes")]:
        found = PMID_BRACKETED.match(str(value))
        if found:
            return found.group(1)
    return ""


def _is_web(url: str) -> bool:
    return url.strip().lower().startswith(("https://", "http://"))
