"""core.db_outage: only a failure to connect makes the process fail fast; a failed query on a
working connection is that request's own error (issue 19)."""

import time

import pytest
from django.db import connection

from core.db_outage import DatabaseOutage

pytestmark = pytest.mark.django_db


def close_the_connection():
    """As after a connect that failed: no connection at all. SQLite's in-memory test database
    is never closed by Django, so this runs on PostgreSQL (CI's second suite); the silent
    listener of test_hung_database covers the whole path on every run."""
    if connection.vendor == "sqlite":
        pytest.skip("Django keeps SQLite's in-memory test database open")
    connection.close()


def test_a_query_error_on_a_working_connection_trips_nothing(settings):
    settings.DB_FAIL_FAST_SECONDS = 5
    outage = DatabaseOutage()
    connection.ensure_connection()
    outage.failed()
    assert outage.admit() is True


@pytest.mark.django_db(transaction=True)  # a connection inside a test's atomic block stays open
def test_a_failure_to_connect_fails_the_next_requests_fast_then_one_probes(settings):
    settings.DB_FAIL_FAST_SECONDS = 0.2
    outage = DatabaseOutage()
    close_the_connection()
    outage.failed()
    assert outage.admit() is False and outage.admit() is False
    time.sleep(0.25)
    assert outage.admit() is None  # the probe
    assert outage.admit() is False  # the others still fail fast while it tries
    outage.recovered()
    assert outage.admit() is True


@pytest.mark.django_db(transaction=True)
def test_zero_turns_it_off(settings):
    settings.DB_FAIL_FAST_SECONDS = 0
    outage = DatabaseOutage()
    close_the_connection()
    outage.failed()
    assert outage.admit() is True


@pytest.mark.django_db(transaction=True)
def test_a_probe_that_never_touched_the_database_does_not_end_the_outage(settings):
    """Issue 19 review: /robots.txt as the probe ended the window while the database was down."""
    settings.DB_FAIL_FAST_SECONDS = 0.2
    outage = DatabaseOutage()
    close_the_connection()
    outage.failed()
    time.sleep(0.25)
    assert outage.admit() is None
    outage.probed()  # it needed no database: still no connection
    assert outage.admit() is False
    connection.ensure_connection()
    time.sleep(0.25)
    assert outage.admit() is None
    outage.probed()  # this one connected
    assert outage.admit() is True
