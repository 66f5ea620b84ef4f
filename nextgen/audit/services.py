"""Writing audit events. Call `record` inside the transaction of the change it describes."""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from nextgen.network import client_address

from .models import ChainHead, Event, Outcome

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


def _digest(
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
) -> str:
    """SHA-256 over one event's content and its predecessor's hash."""
    body = json.dumps(
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
    )
    return hashlib.sha256(body.encode()).hexdigest()


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


def _event_digest(prev_hash: str, event: Event) -> str:
    return _digest(prev_hash, *(getattr(event, name) for name in _HASHED))


def record(
    action: str,
    *,
    outcome: str = Outcome.SUCCESS,
    request: HttpRequest | None = None,
    actor=None,
    subject=None,
    username_tried: str = "",
    court_code: str = "",
    details: dict[str, Any] | None = None,
) -> Event:
    """Append one event to the log, chained to the one before it."""
    if actor is not None and not getattr(actor, "is_authenticated", True):
        actor = None
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
        details=_scrub(details or {}),
    )
    with transaction.atomic():
        # The row lock orders appends: a concurrent append waits here until the one
        # holding the lock commits, then reads the head it wrote (READ COMMITTED
        # re-reads a row it waited for), so two events never share a predecessor.
        # Migration 0004 creates the row; get_or_create only matters after a test
        # flush, and a concurrent first insert then fails on the primary key and
        # falls back to locking and reading the row the winner committed.
        head, _ = ChainHead.objects.select_for_update().get_or_create(id=1)
        event.prev_hash = head.last_hash
        event.hash = _event_digest(head.last_hash, event)
        event.save()
        head.last_hash = event.hash
        head.save(update_fields=["last_hash"])
    return event


@dataclass(frozen=True)
class Break:
    """The first place where the log is not what was written."""

    event_id: int | None
    created_at: datetime.datetime | None
    problem: str  # CONTENT_CHANGED, CHAIN_BROKEN or HEAD_MISMATCH
    detail: str


CONTENT_CHANGED = "content changed"
CHAIN_BROKEN = "chain broken"
HEAD_MISMATCH = "head mismatch"


@dataclass(frozen=True)
class ChainReport:
    events: int  # events read (up to and including a break)
    first_break: Break | None

    @property
    def ok(self) -> bool:
        return self.first_break is None


def verify_chain(*, chunk_size: int = 5000) -> ChainReport:
    """Recompute every event's hash from its stored content and its predecessor, in id order.

    A row whose hash does not match its own content (and stored prev_hash) was changed:
    CONTENT_CHANGED. A row whose prev_hash is not its predecessor's hash follows a
    removed, inserted or re-hashed row: CHAIN_BROKEN. The chain head (read first, so
    appends committed while this runs do not count against it) must be the hash of an
    event in the chain, else events were removed from the end: HEAD_MISMATCH.

    Streams plain tuples (no model instances), so millions of rows take seconds each.
    """
    head = ChainHead.objects.filter(id=1).values_list("last_hash", flat=True).first() or ""
    rows = Event.objects.order_by("id").values_list("id", "prev_hash", "hash", *_HASHED)
    prev, prev_id, count, head_seen = "", None, 0, head == ""
    for event_id, prev_hash, stored_hash, *content in rows.iterator(chunk_size=chunk_size):
        count += 1
        created_at = content[0]
        if stored_hash != _digest(prev_hash, *content):
            return ChainReport(
                count,
                Break(
                    event_id,
                    created_at,
                    CONTENT_CHANGED,
                    "its stored hash does not match its content: the row was altered",
                ),
            )
        if prev_hash != prev:
            after = f"event {prev_id}" if prev_id is not None else "the start of the log"
            return ChainReport(
                count,
                Break(
                    event_id,
                    created_at,
                    CHAIN_BROKEN,
                    f"its prev_hash is not the hash of {after}: "
                    "events were removed, inserted or re-hashed before it",
                ),
            )
        prev, prev_id = stored_hash, event_id
        head_seen = head_seen or stored_hash == head
    if not head_seen:
        last = f"the last event ({prev_id})" if prev_id is not None else "no event (empty log)"
        return ChainReport(
            count,
            Break(
                None,
                None,
                HEAD_MISMATCH,
                f"the chain head {head[:12]}... is not the hash of any event; the log "
                f"ends at {last}: events were removed from the end",
            ),
        )
    return ChainReport(count, None)
