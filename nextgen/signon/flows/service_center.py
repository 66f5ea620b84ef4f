"""PACER Service Center staff: find any PACER account, deactivate or reactivate it, turn
off its multi-factor authentication for a holder who lost the app and the backup codes
(the login's MFA help sends them here), read its audit trail.

Who may act is checked by the views (nextgen.ecf.permissions.require_service_center,
404 to anyone else). Each change runs in one transaction with its audit row: actor =
the Service Center staff member, subject = the account, the reason in `details`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from nextgen.audit.models import Action, Event
from nextgen.audit.services import record
from nextgen.forms import clean_reason, column_max_length

from .. import notices
from ..models import Account, normalize_username
from ..revocation import credentials_revoked
from . import mfa

MAX_RESULTS = 200
# Account.deactivation_reason holds at most this many characters.
REASON_MAX_LENGTH = column_max_length(Account, "deactivation_reason")

ACTION_DEACTIVATE = Action.ACCOUNT_DEACTIVATE
ACTION_REACTIVATE = Action.ACCOUNT_REACTIVATE


class ServiceCenterRefused(Exception):
    """The change does not apply to the account as it is now; nothing was changed."""


def find_accounts(query: str) -> QuerySet[Account]:
    """PACER accounts by user name (exact, or from its start), e-mail (exact, any case) or
    name ("last", or "first last", from the start). Capped: this finds a person, it is
    not an export. User names use the unique username_key, names the
    (last_name, first_name) index, e-mails the e-mail index."""
    query = " ".join((query or "").split())
    if not query:
        return Account.objects.none()
    if "@" in query:
        match = Q(email__iexact=query)
    else:
        key = normalize_username(query)
        match = Q(username_key__startswith=key) | Q(last_name__istartswith=query)
        words = query.split(" ")
        if len(words) >= 2:
            match |= Q(first_name__istartswith=words[0], last_name__istartswith=" ".join(words[1:]))
    return Account.objects.filter(match).order_by("last_name", "first_name", "username_key")[
        :MAX_RESULTS
    ]


def _revoke_api_tokens(account: Account) -> int:
    # The API app sits above this one: its tokens die with the stamp in any case, and
    # its listener (revocation.py) also marks them ended in its table.
    return credentials_revoked(account)


def deactivate_account(
    *, acting: Account, account: Account, reason: str, request: HttpRequest | None
) -> Account:
    """Deactivate a PACER account: it can no longer sign in, link or file, and every
    session and API token it has ends (its security stamp changes)."""
    reason = clean_reason(reason, max_length=REASON_MAX_LENGTH)
    if account.pk == acting.pk:
        raise ServiceCenterRefused("You cannot deactivate your own account.")
    with transaction.atomic(durable=True):
        locked = Account.objects.select_for_update().get(pk=account.pk)
        # Not accounts with powers over others: one Service Center session could lock out
        # every administrator and peer (reactivating them is refused alike, so a peer an
        # administrator deactivated stays so).
        if mfa.has_central_powers(locked):
            raise ServiceCenterRefused(notices.SC_STATUS_PRIVILEGED)
        if not locked.is_active:
            raise ServiceCenterRefused("This account is already deactivated; nothing was changed.")
        locked.is_active = False
        locked.deactivation_reason = reason
        # Sessions check the stamp on every request (Account.get_session_auth_hash).
        locked.rotate_security_stamp()
        locked.save(update_fields=["is_active", "deactivation_reason", "security_stamp"])
        revoked = _revoke_api_tokens(locked)
        record(
            ACTION_DEACTIVATE,
            request=request,
            actor=acting,
            subject=locked,
            details={"reason": reason, "api_tokens_revoked": revoked},
        )
    return locked


def reactivate_account(
    *, acting: Account, account: Account, reason: str, request: HttpRequest | None
) -> Account:
    """Reactivate a deactivated PACER account (seed 002: "contact the PACER Service
    Center ... to request activation")."""
    reason = clean_reason(reason, max_length=REASON_MAX_LENGTH)
    with transaction.atomic(durable=True):
        locked = Account.objects.select_for_update().get(pk=account.pk)
        if mfa.has_central_powers(locked):
            raise ServiceCenterRefused(notices.SC_STATUS_PRIVILEGED)
        if locked.is_active:
            raise ServiceCenterRefused("This account is active; nothing was changed.")
        old_reason = locked.deactivation_reason
        locked.is_active = True
        locked.deactivation_reason = ""
        locked.save(update_fields=["is_active", "deactivation_reason"])
        record(
            ACTION_REACTIVATE,
            request=request,
            actor=acting,
            subject=locked,
            details={"reason": reason, "deactivation_reason": old_reason},
        )
    return locked


def reset_mfa(
    *, acting: Account, account: Account, reason: str, request: HttpRequest | None
) -> Account:
    """Turn off the account's multi-factor authentication (the app and every backup
    code) for a holder who lost both, once the Service Center has made sure who is
    asking (outside this system; the reason says how). Every session and API token of
    the account ends, the holder is told by e-mail, and an account that must use MFA
    sets it up again at its next sign-in."""
    reason = clean_reason(reason, max_length=REASON_MAX_LENGTH)
    if account.pk == acting.pk:
        raise ServiceCenterRefused(notices.SC_MFA_RESET_OWN)
    with transaction.atomic(durable=True):
        locked = Account.objects.select_for_update().get(pk=account.pk)
        # Not for accounts with powers over others: one Service Center session could
        # otherwise open a peer's or an administrator's account to whoever has its
        # password (the next sign-in sets MFA up anew).
        if mfa.has_central_powers(locked):
            raise ServiceCenterRefused(notices.SC_MFA_RESET_PRIVILEGED)
        if not mfa.is_enrolled(locked):
            raise ServiceCenterRefused(notices.SC_MFA_NOT_ON)
        mfa.reset_for_holder(
            acting=acting, account=locked, details={"reason": reason}, request=request
        )
    return locked


@dataclass(frozen=True)
class TrailRow:
    """One audit event as the trail shows it: its readable name and how it came in."""

    event: Event
    label: str
    via: str


def trail_rows(events: Iterable[Event]) -> list[TrailRow]:
    return [
        TrailRow(
            e,
            notices.audit_event_label(e.action, e.outcome, e.details),
            notices.audit_via_label(e.details),
        )
        for e in events
    ]


def audit_trail(account: Account) -> QuerySet[Event]:
    """Every audit event the account did or that was done to it, newest first: failed
    and throttled sign-ins naming it too (their subject is the account named)."""
    return (
        Event.objects.filter(Q(subject=account) | Q(actor=account))
        .select_related("actor", "subject")
        .order_by("-id")
    )
