"""`nextgen audit verify` recomputes the hash chain and names the first broken link;
concurrent appends on PostgreSQL never fork the chain."""

import threading
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import RequestFactory

from nextgen.audit.models import ChainHead, Event
from nextgen.audit.services import (
    CHAIN_BROKEN,
    CONTENT_CHANGED,
    HEAD_MISMATCH,
    _event_digest,
    record,
    verify_chain,
)
from tests.audit.maintenance import suspended
from tests.factories import AccountFactory


def verify() -> str:
    """The command's output when it succeeds."""
    from io import StringIO

    out = StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def verify_fails() -> str:
    """The command's message when it fails; it must fail with exit status 1."""
    with pytest.raises(CommandError) as failure:
        verify()
    assert failure.value.returncode == 1
    return str(failure.value)


def tamper(sql: str, params=()) -> None:
    """Change rows as only someone with the table owner's rights could."""
    with suspended(connection), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def log(db):
    """Twelve varied events, as the flows write them."""
    account = AccountFactory()
    rf = RequestFactory()
    events = []
    for i in range(12):
        request = rf.get("/", REMOTE_ADDR="192.0.2.7", HTTP_USER_AGENT=f"agent {i}")
        events.append(
            record(
                f"action.{i % 3}",
                outcome="success" if i % 2 else "failure",
                request=request,
                actor=account if i % 4 else None,
                username_tried=account.username,
                court_code="vid",
                details={"n": i, "nested": {"b": [1, 2.5, None], "a": True}, "text": "é"},
            )
        )
    return events


def test_an_empty_log_verifies(db):
    assert verify().startswith("OK: 0 events, chain intact")


def test_the_chain_verifies_after_many_events(log):
    more = [record("bulk", details={"i": i}) for i in range(500)]
    report = verify_chain(chunk_size=7)  # many chunk boundaries
    assert report.ok and report.events == 512
    assert verify().startswith("OK: 512 events, chain intact")
    assert ChainHead.objects.get().last_hash == more[-1].hash


def test_what_is_hashed_is_what_the_database_gives_back(db):
    """Values the database normalises (IPv6 spelling, JSON) hash the same on re-reading."""
    request = RequestFactory().get("/", REMOTE_ADDR="2001:DB8:0:0:0:0:0:1")
    record("login", request=request, details={"3": 1, "float": 0.1, "list": ("a", "b")})
    record("login", request=RequestFactory().get("/", REMOTE_ADDR="::ffff:192.0.2.1"))
    assert Event.objects.first().client_ip == "2001:db8::1"
    assert verify_chain().ok


def test_a_changed_row_is_reported_as_content_changed(log):
    target = log[4]
    tamper("UPDATE audit_event SET outcome = 'success', action = 'x' WHERE id = %s", [target.pk])
    report = verify_chain()
    assert report.first_break.event_id == target.pk
    assert report.first_break.problem == CONTENT_CHANGED
    message = verify_fails()
    assert f"BROKEN at event {target.pk} ({target.created_at.isoformat()})" in message
    assert CONTENT_CHANGED in message


def test_the_first_of_several_breaks_is_reported(log):
    tamper(
        "UPDATE audit_event SET user_agent = 'forged' WHERE id IN (%s, %s)", [log[9].pk, log[3].pk]
    )
    assert f"BROKEN at event {log[3].pk} " in verify_fails()


def test_a_rehashed_row_breaks_the_chain_at_the_next_one(log):
    """Changing a row and recomputing its own hash still leaves its successor pointing at
    the old hash."""
    target = log[5]
    target.details = {"n": "forged"}
    forged = _event_digest(target.prev_hash, target)
    tamper(
        "UPDATE audit_event SET details = %s, hash = %s WHERE id = %s",
        ['{"n": "forged"}', forged, target.pk],
    )
    report = verify_chain()
    assert report.first_break.event_id == log[6].pk
    assert report.first_break.problem == CHAIN_BROKEN
    assert f"event {target.pk}" in report.first_break.detail
    assert f"BROKEN at event {log[6].pk} " in verify_fails()


def test_a_removed_row_breaks_the_chain(log):
    tamper("DELETE FROM audit_event WHERE id = %s", [log[7].pk])
    report = verify_chain()
    assert (report.first_break.event_id, report.first_break.problem) == (log[8].pk, CHAIN_BROKEN)
    assert f"event {log[6].pk}" in report.first_break.detail


def test_a_removed_first_row_breaks_the_chain(log):
    tamper("DELETE FROM audit_event WHERE id = %s", [log[0].pk])
    report = verify_chain()
    assert (report.first_break.event_id, report.first_break.problem) == (log[1].pk, CHAIN_BROKEN)
    assert "the start of the log" in report.first_break.detail


def test_rows_removed_from_the_end_are_noticed_by_the_chain_head(log):
    tamper("DELETE FROM audit_event WHERE id >= %s", [log[10].pk])
    report = verify_chain()
    assert report.first_break.problem == HEAD_MISMATCH
    assert f"ends at the last event ({log[9].pk})" in report.first_break.detail
    assert "BROKEN at end: head mismatch" in verify_fails()


def test_verify_fails_while_the_triggers_are_off(log):
    with suspended(connection):
        message = verify_fails()
    assert "NOT APPEND-ONLY" in message
    assert "BROKEN" not in message
    assert verify().startswith("OK: 12 events")


# --- Concurrent appends (PostgreSQL) ------------------------------------------


def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "row locks are tested on PostgreSQL (CI sets DATABASE_URL); SQLite "
            "serialises writers anyway"
        )


def _in_threads(count: int, work) -> list:
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:  # surfaced by the assertions
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_chain():
    _postgresql_only()
    record("start")

    def append_many(i: int) -> int:
        for n in range(25):
            with transaction.atomic():  # as in the flows: inside a larger transaction
                record("concurrent", details={"thread": i, "n": n})
        return i

    assert _in_threads(8, append_many) == list(range(8))
    report = verify_chain()
    assert report.ok and report.events == 1 + 8 * 25
    hashes = list(Event.objects.values_list("prev_hash", flat=True))
    assert len(set(hashes)) == len(hashes)  # no two events share a predecessor


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_waiting_append_chains_to_the_one_it_waited_for():
    """The second append blocks on the head's row lock until the first commits, then
    reads the head the first wrote."""
    _postgresql_only()
    record("start")
    first_recorded, release = threading.Event(), threading.Event()
    first: list = []

    def hold_the_lock():
        try:
            with transaction.atomic():
                first.append(record("first"))
                first_recorded.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    assert first_recorded.wait(10)
    second: list = []

    def append_second():
        try:
            second.append(record("second"))
        finally:
            connection.close()

    waiter = threading.Thread(target=append_second)
    waiter.start()
    time.sleep(0.5)
    assert not second  # still waiting for the lock
    release.set()
    holder.join(10)
    waiter.join(10)
    assert second[0].prev_hash == first[0].hash
    assert verify_chain().ok


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_first_appends_without_a_head_row_keep_one_chain():
    """The head row comes from a migration; should it be missing (a flushed test
    database), the first appends race to create it and still form one chain."""
    _postgresql_only()
    ChainHead.objects.all().delete()
    _in_threads(6, lambda i: record("first", details={"thread": i}))
    report = verify_chain()
    assert report.ok and report.events == 6
