"""Anchors: the audit chain's head, written down where the database owner cannot reach.

The keyed hash stops anyone without the audit key from changing or re-hashing events,
but not from cutting the newest events off and moving the chain head back to the last
one kept: what remains is a valid chain. An anchor records, outside the database, that
event N had hash H; `nextgen audit verify` then insists that event N is still there with
that hash. `nextgen audit anchor` appends one to settings.NEXTGEN_AUDIT_ANCHOR_FILE (a
file on another machine, or one marked append-only with `chattr +a`) and, if
NEXTGEN_AUDIT_ANCHOR_EMAIL names auditors, mails it to them. Run it on a timer: events
newer than the last anchor are the only ones that can vanish unnoticed.

Each anchor line is JSON with an HMAC under the audit key, so a line added to the file
by someone without the key is noticed too.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .models import Event
from .services import Anchor, _event_digest, audit_key


class AnchorRefused(Exception):
    """The chain head cannot be anchored (its newest event is not what was written)."""


@dataclass(frozen=True)
class AnchorFile:
    """The valid anchors of one file, and what is wrong with its other lines."""

    path: Path
    exists: bool
    anchors: list[Anchor]
    problems: list[str]


def _mac(event_id: int, event_hash: str, anchored_at: str, key: bytes) -> str:
    message = f"nextgen-audit-anchor|{event_id}|{event_hash}|{anchored_at}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def anchor_path() -> Path:
    return Path(settings.NEXTGEN_AUDIT_ANCHOR_FILE)


def newest_anchor() -> Anchor | None:
    """An anchor for the newest event, or None for an empty log. Refuses an event whose
    own hash is not keyed: a log already rewritten must not be vouched for."""
    last = Event.objects.order_by("-id").first()
    if last is None:
        return None
    if last.hash != _event_digest(last.prev_hash, last):
        raise AnchorRefused(
            f"the newest event ({last.pk}) does not verify under the audit key; run "
            "`nextgen audit verify`"
        )
    return Anchor(last.pk, last.hash, timezone.now().isoformat(timespec="seconds"))


def anchor_line(anchor: Anchor) -> str:
    return json.dumps(
        {
            "anchored_at": anchor.anchored_at,
            "event_id": anchor.event_id,
            "hash": anchor.hash,
            "mac": _mac(anchor.event_id, anchor.hash, anchor.anchored_at, audit_key()),
        },
        sort_keys=True,
    )


def append(anchor: Anchor, path: Path | None = None) -> str:
    """Append `anchor` to the anchor file (created if need be) and force it to disk.
    Returns the line written."""
    path = path or anchor_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    line = anchor_line(anchor)
    # O_APPEND: each write lands at the end, whatever else appends (and what `chattr +a`
    # allows); never opened for writing anywhere else.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, (line + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    return line


def read(path: Path | None = None) -> AnchorFile:
    """Every anchor in the file whose HMAC is right; each other line is a problem."""
    path = path or anchor_path()
    if not path.exists():
        return AnchorFile(path, False, [], [])
    key = audit_key()
    anchors: list[Anchor] = []
    problems: list[str] = []
    with path.open(encoding="utf-8", errors="replace") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                anchor = Anchor(int(data["event_id"]), str(data["hash"]), str(data["anchored_at"]))
                mac = str(data["mac"])
            except (ValueError, KeyError, TypeError):
                problems.append(f"line {number} is not an anchor")
                continue
            # Plain comparisons: these are read from files and rows anyone with access
            # may have filled with anything (compare_digest refuses non-ASCII text), and
            # no secret is being guessed against the clock here.
            if mac != _mac(anchor.event_id, anchor.hash, anchor.anchored_at, key):
                problems.append(
                    f"line {number} (event {anchor.event_id}) does not carry the audit "
                    "key's HMAC: it was not written by `nextgen audit anchor` (or the key "
                    "is not the one it was written with)"
                )
                continue
            anchors.append(anchor)
    return AnchorFile(path, True, anchors, problems)
