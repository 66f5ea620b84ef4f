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
