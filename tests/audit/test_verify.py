"""`nextgen audit verify` recomputes the hash chain and names the first broken link;
concurrent appends on PostgreSQL never fork the chain."""

import hashlib
import json
import threading
import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import RequestFactory

from nextgen.audit.models import Action, ChainHead, Event
from nextgen.audit.services import (
    CHAIN_BROKEN,
    CONTENT_CHANGED,
    HEAD_MISMATCH,
    UNKEYED,
    _event_digest,
    seal_legacy_chain,
    verify_chain,
)
from tests.audit.maintenance import suspended
from tests.factories import AccountFactory, audit_event


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
            audit_event(
                (Action.LOGIN, Action.LOGOUT, Action.MFA_SKIP)[i % 3],
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
    more = [audit_event(Action.LOGIN, details={"i": i}) for i in range(500)]
    report = verify_chain(chunk_size=7)  # many chunk boundaries
    assert report.ok and report.events == 512
    assert verify().startswith("OK: 512 events, chain intact")
    assert ChainHead.objects.get().last_hash == more[-1].hash


def test_what_is_hashed_is_what_the_database_gives_back(db):
    """Values the database normalises (IPv6 spelling, JSON) hash the same on re-reading."""
    request = RequestFactory().get("/", REMOTE_ADDR="2001:DB8:0:0:0:0:0:1")
    audit_event(Action.LOGIN, request=request, details={"3": 1, "float": 0.1, "list": ("a", "b")})
    audit_event(Action.LOGIN, request=RequestFactory().get("/", REMOTE_ADDR="::ffff:192.0.2.1"))
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


# --- The database owner's attacks: re-hashing with the public formula, cutting the end --


HASHED = (
    "created_at",
    "actor_id",
    "subject_id",
    "username_tried",
    "court_code",
    "action",
    "outcome",
    "client_ip",
    "user_agent",
    "details",
)


def public_formula(
    prev: str, created_at, actor, subject, tried, court, action, outcome, ip, ua, details
):
    """The hash as the code computes it for everyone to read: SHA-256 over the JSON."""
    body = {
        "prev": prev,
        "at": created_at.isoformat(),
        "actor": actor,
        "subject": subject,
        "username_tried": tried,
        "court": court,
        "action": action,
        "outcome": outcome,
        "ip": ip,
        "ua": ua,
        "details": details,
    }
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


def rehash_from(first_id: int | None = None) -> None:
    """Recompute, with the public formula, the hash of every event from `first_id` on
    (each chained to the one before) and move the head: what the owner can do in SQL."""
    rows = list(Event.objects.order_by("id").values_list("id", "prev_hash", *HASHED))
    prev = ""
    with suspended(connection), connection.cursor() as cursor:
        for event_id, _prev_hash, *content in rows:
            if first_id is None or event_id >= first_id:
                new = public_formula(prev, *content)
                cursor.execute(
                    "UPDATE audit_event SET prev_hash = %s, hash = %s WHERE id = %s",
                    [prev, new, event_id],
                )
                prev = new
            else:
                prev = Event.objects.values_list("hash", flat=True).get(pk=event_id)
        cursor.execute("UPDATE audit_chainhead SET last_hash = %s WHERE id = 1", [prev])


def anchor() -> str:
    from io import StringIO

    out = StringIO()
    call_command("audit", "anchor", stdout=out)
    return out.getvalue()


def test_a_row_rewritten_and_the_rest_rehashed_with_the_public_formula_fails(log):
    target = log[4]
    tamper(
        "UPDATE audit_event SET outcome = 'success', details = %s WHERE id = %s",
        ['{"n": "forged"}', target.pk],
    )
    rehash_from(target.pk)
    report = verify_chain()
    assert (report.first_break.event_id, report.first_break.problem) == (
        target.pk,
        CONTENT_CHANGED,
    )
    assert "HMAC" in report.first_break.detail
    assert f"BROKEN at event {target.pk} " in verify_fails()


def test_the_whole_log_rehashed_with_the_public_formula_fails(log):
    """Re-hashing from the very first event leaves no keyed event to contradict it: a log
    with no keyed event at all is refused."""
    tamper("UPDATE audit_event SET user_agent = 'forged' WHERE id = %s", [log[2].pk])
    rehash_from()
    report = verify_chain()
    assert report.first_break.problem == UNKEYED
    assert "BROKEN at end: not keyed" in verify_fails()
    # Nor does the next event the application appends (keyed, chained to the forged
    # head) make the forged events pass: it is not the seal that names them.
    appended = audit_event(Action.LOGIN)
    report = verify_chain()
    assert (report.first_break.event_id, report.first_break.problem) == (appended.pk, UNKEYED)


def test_the_wrong_key_fails_every_event(log, settings):
    settings.NEXTGEN_AUDIT_KEY = "another-key-" + "x" * 40
    report = verify_chain()
    assert (report.first_break.event_id, report.first_break.problem) == (log[0].pk, CONTENT_CHANGED)


def test_cutting_events_off_the_end_and_moving_the_head_fails_against_an_anchor(log):
    assert anchor().startswith(f"Anchored event {log[-1].pk} in ")
    tamper("DELETE FROM audit_event WHERE id >= %s", [log[9].pk])
    tamper("UPDATE audit_chainhead SET last_hash = %s WHERE id = 1", [log[8].hash])
    report = verify_chain()  # without the anchor, what is left is a valid chain
    assert report.ok
    message = verify_fails()
    assert "BROKEN at end: anchor mismatch" in message
    assert f"names event {log[-1].pk}, which is no longer in the log" in message
    assert f"it ends at event {log[8].pk}" in message


def test_cutting_the_end_and_regrowing_the_log_fails_against_an_anchor(log):
    """After the cut the application appends again; an anchored id that is reused (the
    owner can reset the sequence) holds another hash."""
    anchor()
    tamper("DELETE FROM audit_event WHERE id >= %s", [log[9].pk])
    tamper("UPDATE audit_chainhead SET last_hash = %s WHERE id = 1", [log[8].hash])
    with suspended(connection), connection.cursor() as cursor:
        for event in log[9:]:  # the same ids, new content, keyed by the application
            forged = audit_event(Action.LOGIN, details={"regrown": True})
            cursor.execute("UPDATE audit_event SET id = %s WHERE id = %s", [event.pk, forged.pk])
    assert verify_chain().ok
    message = verify_fails()
    assert f"BROKEN at event {log[-1].pk} " in message and "anchor mismatch" in message


def test_anchors_that_still_match_verify(log):
    anchor()
    audit_event(Action.LOGOUT)
    anchor()
    out = verify()
    assert out.startswith("OK: 13 events, chain intact")
    assert "2 anchors match the log, in " in out


def test_a_forged_anchor_line_fails(log, settings):
    anchor()
    with open(settings.NEXTGEN_AUDIT_ANCHOR_FILE, "a") as f:
        f.write(json.dumps({"event_id": 1, "hash": "0" * 64, "anchored_at": "x", "mac": "1"}))
        f.write("\nnot json\n")
        f.write(json.dumps({"event_id": 2, "hash": "é", "anchored_at": "x", "mac": "é"}) + "\n")
    message = verify_fails()
    assert "FORGED ANCHOR" in message and "line 2 (event 1)" in message
    assert "line 3 is not an anchor" in message
    assert "line 4 (event 2)" in message


def test_verify_checks_an_auditors_copy_of_the_anchors(log, settings, tmp_path):
    anchor()
    copy = tmp_path / "auditor.jsonl"
    copy.write_text(settings.NEXTGEN_AUDIT_ANCHOR_FILE.read_text())
    settings.NEXTGEN_AUDIT_ANCHOR_FILE = tmp_path / "gone.jsonl"
    out = StringIO()
    call_command("audit", "verify", "--anchors", str(copy), stdout=out)
    assert f"1 anchor matches the log, in {copy}" in out.getvalue()
    with pytest.raises(CommandError, match="NO ANCHOR FILE"):
        call_command("audit", "verify", "--anchors", str(tmp_path / "none.jsonl"))


def test_without_anchors_verify_says_what_it_cannot_see(log):
    assert "No anchors in " in verify()


def test_the_anchor_is_mailed_to_the_auditor(log, settings, mailoutbox):
    settings.NEXTGEN_AUDIT_ANCHOR_EMAIL = ["auditor@example.gov"]
    assert "Mailed to auditor@example.gov" in anchor()
    (message,) = mailoutbox
    assert message.to == ["auditor@example.gov"]
    line = settings.NEXTGEN_AUDIT_ANCHOR_FILE.read_text().strip()
    assert line in message.body


def test_an_empty_log_is_not_anchored(db, settings):
    assert "nothing to anchor" in anchor()
    assert not settings.NEXTGEN_AUDIT_ANCHOR_FILE.exists()


def test_a_rewritten_head_is_never_anchored(log):
    rehash_from(log[10].pk)
    with pytest.raises(CommandError, match="NOT ANCHORED"):
        anchor()


# --- Logs begun before keyed hashing (migration 0005 seals them) ----------------------


@pytest.fixture
def legacy_log(db):
    """Five events as the code wrote them before keyed hashing (not yet sealed)."""
    prev = ""
    events = []
    for i in range(5):
        event = Event(action=f"old.{i}", outcome="success", details={"i": i})
        event.prev_hash = prev
        event.hash = public_formula(prev, *(getattr(event, name) for name in HASHED))
        event.save()
        events.append(event)
        prev = event.hash
    ChainHead.objects.update_or_create(id=1, defaults={"last_hash": prev})
    return events


def test_a_legacy_log_is_sealed_and_verifies(legacy_log):
    seal = seal_legacy_chain(Event, ChainHead)
    assert seal.details == {"legacy_events": 5, "legacy_head": legacy_log[-1].hash}
    assert seal_legacy_chain(Event, ChainHead) is None  # once only
    audit_event(Action.LOGIN)
    report = verify_chain()
    assert report.ok and (report.events, report.legacy_events) == (7, 5)
    assert "the first 5 from before keyed hashing (sealed)" in verify()


def test_an_unsealed_legacy_log_fails(legacy_log):
    assert verify_chain().first_break.problem == UNKEYED


def test_a_sealed_legacy_event_rewritten_and_rehashed_fails(legacy_log):
    seal_legacy_chain(Event, ChainHead)
    audit_event(Action.LOGIN)
    tamper("UPDATE audit_event SET action = 'forged' WHERE id = %s", [legacy_log[1].pk])
    rehash_from(legacy_log[1].pk)  # the seal and what follows too: nothing keyed is left
    assert verify_chain().first_break.problem == UNKEYED


def test_a_sealed_legacy_log_rehashed_up_to_the_seal_fails(legacy_log):
    seal = seal_legacy_chain(Event, ChainHead)
    tamper("UPDATE audit_event SET action = 'forged' WHERE id = %s", [legacy_log[1].pk])
    rehash_from(legacy_log[1].pk)
    with suspended(connection), connection.cursor() as cursor:  # the seal as it was
        cursor.execute(
            "UPDATE audit_event SET prev_hash = %s, hash = %s WHERE id = %s",
            [seal.prev_hash, seal.hash, seal.pk],
        )
    report = verify_chain()
    assert (report.first_break.event_id, report.first_break.problem) == (seal.pk, CHAIN_BROKEN)


def test_an_empty_log_needs_no_seal(db):
    assert seal_legacy_chain(Event, ChainHead) is None
    assert Event.objects.count() == 0


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
    audit_event(Action.LOGIN)

    def append_many(i: int) -> int:
        for n in range(25):
            with transaction.atomic():  # as in the flows: inside a larger transaction
                audit_event(Action.LOGOUT, details={"thread": i, "n": n})
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
    audit_event(Action.LOGIN)
    first_recorded, release = threading.Event(), threading.Event()
    first: list = []

    def hold_the_lock():
        try:
            with transaction.atomic():
                first.append(audit_event(Action.LOGIN))
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
            second.append(audit_event(Action.LOGOUT))
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
    _in_threads(6, lambda i: audit_event(Action.LOGIN, details={"thread": i}))
    report = verify_chain()
    assert report.ok and report.events == 6
