"""The owner's known devices: a signed, long-lived cookie set after a full sign-in.

A browser that completed a sign-in (the password, and the one-time passcode when the
account has one) gets a cookie naming a random device id and the accounts signed in on
it. The throttle (throttle.py) counts that device's failures on its own, so failures
from other clients never hold it back: an attacker with many addresses can slow
guessing down, not the owner at their usual computer. The cookie opens nothing by
itself; it is signed (SECRET_KEY), so it cannot be made up or pointed at another
account, and a stolen one only buys its thief the device's own, strict, tiers.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

# Not "nextgen_device": that is the Signed-in Sessions page's new-device cookie (flows/sessions.py).
COOKIE = "nextgen_known_device"
SALT = "nextgen.signon.device"
MAX_AGE = 365 * 24 * 60 * 60
MAX_ACCOUNTS = 5  # a shared family or office computer; older entries drop off
_PENDING = "_nextgen_device_cookie"


def _read(request: HttpRequest) -> dict | None:
    raw = request.COOKIES.get(COOKIE)
    if not raw:
        return None
    try:
        data = signing.loads(raw, salt=SALT, max_age=MAX_AGE)
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("a"), list):
        return None
    return data


def known_device(
    request: HttpRequest, *, username_key: str | None = None, account_pk: int | None = None
) -> str:
    """The id of this browser's device cookie if it was signed in to the account (given
    by primary key or normalized user name) before, else ''."""
    data = _read(request)
    if data is None:
        return ""
    if account_pk is None and username_key is not None:
        from .models import Account  # the model module imports nothing from here

        account_pk = (
            Account.objects.filter(username_key=username_key).values_list("pk", flat=True).first()
        )
    if account_pk is None or account_pk not in data["a"]:
        return ""
    return str(data.get("d", ""))


def remember(request: HttpRequest, account_pk: int) -> None:
    """Mark this browser as the account's known device; the cookie is set on the response
    (DeviceCookieMiddleware)."""
    data = _read(request) or {"d": secrets.token_urlsafe(16), "a": []}
    accounts = [pk for pk in data["a"] if pk != account_pk] + [account_pk]
    value = {"d": data["d"], "a": accounts[-MAX_ACCOUNTS:]}
    setattr(request, _PENDING, signing.dumps(value, salt=SALT))


class DeviceCookieMiddleware:
    """Sets the device cookie that a sign-in asked for (devices.remember)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        value = getattr(request, _PENDING, None)
        if value:
            response.set_cookie(
                COOKIE,
                value,
                max_age=MAX_AGE,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
