"""The one PubMed client: a PMID's record from NCBI E-utilities efetch (XML).

GET {PUBMED_API_URL}/efetch.fcgi?db=pubmed&id=<pmid>&retmode=xml, with `tool` and `email` as
NCBI's etiquette asks (and `api_key` when PUBMED_API_KEY is set), through studies.http.fetch
with a deadline for the whole exchange. Every failure raises `PubmedError` with a message an
editor can read; `transient` and `retry_after` tell a background job whether to try again.

Reading the XML (`parse_pubmed_xml`, pure): ElementTree never fetches an external DTD or entity
(NCBI's DOCTYPE names one) and expat refuses runaway entity expansion; on top of that a body
that declares its own entities is refused outright, since PubMed never does.

Inline markup in titles and abstracts (<i>, <b>, <sup>, <sub>, MathML) is read as text. A
superscript or subscript made only of digits and signs becomes Unicode (10<sup>-3</sup> →
"10⁻³", r<sup>2</sup> → "r²", 3He in MathML prescripts → "³He"); any other becomes "^…" or "_…"
(p<sub>trend</sub> → "p_trend"), so nothing is lost and nothing is joined by mistake.
PubMed's underlined "<" and ">" (<u>&lt;</u>) are its ≤ and ≥.
"""

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError

from scoring.vocabulary import DESIGN_VALUES

from .doi import normalize_doi
from .http import FetchError, fetch

TOOL = "evidence-claims"
MAX_RESPONSE_BYTES = 5_000_000
PMID_PATTERN = re.compile(r"^[1-9][0-9]{0,11}$")
PMID_LABEL = re.compile(r"^pmid\s*:?\s*", re.IGNORECASE)
PMID_LINK = re.compile(
    r"^(?:https?://)?(?:pubmed\.ncbi\.nlm\.nih\.gov|(?:www\.)?ncbi\.nlm\.nih\.gov/pubmed)"
    r"/([0-9]+)/?(?:[?#].*)?$",
    re.IGNORECASE,
)
YEAR_PATTERN = re.compile(r"\b(1[6-9][0-9]{2}|20[0-9]{2})\b")

NOT_A_PMID_MESSAGE = "“{pmid}” is not a PMID: a PMID is digits only, e.g. 37144554."
NOT_FOUND_MESSAGE = "PubMed has no record of PMID {pmid}."
NO_TITLE_MESSAGE = "PubMed's record of PMID {pmid} has no title."
PUBMED_ERROR_MESSAGE = "PubMed refused the request: {error}"
FETCH_FAILED_MESSAGE = "Could not get PMID {pmid} from PubMed ({reason}); try again later."
HTTP_ERROR_MESSAGE = "PubMed answered HTTP {status} for PMID {pmid}; try again later."
NOT_XML_MESSAGE = "PubMed sent a response that is not readable XML ({error})."
ENTITIES_MESSAGE = "PubMed's response declares XML entities, which PubMed never does: refused."
NOT_PUBMED_MESSAGE = "PubMed sent XML that is not a PubmedArticleSet (root <{root}>)."

# Publication types (NLM's list) that say which design a paper has. The editor confirms it
# (design_confirmed=False). A meta-analysis's pooled designs are not in its publication type,
# so it is suggested as a systematic review, never as a meta-analysis of RCTs; trials that are
# not called randomised are non-randomised; narrative reviews, editorials and letters are
# expert opinion. Several types: the strongest design wins (DESIGNS is strongest first).
PUBLICATION_TYPE_DESIGNS = {
    "Meta-Analysis": "systematic_review",
    "Systematic Review": "systematic_review",
    "Network Meta-Analysis": "systematic_review",
    "Randomized Controlled Trial": "rct",
    "Randomized Controlled Trial, Veterinary": "animal",
    "Clinical Trial, Veterinary": "animal",
    "Controlled Clinical Trial": "non_randomised_trial",
    "Clinical Trial": "non_randomised_trial",
    "Clinical Trial, Phase I": "non_randomised_trial",
    "Clinical Trial, Phase II": "non_randomised_trial",
    "Clinical Trial, Phase III": "non_randomised_trial",
    "Clinical Trial, Phase IV": "non_randomised_trial",
    "Observational Study": "cohort",
    "Observational Study, Veterinary": "animal",
    "Case Reports": "case_series",
    "Review": "expert_opinion",
    "Editorial": "expert_opinion",
    "Comment": "expert_opinion",
    "Letter": "expert_opinion",
    "Practice Guideline": "expert_opinion",
    "Guideline": "expert_opinion",
    "Consensus Development Conference": "expert_opinion",
}

SUPERSCRIPTS = str.maketrans("0123456789+-−=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿ")
SUBSCRIPTS = str.maketrans("0123456789+-−=()", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎")
SCRIPTABLE = {"sup": set("0123456789+-−=()n"), "sub": set("0123456789+-−=()")}
UNDERLINED = {"<": "≤", ">": "≥"}


class PubmedError(Exception):
    """PubMed could not give us a record; str(error) says why, readably."""

    def __init__(self, message: str, *, transient: bool = False, retry_after=None):
        super().__init__(message)
        self.transient = transient
        self.retry_after = retry_after


@dataclass(frozen=True)
class PubmedRecord:
    pmid: str
    title: str
    authors: str = ""
    journal: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    year: int | None = None
    abstract: str = ""
    doi: str = ""
    issn: str = ""
    publication_types: tuple[str, ...] = ()
    mesh_terms: tuple[str, ...] = ()

    @property
    def suggested_design(self) -> str | None:
        """The design the publication types (or, failing them, MeSH "Animals" without
        "Humans") suggest; None when they say nothing."""
        suggested = {PUBLICATION_TYPE_DESIGNS.get(kind) for kind in self.publication_types}
        suggested.discard(None)
        if not suggested and "Animals" in self.mesh_terms and "Humans" not in self.mesh_terms:
            suggested = {"animal"}
        return min(suggested, key=DESIGN_VALUES.index) if suggested else None

    def study_fields(self) -> dict:
        """The Study fields PubMed knows; empty values are left out so they never erase data."""
        fields = {
            "title": self.title,
            "authors": self.authors,
            "journal": self.journal,
            "volume": self.volume,
            "issue": self.issue,
            "pages": self.pages,
            "year": self.year,
            "abstract": self.abstract,
            "doi": self.doi,
            "issn": self.issn,
            "pmid": self.pmid,
            "work_type": "; ".join(self.publication_types),
            "mesh_terms": "\n".join(self.mesh_terms),
            "url": "" if self.doi else f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/",
        }
        return {name: value for name, value in fields.items() if value}


def normalize_pmid(value: str) -> str:
    """The PMID as digits, however an editor pasted it: "PMID:123", "pmid 123", a PubMed link
    (https://pubmed.ncbi.nlm.nih.gov/123/, the older ncbi.nlm.nih.gov/pubmed/123). Raises
    PubmedError when it is not one. The one place that decides what a PMID looks like here:
    the admin's form, the PubMed client and duplicate detection all use it."""
    text = str(value or "").strip()
    link = PMID_LINK.match(text)
    pmid = link.group(1) if link else PMID_LABEL.sub("", text).strip()
    if not PMID_PATTERN.match(pmid):
        raise PubmedError(NOT_A_PMID_MESSAGE.format(pmid=text[:40]))
    return pmid


def efetch_url(pmid: str) -> str:
    query = {"db": "pubmed", "id": pmid, "retmode": "xml", "tool": TOOL}
    query["email"] = settings.CROSSREF_CONTACT
    if settings.PUBMED_API_KEY:
        query["api_key"] = settings.PUBMED_API_KEY
    return f"{settings.PUBMED_API_URL.rstrip('/')}/efetch.fcgi?{urlencode(query)}"


def fetch_pubmed(pmid: str) -> PubmedRecord:
    """The record of one PMID. Raises PubmedError."""
    pmid = normalize_pmid(pmid)
    try:
        response = fetch(
            efetch_url(pmid),
            deadline=settings.PUBMED_TIMEOUT,
            headers={"User-Agent": f"{TOOL} (mailto:{settings.CROSSREF_CONTACT})"},
            max_bytes=MAX_RESPONSE_BYTES,
        )
    except FetchError as error:
        message = (
            HTTP_ERROR_MESSAGE.format(status=error.status, pmid=pmid)
            if error.status
            else FETCH_FAILED_MESSAGE.format(pmid=pmid, reason=error.reason)
        )
        raise PubmedError(
            message, transient=error.transient, retry_after=error.retry_after
        ) from None
    for record in parse_pubmed_xml(response.body):
        if record.pmid == pmid:
            return record
    raise PubmedError(NOT_FOUND_MESSAGE.format(pmid=pmid))


def parse_pubmed_xml(body: bytes | str) -> list[PubmedRecord]:
    """Every journal article in an efetch body, in order; [] for an empty PubmedArticleSet.
    Raises PubmedError for a body that is not one (or is an <ERROR>)."""
    raw = body.encode() if isinstance(body, str) else body
    if b"<!ENTITY" in raw:
        raise PubmedError(ENTITIES_MESSAGE)
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as error:
        raise PubmedError(NOT_XML_MESSAGE.format(error=error)) from None
    failure = root.find(".//ERROR") if root.tag != "PubmedArticleSet" else None
    if root.tag == "ERROR" or failure is not None:
        text = " ".join((root if root.tag == "ERROR" else failure).itertext()).strip()
        raise PubmedError(PUBMED_ERROR_MESSAGE.format(error=text[:300]))
    if root.tag != "PubmedArticleSet":
        raise PubmedError(NOT_PUBMED_MESSAGE.format(root=root.tag[:40]))
    return [_record(article) for article in root.findall("PubmedArticle")]


def _record(article: ET.Element) -> PubmedRecord:
    citation = article.find("MedlineCitation")
    pmid = _text(citation.find("PMID")) if citation is not None else ""
    paper = citation.find("Article") if citation is not None else None
    if paper is None:
        raise PubmedError(NO_TITLE_MESSAGE.format(pmid=pmid or "?"))
    title = _inline(paper.find("ArticleTitle")) or _inline(paper.find("VernacularTitle"))
    if not title:
        raise PubmedError(NO_TITLE_MESSAGE.format(pmid=pmid or "?"))
    journal = paper.find("Journal")
    issue = journal.find("JournalIssue") if journal is not None else None
    return PubmedRecord(
        pmid=pmid,
        title=title,
        authors="; ".join(_authors(paper)),
        journal=_text(journal.find("Title")) if journal is not None else "",
        volume=_text(issue.find("Volume")) if issue is not None else "",
        issue=_text(issue.find("Issue")) if issue is not None else "",
        pages=_pages(paper),
        year=_year(issue),
        abstract=_abstract(paper),
        doi=_doi(article, paper),
        issn=", ".join(_text(e) for e in journal.findall("ISSN")) if journal is not None else "",
        publication_types=tuple(
            _text(e) for e in paper.findall("PublicationTypeList/PublicationType")
        ),
        mesh_terms=tuple(
            _text(e) for e in citation.findall("MeshHeadingList/MeshHeading/DescriptorName")
        ),
    )


def _authors(paper: ET.Element) -> list[str]:
    """ "Family, Given Suffix" per author; a group (CollectiveName) under its own name."""
    names = []
    for author in paper.findall("AuthorList/Author"):
        if author.get("ValidYN") == "N":  # a misspelling PubMed keeps beside the right name
            continue
        group = _inline(author.find("CollectiveName"))
        if group:
            names.append(group)
            continue
        family = _text(author.find("LastName"))
        given = _text(author.find("ForeName")) or _text(author.find("Initials"))
        suffix = _text(author.find("Suffix"))
        given = f"{given} {suffix}".strip()
        if family:
            names.append(f"{family}, {given}" if given else family)
    return names


def _pages(paper: ET.Element) -> str:
    pagination = paper.find("Pagination")
    if pagination is not None:
        # StartPage and EndPage are written out; MedlinePgn abbreviates ("244-55").
        start, end = _text(pagination.find("StartPage")), _text(pagination.find("EndPage"))
        if start and end:
            return f"{start}–{end}"
        medline = _text(pagination.find("MedlinePgn"))
        if medline or start:
            return medline or start
    for location in paper.findall("ELocationID"):
        if location.get("EIdType") != "doi" and _text(location):
            return _text(location)
    return ""


def _year(issue: ET.Element | None) -> int | None:
    if issue is None:
        return None
    found = YEAR_PATTERN.search(_text(issue.find("PubDate/Year")))
    found = found or YEAR_PATTERN.search(_text(issue.find("PubDate/MedlineDate")))
    return int(found.group(1)) if found else None


def _abstract(paper: ET.Element) -> str:
    paragraphs = []
    for part in paper.findall("Abstract/AbstractText"):
        text = _inline(part)
        label = (part.get("Label") or "").strip()
        if text:
            paragraphs.append(f"{label}: {text}" if label else text)
    return "\n\n".join(paragraphs)


def _doi(article: ET.Element, paper: ET.Element) -> str:
    candidates = [
        _text(e)
        for e in article.findall("PubmedData/ArticleIdList/ArticleId")
        if e.get("IdType") == "doi"
    ]
    candidates += [_text(e) for e in paper.findall("ELocationID") if e.get("EIdType") == "doi"]
    for candidate in candidates:
        try:
            return normalize_doi(candidate)
        except ValidationError:
            continue
    return ""


def _text(element: ET.Element | None) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def _inline(element: ET.Element | None) -> str:
    """An element with inline markup as one line of text (see the module's docstring)."""
    if element is None:
        return ""
    return " ".join(_flatten(element).split())


def _flatten(element: ET.Element) -> str:
    parts = [element.text or ""]
    for child in element:
        name = _local(child.tag)
        if name == "math":
            parts.append(_math(child))
        elif name in SCRIPTABLE:
            parts.append(_script(name, " ".join(_flatten(child).split())))
        elif name == "u":
            inner = _flatten(child)
            parts.append(UNDERLINED.get(inner.strip(), inner))
        else:
            parts.append(_flatten(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _math(element: ET.Element) -> str:
    """MathML as text: tokens joined, scripts as in _script, prescripts before the base."""
    name = _local(element.tag)
    children = list(element)
    if name in ("mi", "mn", "mo", "ms"):
        return (element.text or "").strip()
    if name == "mtext":
        return " ".join((element.text or "").split()) or " "
    if name in ("none", "mprescripts"):
        return ""
    if name in ("msup", "msub", "msubsup") and children:
        base = _math(children[0])
        rest = [_math(child) for child in children[1:]]
        kinds = {"msup": ["sup"], "msub": ["sub"], "msubsup": ["sub", "sup"]}[name]
        return base + "".join(_script(k, v) for k, v in zip(kinds, rest, strict=False))
    if name == "mmultiscripts" and children:
        marks = [_local(child.tag) for child in children]
        split = marks.index("mprescripts") if "mprescripts" in marks else len(children)
        post, pre = children[1:split], children[split + 1 :]
        return _scripts(pre) + _math(children[0]) + _scripts(post)
    return "".join(_math(child) for child in children)


def _scripts(pairs: list[ET.Element]) -> str:
    """(subscript, superscript) pairs of an mmultiscripts."""
    out = []
    for position, child in enumerate(pairs):
        text = _math(child)
        if text:
            out.append(_script("sub" if position % 2 == 0 else "sup", text))
    return "".join(out)


def _script(kind: str, text: str) -> str:
    if text and set(text) <= SCRIPTABLE[kind]:
        return text.translate(SUPERSCRIPTS if kind == "sup" else SUBSCRIPTS)
    return ("^" if kind == "sup" else "_") + text if text else ""


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
