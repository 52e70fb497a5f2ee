"""A claim's studies as CSL-JSON, the input of citeproc (Zotero, Pandoc, citation-js): a JSON
array with one item per study, in page order (claims/exports.py says which order).

Every item validates against the CSL 1.0.2 input schema (tests/data/csl-data.json). The site's
commentary goes in `note`, the same words as the BibTeX `annote` and the RIS `N1` notes.
"""

import json
from collections.abc import Iterable

import scoring
from studies.authors import parse_authors
from studies.work_types import work_kind

from .evidence_list import EvidenceRow
from .exports import annote, full_title, issns, one_line, pages_text, unique_keys


def csl_item(key: str, row: EvidenceRow, note: str) -> dict:
    """One study as a CSL item; fields the study does not have are left out, not empty."""
    study = row.study
    kind = work_kind(study).csl
    item = {"id": key, "type": kind, "title": full_title(study)}
    authors = [author.as_dict() for author in parse_authors(study.authors)]
    if authors:
        item["author"] = authors
    text_fields = {
        # A book's Study.journal is its series; a chapter's or paper's is the book it is in.
        "collection-title" if kind == "book" else "container-title": study.journal,
        "volume": study.volume,
        "issue": study.issue,
        "page": pages_text(study.pages),
        "ISSN": ", ".join(issns(study)),
        "DOI": study.doi,
        "URL": study.doi_url or study.url,
        "PMID": study.pmid,
    }
    item |= {name: one_line(value) for name, value in text_fields.items() if one_line(value)}
    if study.year:
        item["issued"] = {"date-parts": [[study.year]]}
    if study.abstract.strip():
        item["abstract"] = study.abstract.strip()
    item["note"] = note
    return item


def to_csl_json(
    rows: Iterable[EvidenceRow],
    claim_url: str = "",
    card: scoring.Scorecard | None = None,
    wording: str = "",
) -> str:
    """The items as a JSON array. `id` is the BibTeX citation key, so a document citing
    `@refalo2024similar` works with either file."""
    rows = list(rows)
    items = [
        csl_item(key, row, annote(row, claim_url, card, wording))
        for key, row in zip(unique_keys(rows), rows, strict=True)
    ]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
