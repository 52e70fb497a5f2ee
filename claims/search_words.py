"""PostgreSQL's vocabulary for near spellings: every word of the claims' wording and topic and
of the studies' titles, authors and journals, in one small table with a trigram index.

A search word that finds nothing as typed is mapped to the word of the vocabulary spelled most
nearly like it (pg_trgm's word_similarity, at least its threshold of 0.6), and that word is then
searched as typed, through the same indexes. Comparing the misspelt word with every wording or
title the trigram indexes offered was the slow tail of search at 100,000 claims (a word no
study holds sent 6,392 titles through the recheck: 0.2-0.3 s; two misspelt words 0.4-0.7 s;
docs/performance.md). SQLite does the same with difflib over the rows (claims.search).

Statement-level triggers keep the table in step with every write path (save, bulk_create,
update, raw SQL); a word whose last row is gone stays, and then finds nothing, as before.
Hand-written SQL: the table is PostgreSQL's only (no model), like the search index's DDL.
"""

from django.db import connections

TABLE = "claims_search_word"
# Each source: its table, the columns searched, and the vocabulary's flag for it.
SOURCES = {
    "claims": ("claims_claim", ("plain_statement", "statement", "topic")),
    "studies": ("studies_study", ("title", "authors", "journal")),
}
SHORTEST = 4  # claims.search FUZZY_MIN_LENGTH: shorter words are never corrected


def _add(source: str, rows: str, alias: str, changed: str = "") -> str:
    """INSERT every word of `rows` (a FROM clause naming `alias`; `changed` a further
    condition) as a word of `source`."""
    _, columns = SOURCES[source]
    text = " || ' ' || ".join(f"coalesce({alias}.{column}, '')" for column in columns)
    return (
        f"INSERT INTO {TABLE} (word, in_{source})"
        f" SELECT DISTINCT w, true FROM {rows},"
        f" regexp_split_to_table(lower({text}), '[^[:alnum:]]+') AS w"
        f" WHERE length(w) >= {SHORTEST}{f' AND ({changed})' if changed else ''}"
        f" ON CONFLICT (word) DO UPDATE SET in_{source} = true WHERE NOT {TABLE}.in_{source}"
    )


def _add_changed(source: str) -> str:
    """_add for the updated rows whose searched columns changed: a rescore rewrites 100,000
    claims' scores, and their wording is not read again."""
    _, columns = SOURCES[source]
    differ = " OR ".join(f"n.{c} IS DISTINCT FROM o.{c}" for c in columns)
    return _add(source, "new_rows n JOIN old_rows o ON o.id = n.id", "n", differ)


def _install_statements() -> list[str]:
    statements = [
        f"""CREATE TABLE IF NOT EXISTS {TABLE} (
            word text PRIMARY KEY,
            in_claims boolean NOT NULL DEFAULT false,
            in_studies boolean NOT NULL DEFAULT false
        )""",
        f"CREATE INDEX IF NOT EXISTS {TABLE}_trgm ON {TABLE} USING gin (word gin_trgm_ops)",
    ]
    for source, (table, _) in SOURCES.items():
        added, changed = _add(source, "new_rows", "new_rows"), _add_changed(source)
        statements += [
            f"""CREATE OR REPLACE FUNCTION {TABLE}_{source}_insert() RETURNS trigger AS $$
            BEGIN {added}; RETURN NULL; END $$ LANGUAGE plpgsql""",
            f"""CREATE OR REPLACE FUNCTION {TABLE}_{source}_update() RETURNS trigger AS $$
            BEGIN {changed}; RETURN NULL; END $$ LANGUAGE plpgsql""",
            f"DROP TRIGGER IF EXISTS {TABLE}_insert ON {table}",
            f"""CREATE TRIGGER {TABLE}_insert AFTER INSERT ON {table}
            REFERENCING NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_{source}_insert()""",
            f"DROP TRIGGER IF EXISTS {TABLE}_update ON {table}",
            f"""CREATE TRIGGER {TABLE}_update AFTER UPDATE ON {table}
            REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_{source}_update()""",
        ]
    return statements


def install(connection) -> None:
    """Create (or repair) the vocabulary and its triggers, and add every word already written
    (idempotent: migration 0019 runs it). PostgreSQL only."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for sql in _install_statements():
            cursor.execute(sql)
        for source, (table, _) in SOURCES.items():
            cursor.execute(_add(source, table, table))


def uninstall(connection) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for source, (table, _) in SOURCES.items():
            cursor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_insert ON {table}")
            cursor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_update ON {table}")
            cursor.execute(f"DROP FUNCTION IF EXISTS {TABLE}_{source}_insert()")
            cursor.execute(f"DROP FUNCTION IF EXISTS {TABLE}_{source}_update()")
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")


def nearest_words(using: str, words, source: str) -> dict[str, str]:
    """Each of `words` mapped to the word of `source`'s vocabulary ("claims" or "studies")
    spelled most nearly like it, where one is near enough (one query)."""
    if source not in SOURCES:
        raise ValueError(f"source must be one of {', '.join(SOURCES)}; got {source!r}")
    words = list(dict.fromkeys(words))
    if not words:
        return {}
    # `v.word %> typed`: word_similarity(typed, v.word) at least the threshold, by the index.
    sql = (
        "SELECT DISTINCT ON (typed) typed, v.word FROM unnest(%s::text[]) AS typed"
        f" JOIN {TABLE} v ON v.word %%> typed AND v.in_{source} AND v.word <> typed"
        " ORDER BY typed, word_similarity(typed, v.word) DESC, v.word"
    )
    with connections[using].cursor() as cursor:
        cursor.execute(sql, [words])
        return dict(cursor.fetchall())
