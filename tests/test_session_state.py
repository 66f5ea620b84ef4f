"""A flow's state between two requests: it expires, it answers only its owner, it is used
up once, and a damaged or planted entry is worth nothing."""

import datetime as dt
from importlib import import_module

import pytest
from django.conf import settings
from django.test import RequestFactory

from nextgen.session_state import SessionState

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
PROOF = SessionState("test_proof", ttl=dt.timedelta(minutes=5))
SessionStore = import_module(settings.SESSION_ENGINE).SessionStore


def browser(session_key: str | None = None):
    request = RequestFactory().get("/")
    request.session = SessionStore(session_key)
    return request


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(START, tick=False)
    return time_machine


def test_the_owner_reads_what_was_put():
    request = browser()
    PROOF.put(request, owner=7, nonce="n", filer=3)
    assert PROOF.peek(request, owner=7) == {"nonce": "n", "filer": 3}
    assert PROOF.peek(request, owner=7) == {"nonce": "n", "filer": 3}  # peek leaves it


def test_another_account_reads_nothing_and_leaves_the_entry():
    request = browser()
    PROOF.put(request, owner=7, nonce="n")
    assert PROOF.peek(request, owner=8) is None
    assert PROOF.take(request, owner=8) is None
    assert PROOF.peek(request, owner=7) == {"nonce": "n"}


def test_another_court_reads_nothing():
    request = browser()
    PROOF.put(request, owner=(7, "vid"), nonce="n")
    assert PROOF.peek(request, owner=(7, "vib")) is None
    assert PROOF.peek(request, owner=(8, "vid")) is None
    assert PROOF.peek(request, owner=(7, "vid")) == {"nonce": "n"}


def test_an_anonymous_entry_is_not_read_by_an_account():
    request = browser()
    PROOF.put(request, owner=None, step="person")
    assert PROOF.peek(request, owner=7) is None
    assert PROOF.peek(request, owner=None) == {"step": "person"}


def test_an_entry_expires_after_its_ttl_and_is_dropped(clock):
    request = browser()
    PROOF.put(request, owner=7, nonce="n")
    clock.shift(dt.timedelta(minutes=4, seconds=59))
    assert PROOF.peek(request, owner=7) == {"nonce": "n"}
    clock.shift(dt.timedelta(seconds=1))
    found = PROOF.read(request, owner=7)
    assert found.data is None and found.expired
    assert PROOF.key not in request.session
    assert not PROOF.read(request, owner=7).expired  # said once: it is gone now


def test_a_put_may_give_its_own_ttl(clock):
    request = browser()
    PROOF.put(request, owner=7, ttl=dt.timedelta(minutes=15), stage="enroll")
    clock.shift(dt.timedelta(minutes=14))
    assert PROOF.peek(request, owner=7) == {"stage": "enroll"}
    clock.shift(dt.timedelta(minutes=1))
    assert PROOF.peek(request, owner=7) is None


def test_another_owners_expired_entry_is_not_reported_as_expired(clock):
    request = browser()
    PROOF.put(request, owner=7, nonce="n")
    clock.shift(dt.timedelta(minutes=6))
    assert PROOF.read(request, owner=8).expired is False


def test_take_uses_the_entry_up():
    request = browser()
    PROOF.put(request, owner=7, nonce="n")
    assert PROOF.take(request, owner=7) == {"nonce": "n"}
    assert PROOF.take(request, owner=7) is None
    assert PROOF.peek(request, owner=7) is None


def test_discard_forgets_any_owners_entry():
    request = browser()
    PROOF.put(request, owner=7, nonce="n")
    PROOF.discard(request)
    assert PROOF.peek(request, owner=7) is None
    PROOF.discard(request)  # nothing to forget is no error


def test_update_changes_the_data_but_not_the_expiry(clock):
    request = browser()
    PROOF.put(request, owner=7, step="person")
    clock.shift(dt.timedelta(minutes=4))
    assert PROOF.update(request, owner=7, step="address")
    assert PROOF.peek(request, owner=7) == {"step": "address"}
    clock.shift(dt.timedelta(minutes=1))
    assert PROOF.peek(request, owner=7) is None


def test_update_of_another_owners_entry_changes_nothing():
    request = browser()
    PROOF.put(request, owner=7, step="person")
    assert not PROOF.update(request, owner=8, step="address")
    assert PROOF.peek(request, owner=7) == {"step": "person"}


def test_a_new_put_replaces_the_previous_owners_entry():
    request = browser()
    PROOF.put(request, owner=7, nonce="first")
    PROOF.put(request, owner=8, nonce="second")
    assert PROOF.peek(request, owner=7) is None
    assert PROOF.peek(request, owner=8) == {"nonce": "second"}


def test_kinds_do_not_see_each_other():
    request = browser()
    PROOF.put(request, owner=7, nonce="n")
    assert SessionState("test_other", ttl=dt.timedelta(minutes=5)).peek(request, owner=7) is None


def test_the_entry_survives_the_session_store_and_stays_in_its_session():
    request = browser()
    PROOF.put(request, owner=(7, "vid"), nonce="n")
    request.session.save()
    same = browser(request.session.session_key)
    assert PROOF.peek(same, owner=(7, "vid")) == {"nonce": "n"}
    assert PROOF.peek(browser(), owner=(7, "vid")) is None  # another browser's session


def test_an_entry_planted_in_another_session_answers_only_its_owner():
    victim = browser()
    PROOF.put(victim, owner=7, nonce="n")
    thief = browser()
    thief.session[PROOF.key] = victim.session[PROOF.key]
    assert PROOF.peek(thief, owner=8) is None


@pytest.mark.parametrize(
    "entry",
    [
        "a string",
        {"owner": 7, "expires": 4102444800.0},  # no data
        {"owner": 7, "expires": "2100-01-01", "data": {}},
        {"owner": 7, "expires": True, "data": {}},
        {"owner": 7, "expires": 4102444800.0, "data": ["nonce"]},
        {"owner": 7, "expires": 4102444800.0, "data": {}, "extra": 1},
        # An older shape: the link proof's flat dict before this module.
        {"account": 7, "court": "vid", "nonce": "n", "expires": 4102444800.0},
    ],
)
def test_a_damaged_or_older_entry_reads_as_absent_and_is_dropped(entry):
    request = browser()
    request.session[PROOF.key] = entry
    assert PROOF.peek(request, owner=7) is None
    assert PROOF.key not in request.session


def test_values_that_a_session_cannot_store_are_refused_at_once():
    request = browser()
    with pytest.raises(TypeError):
        PROOF.put(request, owner=7, when=dt.date(2026, 1, 1))
    assert PROOF.key not in request.session
