"""A claim's studies as BibTeX and RIS (the CSV: exports_csv.py; CSL-JSON: exports_csl.py). Pure
functions over the claim's evidence rows.

Each function takes the rows of `evidence_list.evidence_rows()` flattened in page order
(supporting first, then contradicting; on each side the counted studies strongest first, then
those that do not count, then those awaiting appraisal) and returns text.
"""

import re
import unicodedata
from collections.abc import Iterable
from itertools import accumulate

import scoring
from scoring import DESIGN_LABELS, STANCE_LABELS
from studies.authors import Author, parse_author, parse_authors
from studies.models import Stance
from studies.work_types import work_kind

from .appraisal_reasons import RISK_OF_BIAS_WORDS
from .evidence_list import AWAITING_APPRAISAL, EvidenceRow, citation
from .verdict_text import certainty_words

CONTENT_TYPES = {
    "bib": "application/x-bibtex; charset=utf-8",
    "ris": "application/x-research-info-systems; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "json": "application/vnd.citationstyles.csl+json",
}

# Words skipped when a title's first word goes into a citation key.
KEY_STOPWORDS = frozenset(
    {"a", "an", "the", "of", "on", "in", "at", "to", "for", "and", "or", "with", "without"}
    | {"from", "by", "is", "are", "does", "do", "how", "what", "why", "when", "which", "whether"}
)

# LaTeX's specials, escaped so LaTeX prints them. BibTeX counts "\{" as a brace, so braces are
# "\{" "\}" (pylatexenc reads them back, pybtex cannot) only when the text's braces balance; else
# commands. "^" is "\^{}": pybtex and latexcodec read "ˆ", pylatexenc drops it.
_LATEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\^{}",
}
_BALANCED_BRACES = {"{": r"\{", "}": r"\}"}
_LATEX_SPECIAL = re.compile("|".join(re.escape(char) for char in _LATEX_ESCAPES))


def flatten(rows: dict[str, list[EvidenceRow]]) -> list[EvidenceRow]:
    """evidence_rows() output in page order: supporting, then contradicting."""
    return [*rows[Stance.SUPPORTS], *rows[Stance.CONTRADICTS]]


def study_label(study) -> str:
    """ "Refalo et al. 2024 (10.1080/…)": the citation the page uses, with the DOI."""
    name = citation(study)
    return f"{name} ({study.doi})" if study.doi else name


def split_authors(authors: str) -> list[str]:
    """ "Family, Given; Family, Given" → ["Family, Given", "Family, Given"]."""
    return [name.strip() for name in (authors or "").split(";") if name.strip()]


def one_line(text) -> str:
    return " ".join(str(text or "").split())


def full_title(study) -> str:
    """ "Title: Subtitle" (neither BibTeX nor RIS nor CSL has a subtitle field of its own)."""
    title, subtitle = one_line(study.title), one_line(study.subtitle)
    if not subtitle:
        return title
    return f"{title} {subtitle}" if title.endswith((":", "?", "!", ".")) else f"{title}: {subtitle}"


# A page range's separator as sources write it: hyphen, en or em dash, minus, spaced or not.
_PAGE_DASH = re.compile(r"\s*[-\u2010\u2011\u2012\u2013\u2014\u2212]+\s*")


def page_range(pages: str) -> tuple[str, str]:
    """ "85–101" → ("85", "101"); an article number ("e15679") is a first page alone. Every
    export takes its pages from here, so MEDLINE's "151-8" is 151–158 in all of them."""
    first, _, last = _PAGE_DASH.sub("-", one_line(pages)).partition("-")
    return first, _full_last_page(first, last)


def pages_text(pages: str) -> str:
    """ "151-8" → "151–158", "e15679" as it is: the range written out, for CSL and the CSV."""
    first, last = page_range(pages)
    return f"{first}–{last}" if last else first


_PAGE_NUMBER = re.compile(r"([A-Za-z]*)([0-9]+)")  # "151", "S12", "e15679"


def _full_last_page(first: str, last: str) -> str:
    """MEDLINE drops a last page's leading digits: "151-8" ends at 158, "S12-9" at S19.
    "S12-S19" and "199-201" are written out already."""
    start, end = _PAGE_NUMBER.fullmatch(first), _PAGE_NUMBER.fullmatch(last)
    if not (start and end) or end.group(1) not in ("", start.group(1)):
        return last
    digits, tail = start.group(2), end.group(2)
    if len(tail) >= len(digits):
        return last
    full = digits[: len(digits) - len(tail)] + tail
    return start.group(1) + full if int(full) > int(digits) else last


def issns(study) -> list[str]:
    """ "1234-5678, 8765-4321" → ["1234-5678", "8765-4321"]."""
    return [issn.strip() for issn in re.split(r"[,;\s]+", study.issn or "") if issn.strip()]


def latex_escape(text: str) -> str:
    """Escape LaTeX specials; non-ASCII letters stay as they are (the file is UTF-8)."""
    text = one_line(text)
    escapes = _LATEX_ESCAPES | (_BALANCED_BRACES if _braces_balance(text) else {})
    return _LATEX_SPECIAL.sub(lambda match: escapes[match.group()], text)


def _braces_balance(text: str) -> bool:
    depths = list(accumulate({"{": 1, "}": -1}.get(char, 0) for char in text))
    return min(depths, default=0) >= 0 and not (depths and depths[-1])


# BibTeX splits the author field on "and" between spaces, at brace level 0, in any case.
_AND_WORD = re.compile(r"\sand\s", re.IGNORECASE)


def bibtex_title(title: str) -> str:
    """The title in braces of its own, so styles that change case leave RCT or HbA1c alone."""
    return "{" + latex_escape(title) + "}"


def bibtex_name(name: str) -> str:
    """One author in BibTeX's own order: "Family, Given", or "Family, Jr., Given" with a
    suffix (else BibTeX reads "Smith, John, Jr." as given name "Jr."). A name without a comma,
    or with "and" in it (a corporate author), is braced so BibTeX neither splits it nor
    reorders its words."""
    author = parse_author(name)
    if author is None:
        return ""
    if _AND_WORD.search(f" {one_line(name)} "):
        return "{" + latex_escape(name) + "}"
    if author.literal:
        return "{" + latex_escape(author.literal) + "}"
    return _bibtex_person(author)


def _bibtex_person(author: Author) -> str:
    family, given, suffix = (
        latex_escape(part) for part in (author.family, author.given, author.suffix)
    )
    if not given:
        # BibTeX parsers refuse a trailing comma ("Smith, Jr.,"), and would split an unbraced
        # "Van Der Berg" into given and family names.
        whole = f"{family}, {suffix}" if suffix else family
        return "{" + whole + "}" if suffix or " " in family else family
    if suffix:
        return f"{family}, {suffix}, {given}"
    return f"{family}, {given}"


def _verbatim(text: str) -> str:
    """DOIs and URLs go in as typed (biblatex reads them verbatim, "%" too: read them raw, as a
    LaTeX decoder such as pylatexenc cuts them at "%"); only a brace is encoded."""
    return one_line(text).replace("{", "%7B").replace("}", "%7D")


# Letters that Unicode does not decompose into an ASCII letter plus an accent.
_ASCII_LETTERS = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ß": "ss", "ı": "i"}
)


def _ascii_word(text: str) -> str:
    text = text.lower().translate(_ASCII_LETTERS)
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded)


def citation_key(row: EvidenceRow) -> str:
    """E.g. refalo2024similar: first author's family name, year, first significant title word."""
    study = row.study
    family = _ascii_word(study.first_author)
    title_words = [_ascii_word(word) for word in study.title.split()]
    word = next((w for w in title_words if w and w not in KEY_STOPWORDS), "")
    key = f"{family}{study.year or ''}{word}"
    if not family:
        key = f"study{study.year or ''}{word}"
    return key if key != "study" else f"study{study.pk}"


def unique_keys(rows: list[EvidenceRow]) -> list[str]:
    """One key per row; repeats get a, b, c… (refalo2024similar, refalo2024similara)."""
    keys, seen = [], set()
    for row in rows:
        base = key = citation_key(row)
        suffix = 0
        while key in seen:
            key = base + _letters(suffix)
            suffix += 1
        seen.add(key)
        keys.append(key)
    return keys


def _letters(n: int) -> str:
    """0 → a, 25 → z, 26 → aa."""
    letters = ""
    n += 1
    while n:
        n, remainder = divmod(n - 1, 26)
        letters = chr(ord("a") + remainder) + letters
    return letters


def verdict_line(verdict: str, certainty: str | None) -> str:
    """ "Moderate support · Low certainty": the verdict with its certainty, as the claim cards,
    the feed and the exports show it (the verdict alone when nothing counts)."""
    return f"{verdict} · {certainty_words(certainty)}" if certainty else verdict


def stored_statement(claim) -> str:
    """GRADE's informative statement ("This may be true.") from the stored scores, as the
    feed and the API lists show it beside `verdict_line`.

    The words depend only on the certainty and on which side leads (design.md §3.4), both
    stored, so a list gives the live scorecard's statement without scoring anything."""
    lead = scoring.lead_side(claim.pro_score, claim.against_score)
    return scoring.statement_for(claim.certainty or None, lead)


def claim_line(claim_url: str, card: scoring.Scorecard | None, wording: str = "") -> str:
    """ "Evidence for the claim “Muscles grow …” at <url>: Very uncertain · Very low certainty.
    We are very uncertain whether this is true.": which claim (its plain wording), where, and
    the claim's capped verdict, certainty and GRADE statement: the certainty of the body of
    evidence, not of the one study the entry cites."""
    wording = one_line(wording)
    named = f" “{wording}”" if wording else ""
    line = f"Evidence for the claim{named} at {claim_url}"
    if card is None:
        return line
    return f"{line}: {verdict_line(card.verdict, card.certainty)}. {card.statement}"


def note(row: EvidenceRow) -> str:
    """What the study is for this claim: stance, design, its own GRADE certainty (labelled
    "this study", so no one takes it for the claim's) and risk-of-bias judgement, and whether
    it counts (with its points) or why not."""
    stance = STANCE_LABELS[row.evidence.stance]
    design = DESIGN_LABELS.get(row.study.design, row.study.design)
    if not row.study.design_confirmed:
        design += " (design not confirmed)"
    if row.is_awaiting:
        return f"{stance} the claim; {design}; {AWAITING_APPRAISAL}, not counted"
    parts = [
        f"{stance} the claim",
        design,
        f"this study: {row.certainty_label.lower()} certainty (GRADE)",
        f"risk of bias: {RISK_OF_BIAS_WORDS[row.evidence.risk_of_bias_judgement]}",
        f"counted, {row.points:.1f} points"
        if row.counted
        else f"not counted: {row.not_counted_note}",
    ]
    return "; ".join(parts)


def annote(row: EvidenceRow, claim_url: str, card, wording: str) -> str:
    """The site's commentary on the study, then the claim it is evidence for."""
    text = note(row)
    return f"{text}. {claim_line(claim_url, card, wording)}" if claim_url else text


# Where each kind of work names the title of what contains it (Study.journal).
_BIBTEX_CONTAINER = {
    "article": "journal",
    "incollection": "booktitle",
    "inproceedings": "booktitle",
    "book": "series",
    "phdthesis": "school",
    "techreport": "institution",
    "misc": "howpublished",
}


def bibtex_pages(pages: str) -> str:
    """ "85–101" → "85--101" (BibTeX's range); "e15679" stays as it is."""
    first, last = page_range(pages)
    return latex_escape(f"{first}--{last}" if last else first)


def to_bibtex(
    rows: Iterable[EvidenceRow],
    claim_url: str = "",
    card: scoring.Scorecard | None = None,
    wording: str = "",
) -> str:
    """BibTeX entries. The site's commentary goes in `annote` (reference managers import it as
    a note; standard .bst styles do not print it), never in `note`, which styles print in the
    reader's own bibliography. `wording` is the claim's plain statement."""
    rows = list(rows)
    entries = []
    for key, row in zip(unique_keys(rows), rows, strict=True):
        study = row.study
        kind = work_kind(study).bibtex
        fields = [("title", bibtex_title(full_title(study)))]
        authors = [bibtex_name(name) for name in split_authors(study.authors)]
        if any(authors):
            fields.append(("author", " and ".join(name for name in authors if name)))
        if study.journal:
            fields.append((_BIBTEX_CONTAINER[kind], latex_escape(study.journal)))
        if study.year:
            fields.append(("year", str(study.year)))
        fields += [
            (name, value)
            for name, value in (
                ("volume", latex_escape(study.volume)),
                ("number", latex_escape(study.issue)),
                ("pages", bibtex_pages(study.pages)),
                ("issn", ", ".join(issns(study))),
            )
            if value
        ]
        if study.doi:
            fields.append(("doi", _verbatim(study.doi)))
        if study.pmid:  # the field JabRef and Better BibTeX write and read
            fields.append(("pmid", study.pmid))
        url = study.doi_url or study.url
        if url:
            fields.append(("url", _verbatim(url)))
        fields.append(("annote", latex_escape(annote(row, claim_url, card, wording))))
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        entries.append(f"@{kind}{{{key},\n{body}\n}}\n")
    return "\n".join(entries)


def ris_url(url: str) -> str:
    """rispy (and other readers) split a UR at ";": a DOI link is percent-encoded already
    (Study.doi_url), and a recorded link's ";" is written %3B."""
    return one_line(url).replace(";", "%3B")


def to_ris(
    rows: Iterable[EvidenceRow],
    claim_url: str = "",
    card: scoring.Scorecard | None = None,
    wording: str = "",
) -> str:
    """RIS records (TY … ER), CRLF line ends as the format asks. The container title is in
    `T2`, as Zotero's own export writes it (Zotero reads `JO` as the journal's abbreviation).
    The commentary is in `N1` (notes): the study's, then the claim's."""
    lines = []
    for row in rows:
        study = row.study
        kind = work_kind(study)
        lines.append(("TY", kind.ris))
        lines += [("AU", author.inverted) for author in parse_authors(study.authors)]
        lines.append(("TI", full_title(study)))
        if study.journal:
            # Zotero files a CONF's T2 as the conference's name, which we do not know: the
            # proceedings' title goes in C3 alone.
            lines.append(("C3" if kind.ris == "CONF" else "T2", study.journal))
        if study.year:
            lines.append(("PY", str(study.year)))
        first_page, last_page = page_range(study.pages)
        lines += [
            (tag, value)
            for tag, value in (
                ("VL", study.volume),
                ("IS", study.issue),
                ("SP", first_page),
                ("EP", last_page),
                # One SN: rispy keeps only the first of several, Zotero files the rest as notes.
                ("SN", ", ".join(issns(study))),
            )
            if value
        ]
        if study.doi:
            lines.append(("DO", study.doi))
        if study.pmid:  # RIS has no PMID tag: PubMed-derived RIS (EndNote, Ovid) writes it as
            # the accession number (AN) of database (DB) PubMed; in a note it would be mere text.
            lines += [("AN", study.pmid), ("DB", "PubMed")]
        url = study.doi_url or study.url
        if url:
            lines.append(("UR", ris_url(url)))
        lines.append(("N1", note(row)))
        if claim_url:
            lines.append(("N1", claim_line(claim_url, card, wording)))
        lines.append(("ER", ""))
    return "".join(f"{tag}  - {one_line(value)}\r\n" for tag, value in lines)
