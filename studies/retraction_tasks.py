"""The retraction watch's background work (studies/retraction_watch.py does the checking).

`check_retractions` is the periodic task (celery beat calls
"studies.retraction_tasks.check_retractions"): it starts one `check_study_retraction` job per
due study, the least recently checked first, a batch at a time. Each is a jobs.Job
("Retraction check", its state and reason in the admin). Running a check twice writes nothing
new (apply_retraction compares before it writes), and job_task does not run a finished job
again, so a redelivered message is harmless. A transient failure (429, 503, a timeout, no
answer) is retried after Crossref's Retry-After, else with backoff (jobs.retry); a 404 or a
body that is not a work fails the job with a readable reason.
"""

import math

from celery import shared_task

from jobs.models import Job
from jobs.retry import JobFailed, retry_or_fail
from jobs.services import enqueue, job_task

from .http import FetchError
from .models import Study
from .retraction_watch import CHECK_EVERY, check_study, due_studies

BATCH_SIZE = 200
GONE_SUMMARY = "No study with a DOI: deleted, or its DOI removed, since the check was queued."
UNCHANGED_SUMMARY = "unchanged {doi}"


@shared_task(bind=True, name="studies.retraction_tasks.check_retractions")
def check_retractions(self, batch_size: int | None = None) -> int:
    """Start a check of the night's share of due studies; returns how many. The share is a
    seventh of those due (each is due a week after its last check, CHECK_EVERY), at least
    BATCH_SIZE, so a backlog of any size is worked through within the week."""
    due = due_studies()
    if batch_size is None:
        batch_size = max(BATCH_SIZE, math.ceil(due.count() / CHECK_EVERY.days))
    studies = list(due[:batch_size])
    for study in studies:
        enqueue(
            check_study_retraction, kind=Job.Kind.RETRACTION_CHECK, target=study, study_id=study.pk
        )
    return len(studies)


@job_task(name="studies.retraction_tasks.check_study_retraction")
def check_study_retraction(task, *, study_id: int) -> str:
    """Ask Crossref about one study and record the answer; returns what happened."""
    study = Study.objects.exclude(doi="").filter(pk=study_id).first()
    if study is None:
        return GONE_SUMMARY
    try:
        change = check_study(study)
    except FetchError as error:
        retry_or_fail(task, error)
        raise JobFailed(str(error)) from error  # not reached: retry_or_fail always raises
    return change.line() if change else UNCHANGED_SUMMARY.format(doi=study.doi)
