"""Studies' background work: a Crossref fetch for one DOI (the admin's "Fetch metadata")."""

from django.core.exceptions import ValidationError

from jobs.retry import JobFailed, retry_or_fail
from jobs.services import job_task

from .crossref import CrossrefError
from .http import FetchError
from .services import study_import_doi

FETCHED_SUMMARY = "{verb} “{study}” from Crossref."


@job_task(name="studies.tasks.fetch_crossref_metadata")
def fetch_crossref_metadata(task, *, doi: str) -> str:
    """Create or update the study of `doi` from Crossref (studies.services.study_import_doi);
    a transient failure (429, 503, a timeout) is retried, honouring Retry-After."""
    try:
        study, created = study_import_doi(doi=doi)
    except (CrossrefError, FetchError) as error:
        retry_or_fail(task, error)
    except ValidationError as error:
        raise JobFailed(" ".join(error.messages)) from error
    return FETCHED_SUMMARY.format(verb="Created" if created else "Updated", study=study)
