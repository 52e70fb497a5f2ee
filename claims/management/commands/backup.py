"""`manage.py backup PATH`: every row worth keeping, as JSON, for `manage.py restore`."""

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

# Rebuilt by `migrate` (content types, permissions) or worthless after a restore.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "axes"]


@contextmanager
def snapshot():
    """One transaction around the whole dump, so a backup taken while editors work is one
    moment's data (dumpdata reads table after table). PostgreSQL: REPEATABLE READ, READ ONLY,
    so every table is read from the snapshot of the first query. SQLite: config/settings.py
    sets transaction_mode IMMEDIATE, so the BEGIN takes the database's RESERVED (write) lock at
    once; other connections can still read, and their writes wait until the dump ends (up to
    the 20 s busy timeout, then they fail with "database is locked"), so no write lands
    between two tables of the dump."""
    outermost = not connection.in_atomic_block  # else the caller's transaction decides
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


class Command(BaseCommand):
    help = "Write the database (claims, studies, submissions, users, groups, admin log) as JSON."

    def add_arguments(self, parser):
        parser.add_argument("path", help="where to write the backup (e.g. backup.json)")

    def handle(self, *args, path: str, **options):
        target = Path(path)
        if not target.parent.is_dir():
            raise CommandError(f"backup: {target.parent} is not a directory")
        # Written beside the target, then renamed: a failed backup never leaves half a file.
        fd, partial = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
        os.close(fd)
        try:
            with snapshot():
                call_command(
                    "dumpdata",
                    exclude=EXCLUDED,
                    format="exactjson",  # core/exact_json.py: times to the microsecond
                    natural_foreign=True,  # users, groups, content types by name, not by id
                    natural_primary=True,
                    indent=1,
                    output=partial,
                    verbosity=0,
                )
            os.replace(partial, target)
        finally:
            if os.path.exists(partial):
                os.unlink(partial)
        self.stdout.write(f"Backed up to {target} ({target.stat().st_size:,} bytes).")
