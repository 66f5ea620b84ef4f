"""Test-only ways past the audit log's append-only triggers (nextgen/audit/append_only.py).

The database has no switch a session could flip to get past them: only DDL by the
table's owner can (ALTER TABLE ... DISABLE TRIGGER on PostgreSQL, DROP TRIGGER on
SQLite, which has no DISABLE). Two uses here, never in the application:

- `flushable_audit_log()`, active for the whole test session (tests/conftest.py):
  Django's flush between transactional tests empties every table with TRUNCATE
  (PostgreSQL) or DELETE (SQLite), which the triggers refuse. The backend's
  `sql_flush` is wrapped so the statements it returns are bracketed by disabling and
  re-enabling the triggers. Django runs that list in one transaction
  (`execute_sql_flush`), so the triggers are off only inside the flush itself, and a
  flush that fails rolls back with them still in force.
- `suspended(connection)`: tamper tests change rows "behind the application's back",
  as someone with the owner's rights could, to prove `nextgen audit verify` notices.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

from nextgen.audit import append_only


def _installed(connection: BaseDatabaseWrapper) -> list[str]:
    missing = set(append_only.missing_triggers(connection))
    return [name for name in append_only.TRIGGERS.get(connection.vendor, {}) if name not in missing]


def suspend_sql(connection: BaseDatabaseWrapper) -> tuple[list[str], list[str]]:
    """(statements that switch the installed triggers off, statements that restore them)."""
    names = _installed(connection)
    table = append_only.TABLE
    if connection.vendor == "postgresql":
        return (
            [f"ALTER TABLE {table} DISABLE TRIGGER {name}" for name in names],
            [f"ALTER TABLE {table} ENABLE TRIGGER {name}" for name in names],
        )
    creates = append_only.TRIGGERS.get(connection.vendor, {})
    return [f"DROP TRIGGER {name}" for name in names], [creates[name] for name in names]


@contextmanager
def suspended(connection: BaseDatabaseWrapper) -> Iterator[None]:
    off, on = suspend_sql(connection)
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        # PostgreSQL will not ALTER a table with deferred foreign-key checks pending in
        # the transaction (the test's): settle them now, defer them again afterwards
        # (Django creates its foreign keys INITIALLY DEFERRED).
        off, on = ["SET CONSTRAINTS ALL IMMEDIATE", *off], [*on, "SET CONSTRAINTS ALL DEFERRED"]
    with connection.cursor() as cursor:
        for sql in off:
            cursor.execute(sql)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for sql in on:
                cursor.execute(sql)


@contextmanager
def flushable_audit_log() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        for ops_class in {type(conn.ops) for conn in connections.all()}:
            original = ops_class.sql_flush

            def sql_flush(self, style, tables, *, _original=original, **options):
                sql = _original(self, style, tables, **options)
                if append_only.TABLE not in tables:
                    return sql
                off, on = suspend_sql(self.connection)
                return [*off, *sql, *on]

            mp.setattr(ops_class, "sql_flush", sql_flush)
        yield
