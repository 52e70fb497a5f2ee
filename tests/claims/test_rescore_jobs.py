"""Rescoring that scales: a study edit rescores its claims as a job of short chunks, and
`manage.py rescore` shares every claim among the workers, a chunk per job (with a broker);
without one both run inline. Stored scores equal the live scorecard once the jobs are done."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from claims import services, tasks
from claims.models import Claim
from claims.tasks import rescore_claims
from jobs.models import Job
from studies.models import Study
from tests.factories import assert_scores_current, link, make_claim, make_study

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(monkeypatch):
    """A broker is configured: tasks are queued (recorded here), not run. `run()` plays the
    worker: each queued message through the task, as a worker would receive it."""
    messages = QueuedMessages()
    conf = rescore_claims.app.conf
    eager, conf.task_always_eager = conf.task_always_eager, False
    monkeypatch.setattr(rescore_claims, "delay", lambda **kwargs: messages.append(kwargs))
    yield messages
    conf.task_always_eager = eager


class QueuedMessages(list):
    def run(self) -> None:
        while self:
            rescore_claims.apply(kwargs=self.pop(0))


def hub_with_claims(n: int) -> tuple[Study, list[Claim]]:
    hub = make_study(doi="10.1000/hub", title="Hub", sample_size=40)
    claims = [make_claim(slug=f"reach-{i}") for i in range(n)]
    for claim in claims:
        link(claim, hub, certainty="moderate")
    return hub, claims


def pro_scores(claims) -> list[int]:
    return list(
        Claim.objects.filter(pk__in=[c.pk for c in claims]).values_list("pro_score", flat=True)
    )


def test_it_queues_a_study_edit_as_a_rescore_job_once_the_save_commits(
    queued, django_capture_on_commit_callbacks
):
    hub, claims = hub_with_claims(3)
    before = pro_scores(claims)

    with django_capture_on_commit_callbacks(execute=True):
        hub.sample_size = 4000
        hub.save()

    assert pro_scores(claims) == before  # the save did not wait for the rescore
    job = Job.objects.get(kind=Job.Kind.RESCORE)
    assert (job.state, job.target_label) == (Job.State.QUEUED, str(hub))
    assert queued == [{"job_id": job.pk, "study_ids": [hub.pk]}]

    queued.run()

    job.refresh_from_db()
    assert job.state == Job.State.DONE
    assert job.summary == "Rescored 3 claims; 3 changed score or verdict."
    assert all(after > old for after, old in zip(pro_scores(claims), before, strict=True))
    assert_scores_current()


def test_a_new_study_queues_nothing(queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_study(doi="10.1000/new")
    assert not Job.objects.exists() and queued == []


def test_without_a_broker_a_study_edit_rescores_inline_without_a_job_row():
    hub, claims = hub_with_claims(2)
    hub.sample_size = 4000
    hub.save()
    assert not Job.objects.exists()
    assert_scores_current()


def test_pooled_in_changes_are_rescored_by_the_job_too(queued, django_capture_on_commit_callbacks):
    claim = make_claim()
    trial = make_study(doi="10.1000/trial", sample_size=400)
    review = make_study(doi="10.1000/review", design="systematic_review", sample_size=4000)
    link(claim, trial)
    link(claim, review)

    with django_capture_on_commit_callbacks(execute=True):
        trial.pooled_in.add(review)
    queued.run()

    assert_scores_current()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_job_rescores_in_chunks_each_its_own_transaction(queued, monkeypatch):
    """No request or task holds every claim's row lock: each chunk commits before the next
    locks its claims (the defect: one transaction, the admin's, locked them all)."""
    monkeypatch.setattr(tasks, "CHUNK_SIZE", 2)
    hub, claims = hub_with_claims(5)
    chunks = []
    write_scores = services._write_scores

    def recording(batch):
        # The outermost transaction (no savepoint): this chunk's, committed on its own.
        chunks.append((len(batch), connection.in_atomic_block, list(connection.savepoint_ids)))
        write_scores(batch)

    monkeypatch.setattr(services, "_write_scores", recording)
    with transaction.atomic():  # the admin's change view saves in one transaction
        hub.sample_size = 4000
        hub.save()
    assert chunks == []  # nothing rescored inside the editor's transaction
    queued.run()

    assert chunks == [(2, True, []), (2, True, []), (1, True, [])]
    assert_scores_current()


def test_the_job_scores_the_evidence_as_it_is_when_it_runs(
    queued, django_capture_on_commit_callbacks
):
    """A job that starts late scores the newest evidence, not what the save saw."""
    hub, claims = hub_with_claims(2)
    with django_capture_on_commit_callbacks(execute=True):
        hub.sample_size = 4000
        hub.save()
    Study.objects.filter(pk=hub.pk).update(sample_size=10)  # a later bulk write, no signals
    queued.run()
    assert_scores_current()


def rescore(*args) -> str:
    out = StringIO()
    call_command("rescore", *args, stdout=out)
    return out.getvalue()


# The command's jobs are queued as it commits them: a transaction of its own.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_rescore_command_shares_every_claim_among_workers_a_chunk_per_job(queued):
    _, claims = hub_with_claims(5)
    Claim.objects.update(pro_score=0)
    out = StringIO()

    # The command waits for its jobs: here the "worker" runs them as they are polled.
    def run_then_poll(seconds):
        queued.run()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("claims.management.commands.rescore.time.sleep", run_then_poll)
        call_command("rescore", "--batch-size", "2", stdout=out)

    jobs = Job.objects.filter(kind=Job.Kind.RESCORE).order_by("pk")
    assert [job.state for job in jobs] == [Job.State.DONE] * 3
    ids = sorted(c.pk for c in claims)
    assert [job.target_label for job in jobs] == [
        f"claims {ids[0]}–{ids[1]}",
        f"claims {ids[2]}–{ids[3]}",
        f"claims {ids[4]}–{ids[4]}",
    ]
    assert "Queued 3 job(s) of up to 2 claims." in out.getvalue()
    assert "Rescored 5 claim(s) in 3 job(s)" in out.getvalue()
    assert out.getvalue().strip().endswith("; 5 changed.")
    assert_scores_current()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_rescore_command_reports_failed_chunks(queued, monkeypatch):
    hub_with_claims(1)

    def fail(**kwargs):
        raise RuntimeError("the worker broke")

    monkeypatch.setattr(services, "claims_rescore", fail)
    monkeypatch.setattr(tasks, "claims_rescore", fail)
    monkeypatch.setattr(
        "claims.management.commands.rescore.time.sleep", lambda seconds: queued.run()
    )
    with pytest.raises(CommandError, match="1 of 1 job\\(s\\) failed: claims .*the worker broke"):
        rescore()


def test_the_rescore_command_without_a_broker_rescores_inline():
    hub_with_claims(2)
    Claim.objects.update(pro_score=0)
    assert rescore().strip().endswith("Rescored 2 claim(s); 2 changed.")
    assert not Job.objects.exists()
