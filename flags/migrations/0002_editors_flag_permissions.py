"""Editors work the flag queue: they may view and resolve (change) flags. Readers open flags
through the site, never the admin, so editors get no add permission; a flag is a record, so
no delete either."""

from django.db import migrations

from core.editors import grant_to_editors, revoke_from_editors

CODENAMES = ["view_flag", "change_flag"]


def grant_editors(apps, schema_editor):
    grant_to_editors(apps, "flags", CODENAMES)


def revoke_editors(apps, schema_editor):
    revoke_from_editors(apps, "flags")


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("claims", "0003_editors_group"),
        ("flags", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant_editors, revoke_editors)]
