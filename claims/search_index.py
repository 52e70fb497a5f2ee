"""The claims' full-text index, per vendor: the DDL that migration 0005 and `post_migrate`
(claims.apps) run. claims.search queries it.

- PostgreSQL: `claims_claim.search_vector` (tsvector, English config; plain wording weighted A,
  scientific wording B, topic C), filled by a BEFORE INSERT/UPDATE trigger, GIN-indexed.
- SQLite: `claims_claim_fts`, an FTS5 external-content table (porter stemming) kept in step by
  AFTER INSERT/UPDATE/DELETE triggers.

Triggers cover every write path (save, bulk_create, update, raw SQL). `install()` is idempotent:
migration 0005 calls it, and so does `post_migrate`, because SQLite drops a table's triggers
when a later migration rebuilds the table.
"""

from django.db import connections

from .search import FTS_TABLE, SEARCHED_COLUMNS

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
