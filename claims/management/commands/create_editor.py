import os
from getpass import getpass

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

EDITORS_GROUP = "editors"


class Command(BaseCommand):
    help = (
        "Create (or promote) an editor: staff, in the 'editors' group. Reads EDITOR_USERNAME, "
        "EDITOR_EMAIL and EDITOR_PASSWORD from the environment, or asks. The editor is "
        "credited by --display-name (default: an existing display name, else the username)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username")
        parser.add_argument("--email", default=None)
        parser.add_argument(
            "--display-name",
            default=None,
            help="The name 'Reviewed by' shows (default: the username).",
        )

    @transaction.atomic  # a refused display name leaves no half-made editor
    def handle(self, *args, username=None, email=None, display_name=None, **options):
        username = username or os.environ.get("EDITOR_USERNAME") or self._ask("Username: ")
        email = email or os.environ.get("EDITOR_EMAIL") or ""
        password = os.environ.get("EDITOR_PASSWORD")
        if not username:
            raise CommandError("An editor needs a username.")
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(
            username=username, defaults={"email": email}
        )
        if created or password:
            if password is None:
                password = getpass("Password: ")
            try:
                validate_password(password, user)
            except ValidationError as error:
                if created:
                    user.delete()
                raise CommandError(" ".join(error.messages)) from None
            user.set_password(password)
        user.is_staff = True
        user.save()
        try:
            user.groups.add(Group.objects.get(name=EDITORS_GROUP))
        except Group.DoesNotExist:
            raise CommandError("The 'editors' group is missing: run migrate first.") from None
        self._credit(user, display_name)
        verb = "Created" if created else "Updated"
        self.stdout.write(f"{verb} editor {username!r}.")

    def _credit(self, user, name: str | None) -> None:
        """Give the editor a display name, so "Reviewed by" shows one chosen on purpose.
        (Staff may use words like "editor" that members may not: no look-alike checks.)"""
        profile_model = apps.get_model("accounts", "Profile")  # claims does not import accounts
        existing = profile_model.objects.filter(user=user).first()
        name = " ".join((name or (existing and existing.display_name) or "").split())
        name = name or user.get_username()
        others = profile_model.objects.filter(display_name__iexact=name).exclude(user=user)
        if others.exists():
            raise CommandError(f"The display name {name!r} is taken by another member.")
        profile_model.objects.update_or_create(user=user, defaults={"display_name": name})

    def _ask(self, prompt: str) -> str:
        try:
            return input(prompt).strip()
        except EOFError:
            raise CommandError("No username given (set EDITOR_USERNAME).") from None
