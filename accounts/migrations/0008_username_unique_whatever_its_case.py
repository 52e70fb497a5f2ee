"""Usernames are unique whatever their case: "raceX" and "RACEX" were two accounts (issue 19),
and two sign-ups racing past the form's check must meet the database's refusal."""

from django.db import migrations

INDEX = "accounts_username_lower_unique"


def refuse_existing_duplicates(apps, schema_editor):
    User = apps.get_model("auth", "User")
    seen: dict[str, str] = {}
    for username in User.objects.values_list("username", flat=True):
        other = seen.setdefault(username.lower(), username)
        if other != username:
            raise RuntimeError(
                f"Usernames {other!r} and {username!r} differ only in case: rename one, then "
                "migrate again."
            )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0007_rate_limit_hit"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [
        migrations.RunPython(refuse_existing_duplicates, migrations.RunPython.noop),
        migrations.RunSQL(
            f"CREATE UNIQUE INDEX {INDEX} ON auth_user (LOWER(username))",
            f"DROP INDEX {INDEX}",
        ),
    ]
