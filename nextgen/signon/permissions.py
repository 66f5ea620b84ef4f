"""The central powers: the PACER Service Center acts on any account, in any court.

Refusals never reveal what exists: a Service Center page answers 404 to anyone else,
exactly as for a page that is not there. (Per-court staff powers: ecf/permissions.py.)
"""

from __future__ import annotations

from django.http import Http404

from .models import Account


def is_service_center(account: Account) -> bool:
    return account.is_authenticated and account.is_active and account.is_service_center


def require_service_center(account: Account) -> None:
    if not is_service_center(account):
        raise Http404
