"""Steering PostgreSQL's planner for one query where its estimate is known to be wrong."""

from contextlib import contextmanager

from django.db import DatabaseError, connections

# The settings a caller may turn off (names are written into the SQL, so only these).
PLANNER_SETTINGS = ("enable_seqscan", "enable_hashjoin", "enable_mergejoin", "jit")


@contextmanager
def planner_without(using: str, *settings: str):
    """PostgreSQL plans the queries inside with these settings off, and they are back as
    they were after; elsewhere, nothing. One statement to set them, one to reset them."""
    unknown = set(settings) - set(PLANNER_SETTINGS)
    if unknown:
        raise ValueError(f"not a planner setting this turns off: {', '.join(sorted(unknown))}")
    connection = connections[using]
    if connection.vendor != "postgresql" or not settings:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("; ".join(f"SET {name} = off" for name in settings))
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("; ".join(f"RESET {name}" for name in settings))
        except DatabaseError:  # an aborted transaction: its rollback undoes the SET
            pass
