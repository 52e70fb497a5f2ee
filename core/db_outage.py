"""Fail fast while the database cannot be reached (issue 19: with the database refusing or
black-holing connections, every thread waited DB_CONNECT_TIMEOUT for its own 503; 24 requests
at once took up to 11.5 s).

Per process: after a request fails to connect, the others answer 503 at once for
DB_FAIL_FAST_SECONDS. Then one request (the probe) tries again, the window moved on first so
the rest keep failing fast while it waits; its connecting ends the outage (a probe that
needs no database, /robots.txt, proves nothing). Only a failure to
connect trips it: a query that fails or times out on a working connection is that request's
own error, never the whole process's.
"""

import threading
import time

from django.conf import settings
from django.db import connections


class DatabaseOutage:
    def __init__(self):
        self._lock = threading.Lock()
        self._until = 0.0  # monotonic time until which requests fail fast; 0: no outage

    @property
    def window(self) -> float:
        return float(getattr(settings, "DB_FAIL_FAST_SECONDS", 5))

    def admit(self) -> bool | None:
        """True: go ahead as usual; None: go ahead as the probe; False: answer 503 now."""
        if not self._until:
            return True
        with self._lock:
            now = time.monotonic()
            if not self._until:
                return True
            if now < self._until:
                return False
            self._until = now + self.window  # this one probes; the others wait on it
            return None

    def failed(self) -> None:
        """A request's database error: an outage when no connection could be made."""
        if self.window <= 0 or any(conn.connection is not None for conn in connections.all()):
            return
        with self._lock:
            self._until = time.monotonic() + self.window

    def probed(self) -> None:
        """The probe's request ended without a database error: the outage is over if it
        connected (a page that needs no database, /robots.txt, proves nothing)."""
        if any(conn.connection is not None for conn in connections.all()):
            self.recovered()

    def recovered(self) -> None:
        with self._lock:
            self._until = 0.0


outage = DatabaseOutage()
