"""When to try an outside service again. A task that catches `studies.http.FetchError` calls
`retry_or_fail(task, error)`: a transient failure (429, 503, a timeout, no answer) is retried
after the service's Retry-After when it sent one, else after an exponential backoff with
jitter; a permanent one (404, a bad body) or the last attempt fails the job with the reason.

The error is read by duck typing (`.transient`, `.retry_after`), so jobs needs no import of
the app whose client raised it."""

import random

MAX_ATTEMPTS = 5  # the first try and four retries
BACKOFF_BASE = 30.0  # seconds before the first retry; doubled each time
MAX_COUNTDOWN = 3600.0  # never wait more than an hour, whatever Retry-After says


class JobFailed(Exception):
    """Raised in a task body: the job fails with str(error) as its reason, without a retry."""


def retry_countdown(retries: int, retry_after: float | None = None, *, jitter=random.random):
    """Seconds to wait before retry number `retries` + 1 (`retries` already made).

    The service's Retry-After wins (capped at MAX_COUNTDOWN); otherwise BACKOFF_BASE · 2^retries,
    capped, with "equal jitter": between half and all of it, so many jobs failing together do
    not all come back at the same second."""
    if retry_after is not None:
        return min(max(float(retry_after), 0.0), MAX_COUNTDOWN)
    backoff = min(BACKOFF_BASE * 2**retries, MAX_COUNTDOWN)
    return backoff / 2 + backoff / 2 * jitter()


def fetch_error_of(error: BaseException):
    """The FetchError-like error (one with `.transient`) behind `error`: itself, or the one it
    was raised from; None when there is none."""
    seen = error
    while seen is not None:
        if hasattr(seen, "transient"):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def retry_or_fail(task, error: BaseException):
    """Raise the task's Retry for a transient failure with attempts left, else JobFailed with
    the error's text. Inline (eager) there is no worker to come back later: it fails at once
    rather than hold the request through every backoff."""
    fetch = fetch_error_of(error)
    reason = str(error)
    retries = task.request.retries or 0
    if fetch is None or not fetch.transient:
        raise JobFailed(reason) from error
    if task.request.is_eager:
        raise JobFailed(f"{reason} (not retried: no worker is running)") from error
    if retries + 1 >= MAX_ATTEMPTS:
        raise JobFailed(f"{reason} (gave up after {retries + 1} attempts)") from error
    countdown = retry_countdown(retries, getattr(fetch, "retry_after", None))
    raise task.retry(exc=error, countdown=countdown, max_retries=MAX_ATTEMPTS - 1)
