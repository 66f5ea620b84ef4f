"""The database refuses to change or remove audit events, whoever asks (ORM or raw SQL),
on PostgreSQL and SQLite alike; Django's flush between transactional tests still works."""

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from nextgen.audit import append_only
from nextgen.audit.models import Action, Event
from nextgen.audit.services import record, verify_chain
from tests.factories import AccountFactory, audit_event


def refused():
    """Expect the trigger's refusal; the savepoint keeps the test's transaction usable."""
    return pytest.raises(IntegrityError, match="audit log is append-only")


@pytest.fixture
def event(db):
    audit_event(Action.LOGIN)
    return audit_event(Action.LOGOUT, details={"n": 2})


def test_the_triggers_are_installed(db):
    assert connection.vendor in append_only.TRIGGERS
    assert append_only.missing_triggers(connection) == []


def test_orm_update_is_refused(event):
    with refused(), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(action="edited")
    event.action = "edited"
    with refused(), transaction.atomic():
        event.save()
    assert Event.objects.get(pk=event.pk).action == Action.LOGOUT


def test_orm_delete_is_refused(event):
    with refused(), transaction.atomic():
        event.delete()
    with refused(), transaction.atomic():
        Event.objects.all().delete()
    assert Event.objects.count() == 2


def test_raw_sql_update_and_delete_are_refused(event):
    with refused(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_event SET details = %s WHERE id = %s", ["{}", event.pk])
    with refused(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_event SET hash = ''")
    with refused(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_event WHERE id = %s", [event.pk])
    with refused(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_event")
    assert Event.objects.count() == 2
    assert verify_chain().ok


def test_truncate_is_refused_on_postgresql(event):
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's (SQLite empties tables with DELETE, refused above)")
    with connection.cursor() as cursor:
        # Inside the test's transaction: settle the deferred foreign-key checks first, as
        # PostgreSQL will not truncate a table with pending trigger events.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with refused(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE audit_event")
    with refused(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE signon_account CASCADE")  # cascades to audit_event
    assert Event.objects.count() == 2


def test_appending_is_still_allowed(event):
    audit_event(Action.MFA_SKIP)
    assert list(Event.objects.values_list("action", flat=True)) == ["login", "logout", "mfa.skip"]


def test_an_account_named_in_the_log_cannot_be_deleted(db):
    """Accounts are deactivated, never deleted: deleting one would rewrite its events."""
    account = AccountFactory()
    audit_event(Action.ACCOUNT_CREATE, actor=account)
    with pytest.raises(ProtectedError):
        account.delete()
    other = AccountFactory()
    audit_event(Action.PAA_INVITE, subject=other)
    with pytest.raises(ProtectedError):
        other.delete()


@pytest.mark.django_db(transaction=True)
def test_djangos_flush_empties_the_log_and_leaves_it_append_only():
    """The test suite's flush (tests/audit/maintenance.py) gets past the triggers only
    inside its own transaction: afterwards they are in force again."""
    audit_event(Action.LOGIN)
    call_command("flush", interactive=False, verbosity=0)
    assert Event.objects.count() == 0
    assert append_only.missing_triggers(connection) == []
    event = audit_event(Action.LOGOUT)
    with refused(), transaction.atomic():
        Event.objects.filter(pk=event.pk).delete()
    assert verify_chain().ok


def test_an_action_is_named_never_a_bare_string(db):
    """record() takes an Action member: a mistyped string would write an event that no
    query or trail label ever finds, so it fails loudly instead and writes nothing."""
    with pytest.raises(TypeError):
        record("login")
    assert not Event.objects.exists()
    assert audit_event(Action.LOGIN).action == "login"  # the stored value is unchanged
