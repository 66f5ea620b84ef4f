"""Writing audit events. Call `record` inside the transaction of the change it describes."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from .models import ChainHead, Event, Outcome

# Keys never written to the log, whatever a caller passes in `details`.
_SECRET_WORDS = ("password", "token", "secret", "answer", "otp", "code_value", "nextgencso")


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _scrub(details: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in details.items() if not any(w in k.lower() for w in _SECRET_WORDS)}


def _digest(prev_hash: str, event: Event) -> str:
    body = json.dumps(
        {
            "prev": prev_hash,
            "at": event.created_at.isoformat(),
            "actor": event.actor_id,
            "subject": event.subject_id,
            "username_tried": event.username_tried,
            "court": event.court_code,
            "action": event.action,
            "outcome": event.outcome,
            "ip": event.client_ip,
            "ua": event.user_agent,
            "details": event.details,
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(body.encode()).hexdigest()


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
        client_ip=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request else "")[:300],
        details=_scrub(details or {}),
    )
    with transaction.atomic():
        head, _ = ChainHead.objects.select_for_update().get_or_create(id=1)
        event.prev_hash = head.last_hash
        event.hash = _digest(head.last_hash, event)
        event.save()
        head.last_hash = event.hash
        head.save(update_fields=["last_hash"])
    return event


def verify_chain() -> Event | None:
    """The first event whose hash does not follow from its predecessor, or None."""
    prev = ""
    for event in Event.objects.order_by("id").iterator(chunk_size=2000):
        if event.prev_hash != prev or event.hash != _digest(prev, event):
            return event
        prev = event.hash
    return None
