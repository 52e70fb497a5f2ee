"""Concurrent writes: accepting the same submission twice at once creates one Evidence row
(PostgreSQL row locks); on SQLite, two read-then-write transactions wait for each other."""

import threading
import time

import pytest
from django.conf import settings
from django.db import connections, transaction
from django.db.backends.sqlite3.base import DatabaseWrapper

from claims.models import Evidence
from community.models import Submission
from community.services import SubmissionError, submission_accept
from studies.models import Study
from tests.factories import make_claim


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


@pytest.mark.skipif(
    "sqlite" not in settings.DATABASES["default"]["ENGINE"], reason="SQLite's own locking"
)
def test_it_serialises_two_sqlite_read_then_write_transactions(tmp_path, django_db_blocker):
    """With SQLite's default DEFERRED transactions both would read, then one would fail with
    "database is locked"; the settings make the second writer wait instead."""
    base = {**connections["default"].settings_dict, "NAME": str(tmp_path / "counter.sqlite3")}
    errors: list[Exception] = []

    def run(alias: str, *statements) -> list:
        connections[alias] = DatabaseWrapper(base, alias)
        try:
            with connections[alias].cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
                return cursor.fetchall()
        finally:
            connections[alias].close()

    def add_one(alias: str) -> None:
        connections[alias] = DatabaseWrapper(base, alias)
        try:
            with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
                cursor.execute("SELECT n FROM counter")
                (n,) = cursor.fetchone()
                time.sleep(0.3)  # the other transaction starts meanwhile
                cursor.execute("UPDATE counter SET n = %s", [n + 1])
        except Exception as error:  # the test reports whatever went wrong
            errors.append(error)
        finally:
            connections[alias].close()

    with django_db_blocker.unblock():  # a scratch file database, not the test database
        run("setup", "CREATE TABLE counter (n integer)", "INSERT INTO counter VALUES (0)")
        threads = [threading.Thread(target=add_one, args=(f"writer{i}",)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert errors == []
        assert run("check", "SELECT n FROM counter") == [(2,)]
