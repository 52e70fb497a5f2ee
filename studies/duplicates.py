"""Which imported references are studies we already have, or appear twice in one batch.

Checked before anything is created, in this order: the normalised DOI, the PMID, then the
normalised title with the year. One query per kind for the whole batch (never one per
reference); the title query reads the titles of the batch's years and compares them here,
since the normal form (NFKC, case-folded, punctuation and spacing collapsed, a trailing period
dropped) is Python's, not the database's.
"""

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .models import Study
from .pubmed import PubmedError, normalize_pmid

BY_WORDS = {"doi": "same DOI", "pmid": "same PMID", "title": "same title and year"}


def normalised_title(title: str) -> str:
    """ "A Trial: of X." and "a trial — of x" are one title."""
    text = unicodedata.normalize("NFKC", title or "").casefold().strip()
    text = text.removesuffix(".")
    kept = [" " if unicodedata.category(ch)[0] in "PSZ" else ch for ch in text]
    return " ".join("".join(kept).split())


@dataclass(frozen=True)
class Match:
    """Candidate `index` is a duplicate: of an existing `study`, or of the batch's
    candidate `earlier` (0-based), found `by` "doi", "pmid" or "title"."""

    index: int
    by: str
    study: Study | None = None
    earlier: int | None = None

    @property
    def reason(self) -> str:
        return BY_WORDS[self.by]

    def describe(self) -> str:
        if self.study is not None:
            return f"{self.reason} as “{self.study}” (study {self.study.pk})"
        return f"{self.reason} as reference {self.earlier + 1} of this batch"


def keys_of(fields: Mapping) -> list[tuple]:
    """The identities of one candidate, strongest first."""
    keys = []
    if fields.get("doi"):
        keys.append(("doi", fields["doi"]))
    if fields.get("pmid"):
        keys.append(("pmid", _pmid_key(fields["pmid"])))
    title = normalised_title(fields.get("title", ""))
    if title and fields.get("year"):
        keys.append(("title", (title, int(fields["year"]))))
    return keys


def _pmid_key(value) -> str:
    """The PMID in normal form ("PMID: 123" is 123); one that is not a PMID stays as written."""
    try:
        return normalize_pmid(value)
    except PubmedError:
        return str(value).strip()


def existing_by_key(candidates: Sequence[Mapping]) -> dict[tuple, Study]:
    """Existing studies under each key a candidate has: at most three queries."""
    keys = [key for fields in candidates for key in keys_of(fields)]
    dois = {value for kind, value in keys if kind == "doi"}
    pmids = {value for kind, value in keys if kind == "pmid"}
    years = {value[1] for kind, value in keys if kind == "title"}
    columns = ("pk", "title", "year", "doi", "pmid")
    found: dict[tuple, Study] = {}
    if dois:
        for study in Study.objects.filter(doi__in=dois).only(*columns).order_by("pk"):
            found.setdefault(("doi", study.doi), study)
    if pmids:
        for study in Study.objects.filter(pmid__in=pmids).only(*columns).order_by("pk"):
            found.setdefault(("pmid", study.pmid), study)
    if years:
        for study in Study.objects.filter(year__in=years).only(*columns).order_by("pk"):
            found.setdefault(("title", (normalised_title(study.title), study.year)), study)
    return found


def find_duplicates(candidates: Sequence[Mapping]) -> dict[int, Match]:
    """The duplicates among `candidates` (dicts of Study fields), by their 0-based index.

    A candidate matching a study we have names it; one repeating an earlier candidate names
    that one, or the study it in turn matched. The first of several repeats is not a duplicate.
    """
    existing = existing_by_key(candidates)
    first_seen: dict[tuple, int] = {}
    matches: dict[int, Match] = {}
    for index, fields in enumerate(candidates):
        keys = keys_of(fields)
        match = next(
            (Match(index, key[0], study=existing[key]) for key in keys if key in existing), None
        )
        if match is None:
            earlier = next(((key, first_seen[key]) for key in keys if key in first_seen), None)
            if earlier is not None:
                (kind, _), position = earlier
                study = matches[position].study if position in matches else None
                match = Match(index, kind, study=study, earlier=None if study else position)
        if match is not None:
            matches[index] = match
        for key in keys:
            first_seen.setdefault(key, index)
    return matches
