"""Throttling of credential checks, on django-ratelimit's shared counters.

Each throttle has tiers of fixed windows ("5/m", "20/h", "100/d"): a few wrong
tries cost a minute's wait, many cost an hour, a flood a day. Waits grow, but
every window ends, so an attacker can slow an account down and never lock its
owner out for good. Only failures count; checking does not.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage


def client_key(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


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


LOGIN_BY_USERNAME = Throttle("login-user", "per_username")
LOGIN_BY_CLIENT = Throttle("login-client", "per_client")
RECOVERY_BY_CLIENT = Throttle("recovery-client", "recovery")
RECOVERY_BY_TARGET = Throttle("recovery-target", "recovery")


def login_wait(request: HttpRequest, username_key: str) -> int:
    return max(
        LOGIN_BY_USERNAME.wait_seconds(request, username_key),
        LOGIN_BY_CLIENT.wait_seconds(request, client_key(request)),
    )


def login_failed(request: HttpRequest, username_key: str) -> None:
    LOGIN_BY_USERNAME.fail(request, username_key)
    LOGIN_BY_CLIENT.fail(request, client_key(request))


def describe_wait(seconds: int) -> str:
    minutes = max(1, (seconds + 59) // 60)
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = (minutes + 59) // 60
    return f"{hours} hour{'s' if hours != 1 else ''}"
