"""Editors moderate comments: they view them (the hidden text too) and change them (hide and
unhide). No add (comments come from members, on the thread page) and no delete (a hidden
comment stays for the record; a superuser may still delete)."""

from django.db import migrations

from core.editors import grant_to_editors, revoke_from_editors

CODENAMES = ["view_comment", "change_comment"]


def grant(apps, schema_editor):
    grant_to_editors(apps, "discussion", CODENAMES)


def revoke(apps, schema_editor):
    revoke_from_editors(apps, "discussion")


class Migration(migrations.Migration):
    dependencies = [
        ("discussion", "0001_initial"),
        ("claims", "0003_editors_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
