"""The editors group's permissions, granted by each app's data migration (and again by the
tests' factories after a flush): one function, so every app grants them the same way."""

from django.contrib.auth.management import create_permissions

EDITORS = "editors"


def grant_to_editors(apps, app_label: str, codenames: list[str]) -> None:
    """Give the editors group these permissions of `app_label` (made now if missing:
    Django creates permissions only after migrate)."""
    app_config = apps.get_app_config(app_label)
    if getattr(app_config, "models_module", None) is None:  # a migration state stub
        app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    )


def revoke_from_editors(apps, app_label: str) -> None:
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label=app_label)
    for group in apps.get_model("auth", "Group").objects.filter(name=EDITORS):
        group.permissions.remove(*permissions)
