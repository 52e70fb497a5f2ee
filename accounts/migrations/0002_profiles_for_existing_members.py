"""Every member has a profile: existing accounts get their username as display name (with a
number after it when another differs only in case: names are unique case-insensitively)."""

from django.conf import settings
from django.db import migrations


def create_profiles(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    Profile = apps.get_model("accounts", "Profile")
    taken = {name.lower() for name in Profile.objects.values_list("display_name", flat=True)}
    for user in User.objects.filter(profile__isnull=True).order_by("pk"):
        name, n = user.username, 1
        while name.lower() in taken:
            n += 1
            name = f"{user.username}{n}"
        taken.add(name.lower())
        Profile.objects.create(user=user, display_name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(create_profiles, migrations.RunPython.noop)]
