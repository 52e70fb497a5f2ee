"""Full-text search of claims: the database's index and the query, per vendor, in one place.

- PostgreSQL: `claims_claim.search_vector` (tsvector, English config; plain wording weighted A,
  scientific wording B, topic C), filled by a BEFORE INSERT/UPDATE trigger, GIN-indexed, matched
  with prefix terms and ranked by SearchRank.
- SQLite: `claims_claim_fts`, an FTS5 external-content table (porter stemming) kept in step by
  AFTER INSERT/UPDATE/DELETE triggers, ranked by weighted bm25.
- Any other database: a plain `icontains` per word, unranked.

Triggers cover every write path (save, bulk_create, update, raw SQL). `install()` is idempotent:
migration 0005 calls it, and so does `post_migrate` (claims.apps), because SQLite drops a table's
triggers when a later migration rebuilds the table.

`ClaimQuerySet.search()` calls `search_claims()`.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connections
from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

FTS_TABLE = "claims_claim_fts"
SEARCHED_COLUMNS = ("plain_statement", "statement", "topic")
SEARCH_WORD = re.compile(r"[^\W_]+")
MAX_WORDS = 8
# FTS5's bm25() cannot be correlated per row cheaply, so the best SQLITE_RANKED matches are
# ranked in one FTS query and the rest share rank 0.
SQLITE_RANKED = 200
# bm25 column weights, in SEARCHED_COLUMNS order: plain wording, scientific wording, topic.
SQLITE_WEIGHTS = (10.0, 4.0, 2.0)
BEST_FIRST = ("-search_rank", "-created_at", "-pk")


def search_claims(claims: QuerySet, text: str) -> QuerySet:
    """`claims` whose wording or topic matches every word of `text` (as a prefix), best first,
    each with `search_rank` (higher is better)."""
    words = SEARCH_WORD.findall(text.lower())[:MAX_WORDS]
    if not words:
        return claims.none()
    vendor = connections[claims.db].vendor
    backend = {"postgresql": _postgresql, "sqlite": _sqlite}.get(vendor, _any_database)
    return backend(claims, words)


def _postgresql(claims: QuerySet, words: list[str]) -> QuerySet:
    query = SearchQuery(" & ".join(f"{w}:*" for w in words), config="english", search_type="raw")
    return (
        claims.filter(search_vector=query)
        .annotate(search_rank=SearchRank(F("search_vector"), query))
        .order_by(*BEST_FIRST)
    )


def _sqlite(claims: QuerySet, words: list[str]) -> QuerySet:
    # Hand-written: FTS5's MATCH and bm25() have no ORM expression.
    match = " ".join(f'"{w}"*' for w in words)
    weights = ", ".join(map(str, SQLITE_WEIGHTS))
    with connections[claims.db].cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, -bm25({FTS_TABLE}, {weights}) FROM {FTS_TABLE}"
            f" WHERE {FTS_TABLE} MATCH %s ORDER BY 2 DESC LIMIT %s",
            [match, SQLITE_RANKED],
        )
        ranked = cursor.fetchall()
    whens = [When(pk=pk, then=Value(score)) for pk, score in ranked]
    rank = Case(*whens, default=Value(0.0), output_field=FloatField())
    matches = RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match])
    return (
        claims.filter(pk__in=matches)
        .annotate(search_rank=rank if whens else Value(0.0))
        .order_by(*BEST_FIRST)
    )


def _any_database(claims: QuerySet, words: list[str]) -> QuerySet:
    for word in words:
        claims = claims.filter(
            Q(plain_statement__icontains=word)
            | Q(statement__icontains=word)
            | Q(topic__icontains=word)
        )
    return claims.annotate(search_rank=Value(1.0)).order_by("-created_at", "-pk")


# The index: DDL the migration and post_migrate run (install / uninstall below).

POSTGRES_INSTALL = [
    """
    CREATE OR REPLACE FUNCTION claims_claim_search_vector_update() RETURNS trigger AS $$
    BEGIN
      NEW.search_vector :=
        setweight(to_tsvector('pg_catalog.english', coalesce(NEW.plain_statement, '')), 'A')
        || setweight(to_tsvector('pg_catalog.english', coalesce(NEW.statement, '')), 'B')
        || setweight(to_tsvector('pg_catalog.english', coalesce(NEW.topic, '')), 'C');
      RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    "DROP TRIGGER IF EXISTS claims_claim_search_vector ON claims_claim",
    """
    CREATE TRIGGER claims_claim_search_vector
    BEFORE INSERT OR UPDATE OF plain_statement, statement, topic ON claims_claim
    FOR EACH ROW EXECUTE FUNCTION claims_claim_search_vector_update()
    """,
    "CREATE INDEX IF NOT EXISTS claim_search_vector_gin ON claims_claim USING gin (search_vector)",
]
POSTGRES_BACKFILL = "UPDATE claims_claim SET topic = topic WHERE search_vector IS NULL"
POSTGRES_UNINSTALL = [
    "DROP TRIGGER IF EXISTS claims_claim_search_vector ON claims_claim",
    "DROP FUNCTION IF EXISTS claims_claim_search_vector_update()",
    "DROP INDEX IF EXISTS claim_search_vector_gin",
]

_COLS = ", ".join(SEARCHED_COLUMNS)
_NEW = ", ".join(f"new.{c}" for c in SEARCHED_COLUMNS)
_OLD = ", ".join(f"old.{c}" for c in SEARCHED_COLUMNS)
SQLITE_TABLE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5({_COLS}, "
    "content='claims_claim', content_rowid='id', tokenize='porter unicode61')"
)
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ai AFTER INSERT ON claims_claim BEGIN
      INSERT INTO {FTS_TABLE}(rowid, {_COLS}) VALUES (new.id, {_NEW});
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ad AFTER DELETE ON claims_claim BEGIN
      INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_COLS}) VALUES ('delete', old.id, {_OLD});
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_au AFTER UPDATE OF {_COLS} ON claims_claim BEGIN
      INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_COLS}) VALUES ('delete', old.id, {_OLD});
      INSERT INTO {FTS_TABLE}(rowid, {_COLS}) VALUES (new.id, {_NEW});
    END""",
]
SQLITE_TRIGGER_NAMES = [f"{FTS_TABLE}_ai", f"{FTS_TABLE}_ad", f"{FTS_TABLE}_au"]
SQLITE_UNINSTALL = [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGER_NAMES] + [
    f"DROP TABLE IF EXISTS {FTS_TABLE}"
]


def _claims_table_exists(connection) -> bool:
    with connection.cursor() as cursor:
        return "claims_claim" in connection.introspection.table_names(cursor)


def install(connection) -> None:
    """Create (or repair) the index and its triggers, and index rows written without them."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for sql in POSTGRES_INSTALL:
                cursor.execute(sql)
            cursor.execute(POSTGRES_BACKFILL)
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM sqlite_master"
                " WHERE type = 'trigger' AND name IN (%s, %s, %s)",
                SQLITE_TRIGGER_NAMES,
            )
            complete = cursor.fetchone()[0] == len(SQLITE_TRIGGER_NAMES)
            cursor.execute(SQLITE_TABLE)
            for sql in SQLITE_TRIGGERS:
                cursor.execute(sql)
            if not complete:  # new, or rows were written while the triggers were missing
                cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


def uninstall(connection) -> None:
    statements = {"postgresql": POSTGRES_UNINSTALL, "sqlite": SQLITE_UNINSTALL}
    with connection.cursor() as cursor:
        for sql in statements.get(connection.vendor, []):
            cursor.execute(sql)


def repair_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate: put the triggers back if a migration rebuilt claims_claim (SQLite)."""
    connection = connections[using]
    if connection.vendor == "sqlite" and _claims_table_exists(connection):
        install(connection)
