"""The database itself refuses to change or remove audit events.

Triggers on `audit_event` (installed by migration 0004_append_only) raise on every
UPDATE and DELETE, and on PostgreSQL on TRUNCATE too, whoever issues it: the ORM, raw
SQL, the admin, a shell. INSERT is untouched. There is no switch in the database to
turn them off for a session: only the table's owner can, with DDL (DROP TRIGGER,
ALTER TABLE ... DISABLE TRIGGER), which no application code path runs. The test suite
does so inside the transaction of Django's own flush between transactional tests
(tests/audit/maintenance.py).

Both engines raise an integrity error (django.db.IntegrityError), so callers see the
same failure on PostgreSQL and SQLite.

On SQLite, a migration that rebuilds `audit_event` (most ALTERs do: a new table is
copied and the old one dropped, triggers with it) must call `install` again;
tests/audit/test_append_only.py and `nextgen audit verify` notice missing triggers.
Changing the statements below likewise needs a new migration that calls `install`.
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "audit_event"
MESSAGE = "audit log is append-only"

_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}: % on {TABLE} refused', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END
$$
"""

# name -> CREATE TRIGGER statement, per vendor
TRIGGERS: dict[str, dict[str, str]] = {
    "postgresql": {
        "audit_event_no_update_delete": (
            f"CREATE TRIGGER audit_event_no_update_delete BEFORE UPDATE OR DELETE ON {TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()"
        ),
        "audit_event_no_truncate": (
            f"CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON {TABLE} "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()"
        ),
    },
    "sqlite": {
        "audit_event_no_update": (
            f"CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON {TABLE} "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: UPDATE on {TABLE} refused'); END"
        ),
        "audit_event_no_delete": (
            f"CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON {TABLE} "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE on {TABLE} refused'); END"
        ),
    },
}


def install_sql(vendor: str) -> list[str]:
    if vendor not in TRIGGERS:
        return []
    statements = [_PG_FUNCTION] if vendor == "postgresql" else []
    for name, create in TRIGGERS[vendor].items():
        statements.append(_drop(vendor, name))
        statements.append(create)
    return statements


def uninstall_sql(vendor: str) -> list[str]:
    if vendor not in TRIGGERS:
        return []
    statements = [_drop(vendor, name) for name in TRIGGERS[vendor]]
    if vendor == "postgresql":
        statements.append("DROP FUNCTION IF EXISTS audit_event_append_only()")
    return statements


def _drop(vendor: str, name: str) -> str:
    if vendor == "postgresql":
        return f"DROP TRIGGER IF EXISTS {name} ON {TABLE}"
    return f"DROP TRIGGER IF EXISTS {name}"


def install(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for sql in install_sql(connection.vendor):
            cursor.execute(sql)


def uninstall(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for sql in uninstall_sql(connection.vendor):
            cursor.execute(sql)


def missing_triggers(connection: BaseDatabaseWrapper) -> list[str]:
    """Names of the append-only triggers not in force on this database (enabled)."""
    expected = TRIGGERS.get(connection.vendor)
    if expected is None:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # tgenabled: 'O' fires in ordinary sessions, 'A' always; 'D' (disabled) and
            # 'R' (replica sessions only) are not in force.
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = to_regclass(%s) "
                "AND tgenabled IN ('O', 'A')",
                [TABLE],
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [TABLE],
            )
        present = {row[0] for row in cursor.fetchall()}
    return [name for name in expected if name not in present]
