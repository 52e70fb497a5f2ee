"""Workflows that create studies from PubMed (one PMID) or a RIS file (a batch).

Duplicates are found before anything is created (studies/duplicates.py) and are never created:
the report names the study each one matched and by what. New studies get the design their
publication types suggest, or DEFAULT_DESIGN, always with design_confirmed=False: the editor
confirms the design. PubMed is asked before the transaction opens, so a slow PubMed holds no
lock; a PubmedError changes nothing.
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from . import pubmed
from .duplicates import Match, find_duplicates
from .models import Study
from .ris import RisFile, RisReference, parse_ris
from .services import DEFAULT_DESIGN

# Imported text is cut to the column, never refused by the database.
CHAR_LIMITS = {
    f.name: f.max_length
    for f in Study._meta.concrete_fields
    if f.get_internal_type() == "CharField" and f.max_length
}


def clipped(fields: dict) -> dict:
    return {
        name: value[: CHAR_LIMITS[name]]
        if name in CHAR_LIMITS and isinstance(value, str)
        else value
        for name, value in fields.items()
    }


@dataclass(frozen=True)
class PmidImport:
    study: Study
    created: bool
    match: Match | None = None  # why nothing was created: the study it matched
    # What PubMed's record said of the design: a suggestion, or None (the study then has
    # DEFAULT_DESIGN, and the editor must be told so).
    suggested_design: str | None = None
    publication_types: tuple[str, ...] = ()


def study_import_pmid(pmid: str) -> tuple[Study, bool]:
    """The study of a PMID, created from PubMed unless we have it; returns (study, created).
    Raises PubmedError (nothing changes then). A plain function: background jobs call it."""
    outcome = pmid_import(pmid)
    return outcome.study, outcome.created


def pmid_import(pmid: str) -> PmidImport:
    """study_import_pmid, with the duplicate match that stopped a creation."""
    record = pubmed.fetch_pubmed(pmid)
    fields = clipped(record.study_fields())
    with transaction.atomic():
        match = find_duplicates([fields]).get(0)
        if match is None:
            try:
                with transaction.atomic():
                    study = _create(fields, design=record.suggested_design)
                return PmidImport(
                    study=study,
                    created=True,
                    suggested_design=record.suggested_design,
                    publication_types=record.publication_types,
                )
            except IntegrityError:  # the same DOI created by someone else a moment ago
                match = find_duplicates([fields]).get(0)
                if match is None:
                    raise
        return PmidImport(study=_fill_blanks(match.study, fields), created=False, match=match)


def _create(fields: dict, *, design: str | None) -> Study:
    return Study.objects.create(
        design=design or DEFAULT_DESIGN, design_confirmed=False, **clipped(fields)
    )


def _fill_blanks(study: Study, fields: dict) -> Study:
    """Give a study we have what PubMed adds (its PMID, MeSH terms, …) where it has nothing:
    nothing it holds is overwritten, and its DOI is left alone."""
    study = Study.objects.select_for_update().get(pk=study.pk)
    blank = [
        name
        for name, value in fields.items()
        if name != "doi" and value and getattr(study, name) in ("", None)
    ]
    for name in blank:
        setattr(study, name, fields[name])
    if blank:
        study.save(update_fields=[*blank, "updated_at"])
    return study


@dataclass(frozen=True)
class Duplicate:
    reference: RisReference
    match: Match


@dataclass
class ImportPlan:
    """What a RIS file would do: the references to create, the duplicates, the errors."""

    new: list[RisReference]
    duplicates: list[Duplicate]
    errors: list[str]


@dataclass
class ImportReport:
    created: list[Study] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def ris_import_plan(data: bytes | str | RisFile) -> ImportPlan:
    """Read a RIS file and find its duplicates; creates nothing. Raises RisError."""
    parsed = data if isinstance(data, RisFile) else parse_ris(data)
    candidates = [clipped(reference.fields) for reference in parsed.references]
    matches = find_duplicates(candidates)
    new, duplicates = [], []
    for index, reference in enumerate(parsed.references):
        reference.fields = candidates[index]
        if index in matches:
            duplicates.append(Duplicate(reference=reference, match=matches[index]))
        else:
            new.append(reference)
    return ImportPlan(new=new, duplicates=duplicates, errors=list(parsed.errors))


def studies_import_ris(file) -> ImportReport:
    """Create the studies of a RIS file (bytes, text or an uploaded file) that we do not have,
    in one transaction; returns what was created, the duplicates and the errors.
    Raises RisError for a file that is not RIS (nothing is created then)."""
    data = file.read() if hasattr(file, "read") else file
    parsed = parse_ris(data)
    with transaction.atomic():
        plan = ris_import_plan(parsed)
        # One INSERT for the batch. bulk_create sends no signals, and none is needed: a new
        # study is on no claim's page and in no score (docs/architecture.md, "Bulk writes").
        created = Study.objects.bulk_create(
            Study(design=DEFAULT_DESIGN, design_confirmed=False, **reference.fields)
            for reference in plan.new
        )
    return ImportReport(created=created, duplicates=plan.duplicates, errors=plan.errors)
