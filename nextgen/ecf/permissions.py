"""Who may act for a court. Staff powers are per court; the Service Center is central
(signon/permissions.py).

Refusals never reveal what exists: a page for staff answers 404 to anyone else,
exactly as for a court or record that is not there.
"""

from __future__ import annotations

from django.http import Http404

from nextgen.signon.models import Account
from nextgen.signon.permissions import is_service_center

from .menus import viewer_fact
from .models import Court, CourtRole


def is_court_staff(account: Account, court: Court) -> bool:
    if not account.is_authenticated or not account.is_active:
        return False
    known = viewer_fact(court, account, 2)
    if known is not None:
        return known
    return CourtRole.objects.filter(
        account=account, court=court, role=CourtRole.Role.STAFF
    ).exists()


def require_court_staff(account: Account, court: Court) -> None:
    """Raise 404 unless `account` is staff of `court` (or Service Center staff)."""
    if not (is_court_staff(account, court) or is_service_center(account)):
        raise Http404
