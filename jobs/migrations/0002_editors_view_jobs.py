"""Editors start jobs (the studies admin's Crossref fetch, imports): they may read the list of
jobs too; nobody edits one (the admin refuses)."""

from django.db import migrations

from core.editors import grant_to_editors, revoke_from_editors

CODENAMES = ["view_job"]


def editors_view_jobs(apps, schema_editor):
    grant_to_editors(apps, "jobs", CODENAMES)


def editors_no_jobs(apps, schema_editor):
    revoke_from_editors(apps, "jobs")


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0001_initial"),
        ("claims", "0003_editors_group"),
    ]

    operations = [migrations.RunPython(editors_view_jobs, editors_no_jobs)]
