"""A study's bibliographic record in the three forms reference managers read off a web page.

- Highwire `citation_*` meta tags (Google Scholar's inclusion guidelines; Zotero's Embedded
  Metadata translator) in the study page's <head>;
- schema.org JSON-LD (`ScholarlyArticle`, `Book`, `Chapter`… by the study's work kind);
- a COinS context object (OpenURL 1.0 KEV, Z39.88-2004) per study on the claim page, where
  one page lists several studies.

Names go through `studies.authors`, the kind of work through `studies.work_types`, and the DOI
is the canonical one (`Study.doi`: lower case, no resolver prefix), so every form agrees with
the exports.
"""

import re
from urllib.parse import urlencode

from .authors import parse_authors
from .work_types import work_kind

# "85–101", "85-101", "85 — 101": a first and a last page; "e15679" is a first page only.
PAGE_RANGE = re.compile(r"^\s*(?P<first>[^\s\-–—]+)\s*[-–—]+\s*(?P<last>[^\s\-–—]+)\s*$")
# Google's limit for an article's headline.
HEADLINE_MAX = 110


def page_range(pages: str) -> tuple[str, str]:
    """(first page, last page) of "85–101"; ("e15679", "") for an article number."""
    pages = (pages or "").strip()
    match = PAGE_RANGE.match(pages)
    if match:
        return match["first"], match["last"]
    return pages, ""


def issns(study) -> list[str]:
    """The study's ISSNs (stored comma-separated), each once, in order."""
    return list(dict.fromkeys(part.strip() for part in study.issn.split(",") if part.strip()))


def full_title(study) -> str:
    return f"{study.title}: {study.subtitle}" if study.subtitle else study.title


# Where each kind of work names what it was published in, for Highwire. A chapter's book is
# citation_inbook_title to Google Scholar and citation_book_title to Zotero.
CONTAINER_TAGS = {
    "article": ("citation_journal_title",),
    "preprint": ("citation_journal_title",),
    "chapter": ("citation_inbook_title", "citation_book_title"),
    "conference": ("citation_conference_title",),
    "report": ("citation_technical_report_institution",),
    "thesis": ("citation_dissertation_institution",),
}


def highwire_name(author) -> str:
    """A citation_author: "Smith, John Jr.", the suffix after the given names. Zotero's
    cleanAuthor takes the second comma-separated part as the given name and drops the rest,
    so "Smith, John, Jr." lost the "Jr."."""
    if author.literal or not author.given:
        return author.inverted
    given = f"{author.given} {author.suffix}" if author.suffix else author.given
    return f"{author.family}, {given}"


def highwire_tags(study) -> list[tuple[str, str]]:
    """(name, content) of each `citation_*` meta tag, in the order Google Scholar lists them;
    a fact the study does not record has no tag."""
    kind = work_kind(study)
    first, last = page_range(study.pages)
    tags = [("citation_title", full_title(study))]
    tags += [("citation_author", highwire_name(author)) for author in parse_authors(study.authors)]
    tags.append(("citation_publication_date", str(study.year or "")))
    tags += [(name, study.journal) for name in CONTAINER_TAGS.get(kind.name, ())]
    tags += [
        ("citation_volume", study.volume),
        ("citation_issue", study.issue),
        ("citation_firstpage", first),
        ("citation_lastpage", last),
    ]
    tags += [("citation_issn", issn) for issn in issns(study)]
    tags += [("citation_doi", study.doi), ("citation_pmid", study.pmid)]
    return [(name, content) for name, content in tags if content]


def _person(author) -> dict:
    if author.literal:
        return {"@type": "Organization", "name": author.literal}
    person = {"@type": "Person", "name": author.display, "familyName": author.family}
    if author.given:
        person["givenName"] = author.given
    if author.suffix:
        person["honorificSuffix"] = author.suffix
    return person


def _container(study, kind) -> dict | None:
    """What the work is part of: the journal (through its volume and issue when known), the
    book of a chapter, the proceedings of a conference paper."""
    if not study.journal:
        return None
    if kind.name == "chapter":
        return {"@type": "Book", "name": study.journal}
    if kind.name not in ("article", "preprint"):
        return {"@type": "CreativeWork", "name": study.journal}
    container = {"@type": "Periodical", "name": study.journal}
    if issns(study):
        container["issn"] = issns(study)
    if study.volume:
        container = {
            "@type": "PublicationVolume",
            "volumeNumber": study.volume,
            "isPartOf": container,
        }
    if study.issue:
        container = {"@type": "PublicationIssue", "issueNumber": study.issue, "isPartOf": container}
    return container


def _identifiers(study) -> list[dict]:
    found = [("DOI", study.doi), ("PMID", study.pmid)]
    return [
        {"@type": "PropertyValue", "propertyID": name, "value": value}
        for name, value in found
        if value
    ]


def scholarly_article(study, url: str) -> dict:
    """The study as schema.org JSON-LD; `url` is the study page's canonical address."""
    kind = work_kind(study)
    title = full_title(study)
    data = {
        "@context": "https://schema.org",
        "@type": kind.schema_org,
        "@id": url,
        "url": url,
        "name": title,
        "headline": title if len(title) <= HEADLINE_MAX else title[: HEADLINE_MAX - 1] + "…",
    }
    authors = [_person(author) for author in parse_authors(study.authors)]
    if authors:
        data["author"] = authors
    if study.year:
        data["datePublished"] = str(study.year)
    container = _container(study, kind)
    if container:
        data["isPartOf"] = container
    first, last = page_range(study.pages)
    if study.pages:
        data["pagination"] = study.pages
    if first and last:
        data["pageStart"], data["pageEnd"] = first, last
    if _identifiers(study):
        data["identifier"] = _identifiers(study)
    if study.doi:
        data["sameAs"] = study.doi_url
    return data


# COinS: the KEV format and genre each kind is described with (OpenURL 1.0's journal, book and
# dissertation formats; Zotero's COinS translator reads the genre into its item type).
JOURNAL, BOOK, THESIS = (
    "info:ofi/fmt:kev:mtx:journal",
    "info:ofi/fmt:kev:mtx:book",
    "info:ofi/fmt:kev:mtx:dissertation",
)
COINS_FORMAT = {
    "article": (JOURNAL, "article"),
    "preprint": (JOURNAL, "preprint"),
    "conference": (JOURNAL, "proceeding"),
    "book": (BOOK, "book"),
    "chapter": (BOOK, "bookitem"),
    "report": (BOOK, "report"),
    "thesis": (THESIS, ""),
}


def _coins_authors(authors) -> list[tuple[str, str]]:
    """The first author in parts (aulast/aufirst/ausuffix, or aucorp), then every author whole
    (rft.au), as the OpenURL formats define them."""
    if not authors:
        return []
    first = authors[0]
    if first.literal:
        pairs = [("rft.aucorp", first.literal)]
    else:
        pairs = [("rft.aulast", first.family), ("rft.aufirst", first.given)]
        pairs.append(("rft.ausuffix", first.suffix))
    return pairs + [("rft.au", author.inverted) for author in authors]


def coins(study) -> str:
    """The study's COinS context object: the `title` of a <span class="Z3988">, unescaped
    (the template's autoescaping writes each "&" as "&amp;")."""
    kind = work_kind(study)
    fmt, genre = COINS_FORMAT.get(kind.name, (JOURNAL, "unknown"))
    first, last = page_range(study.pages)
    title = full_title(study)
    pairs = [("ctx_ver", "Z39.88-2004"), ("rft_val_fmt", fmt), ("rft.genre", genre)]
    if fmt == JOURNAL:
        pairs += [("rft.atitle", title), ("rft.jtitle", study.journal)]
    elif kind.name == "chapter":
        pairs += [("rft.atitle", title), ("rft.btitle", study.journal)]
    elif fmt == BOOK:
        pairs.append(("rft.btitle", title))
    else:
        pairs.append(("rft.title", title))
    pairs += _coins_authors(parse_authors(study.authors))
    pairs += [
        ("rft.date", str(study.year or "")),
        ("rft.volume", study.volume),
        ("rft.issue", study.issue),
        ("rft.spage", first),
        ("rft.epage", last),
        ("rft.pages", study.pages if last else ""),
    ]
    pairs += [("rft.issn", issn) for issn in issns(study)]
    if study.doi:
        pairs.append(("rft_id", f"info:doi/{study.doi}"))
    if study.pmid:
        pairs.append(("rft_id", f"info:pmid/{study.pmid}"))
    return urlencode([(key, value) for key, value in pairs if value])


def page_description(study) -> str:
    """The study page's own description, for search results and link previews."""
    authors = parse_authors(study.authors)
    who = ""
    if authors:
        first = authors[0].family or authors[0].literal
        who = f"{first} et al." if len(authors) > 1 else first
    cited = " ".join(part for part in (who, str(study.year or "")) if part)
    described = f"Design, size and the claims this study informs: {full_title(study)}"
    return f"{described} ({cited})." if cited else f"{described}."
