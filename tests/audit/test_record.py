"""An audit event rides the transaction of the change it describes: record() opens none
of its own, and an action's transaction is durable (never folded into a caller's)."""

from __future__ import annotations

import pytest
from django.db import transaction

from nextgen.audit.models import Action, Event
from nextgen.audit.services import in_callers_transaction, record, record_alone
from nextgen.signon.flows.maintenance import update_personal_data

pytestmark = pytest.mark.django_db


def test_record_outside_a_transaction_is_refused_naming_the_action():
    with pytest.raises(RuntimeError, match=r"record\(LOGOUT\) outside a transaction"):
        record(Action.LOGOUT)
    assert not Event.objects.exists()


def test_record_inside_the_callers_transaction_writes_the_event():
    with transaction.atomic():
        event = record(Action.LOGOUT)
    assert Event.objects.get() == event


def test_an_event_rolls_back_with_the_change_it_describes():
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        record(Action.LOGOUT)
        1 / 0  # noqa: B018 - the change fails after its event was written
    assert not Event.objects.exists()


def test_the_test_cases_own_transaction_does_not_count_as_the_callers():
    # pytest-django wraps this test in a transaction; production has none there.
    assert not in_callers_transaction()
    with transaction.atomic():
        assert in_callers_transaction()


def test_an_action_called_inside_another_actions_transaction_is_refused(account):
    """Each action commits on its own: one nested in another's transaction would commit
    (or roll back) with it, and its event would say otherwise."""
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic(durable=True):
        update_personal_data(acting=account, changes={"firm": "Nested LLP"}, request=None)
    account.refresh_from_db()
    assert account.firm != "Nested LLP"


def test_an_event_alone_commits_in_a_transaction_of_its_own():
    event = record_alone(Action.LOGOUT, details={"reason": "throttled"})
    assert Event.objects.get() == event


def test_an_event_alone_never_rides_a_callers_transaction():
    # A refusal that changes nothing else must not be rolled back with someone's change.
    with pytest.raises(RuntimeError), transaction.atomic():
        record_alone(Action.LOGOUT)
    assert not Event.objects.exists()
