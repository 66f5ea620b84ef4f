"""Writing audit events. Call `record` inside the transaction of the change it describes.

Each event's hash is HMAC-SHA256, under the audit key (settings.NEXTGEN_AUDIT_KEY, kept
outside the database), over its content and its predecessor's hash. The database owner
can write rows but not compute that HMAC, so a changed row fails verification whatever
is re-hashed after it. What the key cannot show (the newest events cut off and the head
moved back) the anchors show (nextgen/audit/anchors.py).

Logs begun before keyed hashing hold events hashed with plain SHA-256 (the public
formula). Those are accepted only as the log's first events, and only when the first
keyed event is the seal that migration 0005 wrote, naming how many there were and the
last one's hash: a log re-hashed with the public formula has no valid seal.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from nextgen.network import client_address, client_group
from nextgen.precompiled import Precompiled, insert_statement

from .models import Action, ChainHead, Event, Outcome

_IP_FIELD = Event._meta.get_field("client_ip")

# Keys never written to the log, whatever a caller passes in `details`.
_SECRET_WORDS = ("password", "token", "secret", "answer", "otp", "code_value", "nextgencso")


def client_ip(request: HttpRequest | None) -> str | None:
    """The address recorded for the request's client: the one the throttle counts
    (nextgen.network), so behind a proxy the log names the client, not the proxy."""
    return client_address(request)


def _scrub(details: Any) -> Any:
    """`details` without any key that names a secret, at any depth."""
    if isinstance(details, dict):
        return {
            k: _scrub(v)
            for k, v in details.items()
            if not any(w in str(k).lower() for w in _SECRET_WORDS)
        }
    if isinstance(details, list | tuple):
        return [_scrub(v) for v in details]
    return details


SEAL_ACTION = "audit.keyed"


def audit_key() -> bytes:
    """The key of every event's HMAC: settings.NEXTGEN_AUDIT_KEY, else (demo, tests) one
    generated once into var/audit_key."""
    if settings.NEXTGEN_AUDIT_KEY:
        return settings.NEXTGEN_AUDIT_KEY.encode()
    return _generated_key(str(settings.VAR_DIR / "audit_key"))


@functools.cache
def _generated_key(path: str) -> bytes:
    if not os.path.exists(path):
        # var/ may not exist yet (settings create no folder; `nextgen init_var` does).
        os.makedirs(os.path.dirname(path), exist_ok=True)
        # Written aside and linked into place: of two processes starting at once, one
        # link wins and both read the winner's key (never a half-written file).
        draft = f"{path}.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(48))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(draft)
    with open(path) as f:
        return f.read().strip().encode()


def _body(
    prev_hash: str,
    created_at,
    actor_id,
    subject_id,
    username_tried,
    court_code,
    action,
    outcome,
    client_ip,
    user_agent,
    details,
) -> bytes:
    """One event's content and its predecessor's hash, as the bytes that are hashed."""
    return json.dumps(
        {
            "prev": prev_hash,
            "at": created_at.isoformat(),
            "actor": actor_id,
            "subject": subject_id,
            "username_tried": username_tried,
            "court": court_code,
            "action": action,
            "outcome": outcome,
            "ip": client_ip,
            "ua": user_agent,
            "details": details,
        },
        sort_keys=True,
        default=str,
    ).encode()


def _digest(prev_hash: str, *content, key: bytes | None = None) -> str:
    """HMAC-SHA256 under the audit key over one event's content and its predecessor's
    hash (content in _HASHED's order)."""
    key = audit_key() if key is None else key
    return hmac.new(key, _body(prev_hash, *content), hashlib.sha256).hexdigest()


def _public_digest(prev_hash: str, *content) -> str:
    """Plain SHA-256, as events were hashed before keyed hashing: anyone can compute it."""
    return hashlib.sha256(_body(prev_hash, *content)).hexdigest()


# The hashed columns, in _digest's order: verify_chain reads exactly these.
_HASHED = (
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


def _event_digest(prev_hash: str, event: Event, *, key: bytes | None = None) -> str:
    return _digest(prev_hash, *(getattr(event, name) for name in _HASHED), key=key)


def seal_legacy_chain(event_model, head_model, *, using: str = "default") -> Event | None:
    """Append the seal after events hashed with the public formula (a log begun before
    keyed hashing): a keyed event naming how many there are and the last one's hash.
    Nothing when the log is empty or already ends in a keyed event. For migration 0005,
    which passes its historical models."""
    key = audit_key()
    with transaction.atomic(using=using):
        head, _ = head_model.objects.using(using).select_for_update().get_or_create(id=1)
        last = event_model.objects.using(using).order_by("-id").first()
        if last is None or last.hash == _event_digest(last.prev_hash, last, key=key):
            return None
        seal = event_model(
            action=SEAL_ACTION,
            outcome=Outcome.SUCCESS,
            details={
                "legacy_events": event_model.objects.using(using).count(),
                "legacy_head": last.hash,
            },
        )
        seal.prev_hash = last.hash
        seal.hash = _event_digest(last.hash, seal, key=key)
        seal.save(using=using)
        head.last_hash = seal.hash
        head.save(using=using, update_fields=["last_hash"])
    return seal


# A refusal because too many attempts failed: `details["reason"]` of such events.
THROTTLED = "throttled"
FLOOD_WINDOW_SECONDS = 60


def _is_flood_checkpoint(n: int) -> bool:
    """1, 10, 100, 1000, ...: the attempts of one minute that are written down."""
    while n >= 10 and n % 10 == 0:
        n //= 10
    return n == 1


def _flood_count(action: str, request: HttpRequest) -> int | None:
    """How many throttled attempts of `action` this client has made this minute, this
    one included; None when the cache cannot count (then every one is recorded)."""
    window = int(timezone.now().timestamp()) // FLOOD_WINDOW_SECONDS
    key = f"audit-flood:{action}:{client_group(request)}:{window}"
    try:
        cache.add(key, 0, timeout=2 * FLOOD_WINDOW_SECONDS)
        return cache.incr(key)
    except Exception:  # the cache is down or lost the key: record rather than drop
        return None


class SystemActor:
    """Who acts in work no signed-in person started: a management command, the worker,
    the demo loader. Passed as `acting=SYSTEM` (actions take `acting` without a default,
    so "nobody" is said, never assumed); its events have no actor."""

    is_authenticated = False
    pk = None

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = SystemActor()


def in_callers_transaction(using: str | None = None) -> bool:
    """Whether the code runs inside an atomic block of its own. The blocks a test case
    opens around each test (pytest-django's `db`) do not count: they stand for autocommit,
    as Django's own durable check treats them, so the suite finds every record() that
    production would run outside a transaction."""
    connection = transaction.get_connection(using)
    return connection.in_atomic_block and not all(
        getattr(block, "_from_testcase", False) for block in connection.atomic_blocks
    )


def record(
    action: Action,
    *,
    outcome: str = Outcome.SUCCESS,
    request: HttpRequest | None = None,
    actor=None,
    subject=None,
    username_tried: str = "",
    court_code: str = "",
    details: dict[str, Any] | None = None,
) -> Event | None:
    """Append one event to the log, chained to the one before it.

    Except in a flood: the log cannot be pruned, so an attacker hammering a throttled
    form must not grow it one row per request. A refusal because of throttling
    (outcome REFUSED, details["reason"] == THROTTLED) is written for a client's first
    such attempt at `action` in each minute, then only at its 10th, 100th, 1,000th ...,
    each row carrying details["count"], the attempts of that minute so far: at most a
    handful of rows per client per minute. The others return None, unwritten.

    `action` must be an `Action` member, not a string: a typo then fails at import or
    in the first test rather than writing an event no query ever finds.

    Runs only inside the caller's transaction (RuntimeError otherwise): the event and the
    change it describes commit together or not at all. It locks the chain head until that
    transaction ends, so it is the last statement of the action's transaction."""
    if not isinstance(action, Action):
        raise TypeError(f"record() takes an audit Action, not {type(action).__name__}")
    if not in_callers_transaction():
        raise RuntimeError(
            f"record({action.name}) outside a transaction: an audit event is written in "
            "the transaction of the change it describes (wrap the action in "
            "transaction.atomic(durable=True))"
        )
    if actor is not None and not getattr(actor, "is_authenticated", True):
        actor = None
    details = dict(details or {})
    if outcome == Outcome.REFUSED and details.get("reason") == THROTTLED and request is not None:
        count = _flood_count(action, request)
        if count is not None:
            if not _is_flood_checkpoint(count):
                return None
            details["count"] = count
    event = Event(
        action=action,
        outcome=outcome,
        actor=actor,
        subject=subject if subject is not None else actor,
        username_tried=username_tried[:150],
        court_code=court_code,
        # As the database will store it (IPv6 in its canonical form), so the hash
        # computed now is the one recomputed from the stored row.
        client_ip=_IP_FIELD.get_prep_value(client_ip(request)),
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request else "")[:300],
        details=_scrub(details),
    )
    # The row lock orders appends: a concurrent append waits here until the one holding
    # the lock commits, then reads the head it wrote (READ COMMITTED re-reads a row it
    # waited for), so two events never share a predecessor. The lock is held until the
    # caller's COMMIT, so callers record last (after slow work such as forwarding).
    # Migration 0004 creates the row; get_or_create only matters after a test flush, and
    # a concurrent first insert then fails on the primary key and falls back to locking
    # and reading the row the winner committed.
    last_hash = _locked_head_hash()
    event.prev_hash = last_hash
    event.hash = _event_digest(last_hash, event)
    _append(event)
    return event


# The chain head, locked: read on every audited action, so its SQL is compiled once per
# process (nextgen.precompiled).
_HEAD = Precompiled[ChainHead](lambda: ChainHead.objects.select_for_update().filter(id=1))


def _locked_head_hash() -> str:
    head = _HEAD.first()
    if head is None:  # only after a test flush: see record()
        head, _ = ChainHead.objects.select_for_update().get_or_create(id=1)
    return head.last_hash


def _append(event: Event) -> None:
    """Insert `event` and move the head to its hash. On PostgreSQL one statement (the
    insert in a WITH, the head's update), one round trip less on every audited action;
    elsewhere the ORM's two."""
    connection = transaction.get_connection()
    if connection.vendor != "postgresql":
        event.save()
        ChainHead.objects.filter(id=1).update(last_hash=event.hash)
        return
    insert_sql, params = insert_statement(event, connection, returning=True)
    qn = connection.ops.quote_name
    head, event_id = ChainHead._meta, qn(Event._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH appended AS ({insert_sql}) UPDATE {qn(head.db_table)} "  # noqa: S608 (names from _meta)
            f"SET {qn(head.get_field('last_hash').column)} = %s WHERE {qn(head.pk.column)} = %s "
            f"RETURNING (SELECT {event_id} FROM appended)",
            [*params, event.hash, 1],
        )
        (event.pk,) = cursor.fetchone()
    event._state.adding = False
    event._state.db = connection.alias


def record_alone(action: Action, **event: Any) -> Event | None:
    """An event that is its own action: a refusal or failure that changes nothing else
    (a wrong password, a throttled or forged request). It commits in a durable
    transaction of its own, so it can never ride, or be rolled back with, a caller's."""
    with transaction.atomic(durable=True):
        return record(action, **event)


@dataclass(frozen=True)
class Break:
    """The first place where the log is not what was written."""

    event_id: int | None
    created_at: datetime.datetime | None
    problem: str  # CONTENT_CHANGED, CHAIN_BROKEN, HEAD_MISMATCH, UNKEYED or ANCHOR_MISMATCH
    detail: str


CONTENT_CHANGED = "content changed"
CHAIN_BROKEN = "chain broken"
HEAD_MISMATCH = "head mismatch"
UNKEYED = "not keyed"
ANCHOR_MISMATCH = "anchor mismatch"


@dataclass(frozen=True)
class Anchor:
    """A chain head written down outside the database: event `event_id` had `hash`."""

    event_id: int
    hash: str
    anchored_at: str


@dataclass(frozen=True)
class ChainReport:
    events: int  # events read (up to and including a break)
    first_break: Break | None
    legacy_events: int = 0  # hashed with the public formula before keyed hashing, sealed
    anchors_checked: int = 0

    @property
    def ok(self) -> bool:
        return self.first_break is None


def verify_chain(*, chunk_size: int = 5000, anchors: Sequence[Anchor] = ()) -> ChainReport:
    """Recompute every event's hash from its stored content and its predecessor, in id order.

    A row whose hash is not the HMAC of its own content (and stored prev_hash) under the
    audit key was changed, or re-hashed by someone without the key: CONTENT_CHANGED.
    Rows hashed with the public formula pass only at the start of the log and only when
    followed by a valid seal: else UNKEYED. A row whose prev_hash is not its
    predecessor's hash follows a removed or inserted row: CHAIN_BROKEN. The chain head
    (read first, so appends committed while this runs do not count against it) must be
    the hash of an event in the chain, else events were removed from the end:
    HEAD_MISMATCH. Each anchor must name an event still in the log with the hash it had:
    else the log was cut back (and perhaps regrown) behind the anchor: ANCHOR_MISMATCH.

    Streams plain tuples (no model instances), so millions of rows take seconds each.
    """
    key = audit_key()
    by_event: dict[int, list[Anchor]] = {}
    for anchor in anchors:
        by_event.setdefault(anchor.event_id, []).append(anchor)
    head = ChainHead.objects.filter(id=1).values_list("last_hash", flat=True).first() or ""
    rows = Event.objects.order_by("id").values_list("id", "prev_hash", "hash", *_HASHED)
    prev, prev_id, count, head_seen = "", None, 0, head == ""
    legacy, keyed_seen, anchors_checked = 0, False, 0

    def report(event_id, created_at, problem: str, detail: str) -> ChainReport:
        return ChainReport(count, Break(event_id, created_at, problem, detail), legacy)

    for event_id, prev_hash, stored_hash, *content in rows.iterator(chunk_size=chunk_size):
        count += 1
        created_at, action, details = content[0], content[5], content[9]
        keyed = stored_hash == _digest(prev_hash, *content, key=key)
        if not keyed:
            if keyed_seen or stored_hash != _public_digest(prev_hash, *content):
                return report(
                    event_id,
                    created_at,
                    CONTENT_CHANGED,
                    "its stored hash is not the HMAC of its content under the audit key: "
                    "the row was altered or re-hashed without the key (or the key is not "
                    "the one the log was written with)",
                )
            legacy += 1
        elif not keyed_seen:
            keyed_seen = True
            if legacy and not (
                action == SEAL_ACTION
                and isinstance(details, dict)
                and details.get("legacy_events") == legacy
                and details.get("legacy_head") == prev_hash
            ):
                return report(
                    event_id,
                    created_at,
                    UNKEYED,
                    f"the {legacy} events before it are hashed with the public formula "
                    "and this is not the seal that names them: they were re-hashed "
                    "without the key",
                )
        if prev_hash != prev:
            after = f"event {prev_id}" if prev_id is not None else "the start of the log"
            return report(
                event_id,
                created_at,
                CHAIN_BROKEN,
                f"its prev_hash is not the hash of {after}: "
                "events were removed, inserted or re-hashed before it",
            )
        for anchor in by_event.pop(event_id, ()):
            anchors_checked += 1
            if anchor.hash != stored_hash:
                return report(
                    event_id,
                    created_at,
                    ANCHOR_MISMATCH,
                    f"the anchor of {anchor.anchored_at} recorded another hash for it "
                    f"({anchor.hash[:12]}...): the log was cut back and rewritten from here",
                )
        prev, prev_id = stored_hash, event_id
        head_seen = head_seen or stored_hash == head
    if legacy and not keyed_seen:
        return report(
            None,
            None,
            UNKEYED,
            f"all {legacy} events are hashed with the public formula, none under the "
            "audit key: the log was re-hashed without the key",
        )
    if by_event:
        missing = min(by_event)
        anchor = by_event[missing][0]
        last = f"event {prev_id}" if prev_id is not None else "no event (empty log)"
        return report(
            None,
            None,
            ANCHOR_MISMATCH,
            f"the anchor of {anchor.anchored_at} names event {missing}, which is no longer "
            f"in the log (it ends at {last}): events were removed from the end",
        )
    if not head_seen:
        last = f"the last event ({prev_id})" if prev_id is not None else "no event (empty log)"
        return report(
            None,
            None,
            HEAD_MISMATCH,
            f"the chain head {head[:12]}... is not the hash of any event; the log "
            f"ends at {last}: events were removed from the end",
        )
    return ChainReport(count, None, legacy, anchors_checked)
