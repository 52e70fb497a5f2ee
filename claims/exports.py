"""A claim's studies as BibTeX and RIS (the CSV: exports_csv.py). Pure functions over the
claim's evidence rows.

Each function takes the rows of `evidence_list.evidence_rows()` flattened in page order
(supporting first, then contradicting; on each side the counted studies strongest first, then
those that do not count, then those awaiting appraisal) and returns text.
"""

import re
import unicodedata
from collections.abc import Iterable

import scoring
from scoring import DESIGN_LABELS, STANCE_LABELS
from studies.models import Stance

from .appraisal_reasons import RISK_OF_BIAS_WORDS
from .evidence_list import AWAITING_APPRAISAL, EvidenceRow, citation
from .verdict_text import certainty_words

CONTENT_TYPES = {
    "bib": "application/x-bibtex; charset=utf-8",
    "ris": "application/x-research-info-systems; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}

# Words skipped when a title's first word goes into a citation key.
KEY_STOPWORDS = frozenset(
    {"a", "an", "the", "of", "on", "in", "at", "to", "for", "and", "or", "with", "without"}
    | {"from", "by", "is", "are", "does", "do", "how", "what", "why", "when", "which", "whether"}
)

# LaTeX's special characters, escaped so BibTeX and LaTeX print them as text. Braces
# become commands with their own balanced braces: a lone "\{" would still unbalance
# BibTeX's brace counting.
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
    "^": r"\textasciicircum{}",
}
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


def latex_escape(text: str) -> str:
    """Escape LaTeX specials; non-ASCII letters stay as they are (the file is UTF-8)."""
    return _LATEX_SPECIAL.sub(lambda match: _LATEX_ESCAPES[match.group()], one_line(text))


# BibTeX splits the author field on "and" between spaces, at brace level 0, in any case.
_AND_WORD = re.compile(r"\sand\s", re.IGNORECASE)


def bibtex_title(title: str) -> str:
    """The title in braces of its own, so styles that change case leave RCT or HbA1c alone."""
    return "{" + latex_escape(title) + "}"


def bibtex_name(name: str) -> str:
    """One author. "Family, Given" stays as it is; a name without a comma, or with "and" in it
    (a corporate author), is braced so BibTeX neither splits it nor reorders its words."""
    escaped = latex_escape(name)
    if "," not in name or _AND_WORD.search(f" {one_line(name)} "):
        return "{" + escaped + "}"
    return escaped


def _verbatim(text: str) -> str:
    """DOIs and URLs go in as typed, but a brace must not unbalance the entry."""
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
        fields = [("title", bibtex_title(study.title))]
        authors = split_authors(study.authors)
        if authors:
            fields.append(("author", " and ".join(bibtex_name(name) for name in authors)))
        if study.journal:
            fields.append(("journal", latex_escape(study.journal)))
        if study.year:
            fields.append(("year", str(study.year)))
        if study.doi:
            fields.append(("doi", _verbatim(study.doi)))
        url = study.doi_url or study.url
        if url:
            fields.append(("url", _verbatim(url)))
        fields.append(("annote", latex_escape(annote(row, claim_url, card, wording))))
        kind = "article" if study.journal else "misc"
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        entries.append(f"@{kind}{{{key},\n{body}\n}}\n")
    return "\n".join(entries)


def to_ris(
    rows: Iterable[EvidenceRow],
    claim_url: str = "",
    card: scoring.Scorecard | None = None,
    wording: str = "",
) -> str:
    """RIS records (TY … ER), CRLF line ends as the format asks. The commentary is in `N1`
    (notes): the study's, then the claim's."""
    lines = []
    for row in rows:
        study = row.study
        lines.append(("TY", "JOUR" if study.journal else "GEN"))
        lines += [("AU", name) for name in split_authors(study.authors)]
        lines.append(("TI", study.title))
        if study.journal:
            lines.append(("JO", study.journal))
        if study.year:
            lines.append(("PY", str(study.year)))
        if study.doi:
            lines.append(("DO", study.doi))
        url = study.doi_url or study.url
        if url:
            lines.append(("UR", url))
        lines.append(("N1", note(row)))
        if claim_url:
            lines.append(("N1", claim_line(claim_url, card, wording)))
        lines.append(("ER", ""))
    return "".join(f"{tag}  - {one_line(value)}\r\n" for tag, value in lines)
