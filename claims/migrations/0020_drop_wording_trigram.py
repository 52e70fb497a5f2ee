"""Drop the trigram index on the claims' wording (0018): near spellings now read the vocabulary
of 0019 (claims/search_words.py), and every rescore's rewrite of a claim row paid for it."""

from importlib import import_module

from django.db import migrations

list_indexes = import_module("claims.migrations.0018_list_indexes")


class Migration(migrations.Migration):
    dependencies = [("claims", "0019_search_words")]

    operations = [migrations.RunPython(list_indexes.uninstall, list_indexes.install)]
