"""Editors review suggestions as they moderate submissions: the same four permissions (the
admin itself refuses adding one and editing what the member sent)."""

from django.db import migrations

from core.editors import grant_to_editors, revoke_from_editors

CODENAMES = ["add_suggestion", "change_suggestion", "delete_suggestion", "view_suggestion"]


def editors_review_suggestions(apps, schema_editor):
    grant_to_editors(apps, "suggestions", CODENAMES)


def editors_no_suggestions(apps, schema_editor):
    revoke_from_editors(apps, "suggestions")


class Migration(migrations.Migration):
    dependencies = [
        ("suggestions", "0001_initial"),
        ("claims", "0003_editors_group"),
    ]

    operations = [migrations.RunPython(editors_review_suggestions, editors_no_suggestions)]
