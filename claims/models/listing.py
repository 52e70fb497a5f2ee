"""What the claim lists need of the database (issue 20): their indexes, the expressions those
index (the same ones the QuerySets order by, or the planner does not match them), and the
"claims changed" version their cached figures are keyed on."""

import hashlib

from django.db import connections, models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce, Greatest

from scoring.weights import LEVELS


def certainty_rank():
    """The certainty of a claim's evidence as a number, highest last (-1: none yet)."""
    return Case(
        *(When(certainty=level, then=Value(rank)) for rank, level in enumerate(LEVELS)),
        default=Value(-1),
    )


def last_changed():
    """Claim.last_changed_at in SQL (GREATEST is NULL with a NULL on SQLite: the COALESCE)."""
    return Greatest("updated_at", "content_changed_at", Coalesce("scored_at", "updated_at"))


PUBLISHED = Q(status="published")
NEWEST = (F("created_at").desc(), F("id").desc())

# Partial indexes over published claims, one per list order and filter, so a page reads its
# 20 index entries whatever the corpus. The two last serve list_version().
LIST_INDEXES = [
    models.Index(*NEWEST, name="claim_newest", condition=PUBLISHED),
    models.Index(F("topic"), *NEWEST, name="claim_topic_newest", condition=PUBLISHED),
    models.Index(F("claim_type"), *NEWEST, name="claim_type_newest", condition=PUBLISHED),
    models.Index(F("verdict"), *NEWEST, name="claim_verdict_newest", condition=PUBLISHED),
    models.Index(*NEWEST, name="claim_featured_newest", condition=PUBLISHED & Q(featured=True)),
    # ClaimQuerySet.strongest_first
    models.Index(
        certainty_rank().desc(),
        Greatest("pro_score", "against_score").desc(),
        *NEWEST,
        name="claim_strongest",
        condition=PUBLISHED,
    ),
    # The feed's order, the API's updated_since, the sitemap's latest lastmod.
    models.Index(
        last_changed().desc(), F("id").desc(), name="claim_last_changed", condition=PUBLISHED
    ),
    models.Index(fields=["updated_at"], name="claim_updated_at"),
    models.Index(fields=["content_changed_at"], name="claim_content_changed_at"),
]


def list_version(model, using: str) -> str:
    """The "claims changed" version: it moves when any claim is created, saved or deleted (the
    newest audit row and updated_at), touched or rescored (content_changed_at). Read from the
    database, not kept in the cache, so every process sees a write at once (the cache is
    per process by default); one query, three index lookups."""
    connection = connections[using]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    history = quote(model.history.model._meta.db_table)
    sql = (
        f"SELECT (SELECT MAX({quote('updated_at')}) FROM {table}),"
        f" (SELECT MAX({quote('content_changed_at')}) FROM {table}),"
        f" (SELECT MAX({quote('history_id')}) FROM {history})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return hashlib.sha256("|".join(map(str, row)).encode()).hexdigest()[:20]
