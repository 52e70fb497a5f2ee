"""Jobs through their life inline (no broker): enqueue → running → done or failed, the
reason an editor reads, and a redelivered message for a finished job doing nothing."""

import pytest
from celery.exceptions import Retry
from django.db import OperationalError

from claims.models import Claim
from claims.tasks import rescore_claims
from jobs import services
from jobs.models import Job
from jobs.services import enqueue
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db


@pytest.fixture
def stale_claim():
    """A claim whose stored score is wrong: written around the signals that rescore it."""
    claim = make_claim(slug="stale")
    link(claim, make_study(doi="10.1000/stale", design="rct", sample_size=400))
    claim.refresh_from_db()
    assert claim.pro_score > 0
    Claim.objects.filter(pk=claim.pk).update(pro_score=0)
    return claim


def test_it_runs_a_job_inline_and_records_what_it_did(stale_claim, editor):
    job = enqueue(
        rescore_claims, kind=Job.Kind.RESCORE, target=stale_claim, started_by=editor,
        claim_ids=[stale_claim.pk],
    )  # fmt: skip
    assert (job.state, job.reason) == (Job.State.DONE, "")
    assert job.summary == "Rescored 1 claim; 1 changed score or verdict."
    assert job.attempts == 1
    assert job.started_at <= job.finished_at
    assert (job.started_by, job.target_label) == (editor, str(stale_claim))
    assert job.target_url == f"/admin/claims/claim/{stale_claim.pk}/change/"
    stale_claim.refresh_from_db()
    assert stale_claim.pro_score > 0


def test_a_redelivered_task_for_a_finished_job_does_nothing(stale_claim):
    done = Job.objects.create(kind=Job.Kind.RESCORE, state=Job.State.DONE, summary="Earlier.")
    rescore_claims.apply(kwargs={"job_id": done.pk, "claim_ids": [stale_claim.pk]})
    stale_claim.refresh_from_db()
    assert stale_claim.pro_score == 0  # not run again
    done.refresh_from_db()
    assert (done.state, done.summary, done.attempts) == (Job.State.DONE, "Earlier.", 0)


def test_a_redelivered_task_for_a_job_still_running_runs_it(stale_claim):
    lost = Job.objects.create(kind=Job.Kind.RESCORE, state=Job.State.RUNNING, attempts=1)
    rescore_claims.apply(kwargs={"job_id": lost.pk, "claim_ids": [stale_claim.pk]})
    lost.refresh_from_db()
    assert (lost.state, lost.attempts) == (Job.State.DONE, 2)


def test_an_unexpected_error_fails_the_job_with_a_readable_reason(caplog):
    job = enqueue(rescore_claims, kind=Job.Kind.RESCORE, claim_ids=["not an id"])
    assert job.state == Job.State.FAILED
    assert job.reason.startswith("Unexpected error (ValueError): ")
    assert job.reason.endswith("The details are in the worker's log.")
    assert "failed" in caplog.text


def test_a_task_called_without_a_job_is_its_body(stale_claim):
    summary = rescore_claims(claim_ids=[stale_claim.pk])
    assert summary == "Rescored 1 claim; 1 changed score or verdict."
    assert Job.objects.count() == 0


def test_rescoring_twice_stores_the_same_scores(stale_claim):
    rescore_claims(claim_ids=[stale_claim.pk])
    stale_claim.refresh_from_db()
    first = (stale_claim.pro_score, stale_claim.against_score, stale_claim.verdict)
    assert rescore_claims(claim_ids=[stale_claim.pk]).endswith("0 changed score or verdict.")
    stale_claim.refresh_from_db()
    assert (stale_claim.pro_score, stale_claim.against_score, stale_claim.verdict) == first


def test_a_database_that_cannot_start_the_job_is_retried_not_left_queued(stale_claim, monkeypatch):
    """A worker that meets a locked or unreachable database before the job starts asks Celery
    to deliver it again; it must not drop the message and leave the job "queued" for good."""
    job = Job.objects.create(kind=Job.Kind.RESCORE)

    def locked(job_id):
        raise OperationalError("database table is locked")

    monkeypatch.setattr(services, "job_start", locked)
    retried = []
    monkeypatch.setattr(
        rescore_claims, "retry", lambda **kw: retried.append(kw) or Retry("again", when=1)
    )
    with pytest.raises(Retry):
        rescore_claims.run(job_id=job.pk, claim_ids=[stale_claim.pk])
    assert retried and retried[0]["countdown"] <= 5
    assert isinstance(retried[0]["exc"], OperationalError)
