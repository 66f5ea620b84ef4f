"""Throttling of credential checks: counters in the shared cache, in fixed windows.

The policy (who is slowed, who is never held back, and the bounds) is described in one
place for operators: docs/operations.md, "Throttling policy". In short:

- Every check is *reserved* before it runs: each counter is incremented atomically
  first, and the check runs only if no counter is over its limit. So 30 simultaneous
  wrong passwords get at most the limit checked, never more. A refused attempt gives
  its reservation back (refusals are not failures); a failed check keeps it; a right
  one clears the counters of that client and subject (NIST SP 800-63B: disregard the
  failed attempts of a client that then succeeds).
- Each door (password, one-time passcode, CM/ECF login while linking) counts per
  subject *and client*, strictly: that slows the guessing client. A client is the
  owner's known device (a signed long-lived cookie set after a full sign-in,
  nextgen/signon/devices.py, which fills KNOWN_DEVICE below) or else its address.
- Across all clients, a subject allows at most 100 consecutive failures a day (NIST
  SP 800-63B's bound). Reaching it holds back only clients that have failures of their
  own: a known device, or a client with no failures on this subject, is still checked,
  so an attacker with many addresses cannot keep the owner out.
- Without the cache (Redis down or frozen) nothing can be counted: credential checks
  are refused with "try again shortly" (ThrottleUnavailable), never waved through and
  never a server error. Every wait ends; nothing locks an account for good.
"""

from __future__ import annotations

import hashlib
import logging
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest

from nextgen.network import client_group

logger = logging.getLogger(__name__)

try:  # The errors a Redis cache raises when the server is down, frozen or unreachable.
    from redis.exceptions import RedisError

    _REDIS_ERRORS: tuple[type[BaseException], ...] = (RedisError,)
except ImportError:  # pragma: no cover - redis is a dependency, but the demo needs none
    _REDIS_ERRORS = ()

CACHE_ERRORS: tuple[type[BaseException], ...] = (*_REDIS_ERRORS, OSError)

# The owner's known device for a request, if any. The core knows no accounts: signon
# fills this in SignonConfig.ready() with devices.known_device (called with account_pk=
# or username_key=); without it every client is counted by its address.
KNOWN_DEVICE: list[Callable[..., str | None]] = []


def _known_device(request: HttpRequest, **subject: object) -> str | None:
    for lookup in KNOWN_DEVICE:
        device = lookup(request, **subject)
        if device:
            return device
    return None


class ThrottleUnavailable(Exception):
    """The counters cannot be read or written: the check must not run (fail closed)."""


def client_key(request: HttpRequest) -> str:
    """The client's throttling key: nextgen.network.client_group, the same address the
    audit log records (IPv6 grouped by /64)."""
    return client_group(request)


def _hashed(value: str) -> str:
    # Cache keys never hold a typed user name in clear.
    return hashlib.sha256(value.encode()).hexdigest()


_PERIODS = {"s": 1, "m": 60, "h": 60 * 60, "d": 24 * 60 * 60}


@dataclass(frozen=True)
class Tier:
    limit: int
    period: int  # seconds

    @classmethod
    def parse(cls, rate: str) -> Tier:
        count, unit = rate.split("/")
        return cls(int(count), _PERIODS[unit.strip().lower()[0]])


@dataclass(frozen=True)
class Count:
    """One tier's counter after this attempt was added to it."""

    cache_key: str
    count: int
    limit: int
    time_left: int  # seconds until this window ends

    @property
    def over(self) -> bool:
        return self.count > self.limit


def cache_call(operation, *args, **kwargs):
    """operation(*args, **kwargs) on the cache; ThrottleUnavailable when the cache is down
    (the TryAgainShortly middleware's 503, never a 500)."""
    try:
        return operation(*args, **kwargs)
    except CACHE_ERRORS as error:
        raise ThrottleUnavailable(str(error)) from error


def cache_call_or_log(operation, *args, **kwargs) -> None:
    """operation(*args, **kwargs) on the cache, where losing it costs little and the
    request's work is already done (a marker after the change it marks): a warning in
    the log, not a failed request."""
    try:
        operation(*args, **kwargs)
    except CACHE_ERRORS:
        logger.warning("cache unavailable: %s skipped", getattr(operation, "__name__", "call"))


@dataclass(frozen=True)
class Throttle:
    """A family of counters, one per key, each in every tier of NEXTGEN_THROTTLE[setting]."""

    name: str
    setting: str

    @property
    def tiers(self) -> list[Tier]:
        return [Tier.parse(rate) for rate in settings.NEXTGEN_THROTTLE[self.setting]]

    def _window(self, tier: Tier, key: str, now: float) -> tuple[str, int]:
        hashed = _hashed(key)
        # Window edges are staggered per key, so counters do not all roll over at once.
        moment = int(now) + zlib.crc32(hashed.encode()) % tier.period
        window = moment // tier.period
        cache_key = f"throttle:{self.name}:{tier.limit}/{tier.period}:{hashed}:{window}"
        return cache_key, tier.period - moment % tier.period

    def hit(self, key: str) -> list[Count]:
        """Add one attempt to every tier, atomically, and return the counts that include
        it. Raises ThrottleUnavailable when the cache cannot be reached."""
        return _hit_all([(self, key)])[0]

    def window_keys(self, key: str) -> list[str]:
        now = time.time()
        return [self._window(tier, key, now)[0] for tier in self.tiers]

    def clear(self, key: str) -> None:
        """Forget this key's counts (a right answer from this client)."""
        _settle(deletes=self.window_keys(key), decrements=[])


def _redis():
    """(cache backend, redis-py client) when the cache is Django's Redis cache, else None:
    then every counter of an attempt is read and written in one round trip."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None
    return backend, backend._cache.get_client(write=True)


def _hit_all(items: list[tuple[Throttle, str]]) -> list[list[Count]]:
    """Add one attempt to every tier of every (throttle, key): on Redis in one MULTI/EXEC
    (SET NX with the window's expiry, then INCR: atomic, so a counter never lives without
    its expiry), elsewhere one counter at a time. The counts that include this attempt."""
    now = time.time()
    planned = [
        [(*throttle._window(tier, key, now), tier) for tier in throttle.tiers]
        for throttle, key in items
    ]
    redis = _redis()
    if redis is None:
        return [
            [
                Count(cache_key, _increment(cache_key, tier.period + 5), tier.limit, left)
                for cache_key, left, tier in tiers
            ]
            for tiers in planned
        ]
    backend, client = redis
    pipe = client.pipeline(transaction=True)
    for tiers in planned:
        for cache_key, _, tier in tiers:
            full_key = backend.make_and_validate_key(cache_key)
            pipe.set(full_key, 0, ex=tier.period + 5, nx=True)
            pipe.incr(full_key)
    results = iter(cache_call(pipe.execute)[1::2])
    return [
        [Count(cache_key, int(next(results)), tier.limit, left) for cache_key, left, tier in tiers]
        for tiers in planned
    ]


# DECR only a counter that still exists: a window that has ended stays ended (a plain
# DECR would bring it back at -1, without an expiry).
_DECR_IF_EXISTS = (
    "if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('DECR', KEYS[1]) end"
)


def _settle(*, deletes: list[str], decrements: list[str]) -> None:
    """Forget some counters and give one attempt back to others, best effort: on Redis in
    one round trip. A lost cache leaves counts too high, never too low."""
    if not deletes and not decrements:
        return
    redis = _redis()
    if redis is None:
        if deletes:
            _quietly(cache.delete_many, deletes)
        for cache_key in decrements:
            _quietly(cache.decr, cache_key)
        return
    backend, client = redis
    pipe = client.pipeline(transaction=False)
    if deletes:
        pipe.delete(*(backend.make_and_validate_key(k) for k in deletes))
    for cache_key in decrements:
        pipe.eval(_DECR_IF_EXISTS, 1, backend.make_and_validate_key(cache_key))
    _quietly(pipe.execute)


def _increment(cache_key: str, timeout: int) -> int:
    # add-then-incr: both atomic in Redis (SET NX, INCR) and in the local-memory cache.
    for _ in range(3):
        cache_call(cache.add, cache_key, 0, timeout)
        try:
            return cache_call(cache.incr, cache_key)
        except ValueError:  # the key expired between add and incr: start the window again
            continue
    raise ThrottleUnavailable(f"counter {cache_key} could not be incremented")


# ValueError: the counter's window has ended.
_GIVE_BACK_ERRORS: tuple[type[BaseException], ...] = (*CACHE_ERRORS, ValueError)


def _quietly(operation: Callable[..., object], *args: object) -> None:
    """Best effort for giving counts back: a lost cache makes them too high, never low."""
    try:
        operation(*args)
    except _GIVE_BACK_ERRORS:
        logger.warning("Throttle: the cache could not be updated", exc_info=True)


@dataclass(frozen=True)
class Check:
    """One counter an attempt is added to.

    `own`: this client's own counter for the subject; while all of them were at zero
    before this attempt, the client is *clean*. `spread`: the subject's counter across
    clients; it holds back only clients that are not clean. `clear_on_success`: a right
    answer resets it (own and spread counters), instead of just giving this attempt back.
    """

    throttle: Throttle
    key: str
    own: bool = False
    spread: bool = False

    @property
    def clear_on_success(self) -> bool:
        return self.own or self.spread


@dataclass
class Attempt:
    """A reserved credential check: `wait` is 0 when the check may run, else the seconds
    until the longest blocking window ends (and the reservation is already given back).

    After a check that ran: call `succeeded()` on a right answer; a wrong one needs
    nothing (the reservation stays, as the failure)."""

    wait: int
    _counts: list[tuple[Check, list[Count]]] = field(default_factory=list, repr=False)

    def succeeded(self) -> None:
        deletes, decrements = [], []
        for check, counts in self._counts:
            if check.clear_on_success:
                deletes += check.throttle.window_keys(check.key)
            else:
                decrements += [c.cache_key for c in counts]
        _settle(deletes=deletes, decrements=decrements)
        self._counts = []

    def release(self) -> None:
        """Take the reservation back: the action it counted did not happen after all."""
        _give_back(c for _, counts in self._counts for c in counts)
        self._counts = []


def _give_back(counts: Iterable[Count]) -> None:
    _settle(deletes=[], decrements=[count.cache_key for count in counts])


def reserve(checks: list[Check], *, proved: bool = False) -> Attempt:
    """Add one attempt to every counter first, then decide. `proved`: the client proved
    itself otherwise (a signed-in session re-entering its password), so it is treated as
    clean. Raises ThrottleUnavailable when the cache cannot be reached."""
    # Every counter at once (one round trip on Redis); on failure nothing was counted
    # there (MULTI/EXEC), and elsewhere what was counted stays, too high, never too low.
    hits = _hit_all([(check.throttle, check.key) for check in checks])
    counted = list(zip(checks, hits, strict=True))
    clean = proved or all(c.count == 1 for check, counts in counted if check.own for c in counts)
    blocking = [
        c.time_left
        for check, counts in counted
        for c in counts
        if c.over and not (check.spread and clean)
    ]
    if blocking:
        for _, counts in counted:
            _give_back(counts)
        return Attempt(max(max(blocking), 1))
    return Attempt(0, counted)


def admit(throttle: Throttle, key: str) -> Attempt:
    """Count one action (not a credential check: a user-name probe, an invitation, a mail)
    against one key, first, then decide: `wait` is 0 to go ahead, and the reservation
    stays as the count."""
    return reserve([Check(throttle, key)])


# --- the doors ---------------------------------------------------------------------

LOGIN_BY_USERNAME_AND_CLIENT = Throttle("login-user-client", "per_username")
LOGIN_BY_USERNAME = Throttle("login-user", "per_username_any_client")
LOGIN_BY_CLIENT = Throttle("login-client", "per_client")
OTP_BY_ACCOUNT_AND_CLIENT = Throttle("otp-account-client", "per_username")
OTP_BY_ACCOUNT = Throttle("otp-account", "per_username_any_client")
LINK_BY_LOGIN_AND_CLIENT = Throttle("ecf-link-login-client", "per_username")
LINK_BY_LOGIN = Throttle("ecf-link-login", "per_username_any_client")
LINK_BY_ACCOUNT = Throttle("ecf-link-account", "per_username")
LINK_BY_CLIENT = Throttle("ecf-link-client", "per_client")
RECOVERY_BY_CLIENT = Throttle("recovery-client", "recovery")
RECOVERY_BY_TARGET = Throttle("recovery-target", "recovery")
BAD_RESET_LINKS_BY_CLIENT = Throttle("bad-reset-links-client", "bad_reset_links")


def login_attempt(
    request: HttpRequest, username_key: str, *, proved: bool = False, account_pk: int | None = None
) -> Attempt:
    """Reserve one password check for this user name from this client. `account_pk`: the
    account of that name when the caller has read it already (saves a query)."""
    if account_pk is not None:
        device = _known_device(request, account_pk=account_pk)
    else:
        device = _known_device(request, username_key=username_key)
    if device:
        # The owner's own device: only its own failures count against it.
        own = Check(LOGIN_BY_USERNAME_AND_CLIENT, f"{username_key}|device:{device}", own=True)
        return reserve([own])
    client = client_key(request)
    return reserve(
        [
            Check(LOGIN_BY_USERNAME_AND_CLIENT, f"{username_key}|{client}", own=True),
            Check(LOGIN_BY_CLIENT, client),
            Check(LOGIN_BY_USERNAME, username_key, spread=True),
        ],
        proved=proved,
    )


def otp_attempt(request: HttpRequest, account_pk: int) -> Attempt:
    """Reserve one one-time passcode (or backup code) check for this account."""
    device = _known_device(request, account_pk=account_pk)
    if device:
        own = Check(OTP_BY_ACCOUNT_AND_CLIENT, f"{account_pk}|device:{device}", own=True)
        return reserve([own])
    client = client_key(request)
    return reserve(
        [
            Check(OTP_BY_ACCOUNT_AND_CLIENT, f"{account_pk}|{client}", own=True),
            Check(LOGIN_BY_CLIENT, client),
            Check(OTP_BY_ACCOUNT, str(account_pk), spread=True),
        ]
    )


def link_attempt(
    request: HttpRequest, *, account_pk: int, court_code: str, login_key: str
) -> Attempt:
    """Reserve one CM/ECF password check while linking. The client is both the signed-in
    PACER account and its address: free PACER accounts from one address gain nothing."""
    cmecf = f"{court_code}:{login_key}"
    client = client_key(request)
    return reserve(
        [
            Check(LINK_BY_LOGIN_AND_CLIENT, f"{cmecf}|{client}", own=True),
            Check(LINK_BY_LOGIN_AND_CLIENT, f"{cmecf}|account:{account_pk}", own=True),
            Check(LINK_BY_ACCOUNT, str(account_pk)),
            Check(LINK_BY_CLIENT, client),
            Check(LINK_BY_LOGIN, cmecf, spread=True),
        ]
    )


def recovery_attempt(
    request: HttpRequest,
    targets: Iterable[str],
    *,
    by_client: Throttle = RECOVERY_BY_CLIENT,
    by_target: Throttle = RECOVERY_BY_TARGET,
) -> Attempt:
    """Reserve one recovery request (forgot user name or password): every request counts,
    per client and per target, whether or not it matched anything."""
    return reserve([Check(by_client, client_key(request))] + [Check(by_target, t) for t in targets])


def describe_wait(seconds: int) -> str:
    minutes = max(1, (seconds + 59) // 60)
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = (minutes + 59) // 60
    return f"{hours} hour{'s' if hours != 1 else ''}"
