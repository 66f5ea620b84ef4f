"""Throttling of credential checks, on django-ratelimit's shared counters.

Each throttle has tiers of fixed windows ("5/m", "20/h", "100/d"): a few wrong
tries cost a minute's wait, many cost an hour, a flood a day. Waits grow, but
every window ends, so an attacker can slow an account down and never lock its
owner out for good. Only failures count; checking does not.

Wrong passwords are counted per user name *and client*, strictly: that slows the
guessing client, not the owner at their own computer. A looser per-user-name tier
across all clients (NEXTGEN_THROTTLE["per_username_any_client"], hourly only) stops
a spread-out guessing campaign; reaching it needs many clients and costs the owner
at most the rest of that hour.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage

from nextgen.network import client_group


def client_key(request: HttpRequest) -> str:
    """The client's throttling key: nextgen.network.client_group, the same address the
    audit log records (IPv6 grouped by /64)."""
    return client_group(request)


def _hashed(value: str) -> str:
    # Cache keys never hold a typed user name in clear.
    return hashlib.sha256(value.encode()).hexdigest()


@dataclass(frozen=True)
class Throttle:
    name: str
    setting: str

    @property
    def tiers(self) -> list[str]:
        return settings.NEXTGEN_THROTTLE[self.setting]

    def _usages(self, request: HttpRequest, key: str, increment: bool):
        hashed = _hashed(key)
        for rate in self.tiers:
            usage = get_usage(
                request,
                group=f"{self.name}:{rate}",
                key=lambda _g, _r: hashed,
                rate=rate,
                increment=increment,
            )
            if usage is not None:
                yield usage

    def wait_seconds(self, request: HttpRequest, key: str) -> int:
        """0 when `key` may try now; else how long until the longest blocking window ends."""
        waits = [
            max(u["time_left"], 1)
            for u in self._usages(request, key, False)
            if u["count"] >= u["limit"]
        ]
        return max(waits, default=0)

    def fail(self, request: HttpRequest, key: str) -> None:
        """Count one failure for `key` in every tier."""
        for _ in self._usages(request, key, True):
            pass


LOGIN_BY_USERNAME_AND_CLIENT = Throttle("login-user-client", "per_username")
LOGIN_BY_USERNAME = Throttle("login-user", "per_username_any_client")
LOGIN_BY_CLIENT = Throttle("login-client", "per_client")
RECOVERY_BY_CLIENT = Throttle("recovery-client", "recovery")
RECOVERY_BY_TARGET = Throttle("recovery-target", "recovery")


def _login_keys(request: HttpRequest, username_key: str) -> list[tuple[Throttle, str]]:
    client = client_key(request)
    return [
        (LOGIN_BY_USERNAME_AND_CLIENT, f"{username_key}|{client}"),
        (LOGIN_BY_USERNAME, username_key),
        (LOGIN_BY_CLIENT, client),
    ]


def login_wait(request: HttpRequest, username_key: str) -> int:
    return max(t.wait_seconds(request, key) for t, key in _login_keys(request, username_key))


def login_failed(request: HttpRequest, username_key: str) -> None:
    for t, key in _login_keys(request, username_key):
        t.fail(request, key)


def describe_wait(seconds: int) -> str:
    minutes = max(1, (seconds + 59) // 60)
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = (minutes + 59) // 60
    return f"{hours} hour{'s' if hours != 1 else ''}"
