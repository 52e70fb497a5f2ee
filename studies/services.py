"""Workflows over studies: create or update a study from its DOI's Crossref record.

Crossref is asked *before* any row is locked, so a slow Crossref never holds a lock; a Crossref
failure raises `CrossrefError` and changes nothing. (Members' submissions: community.services.)
"""

from django.db import IntegrityError, transaction

from . import crossref
from .doi import normalize_doi
from .models import Study

# Crossref records the kind of publication ("journal-article"), never the study design, and
# Study.design is required. A study created from a DOI therefore gets the weakest design of
# an empirical study in people, so an unreviewed study can only be under-credited, never
# over-credited, until an editor sets the real design (the admin says so on acceptance).
DEFAULT_DESIGN = "case_series"

DESIGN_DEFAULT_NOTICE = (
    "Check the design of “{title}”: Crossref does not record study designs, so it was set "
    "to “{label}” by default. Set the real design (and sample size) in the study's page."
)


def study_import_doi(*, doi: str) -> tuple[Study, bool]:
    """Create or update the Study of a DOI from Crossref; returns (study, created).

    Only bibliographic fields are written (CrossrefWork.study_fields: title, subtitle, authors,
    journal, volume, issue, pages, ISSN, work type, year, abstract, url) and only when Crossref
    has a value, so a refetch never erases what an editor or another source filled in; the
    design and sample size stay an editor's judgement
    (a new study gets DEFAULT_DESIGN). Raises ValidationError for a malformed DOI and
    CrossrefError when Crossref fails; nothing changes then.
    """
    doi = normalize_doi(doi)
    work = crossref.fetch_work(doi)
    with transaction.atomic():
        return study_create_or_update(doi=doi, work=work)


def study_create_or_update(*, doi: str, work: crossref.CrossrefWork) -> tuple[Study, bool]:
    """The study of `doi` described by `work`, created with DEFAULT_DESIGN when new; returns
    (study, created). Call it inside a transaction: it locks the study's row."""
    fields = work.study_fields()
    study = Study.objects.select_for_update().filter(doi=doi).first()
    if study is None:
        try:
            with transaction.atomic():
                return Study.objects.create(
                    doi=doi, design=DEFAULT_DESIGN, design_confirmed=False, **fields
                ), True
        except IntegrityError:  # created by someone else a moment ago
            study = Study.objects.select_for_update().get(doi=doi)
    for name, value in fields.items():
        setattr(study, name, value)
    study.save()
    return study, False
