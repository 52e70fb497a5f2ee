"""studies 0003: stored DOIs are normalised, and rows that cannot be are named in one error."""

import importlib
from contextlib import contextmanager

import pytest
from django.apps import apps as django_apps
from django.core.management.base import CommandError
from django.db import connection

from studies.models import Study
from tests.factories import make_study

migration = importlib.import_module("studies.migrations.0003_design_confirmed_doi_normalised")


def test_it_plans_the_normal_form_of_each_stored_doi():
    stored = {1: "10.1000/ABC", 2: "https://doi.org/10.1000/Def", 3: "doi:10.1000/x%2Fy"}
    assert migration.planned_dois(stored, {}) == {
        1: "10.1000/abc",
        2: "10.1000/def",
        3: "10.1000/x%2fy",  # a "%" outside a DOI link is kept as typed
    }


def test_it_names_every_doi_to_merge_or_fix_in_one_error():
    stored = {4: "10.1000/ABC", 5: "10.1000/Xyz", 6: "10.1000/XYZ", 7: "not a doi"}
    with pytest.raises(CommandError) as error:
        migration.planned_dois(stored, {"10.1000/abc": 3})
    message = str(error.value)
    assert message.startswith("studies 0003 cannot normalise the stored DOIs")
    assert "Fix these studies by hand, then run migrate again" in message
    assert "study 4: '10.1000/ABC' is the same DOI as study 3's '10.1000/abc'" in message
    assert "study 6: '10.1000/XYZ' is the same DOI as study 5's '10.1000/Xyz'" in message
    assert "study 7: 'not a doi' is not a DOI" in message
    assert "study 5:" not in message  # the first of the two is not a problem by itself


@contextmanager
def without_the_doi_constraint():
    """Store DOIs as a QuerySet.update() or raw SQL could before this migration."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA ignore_check_constraints = ON")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA ignore_check_constraints = OFF")
    else:  # rolled back with the test's transaction
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE studies_study DROP CONSTRAINT study_doi_normalised")
        yield


@pytest.mark.django_db
def test_it_normalises_stored_dois_in_the_database():
    study = make_study(doi="10.1000/abc")
    untouched = make_study(doi="10.1000/fine")
    with without_the_doi_constraint():
        Study.objects.filter(pk=study.pk).update(doi="https://doi.org/10.1000/ABC")
        migration.normalise_stored_dois(django_apps, None)
    study.refresh_from_db()
    untouched.refresh_from_db()
    assert (study.doi, untouched.doi) == ("10.1000/abc", "10.1000/fine")


@pytest.mark.django_db
def test_it_stops_before_changing_anything_when_two_studies_share_a_doi():
    kept = make_study(doi="10.1000/abc")
    twin = make_study(doi="10.1000/twin")
    other = make_study(doi="10.1000/other")
    with without_the_doi_constraint():
        Study.objects.filter(pk=twin.pk).update(doi="10.1000/ABC")
        Study.objects.filter(pk=other.pk).update(doi="10.1000/OTHER")
        with pytest.raises(CommandError, match=f"study {kept.pk}'s '10.1000/abc'"):
            migration.normalise_stored_dois(django_apps, None)
    assert dict(Study.objects.values_list("pk", "doi")) == {
        kept.pk: "10.1000/abc",
        twin.pk: "10.1000/ABC",
        other.pk: "10.1000/OTHER",  # not normalised either: the error comes first
    }
