"""Full-text search and page-cache versioning for claims.

`search_vector` is filled by a PostgreSQL trigger and GIN-indexed there; on SQLite an FTS5 table
kept in step by triggers serves instead (see claims.search_index). Other databases get neither,
and `ClaimQuerySet.search()` falls back to `icontains`.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.utils.timezone
from django.db import migrations, models


def install_search_index(apps, schema_editor):
    from claims.search_index import install

    install(schema_editor.connection)


def uninstall_search_index(apps, schema_editor):
    from claims.search_index import uninstall

    uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0004_lock_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="content_changed_at",
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
        migrations.AddField(
            model_name="claim",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        # The GIN index exists only on PostgreSQL: install() creates it there.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(
                    model_name="claim",
                    index=django.contrib.postgres.indexes.GinIndex(
                        fields=["search_vector"], name="claim_search_vector_gin"
                    ),
                ),
            ],
        ),
        migrations.RunPython(install_search_index, uninstall_search_index, elidable=False),
    ]
