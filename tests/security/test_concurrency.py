"""Accepting the same submission twice at once creates one Evidence row (PostgreSQL row locks)."""

import threading

import pytest
from django.conf import settings
from django.db import connections

from claims.models import Evidence
from studies.models import Study, Submission
from studies.services import SubmissionError, submission_accept
from tests.conftest import make_claim


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="needs PostgreSQL: SQLite has no SELECT … FOR UPDATE row locks",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_creates_one_evidence_row_when_two_editors_accept_at_once(member, editor):
    claim = make_claim()
    Study.objects.create(doi="10.1000/race", title="Raced", design="rct", year=2024)
    submission = Submission.objects.create(
        claim=claim, submitted_by=member, doi="10.1000/race", stance="supports", rationale="Why"
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def accept():
        try:
            mine = Submission.objects.get(pk=submission.pk)  # each editor's own stale copy
            barrier.wait(timeout=10)
            submission_accept(submission=mine, moderator=editor)
            outcomes.append("accepted")
        except SubmissionError as error:
            outcomes.append(f"refused: {error}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["accepted", "refused: This submission has already been accepted."]
    assert Evidence.objects.filter(claim=claim).count() == 1
    assert Submission.objects.get(pk=submission.pk).status == "accepted"
