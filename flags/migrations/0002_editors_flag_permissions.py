"""Editors work the flag queue: they may view and resolve (change) flags. Readers open flags
through the site, never the admin, so editors get no add permission; a flag is a record, so
no delete either."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_CODENAMES = ["view_flag", "change_flag"]


def grant_editors(apps, schema_editor):
    # Permissions are normally created after migrate; make sure they exist now.
    app_config = apps.get_app_config("flags")
    if getattr(app_config, "models_module", None) is None:  # a migration state stub
        app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="editors")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="flags", codename__in=EDITOR_CODENAMES
        )
    )


def revoke_editors(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="editors"):
        group.permissions.remove(
            *group.permissions.filter(content_type__app_label="flags")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("claims", "0003_editors_group"),
        ("flags", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant_editors, revoke_editors)]
