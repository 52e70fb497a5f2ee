"""Starting a job and moving it along: queued → running → done or failed.

`enqueue` writes the Job row and hands the task its id once the row is committed (a worker
must be able to read it); with no broker (eager) the task runs there and then. A task body is
wrapped by `job_task`, which records the attempt, the summary it returns or the reason it
failed, and does nothing for a job already finished: a message delivered twice (acks_late, a
worker lost mid-run) runs the work at most once to completion.
"""

import functools
import logging

from celery import shared_task
from celery.exceptions import Retry
from django.db import OperationalError, transaction
from django.utils import timezone

from .models import Job
from .retry import JobFailed

logger = logging.getLogger(__name__)

UNEXPECTED_REASON = "Unexpected error ({name}): {error}. The details are in the worker's log."
DATABASE_RETRY_SECONDS = 2
RETRY_REASON = "Trying again in {seconds:.0f} s (attempt {attempt} failed): {error}"


def enqueue(task, *, kind: str, target=None, started_by=None, **kwargs) -> Job:
    """Create the Job and queue `task(job_id=…, **kwargs)`; returns the job (already finished
    when tasks run inline)."""
    job = Job.objects.create(
        kind=kind,
        started_by=started_by if getattr(started_by, "pk", None) else None,
        **Job.target_fields(target),
    )
    if task.app.conf.task_always_eager:
        task.delay(job_id=job.pk, **kwargs)
        job.refresh_from_db()
    else:
        transaction.on_commit(functools.partial(task.delay, job_id=job.pk, **kwargs))
    return job


def job_start(job_id: int) -> Job | None:
    """Mark the job running (one more attempt); None when it is already done or failed."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.is_finished:
            return None
        job.state = Job.State.RUNNING
        job.attempts += 1
        job.started_at = timezone.now()
        job.save(update_fields=["state", "attempts", "started_at"])
    return job


def job_finish(job: Job, *, state: str, summary: str = "", reason: str = "") -> None:
    job.state = state
    job.summary = summary
    job.reason = reason
    job.finished_at = timezone.now() if state in Job.FINISHED else None
    job.save(update_fields=["state", "summary", "reason", "finished_at"])


def job_task(*task_args, **task_options):
    """@shared_task(bind=True) for a body `body(task, **kwargs) -> summary` that a job tracks.

    Called with `job_id`, the body runs only if the job is not finished, and its outcome is
    written on the row: the summary it returns (done), JobFailed's text (failed), a retry's
    wait and reason (queued again), anything else as an unexpected error (failed, logged).
    Called without one (a command, a test), it is the body with nothing recorded."""

    def decorate(body):
        @functools.wraps(body)
        def run(task, job_id=None, **kwargs):
            if job_id is None:
                return body(task, **kwargs)
            try:
                job = job_start(job_id)
            except OperationalError as error:  # locked or unreachable: deliver it again soon
                wait = DATABASE_RETRY_SECONDS
                raise task.retry(exc=error, countdown=wait, max_retries=20) from error
            if job is None:
                logger.info("job %s is finished or gone: %s not run again", job_id, task.name)
                return None
            try:
                summary = body(task, **kwargs)
            except Retry as retry:
                error = retry.exc if retry.exc is not None else retry
                reason = RETRY_REASON.format(
                    seconds=float(retry.when or 0), attempt=job.attempts, error=error
                )
                job_finish(job, state=Job.State.QUEUED, reason=reason)
                raise
            except JobFailed as failure:
                job_finish(job, state=Job.State.FAILED, reason=str(failure))
                return None
            except Exception as error:
                logger.exception("job %s (%s) failed", job_id, task.name)
                reason = UNEXPECTED_REASON.format(name=type(error).__name__, error=error)
                job_finish(job, state=Job.State.FAILED, reason=reason)
                return None
            job_finish(job, state=Job.State.DONE, summary=str(summary or ""))
            return summary

        return shared_task(*task_args, bind=True, **task_options)(run)

    return decorate
