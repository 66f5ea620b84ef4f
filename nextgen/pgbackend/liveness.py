"""Is a kept-open PostgreSQL connection still alive? Asked without a round trip.

Django's health check (CONN_HEALTH_CHECKS) and psycopg_pool's `check_connection` send a
query to the server before each request uses a kept connection: a round trip on every
page, about as costly as one of the page's own small queries. But when a server shuts
down or restarts, or an administrator ends a backend, PostgreSQL writes a FATAL error
message to each client and closes the socket, so a dead idle connection has something
to read. An idle connection that is alive has nothing to read (this app LISTENs for
nothing). So: poll the socket without waiting; only when it is readable, closed or
broken is the real check made (which fails on a dead connection, and on a live one reads
whatever harmless message was waiting).

Not caught, as with the query check a connection whose peer vanished without a word
(a cable pulled): the query check would wait for TCP's timeout there too.
"""

from __future__ import annotations

import select

from psycopg import Connection


def has_news(conn: Connection) -> bool:
    """Whether the connection is closed, broken, or has unread bytes from the server
    (what a server that ended it leaves behind); False for a quiet, live connection."""
    if conn.closed or conn.broken:
        return True
    try:
        fd = conn.fileno()
    except Exception:  # noqa: BLE001 - any failure to reach the socket means: check it
        return True
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLERR | select.POLLHUP)
    return bool(poller.poll(0))


def check_pooled(conn: Connection) -> None:
    """psycopg_pool's `check` callback: raise if the connection is dead (the pool then
    discards it and hands out another), with a round trip only when it has news."""
    if has_news(conn):
        from psycopg_pool import ConnectionPool

        ConnectionPool.check_connection(conn)
