"""The hash an unknown CM/ECF login is checked against, per court.

An unknown login must take as long to refuse as a known one with a wrong password, so
it is checked against a hash of the scheme and cost most of the court's unlinked
accounts use (a court of salted SHA-256 hashes must not answer unknown logins with
Argon2). Which scheme and cost that is comes from a sample of the court's stored hashes:
reading and parsing 200 of them cost about a quarter of a link attempt (issue 14), and
the answer only changes when the court's accounts are imported. So it is kept in the
shared cache: every link attempt, known login or not, reads the same cache entry (the
two still cost the same), an import of the court's accounts forgets it, and it expires
after PROFILE_TTL seconds in any case (a password reset writes one of today's hashes).
Without the cache (Redis down) it is read from the database, as before.
"""

from __future__ import annotations

import contextlib
import logging

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.cache import cache

from nextgen.throttle import CACHE_ERRORS

from . import hashers
from .models import Court, FilerAccount

logger = logging.getLogger(__name__)

# How long a court's scheme and cost are kept before they are read again.
PROFILE_TTL = 300
# Kept for a court with no usable imported hash (the default hasher's dummy then).
_NONE = "none"


def _key(court: Court) -> str:
    return f"ecf:unknown-login-profile:{court.pk}"


def _read_profile(court: Court) -> hashers.CostProfile | None:
    sample = (
        FilerAccount.objects.filter(court=court, account__isnull=True)
        .exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX)
        .values_list("password", flat=True)[: hashers.PROFILE_SAMPLE]
    )
    return hashers.dominant_profile(sample)


def _profile(court: Court) -> hashers.CostProfile | None:
    try:
        kept = cache.get(_key(court))
    except CACHE_ERRORS:
        logger.warning("cache unavailable: the court's hash profile read from the database")
        return _read_profile(court)
    if kept is not None:
        return None if kept == _NONE else tuple(kept)
    profile = _read_profile(court)
    with contextlib.suppress(*CACHE_ERRORS):  # read again next time
        cache.set(_key(court), _NONE if profile is None else list(profile), PROFILE_TTL)
    return profile


def dummy_hash_for(court: Court) -> str:
    """The hash an unknown login at `court` is checked against: of the scheme and cost
    most of the court's unlinked accounts use, or the default hasher's."""
    profile = _profile(court)
    return hashers.dummy_hash(profile) if profile else hashers.default_dummy_hash()


def forget_profile(court: Court) -> None:
    """After an import of `court`'s accounts: the next link attempt reads the scheme and
    cost afresh (in every process; the entry is shared)."""
    try:
        cache.delete(_key(court))
    except CACHE_ERRORS:
        # The entry expires within PROFILE_TTL seconds anyway.
        logger.warning("cache unavailable: the court's hash profile expires on its own")
