from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = [f"{action}_suggestion" for action in ("add", "change", "delete", "view")]


def editors_review_suggestions(apps, schema_editor):
    """Editors review suggestions as they moderate submissions: the same four permissions (the
    admin itself refuses adding one and editing what the member sent)."""
    # Permissions are normally created after migrate; make sure Suggestion's exist now.
    app_config = apps.get_app_config("suggestions")
    if getattr(app_config, "models_module", None) is None:  # a migration state stub
        app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="editors")
    permissions = Permission.objects.filter(
        content_type__app_label="suggestions", codename__in=CODENAMES
    )
    group.permissions.add(*permissions)


def editors_no_suggestions(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="suggestions")
    for group in apps.get_model("auth", "Group").objects.filter(name="editors"):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("suggestions", "0001_initial"),
        ("claims", "0003_editors_group"),  # the group, whose permissions it extends
    ]

    operations = [migrations.RunPython(editors_review_suggestions, editors_no_suggestions)]
