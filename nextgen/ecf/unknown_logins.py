"""The hash an unknown CM/ECF login is checked against, per court.

An unknown login must take as long to refuse as a known one with a wrong password, so
it is checked against a hash of the scheme and cost most of the court's unlinked
accounts use (a court of salted SHA-256 hashes must not answer unknown logins with
Argon2). Which scheme and cost that is comes from a sample of the court's stored hashes:
reading and parsing 200 of them cost about a quarter of a link attempt (issue 14), and
the answer only changes when the court's accounts are imported. So it is kept in the
shared cache: every link attempt, known login or not, reads the same cache entries (the
two still cost the same), an import of the court's accounts forgets it, and it expires
after PROFILE_TTL seconds in any case (a password reset writes one of today's hashes).
Without the cache (Redis down) it is read from the database, as before.

The import's processes must share the web servers' cache (REDIS_URL, as every NextGen
process does) for the forgetting to reach them; otherwise the old entry lasts until it
expires.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

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
_KEY = "ecf:unknown-login-profile:v1:{}"
# The court's generation, bumped by each import: a profile is kept with the generation
# it was read in and used only while that is still the court's, so a sample read just
# before an import finished and kept just after it is never used.
_GENERATION = "ecf:unknown-login-generation:v1:{}"


def _read_profile(court: Court) -> hashers.CostProfile | None:
    sample = (
        FilerAccount.objects.filter(court=court, account__isnull=True)
        .exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX)
        .values_list("password", flat=True)[: hashers.PROFILE_SAMPLE]
    )
    return hashers.dominant_profile(sample)


def _kept(value: Any, generation: int) -> tuple[bool, hashers.CostProfile | None]:
    """(whether `value` is a usable kept entry of `generation`, its profile). Anything
    else (another generation, an older format) is a miss: read again."""
    if not (isinstance(value, list) and len(value) == 2 and value[0] == generation):
        return False, None
    profile = value[1]
    if profile == _NONE:
        return True, None
    if (
        isinstance(profile, list)
        and profile
        and profile[0] in hashers.PROFILE_ALGORITHMS
        and all(type(part) in (str, int) for part in profile)
    ):
        return True, tuple(profile)
    return False, None


def _profile(court: Court) -> hashers.CostProfile | None:
    profile_key, generation_key = _KEY.format(court.pk), _GENERATION.format(court.pk)
    try:
        found = cache.get_many([profile_key, generation_key])
    except CACHE_ERRORS:
        logger.warning("cache unavailable: the court's hash profile read from the database")
        return _read_profile(court)
    generation = found.get(generation_key, 0)
    usable, profile = _kept(found.get(profile_key), generation)
    if usable:
        return profile
    profile = _read_profile(court)
    kept = [generation, _NONE if profile is None else list(profile)]
    with contextlib.suppress(*CACHE_ERRORS):  # read again next time
        cache.set(profile_key, kept, PROFILE_TTL)
    return profile


def dummy_hash_for(court: Court) -> str:
    """The hash an unknown login at `court` is checked against: of the scheme and cost
    most of the court's unlinked accounts use, or the default hasher's."""
    profile = _profile(court)
    return hashers.dummy_hash(profile) if profile else hashers.default_dummy_hash()


def forget_profile(court: Court) -> None:
    """After an import of `court`'s accounts: the next link attempt reads the scheme and
    cost afresh (in every process; the entries are shared)."""
    generation_key = _GENERATION.format(court.pk)
    try:
        cache.add(generation_key, 0, timeout=None)  # the court's first import: from 0
        cache.incr(generation_key)
    except CACHE_ERRORS:
        # A kept entry expires within PROFILE_TTL seconds anyway.
        logger.warning("cache unavailable: the court's hash profile expires on its own")
