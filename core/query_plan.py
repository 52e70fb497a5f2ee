"""Steering PostgreSQL's planner for one query where its estimate is known to be wrong."""

from collections import Counter
from contextlib import contextmanager

from django.db import DatabaseError, connections

# The settings a caller may turn off (names are written into the SQL, so only these).
PLANNER_SETTINGS = ("enable_seqscan", "enable_hashjoin", "enable_mergejoin", "jit")


@contextmanager
def planner_without(using: str, *settings: str):
    """PostgreSQL plans the queries inside with these settings off, and they are back on
    after; elsewhere, nothing. One statement to set them, one to reset them. Nested on the
    same setting, only the outermost block turns it off and back on."""
    unknown = set(settings) - set(PLANNER_SETTINGS)
    if unknown:
        raise ValueError(f"not a planner setting this turns off: {', '.join(sorted(unknown))}")
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    # How many open blocks turned each setting off on this connection.
    off = connection.__dict__.setdefault("planner_settings_off", Counter())
    mine = [name for name in dict.fromkeys(settings) if not off[name]]
    off.update(dict.fromkeys(settings, 1))
    try:
        if mine:
            with connection.cursor() as cursor:
                cursor.execute("; ".join(f"SET {name} = off" for name in mine))
        yield
    finally:
        off.subtract(dict.fromkeys(settings, 1))
        if mine:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("; ".join(f"RESET {name}" for name in mine))
            except DatabaseError:  # an aborted transaction: its rollback undoes the SET
                pass
