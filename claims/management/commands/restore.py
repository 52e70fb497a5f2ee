"""`manage.py restore PATH [--force]`: load a `manage.py backup` file into the database."""

import json
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, IntegrityError, connection, transaction

NOT_EMPTY = (
    "restore: the database already holds {what}; restoring would mix two sites. "
    "Use an empty, migrated database, or --force to erase this one first."
)


def _existing_data() -> str:
    """What makes the database non-empty ("" when it holds nothing worth keeping)."""
    checks = [get_user_model(), *apps.get_app_config("claims").get_models()]
    checks += apps.get_app_config("studies").get_models()
    checks += apps.get_app_config("community").get_models()
    for model in checks:
        count = model.objects.count()
        if count:
            return f"{count} {model._meta.verbose_name_plural}"
    return ""


# Models that moved app after a backup may have been taken: (old app label, model) → new.
MOVED_MODELS = {("studies", "submission"): ("community", "submission")}
# Fields whose natural keys end with a model's (app label, model): content types, permissions.
NATURAL_KEY_FIELDS = ("content_type", "permissions", "user_permissions")


def with_moved_models(data: list[dict]) -> list[dict]:
    """The rows of a backup with moved models under their new label: their own rows, and
    the natural keys naming them (admin log entries, groups' and users' permissions)."""
    for item in data:
        moved = MOVED_MODELS.get(tuple(str(item["model"]).lower().split(".", 1)))
        if moved:
            item["model"] = ".".join(moved)
        fields = item.get("fields")
        if isinstance(fields, dict):
            for name in NATURAL_KEY_FIELDS:
                if name in fields:
                    fields[name] = _moved_key(fields[name])
    return data


def _moved_key(value):
    """A natural key, or a list of them, naming a moved model under its new label."""
    if not isinstance(value, list):
        return value
    if len(value) >= 2 and all(isinstance(part, str) for part in value):
        moved = MOVED_MODELS.get(tuple(value[-2:]))
        return [*value[:-2], *moved] if moved else value
    return [_moved_key(part) for part in value]


LOAD_ERRORS = (
    DeserializationError,
    ValidationError,
    ObjectDoesNotExist,
    IntegrityError,
    DatabaseError,
    ValueError,
)


class Command(BaseCommand):
    help = "Restore a `manage.py backup` file. Refuses a non-empty database unless --force."

    def add_arguments(self, parser):
        parser.add_argument("path", help="a file written by `manage.py backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="erase everything in the database first (manage.py flush), then restore; "
            "in one transaction, so a file that cannot be loaded changes nothing",
        )

    def handle(self, *args, path: str, force: bool, **options):
        text = self._read(Path(path))
        existing = _existing_data()
        if existing and not force:
            raise CommandError(NOT_EMPTY.format(what=existing))
        try:
            # Read every row first (an unknown model or a bad value stops here, before any
            # change), then erase and load in one transaction: a row the database refuses
            # rolls the erase back too, so a bad file leaves the current data as it was.
            self._check(text)
            with transaction.atomic():
                if force:
                    call_command("flush", interactive=False, verbosity=0)
                count = self._load(text)
        except LOAD_ERRORS as error:
            reason = str(error).strip().splitlines()[-1] if str(error).strip() else repr(error)
            raise CommandError(f"restore: {path} could not be loaded: {reason}") from None
        self.stdout.write(f"Restored {count:,} objects from {path}.")

    def _read(self, path: Path) -> str:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"restore: cannot read {path}: {error}") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise CommandError(f"restore: {path} is not a backup (invalid JSON: {error})") from None
        if not isinstance(data, list) or not all(
            isinstance(item, dict) and "model" in item for item in data
        ):
            raise CommandError(f"restore: {path} is not a backup (expected a list of objects)")
        return json.dumps(with_moved_models(data))

    def _check(self, text: str) -> None:
        """Deserialise the whole file without saving anything: an unknown model or field, or
        a value of the wrong type, raises here. (_load deserialises again after the erase,
        because natural keys are looked up in the database.)"""
        for _obj in serializers.deserialize("json", text, handle_forward_references=True):
            pass

    def _load(self, text: str) -> int:
        objects = serializers.deserialize("json", text, handle_forward_references=True)
        deferred, models, count, loaded = [], set(), 0, []
        for obj in objects:
            obj.save()
            loaded.append(obj)
            models.add(type(obj.object))
            count += 1
            if obj.deferred_fields:
                deferred.append(obj)
        for obj in deferred:
            obj.save_deferred_fields()
        # Signal receivers (e.g. claims.receivers touching content_changed_at when citations are
        # set) may have changed rows already written: write every row's values once more,
        # with UPDATE, which sends no signals, so the database matches the file exactly.
        for obj in loaded:
            instance = obj.object
            fields = [f for f in instance._meta.local_concrete_fields if not f.primary_key]
            values = {f.attname: getattr(instance, f.attname) for f in fields}
            type(instance)._base_manager.filter(pk=instance.pk).update(**values)
        # As loaddata does: move PostgreSQL's id sequences past the restored ids.
        statements = connection.ops.sequence_reset_sql(no_style(), list(models))
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
        return count
