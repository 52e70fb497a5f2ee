"""pg_trgm for the claim list's typo-tolerant search (claims/search.py): the extension, and GIN
trigram indexes on what a study is searched by. PostgreSQL only: on SQLite this does nothing
(its fallback is difflib, in Python)."""

from django.db import migrations

SEARCHED = ("title", "authors", "journal")

INSTALL = ["CREATE EXTENSION IF NOT EXISTS pg_trgm"] + [
    f"CREATE INDEX IF NOT EXISTS studies_study_{column}_trgm"
    f" ON studies_study USING gin ({column} gin_trgm_ops)"
    for column in SEARCHED
]
# The extension stays: other objects may use it.
UNINSTALL = [f"DROP INDEX IF EXISTS studies_study_{column}_trgm" for column in SEARCHED]


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in INSTALL:
            schema_editor.execute(sql)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in UNINSTALL:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("studies", "0007_audit_history")]

    operations = [migrations.RunPython(install, uninstall)]
