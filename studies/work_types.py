"""What kind of publication a study is, in the words of each format that exports it.

`Study.work_type` keeps what the source recorded: Crossref's `type` ("journal-article",
"book-chapter"), a RIS `TY` ("CHAP"), PubMed's publication types ("Journal Article; Randomized
Controlled Trial"). `work_kind(study)` reads it into one of a few kinds, and `WORK_KINDS` says
what each kind is called in BibTeX, RIS, CSL-JSON and schema.org, so every export and page agrees.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class WorkKind:
    name: str
    bibtex: str  # entry type
    ris: str  # TY
    csl: str  # CSL-JSON "type"
    schema_org: str  # JSON-LD "@type"


WORK_KINDS = {
    kind.name: kind
    for kind in (
        WorkKind("article", "article", "JOUR", "article-journal", "ScholarlyArticle"),
        WorkKind("book", "book", "BOOK", "book", "Book"),
        WorkKind("chapter", "incollection", "CHAP", "chapter", "Chapter"),
        WorkKind("conference", "inproceedings", "CONF", "paper-conference", "ScholarlyArticle"),
        WorkKind("thesis", "phdthesis", "THES", "thesis", "Thesis"),
        WorkKind("report", "techreport", "RPRT", "report", "Report"),
        WorkKind("preprint", "misc", "JOUR", "article", "ScholarlyArticle"),
        WorkKind("dataset", "misc", "DATA", "dataset", "Dataset"),
        WorkKind("other", "misc", "GEN", "document", "CreativeWork"),
    )
}

# What sources write, lower-cased, to the kind. Crossref types, RIS TY codes, PubMed types.
_SOURCE_WORDS = {
    "article": {"journal-article", "jour", "ejour", "jfull", "abst", "journal article", "article"}
    | {"review", "systematic review", "meta-analysis", "randomized controlled trial"}
    | {"clinical trial", "comparative study", "observational study", "letter", "editorial"},
    "book": {"book", "monograph", "edited-book", "reference-book", "book-set", "edbook", "ebook"},
    "chapter": {"book-chapter", "book-section", "book-part", "reference-entry", "chap", "echap"},
    "conference": {"proceedings-article", "conf", "cpaper", "congresses", "conference paper"},
    "thesis": {"dissertation", "thes", "thesis", "academic dissertation"},
    "report": {"report", "rprt", "report-component", "technical report", "standard"},
    "preprint": {"posted-content", "preprint", "unpublished work"},
    "dataset": {"dataset", "data"},
}
_KIND_OF_WORD = {word: kind for kind, words in _SOURCE_WORDS.items() for word in words}
# When a PubMed record names several types, the more specific kind wins.
_PRECEDENCE = ["chapter", "conference", "thesis", "report", "preprint", "dataset", "book"]


def work_kind(study) -> WorkKind:
    """The study's kind of publication; with nothing recorded, an article when it names a
    journal, else "other"."""
    words = [word.strip().lower() for word in (study.work_type or "").split(";")]
    kinds = {_KIND_OF_WORD[word] for word in words if word in _KIND_OF_WORD}
    for kind in _PRECEDENCE:
        if kind in kinds:
            return WORK_KINDS[kind]
    if "article" in kinds or study.journal:
        return WORK_KINDS["article"]
    return WORK_KINDS["other"]
