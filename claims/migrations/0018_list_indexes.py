"""The claim lists' indexes (issue 20, claims/models/listing.py), and on PostgreSQL a trigram
index for the search's near spellings: `word <% wording` read every claim without it."""

import django.db.models.functions.comparison
from django.db import migrations, models
from django.db.models import TextField, Value
from django.db.models.functions import Concat
from django.db.models.sql import Query

TRIGRAM_INDEX = "claim_wording_trgm"


def wording_sql(model, schema_editor) -> str:
    """The expression claims.search._postgresql searches (its Concat of plain_statement,
    statement and topic), compiled by Django as the query is: the planner uses an expression
    index only for the very same expression."""
    wording = Concat(
        "plain_statement", Value(" "), "statement", Value(" "), "topic", output_field=TextField()
    )
    query = Query(model, alias_cols=False)
    connection = schema_editor.connection
    sql, params = wording.resolve_expression(query).as_sql(
        query.get_compiler(connection=connection), connection
    )
    return sql % tuple(schema_editor.quote_value(param) for param in params)


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        wording = wording_sql(apps.get_model("claims", "Claim"), schema_editor)
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON claims_claim"
            f" USING gin (({wording}) gin_trgm_ops)"
        )


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0017_version_records"),
        ("studies", "0008_trigram_search"),  # pg_trgm
    ]

    operations = [
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                models.OrderBy(models.F("created_at"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                condition=models.Q(("status", "published")),
                name="claim_newest",
            ),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                models.F("topic"),
                models.OrderBy(models.F("created_at"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                condition=models.Q(("status", "published")),
                name="claim_topic_newest",
            ),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                models.F("claim_type"),
                models.OrderBy(models.F("created_at"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                condition=models.Q(("status", "published")),
                name="claim_type_newest",
            ),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                models.F("verdict"),
                models.OrderBy(models.F("created_at"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                condition=models.Q(("status", "published")),
                name="claim_verdict_newest",
            ),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                models.OrderBy(models.F("created_at"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                condition=models.Q(("status", "published"), ("featured", True)),
                name="claim_featured_newest",
            ),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                models.OrderBy(
                    models.Case(
                        models.When(certainty="very_low", then=models.Value(0)),
                        models.When(certainty="low", then=models.Value(1)),
                        models.When(certainty="moderate", then=models.Value(2)),
                        models.When(certainty="high", then=models.Value(3)),
                        default=models.Value(-1),
                    ),
                    descending=True,
                ),
                models.OrderBy(
                    django.db.models.functions.comparison.Greatest("pro_score", "against_score"),
                    descending=True,
                ),
                models.OrderBy(models.F("created_at"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                condition=models.Q(("status", "published")),
                name="claim_strongest",
            ),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                models.OrderBy(
                    django.db.models.functions.comparison.Greatest(
                        "updated_at",
                        "content_changed_at",
                        django.db.models.functions.comparison.Coalesce("scored_at", "updated_at"),
                    ),
                    descending=True,
                ),
                models.OrderBy(models.F("id"), descending=True),
                condition=models.Q(("status", "published")),
                name="claim_last_changed",
            ),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["updated_at"], name="claim_updated_at"),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["content_changed_at"], name="claim_content_changed_at"),
        ),
        migrations.RunPython(install, uninstall),
    ]
