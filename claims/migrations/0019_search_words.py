"""PostgreSQL's vocabulary for near spellings (claims/search_words.py): the table, its trigram
index, the triggers that keep it, and every word already written. On SQLite, nothing (its
near spellings come from difflib over the rows)."""

from django.db import migrations


def install(apps, schema_editor):
    from claims.search_words import install

    install(schema_editor.connection)


def uninstall(apps, schema_editor):
    from claims.search_words import uninstall

    uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0018_list_indexes"),
        ("studies", "0008_trigram_search"),  # pg_trgm
    ]

    operations = [migrations.RunPython(install, uninstall)]
