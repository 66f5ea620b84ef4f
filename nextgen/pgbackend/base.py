"""`ENGINE = "nextgen.pgbackend"`: Django's PostgreSQL backend whose health checks ask
the socket first (liveness.py) and the server only when the socket has news."""

from __future__ import annotations

from typing import Any

from django.db.backends.postgresql import base

from .liveness import check_pooled, has_news


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        # A persistent connection (CONN_MAX_AGE), checked once per request when the
        # health checks are on: a quiet socket is a live connection.
        if self.connection is not None and not has_news(self.connection):
            return True
        return super().is_usable()

    @property
    def pool(self) -> Any:
        # A pooled connection (NEXTGEN_DB_POOL) is checked each time it is handed out:
        # Django gives the pool psycopg_pool's query check when the health checks are
        # on; ours replaces it (tests/test_database_restart.py pins that it does).
        pool = super().pool
        if pool is not None and getattr(pool, "_check", None) is not None:
            pool._check = check_pooled
        return pool
