from django.contrib.auth.management import create_permissions
from django.db import migrations


def editors_view_jobs(apps, schema_editor):
    """Editors start jobs (the studies admin's Crossref fetch, imports): they may read the list
    of jobs too; nobody edits one (the admin refuses)."""
    # Permissions are normally created after migrate; make sure Job's exist now.
    app_config = apps.get_app_config("jobs")
    if getattr(app_config, "models_module", None) is None:  # a migration state stub
        app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="editors")
    view = Permission.objects.filter(content_type__app_label="jobs", codename="view_job")
    group.permissions.add(*view)


def editors_no_jobs(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    view = Permission.objects.filter(content_type__app_label="jobs", codename="view_job")
    for group in apps.get_model("auth", "Group").objects.filter(name="editors"):
        group.permissions.remove(*view)


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0001_initial"),
        ("claims", "0003_editors_group"),  # the group, whose permissions it sets
    ]

    operations = [migrations.RunPython(editors_view_jobs, editors_no_jobs)]
