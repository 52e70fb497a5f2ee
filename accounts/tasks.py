"""Retention of the log-in records (django-axes): beat sends purge_login_records once a day
(CELERY_BEAT_SCHEDULE), which deletes the rows past their time (accounts.services). The
privacy page promises it: AXES_LOG_RETENTION_DAYS.

Idempotent: a second run the same day finds nothing more to delete."""

from celery import shared_task

from .services import login_records_purge


@shared_task(name="accounts.tasks.purge_login_records")
def purge_login_records() -> int:
    """Beat's entry: how many rows were deleted."""
    return login_records_purge()
