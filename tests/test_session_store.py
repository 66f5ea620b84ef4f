"""nextgen.sessions writes a session's row as one statement when no transaction is open
(issue 14: BEGIN and COMMIT were two more round trips on every sign-in), and keeps
Django's savepoint inside a transaction, where a clashing key must not break it."""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.base import CreateError
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from nextgen.sessions import SessionStore


@pytest.mark.django_db(transaction=True)
def test_a_new_session_outside_a_transaction_is_one_insert():
    store = SessionStore()
    store["who"] = "pat"
    store.cycle_key()  # as a sign-in does: the row is inserted when the response saves
    with CaptureQueriesContext(connection) as ctx:
        store.save()
    statements = [q["sql"].split()[0].upper() for q in ctx.captured_queries]
    assert statements == ["INSERT"]
    assert SessionStore(store.session_key)["who"] == "pat"


@pytest.mark.django_db(transaction=True)
def test_a_changed_session_outside_a_transaction_is_one_update():
    store = SessionStore()
    store["who"] = "pat"
    store.save(must_create=True)
    store["who"] = "lee"
    with CaptureQueriesContext(connection) as ctx:
        store.save()
    assert [q["sql"].split()[0].upper() for q in ctx.captured_queries] == ["UPDATE"]
    assert Session.objects.get(session_key=store.session_key).get_decoded()["who"] == "lee"


@pytest.mark.django_db(transaction=True)
def test_a_clashing_key_inside_a_transaction_leaves_it_usable():
    first = SessionStore()
    first["who"] = "pat"
    first.save(must_create=True)
    with transaction.atomic():
        clash = SessionStore(first.session_key)
        clash._session_cache = {"who": "someone else"}
        with pytest.raises(CreateError):
            clash.save(must_create=True)
        assert Session.objects.filter(session_key=first.session_key).count() == 1
    assert SessionStore(first.session_key)["who"] == "pat"


def _insert_for_the_store(store: SessionStore) -> None:
    """As a sign-in's statement does (flows/sessions.begin): the row the store hands out,
    written by someone else, then the store told."""
    row = store.row_to_insert()
    assert row is not None
    row.save(force_insert=True)
    store.row_inserted()


@pytest.mark.django_db(transaction=True)
def test_a_row_written_by_the_sign_ins_statement_is_not_written_again():
    store = SessionStore()
    store["who"] = "pat"
    store.cycle_key()
    _insert_for_the_store(store)
    with CaptureQueriesContext(connection) as ctx:
        store.save()  # the response: the cache only
    assert ctx.captured_queries == []
    assert SessionStore(store.session_key)["who"] == "pat"
    assert Session.objects.get(session_key=store.session_key).get_decoded()["who"] == "pat"


@pytest.mark.django_db(transaction=True)
def test_a_session_changed_after_its_row_was_written_is_updated():
    store = SessionStore()
    store["who"] = "pat"
    store.cycle_key()
    _insert_for_the_store(store)
    store["who"] = "lee"
    with CaptureQueriesContext(connection) as ctx:
        store.save()
    assert [q["sql"].split()[0].upper() for q in ctx.captured_queries] == ["UPDATE"]
    assert Session.objects.get(session_key=store.session_key).get_decoded()["who"] == "lee"


@pytest.mark.django_db(transaction=True)
def test_a_value_changed_in_place_after_the_row_was_written_is_updated():
    store = SessionStore()
    store["flow"] = {"step": 1}
    store.cycle_key()
    _insert_for_the_store(store)
    store["flow"]["step"] = 2  # in place: the same dict object
    store.save()
    assert Session.objects.get(session_key=store.session_key).get_decoded()["flow"] == {"step": 2}


@pytest.mark.django_db(transaction=True)
def test_a_new_key_after_the_row_was_written_gets_its_own_row():
    store = SessionStore()
    store["who"] = "pat"
    store.cycle_key()
    _insert_for_the_store(store)
    first_key = store.session_key
    store.cycle_key()
    store.save()
    assert not Session.objects.filter(session_key=first_key).exists()
    assert Session.objects.get(session_key=store.session_key).get_decoded()["who"] == "pat"


def test_a_store_with_no_new_key_has_no_row_to_hand_out():
    assert SessionStore().row_to_insert() is None
