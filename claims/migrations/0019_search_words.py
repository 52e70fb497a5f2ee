"""PostgreSQL's vocabulary for near spellings (claims/search_words.py): the table, its trigram
index, the triggers that keep it, and every word already written. On SQLite, nothing (its
near spellings come from difflib over the rows)."""

from django.db import migrations

from claims import search_words


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0018_list_indexes"),
        ("studies", "0008_trigram_search"),  # pg_trgm
    ]

    operations = [
        migrations.RunPython(
            lambda apps, schema_editor: search_words.install(schema_editor.connection),
            lambda apps, schema_editor: search_words.uninstall(schema_editor.connection),
        )
    ]
