"""Follow mail on the queue (community.follow_mail does the work). Both are idempotent: what
each follower was told is recorded, so a redelivered task mails nobody twice. Beat runs
send_daily_digests once a day (CELERY_BEAT_SCHEDULE)."""

from smtplib import SMTPException

from celery import shared_task

from .follow_mail import mail_daily_digests, mail_each_change

MAIL_ERRORS = (SMTPException, ConnectionError, TimeoutError)


@shared_task(autoretry_for=MAIL_ERRORS, retry_backoff=60, retry_jitter=True, max_retries=5)
def send_change_mail(claim_id: int, change: dict) -> int:
    """Mail the claim's followers; `change` (claims.signals.ClaimChange.as_dict) says what the
    scorer saw, but each follower is told what moved since their own last email."""
    return mail_each_change(claim_id)


@shared_task(autoretry_for=MAIL_ERRORS, retry_backoff=60, retry_jitter=True, max_retries=5)
def send_daily_digests() -> int:
    return mail_daily_digests()
