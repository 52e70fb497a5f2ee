"""The bulk dump on the queue: beat sends write_daily_dump once a day (CELERY_BEAT_SCHEDULE),
which starts a "bulk dump" job (jobs.Job: its state and summary in the admin); the job writes
the dump (api.dumps). Without a broker the job runs there and then, inline.

Idempotent: a second run on one day replaces that day's dump whole (the rename is atomic), and
job_task never runs a finished job again, so a redelivered message is harmless."""

from celery import shared_task

from claims.history_changes import plural
from jobs.models import Job
from jobs.services import enqueue, job_task

from .dumps import read_manifest, write_dump

DUMP_TARGET = "the bulk dump"
WRITTEN_SUMMARY = "Wrote {date}: {claims}, {studies}, {links}."


@shared_task(name="api.tasks.write_daily_dump")
def write_daily_dump() -> int:
    """Beat's entry: start the job; returns its id."""
    return enqueue(write_dump_job, kind=Job.Kind.BULK_DUMP, target=DUMP_TARGET).pk


@job_task(name="api.tasks.write_dump_job")
def write_dump_job(task) -> str:
    directory = write_dump()
    counts = read_manifest(directory)["counts"]
    return WRITTEN_SUMMARY.format(
        date=directory.name,
        claims=plural(counts["claims"], "claim", "claims"),
        studies=plural(counts["studies"], "study", "studies"),
        links=plural(counts["links"], "link", "links"),
    )
