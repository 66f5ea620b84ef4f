"""Once-only submits: a double click, a replayed POST or a racing request enters one
thing, not two. Used by the attorney's filing flow (keyed by the flow's id) and by the
court staff forms "Open case" and "Add entry" (keyed by a random token, the hidden
field `once`).

The first submit of a key claims it in the cache (Redis SET NX, shared by every
process); any other finds it claimed and enters nothing, and can show what the first
made once it is done. A submit that changed nothing (a field to correct, a PDF the
rules refuse) gives the key back, so the corrected form goes in once too. The cache
being down before anything is entered is the TryAgainShortly middleware's 503; after,
the entry stands and only the marker is lost (a warning in the log).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core.cache import cache

from nextgen.throttle import cache_call, cache_call_or_log

RUNNING = 0  # claimed, nothing made yet


@dataclass(frozen=True)
class OnceMarkers:
    """One family of once-only keys: `prefix` names them in the cache, `ttl` (seconds)
    is how long a submit is remembered."""

    prefix: str
    ttl: int

    def _key(self, key: str) -> str:
        return f"{self.prefix}{key}"

    def claim(self, key: str) -> bool:
        """True for the first submit of `key`; False for any other while it is kept."""
        return bool(cache_call(cache.add, self._key(key), RUNNING, timeout=self.ttl))

    def release(self, key: str) -> None:
        """The submit that claimed `key` changed nothing: it may be sent again."""
        cache_call_or_log(cache.delete, self._key(key))

    def done(self, key: str, result: int) -> None:
        """The submit that claimed `key` made `result` (a row's id)."""
        cache_call_or_log(cache.set, self._key(key), result, timeout=self.ttl)

    def result(self, key: str) -> int | None:
        """What the first submit of `key` made; RUNNING while it runs; None if unknown."""
        value = cache_call(cache.get, self._key(key))
        return None if value is None else int(value)


# Court staff forms: the case the first submit opened or added an entry to.
STAFF_FORMS = OnceMarkers("dockets:staff-once:", 24 * 60 * 60)


def new_token() -> str:
    return secrets.token_urlsafe(24)
