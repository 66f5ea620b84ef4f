"""Once-only court staff forms: a double click on "Open case" or "Add entry" enters one
case or one entry, not two (the attorney's filing flow has its own guard, flow.claim).

Each such form carries a random token (`once`, a hidden field). The first POST of a
token claims it in the cache (Redis SET NX, shared by every process); a second POST of
the same token finds it claimed and enters nothing. A refused POST (a field to correct,
a PDF the rules refuse) gives the token back, so the corrected form goes in once too.
The cache being down before anything is entered is the TryAgainShortly middleware's
503; after, the entry stands and only the marker is lost (a warning in the log).
"""

from __future__ import annotations

import secrets

from django.core.cache import cache

from nextgen.throttle import cache_call, cache_call_or_log

TTL_SECONDS = 24 * 60 * 60
RUNNING = 0  # claimed, nothing made yet


def new_token() -> str:
    return secrets.token_urlsafe(24)


def _key(token: str) -> str:
    return f"dockets:staff-once:{token}"


def claim(token: str) -> bool:
    """True for the first POST of `token`; False for any other while it is remembered."""
    return bool(cache_call(cache.add, _key(token), RUNNING, timeout=TTL_SECONDS))


def release(token: str) -> None:
    """The POST that claimed `token` changed nothing: the form may be sent again."""
    cache_call_or_log(cache.delete, _key(token))


def done(token: str, case_pk: int) -> None:
    """The POST that claimed `token` made its case or entry in the case `case_pk`."""
    cache_call_or_log(cache.set, _key(token), case_pk, timeout=TTL_SECONDS)


def made(token: str) -> int:
    """The case the first POST of `token` made or added to; RUNNING while it still runs."""
    return int(cache_call(cache.get, _key(token)) or RUNNING)
