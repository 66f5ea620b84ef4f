"""Short-lived state that one flow keeps in the session between two requests: expiring,
bound to an owner, used up once.

Four flows need it: the registration and upgrade wizards (answers waiting for the last
step), the pending login (password done, passcode next), the CM/ECF link proof (the
checked credentials waiting for the confirmation), and the password-reset token once
the e-mailed link is opened (moved out of the URL). Each used to keep its own dict with
its own expiry field and its own owner checks; one of them forgetting a check is how a
half-finished login or a stolen proof gets used by the wrong person. Here the checks
are made on every read, in one place:

- **Owner.** Every read names the owner it expects (an account, a court and account, a
  reset link's account...). An entry of another owner reads as absent and is left where
  it is: a session that changes hands (sign-out, sign-in as someone else) never hands
  the old owner's state to the new one.
- **Expiry.** An entry older than its time to live reads as absent and is dropped. The
  clock is django.utils.timezone, so tests move it with time_machine.
- **Single use.** `take` reads and removes in one call: whoever acts on the state uses it
  up. Flows that may be retried (a mistyped passcode) `peek` and `discard` on success.

Why not signed: the session's contents never leave the server (database, Redis); the
cookie carries only a random key. A signature would guard against whoever can write the
session store, who can do worse anyway. What can happen is a value planted from another
session (a stolen proof) or an older or damaged shape: the owner check refuses the first,
the shape check the second (it reads as absent, and is dropped).

What this cannot do: two requests of one session running at once each load the session
before either saves it, so both may see an entry that one of them takes. Anything that
must happen once (linking, setting a password) is also guarded in the database.

Values are JSON-serialisable (sessions are stored as JSON); `put` refuses anything else
at once rather than when the response saves the session, and reads give back what the
session will hold (lists for tuples), the same before and after the session is saved.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

# Whom an entry belongs to: an account's pk, a string (a link's uidb64), several of them
# (account and court), or None (the anonymous visitor holding the session).
Owner = int | str | tuple[int | str | None, ...] | None

_FIELDS = frozenset({"owner", "expires", "data"})


def _stored_owner(owner: Owner) -> Any:
    # The session stores JSON, which has lists, not tuples: compare in the stored form.
    return list(owner) if isinstance(owner, tuple) else owner


@dataclass(frozen=True)
class Read:
    """What a read found: the entry's data, or None; and whether that is because the
    owner's entry had expired (a flow may want to say so rather than start again)."""

    data: dict[str, Any] | None
    expired: bool = False


class SessionState:
    """One kind of entry, kept under one session key (`key`).

    A session holds at most one entry of each kind: a new `put` replaces the previous
    one, whoever owned it."""

    def __init__(self, key: str, *, ttl: dt.timedelta) -> None:
        self.key = key
        self.ttl = ttl

    def put(
        self,
        request: HttpRequest,
        *,
        owner: Owner,
        ttl: dt.timedelta | None = None,
        **data: Any,
    ) -> None:
        """Keep `data` for `owner`, for `ttl` (the kind's own by default) from now."""
        expires = timezone.now() + (self.ttl if ttl is None else ttl)
        request.session[self.key] = {
            "owner": _stored_owner(owner),
            "expires": expires.timestamp(),
            "data": _as_stored(data),
        }

    def read(self, request: HttpRequest, *, owner: Owner) -> Read:
        """`owner`'s live entry, or why there is none. Drops an expired or damaged entry;
        leaves another owner's alone."""
        entry = request.session.get(self.key)
        if entry is None:
            return Read(None)
        if not _well_formed(entry):
            self.discard(request)
            return Read(None)
        if entry["owner"] != _stored_owner(owner):
            return Read(None)
        if timezone.now().timestamp() >= entry["expires"]:
            self.discard(request)
            return Read(None, expired=True)
        return Read(dict(entry["data"]))

    def peek(self, request: HttpRequest, *, owner: Owner) -> dict[str, Any] | None:
        """`owner`'s live entry's data, left in place; None when absent, expired or another
        owner's."""
        return self.read(request, owner=owner).data

    def take(self, request: HttpRequest, *, owner: Owner) -> dict[str, Any] | None:
        """As `peek`, and the entry is removed: a second take finds nothing."""
        data = self.peek(request, owner=owner)
        if data is not None:
            self.discard(request)
        return data

    def update(self, request: HttpRequest, *, owner: Owner, **data: Any) -> bool:
        """Change `owner`'s live entry's data, keeping its expiry (putting again would give
        it a new TTL); False, changing nothing, when there is no such entry."""
        if self.peek(request, owner=owner) is None:
            return False
        entry = request.session[self.key]
        request.session[self.key] = {**entry, "data": _as_stored(data)}
        return True

    def discard(self, request: HttpRequest) -> None:
        """Forget this kind's entry, whoever owns it."""
        request.session.pop(self.key, None)


def _as_stored(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of `data` as the session will store it: a TypeError now for what JSON cannot
    hold (not when the response saves the session), and no object shared with the caller,
    whose later changes would otherwise reach the session unsaved or half-saved."""
    return json.loads(json.dumps(data))


def _well_formed(entry: object) -> bool:
    return (
        isinstance(entry, Mapping)
        and set(entry) == _FIELDS
        and isinstance(entry["expires"], int | float)
        and not isinstance(entry["expires"], bool)
        and isinstance(entry["data"], dict)
    )
