"""The retry rule for outside services: Retry-After when the service sends it (capped),
exponential backoff with jitter otherwise; permanent failures and the last attempt fail."""

import pytest

from jobs import retry
from jobs.retry import MAX_COUNTDOWN, JobFailed, retry_countdown, retry_or_fail
from studies.crossref import CrossrefError
from studies.http import FetchError


def test_it_waits_as_long_as_retry_after_says():
    assert retry_countdown(0, retry_after=120) == 120
    assert retry_countdown(3, retry_after=7.5) == 7.5  # whatever the attempt


def test_it_caps_retry_after_at_an_hour():
    assert retry_countdown(0, retry_after=86_400) == MAX_COUNTDOWN == 3600


def test_it_never_waits_a_negative_time():
    assert retry_countdown(0, retry_after=-5) == 0


def test_it_backs_off_exponentially_without_retry_after():
    lowest = [retry_countdown(n, jitter=lambda: 0.0) for n in range(4)]
    highest = [retry_countdown(n, jitter=lambda: 1.0) for n in range(4)]
    base = retry.BACKOFF_BASE
    assert highest == [base, base * 2, base * 4, base * 8]
    assert lowest == [value / 2 for value in highest]  # jitter keeps at least half


def test_its_backoff_is_capped_and_jittered():
    assert retry_countdown(30, jitter=lambda: 1.0) == MAX_COUNTDOWN
    spread = {retry_countdown(2) for _ in range(50)}
    assert len(spread) > 1
    assert all(retry.BACKOFF_BASE * 2 <= value <= retry.BACKOFF_BASE * 4 for value in spread)


class Request:
    def __init__(self, *, retries=0, is_eager=False):
        self.retries = retries
        self.is_eager = is_eager


class Task:
    """The two things retry_or_fail reads of a bound Celery task, recorded."""

    def __init__(self, **request):
        self.request = Request(**request)
        self.retried = None

    def retry(self, **options):
        self.retried = options
        return RuntimeError("retry")


def test_it_retries_a_transient_failure_after_retry_after():
    task = Task(retries=1)
    error = FetchError("Crossref answered HTTP 429", status=429, retry_after=42)
    with pytest.raises(RuntimeError):
        retry_or_fail(task, error)
    assert task.retried["countdown"] == 42
    assert task.retried["exc"] is error


def test_it_finds_the_fetch_error_behind_a_client_error():
    task = Task()
    try:
        try:
            raise FetchError("timed out", timed_out=True)
        except FetchError as fetch:
            raise CrossrefError("Crossref did not answer in time.") from fetch
    except CrossrefError as error:
        with pytest.raises(RuntimeError):
            retry_or_fail(task, error)
    assert retry.BACKOFF_BASE / 2 <= task.retried["countdown"] <= retry.BACKOFF_BASE


def test_it_fails_a_permanent_failure_at_once_with_its_reason():
    task = Task()
    with pytest.raises(JobFailed, match="^Crossref has no record of DOI 10.5555/x.$"):
        retry_or_fail(task, FetchError("Crossref has no record of DOI 10.5555/x.", status=404))
    with pytest.raises(JobFailed, match="not valid"):
        retry_or_fail(task, CrossrefError("not valid work metadata"))  # no status behind it
    assert task.retried is None


def test_it_gives_up_after_the_last_attempt():
    task = Task(retries=retry.MAX_ATTEMPTS - 1)
    with pytest.raises(JobFailed, match=r"HTTP 503 \(gave up after 5 attempts\)"):
        retry_or_fail(task, FetchError("HTTP 503", status=503))
    assert task.retried is None


def test_it_does_not_retry_inline_where_no_worker_would_come_back():
    task = Task(is_eager=True)
    with pytest.raises(JobFailed, match=r"HTTP 503 \(not retried: no worker is running\)"):
        retry_or_fail(task, FetchError("HTTP 503", status=503, retry_after=5))
    assert task.retried is None
