"""Studies' import work run as jobs: one PMID from PubMed (the admin's "Import from PubMed")."""

from jobs.retry import retry_or_fail
from jobs.services import job_task

from .import_services import pmid_import
from .pubmed import PubmedError

IMPORTED_SUMMARY = (
    "Imported “{study}” from PubMed as {design} (not confirmed): check its design and sample size."
)
# As the Crossref path says (studies.services.DESIGN_DEFAULT_NOTICE): no design was suggested.
DEFAULT_DESIGN_SUMMARY = (
    "Imported “{study}” from PubMed. Design set to “{label}” by default, since its publication "
    "types ({types}) suggest none: check it, and the sample size, in the study's page."
)
ALREADY_HERE_SUMMARY = "Not imported: PMID {pmid} is already here, {match}."


@job_task(name="studies.import_tasks.import_pubmed")
def import_pubmed(task, *, pmid: str) -> str:
    """Create the study of `pmid` from PubMed unless it is here already (studies.import_services);
    a transient failure (429, 503, a timeout) is retried, honouring Retry-After."""
    try:
        outcome = pmid_import(pmid)
    except PubmedError as error:
        retry_or_fail(task, error)
    study = outcome.study
    if outcome.created and outcome.suggested_design is None:
        types = "; ".join(outcome.publication_types) or "none recorded"
        return DEFAULT_DESIGN_SUMMARY.format(study=study, label=study.design_label, types=types)
    if outcome.created:
        return IMPORTED_SUMMARY.format(study=study, design=study.design_label.lower())
    return ALREADY_HERE_SUMMARY.format(pmid=pmid.strip(), match=outcome.match.describe())
