"""Credentials were revoked: what apps above signon must end with them.

A rotated security stamp already invalidates every session and API token of an
account; listeners registered here (by higher apps, in their AppConfig.ready(): the
API's tokens) also mark their own credentials ended. signon never imports them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Account

# Each listener ends the account's credentials it keeps and says how many ended.
CREDENTIALS_REVOKED_LISTENERS: list[Callable[[Account], int]] = []


def credentials_revoked(account: Account) -> int:
    """Tell every registered listener; how many credentials they ended in all."""
    return sum(listener(account) for listener in CREDENTIALS_REVOKED_LISTENERS)
