"""The two database roles of docs/operations.md, "Database roles": with exactly the grants
given there, the application's role appends to the audit log and can do nothing else to
it (PostgreSQL; CI runs it)."""

import re
import secrets
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction

from nextgen.audit import append_only
from nextgen.audit.models import Action, Event
from nextgen.audit.services import verify_chain
from tests.factories import audit_event

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
DOCS = Path(__file__).resolve().parents[2] / "docs" / "operations.md"


def grants_after_migrate() -> list[str]:
    """The SQL block the operations page says to run after every `nextgen migrate`."""
    text = DOCS.read_text()
    section = text[text.index("## Database roles") :]
    after = section[section.index("After every `nextgen migrate`") :]
    block = re.search(r"```sql\n(.*?)```", after, re.S).group(1)
    return [s.strip() for s in block.split(";") if s.strip() and not s.strip().startswith("--")]


def denied():
    return pytest.raises(DatabaseError, match="permission denied|must be owner")


def test_the_app_role_appends_to_the_audit_log_and_can_do_nothing_else():
    if connection.vendor != "postgresql":
        pytest.skip("database roles are PostgreSQL's (CI sets DATABASE_URL)")
    audit_event(Action.LOGIN)
    # A name of this test's own: roles are shared by the whole cluster. Created inside
    # the test's transaction, so it goes when that rolls back.
    role = f"nextgen_app_{secrets.token_hex(4)}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} NOLOGIN")
        for statement in grants_after_migrate():
            cursor.execute(statement.replace("nextgen_app", role))
        cursor.execute(f"SET ROLE {role}")
    try:
        audit_event(Action.LOGOUT)  # appends: insert, and the chain head moves
        with connection.cursor() as cursor:
            for sql in [
                "UPDATE audit_event SET action = 'x'",
                "DELETE FROM audit_event",
                "TRUNCATE audit_event",
                f"ALTER TABLE {append_only.TABLE} DISABLE TRIGGER audit_event_no_update_delete",
                f"DROP TRIGGER audit_event_no_update_delete ON {append_only.TABLE}",
            ]:
                with denied(), transaction.atomic():
                    cursor.execute(sql)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
    assert list(Event.objects.values_list("action", flat=True)) == ["login", "logout"]
    assert verify_chain().ok
