from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_MODELS = {
    "claims": ["claim", "evidence", "analysis", "mechanism", "mechanismstep", "idealstudy"],
    "studies": ["study", "submission"],
}


def create_editors_group(apps, schema_editor):
    # Permissions are normally created after migrate; make sure they exist now.
    for app_label in ("claims", "studies"):
        app_config = apps.get_app_config(app_label)
        if getattr(app_config, "models_module", None) is None:  # a migration state stub
            app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="editors")
    codenames = [
        f"{action}_{model}"
        for models in EDITOR_MODELS.values()
        for model in models
        for action in ("add", "change", "delete", "view")
    ]
    permissions = Permission.objects.filter(
        content_type__app_label__in=list(EDITOR_MODELS), codename__in=codenames
    )
    group.permissions.set(permissions)


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("claims", "0002_initial"),
        ("studies", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
