import os
from getpass import getpass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

EDITORS_GROUP = "editors"


class Command(BaseCommand):
    help = (
        "Create (or promote) an editor: staff, in the 'editors' group. Reads EDITOR_USERNAME, "
        "EDITOR_EMAIL and EDITOR_PASSWORD from the environment, or asks."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username")
        parser.add_argument("--email", default=None)

    def handle(self, *args, username=None, email=None, **options):
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
        verb = "Created" if created else "Updated"
        self.stdout.write(f"{verb} editor {username!r}.")

    def _ask(self, prompt: str) -> str:
        try:
            return input(prompt).strip()
        except EOFError:
            raise CommandError("No username given (set EDITOR_USERNAME).") from None
