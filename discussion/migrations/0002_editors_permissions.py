"""Editors moderate comments: they view them (the hidden text too) and change them (hide and
unhide). No add (comments come from members, on the thread page) and no delete (a hidden
comment stays for the record; a superuser may still delete)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["view_comment", "change_comment"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("discussion")
    if getattr(app_config, "models_module", None) is None:  # a migration state stub
        app_config.models_module = True
    # Permissions are normally created after migrate; make sure they exist now.
    create_permissions(app_config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="editors")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="discussion", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="editors").first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="discussion")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("discussion", "0001_initial"),
        ("claims", "0003_editors_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
