"""Jobs through a real broker and a real worker: what production does, not eager mode.

Skipped unless CELERY_TEST_BROKER_URL names a broker (CI: redis://127.0.0.1:6379/15). The
worker is Celery's embedded test worker, a thread of this process consuming from that broker;
the tests use `transaction=True` so the rows they write are committed, and the worker's own
database connection sees them (and the test sees what the worker writes).
"""

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.db.utils import OperationalError as DatabaseBusy
from kombu.exceptions import OperationalError

from claims.models import Claim
from claims.tasks import rescore_claims
from community.follows import follow_claim
from config.celery import app
from jobs.models import Job
from jobs.retry import retry_or_fail
from jobs.services import enqueue, job_task
from studies import crossref as client_module
from studies.http import FetchError, fetch
from studies.models import Study
from studies.retraction_tasks import check_study_retraction
from studies.tasks import fetch_crossref_metadata
from tests.factories import link, make_claim, make_study
from tests.http_server import LocalServer, QuietHandler
from tests.retraction_server import (
    WAKEFIELD,
    WAKEFIELD_NOTICE,
)

BROKER = os.environ.get("CELERY_TEST_BROKER_URL", "")
WAIT_SECONDS = 30

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not BROKER, reason="set CELERY_TEST_BROKER_URL to run a real worker"),
    # Committed rows (the worker reads them); serialized_rollback, as every transactional test
    # here: the migrations' rows (content types, the editors group) come back afterwards.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@job_task(name="tests.jobs.fetch_once_asked_to_wait")
def fetch_once_asked_to_wait(task, *, url: str) -> str:
    """A fetch through studies.http, retried as the real tasks retry (jobs.retry)."""
    try:
        response = fetch(url, deadline=2)
    except FetchError as error:
        retry_or_fail(task, error)
    return f"Fetched {len(response.body)} bytes."


class BusyOnceHandler(QuietHandler):
    """429 with Retry-After: 1 on the first request, then an answer."""

    def do_GET(self):
        self.server.record({"path": self.path, "at": time.monotonic()})
        if len(self.server.requests) == 1:
            self.send(429, b"Too Many Requests", "text/plain", {"Retry-After": "1"})
        else:
            self.send(200, b'{"status": "ok"}', "application/json")


class BusyOnceServer(LocalServer):
    handler = BusyOnceHandler


@pytest.fixture
def busy_once_server():
    with BusyOnceServer() as server:
        yield server


@pytest.fixture(scope="module")
def worker():
    """One worker thread on the real broker for the module; eager mode back afterwards."""
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=BROKER, task_always_eager=False)
    forget_connections()
    with app.connection_for_write() as connection:
        try:
            connection.ensure_connection(max_retries=2, timeout=2)
        except OperationalError as error:
            app.conf.update(saved)
            forget_connections()
            pytest.fail(f"CELERY_TEST_BROKER_URL={BROKER} does not answer: {error}")
        app.control.purge(connection=connection)  # nothing left from an earlier run
    try:
        with start_worker(app, perform_ping_check=False, shutdown_timeout=30) as running:
            yield running
    finally:
        app.conf.update(saved)
        forget_connections()


@pytest.fixture(autouse=True)
def reads_that_never_lock():
    """SQLite's test database lives in memory, shared by the test's and the worker's connections
    through its shared cache, where a reader's table lock makes a writer fail at once ("database
    table is locked": no busy timeout there). The test only reads while the worker works, so its
    reads take no locks (and wait for none). PostgreSQL needs nothing."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA read_uncommitted = 1")


def forget_connections():
    """Drop the app's cached connection and producer pools: an earlier test may have made them
    for the default broker (amqp://localhost, RabbitMQ here), and the app keeps them for good.
    What Celery itself does after a fork (Celery._after_fork)."""
    app._pool = None
    app.amqp._producer_pool = None


def enqueued(task, **kwargs) -> Job:
    """enqueue(), once more when SQLite refuses its Job row because the worker is writing that
    table this moment (the refused INSERT left nothing, and nothing was sent)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        try:
            return enqueue(task, **kwargs)
        except DatabaseBusy:
            if connection.vendor != "sqlite" or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def finished(job: Job) -> Job:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        try:
            job.refresh_from_db()
        except DatabaseBusy:  # SQLite: the worker is writing that table this moment
            time.sleep(0.05)
            continue
        if job.is_finished:
            return job
        time.sleep(0.05)
    pytest.fail(f"the worker did not finish {job} in {WAIT_SECONDS} s")


def test_a_job_sent_through_the_broker_is_done_by_the_worker(worker, editor):
    claim = make_claim(slug="queued")
    link(claim, make_study(doi="10.1000/queued", design="rct", sample_size=400))
    Claim.objects.filter(pk=claim.pk).update(pro_score=0)  # stale, around the signals
    job = enqueued(rescore_claims, kind=Job.Kind.RESCORE, started_by=editor, claim_ids=[claim.pk])
    assert job.state == Job.State.QUEUED  # sent, not run here
    job = finished(job)
    assert (job.state, job.attempts, job.reason) == (Job.State.DONE, 1, "")
    assert job.summary == "Rescored 1 claim; 1 changed score or verdict."
    claim.refresh_from_db()
    assert claim.pro_score > 0


def test_the_worker_fetches_from_crossref_and_fails_with_the_reason(worker, crossref):
    refalo = make_study(doi="10.1080/02640414.2024.2321021", title="Placeholder")
    found = enqueued(fetch_crossref_metadata, kind=Job.Kind.CROSSREF_FETCH, doi=refalo.doi)
    # The worker may be writing the first job's row while this one is written (SQLite).
    missing = enqueued(fetch_crossref_metadata, kind=Job.Kind.CROSSREF_FETCH, doi="10.5555/unknown")
    found, missing = finished(found), finished(missing)  # both, before reading anything else
    assert found.state == Job.State.DONE
    refalo.refresh_from_db()
    assert refalo.title.startswith("Similar muscle hypertrophy")
    assert missing.state == Job.State.FAILED
    assert missing.reason == client_module.NOT_FOUND_MESSAGE.format(doi="10.5555/unknown")
    assert not Study.objects.filter(doi="10.5555/unknown").exists()


def test_the_worker_retries_after_the_services_retry_after(worker, busy_once_server):
    url = f"http://127.0.0.1:{busy_once_server.server_port}/busy"
    job = enqueued(fetch_once_asked_to_wait, kind=Job.Kind.CROSSREF_FETCH, url=url)
    job = finished(job)
    assert (job.state, job.attempts, job.reason) == (Job.State.DONE, 2, "")
    assert job.summary == "Fetched 16 bytes."
    first, second = (request["at"] for request in busy_once_server.requests)
    assert second - first >= 0.9  # waited as asked (Retry-After: 1), not the 15 s backoff


def finished_mail(count: int) -> list:
    """The worker's mail (a thread of this process: the same locmem outbox), once `count` came."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline and len(mail.outbox) < count:
        time.sleep(0.05)
    return list(mail.outbox)


def test_a_retraction_through_the_worker_leaves_the_verdict_shows_and_mails(
    worker, retractions, client, editor
):
    """Issue 15's "done when": a retraction in a replayed Crossref answer, checked by a job on
    the real broker, takes the study out of the verdict, shows the banner and mails the claim's
    follower (the mail itself is a second job, sent by the first one's rescore)."""
    claim = make_claim(slug="relies-on-wakefield")
    wakefield = make_study(doi=WAKEFIELD, title="Wakefield 1998", design="rct", sample_size=12)
    link(claim, wakefield, appraisal_status="appraised")
    link(claim, make_study(doi="10.5555/other", design="rct", sample_size=80))
    claim.refresh_from_db()
    before = (claim.pro_score, claim.verdict)
    reader = get_user_model().objects.create_user("ada", "ada@example.org", "pw-ada-123456")
    follow_claim(user=reader, claim=claim)
    mail.outbox.clear()

    job = enqueued(
        check_study_retraction, kind=Job.Kind.RETRACTION_CHECK, target=wakefield,
        started_by=editor, study_id=wakefield.pk,
    )  # fmt: skip
    assert job.state == Job.State.QUEUED  # sent to Redis, not run here
    job = finished(job)
    assert job.state == Job.State.DONE, job.reason
    (sent,) = finished_mail(1)  # the worker's last write: the follower marked as told
    assert sent.to == ["ada@example.org"]
    assert "Retracted, so no longer counted: Wakefield 1998" in sent.body
    wakefield.refresh_from_db()
    assert wakefield.retraction_status == "retracted"
    claim.refresh_from_db()
    assert claim.pro_score < before[0]  # it no longer counts

    html = client.get(claim.get_absolute_url()).content.decode()
    assert "was retracted on" in html and WAKEFIELD_NOTICE in html
