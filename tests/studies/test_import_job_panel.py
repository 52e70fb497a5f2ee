"""The editor's "Your fetches and imports" panel tells the truth about a retry: a job running
its next attempt does not still say it will try again in 30 s, and a waiting one says when
its attempt failed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from jobs.models import Job

pytestmark = pytest.mark.django_db

PANEL = reverse("admin:studies_study_crossref_fetches")
WAITING = "Trying again in 30 s (attempt 1 failed): PubMed answered HTTP 503 for PMID 1."


def a_retried_job(editor, state):
    return Job.objects.create(
        kind=Job.Kind.PUBMED_IMPORT,
        state=state,
        reason=WAITING,
        attempts=2 if state == Job.State.RUNNING else 1,
        started_by=editor,
        target_label="PMID 1",
        started_at=timezone.now() - datetime.timedelta(minutes=5),
    )


def test_a_job_on_its_next_attempt_does_not_say_it_is_waiting(editor, editor_client):
    a_retried_job(editor, Job.State.RUNNING)
    panel = editor_client.get(PANEL).content.decode()
    assert "Running (attempt 2)" in panel
    assert "Trying again in 30 s" not in panel
    assert "Trying again now (attempt 1 failed)." in panel


def test_a_waiting_job_says_when_its_attempt_failed(editor, editor_client):
    a_retried_job(editor, Job.State.QUEUED)
    panel = editor_client.get(PANEL).content.decode()
    assert "PubMed answered HTTP 503 for PMID 1." in panel
    assert "failed 5\xa0minutes ago" in panel
