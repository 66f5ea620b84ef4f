"""Maintain Your Account → Email information: a linked filer's secondary e-mail addresses
in one court (seed 002, "How do I update secondary e-mail addresses in CM/ECF NextGen?").

The primary e-mail address is personal data kept in PACER and forwarded to the court
(ecf.forwarding); secondary addresses are the court's own and stay in that court. Only
the PACER account linked to a CM/ECF account of this court may keep them, and every
lookup goes through (court, account), so no page can ever reach another court's data.

Each write locks the CM/ECF account's row first: two submits at once queue, so the
limit and the duplicate check hold under concurrency, and the audit row is written in
the same transaction as the change.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.base_user import BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest

from nextgen.audit.models import Action
from nextgen.audit.services import record
from nextgen.forms import column_max_length
from nextgen.signon.models import Account

from .. import notices
from ..models import Court, FilerAccount, SecondaryEmail

EMAIL_MAX_LENGTH = column_max_length(SecondaryEmail, "email")
MAX_SECONDARY_EMAILS = 10
ACTION_ADD = Action.ECF_SECONDARY_EMAIL_ADD
ACTION_REMOVE = Action.ECF_SECONDARY_EMAIL_REMOVE

#: Called as `listener(acting=..., filer_id=..., address=...)` when a secondary address is
#: removed, inside the removal's transaction (a listener that raises undoes it). Filled by
#: the apps above ecf in their AppConfig.ready() (noticing forgets the address's
#: preference); append once.
SECONDARY_EMAIL_REMOVED_LISTENERS: list[Callable[..., None]] = []


class NotLinkedHere(Exception):
    """The signed-in account has no linked CM/ECF account in this court."""

    def __init__(self) -> None:
        super().__init__(notices.EMAIL_INFO_ONLY_LINKED)


def linked_filer(account: Account, court: Court) -> FilerAccount | None:
    """The CM/ECF account of `court` linked to `account`, or None."""
    if not account.is_authenticated or not account.is_active:
        return None
    return FilerAccount.objects.filter(court=court, account=account).first()


def secondary_emails(filer: FilerAccount) -> list[SecondaryEmail]:
    return list(filer.secondary_emails.order_by("email", "pk"))


def _locked_filer(account: Account, court: Court) -> FilerAccount:
    if not account.is_authenticated or not account.is_active:
        raise NotLinkedHere
    filer = FilerAccount.objects.select_for_update().filter(court=court, account=account).first()
    if filer is None:
        raise NotLinkedHere
    return filer


def normalize_email(email: str) -> str:
    # The domain is case-insensitive; the local part is kept as typed.
    return BaseUserManager.normalize_email(email.strip())


def add_secondary_email(
    *, request: HttpRequest | None, acting: Account, court: Court, email: str
) -> SecondaryEmail:
    """Add a secondary e-mail address to the account's CM/ECF account in `court`.

    Raises NotLinkedHere, or ValidationError({"email": ...}) for a malformed address, one
    already kept, the primary address, or one over the limit."""
    email = normalize_email(email)
    try:
        validate_email(email)
        # Lower-casing the domain may lengthen it ("İ" is two letters lower-cased): the
        # column's limit is checked on what is stored, not on what was typed.
        if len(email) > EMAIL_MAX_LENGTH:
            raise ValidationError(notices.EMAIL_INVALID)
    except ValidationError:
        raise ValidationError({"email": notices.EMAIL_INVALID}) from None
    with transaction.atomic(durable=True):
        filer = _locked_filer(acting, court)
        if filer.email and email.casefold() == filer.email.strip().casefold():
            raise ValidationError({"email": notices.SECONDARY_EMAIL_IS_PRIMARY})
        kept = list(filer.secondary_emails.values_list("email", flat=True))
        if email.casefold() in {e.casefold() for e in kept}:
            raise ValidationError({"email": notices.SECONDARY_EMAIL_DUPLICATE})
        if len(kept) >= MAX_SECONDARY_EMAILS:
            raise ValidationError({"email": notices.secondary_email_limit(MAX_SECONDARY_EMAILS)})
        try:
            # Its own savepoint: should the constraint fire after all, only this insert
            # is undone and the error reaches the user as a named field.
            with transaction.atomic():
                added = SecondaryEmail.objects.create(filer=filer, email=email)
        except IntegrityError:
            raise ValidationError({"email": notices.SECONDARY_EMAIL_DUPLICATE}) from None
        record(
            ACTION_ADD,
            request=request,
            actor=acting,
            court_code=court.code,
            details={"cmecf_login": filer.login, "email": email},
        )
    return added


def remove_secondary_email(
    *, request: HttpRequest | None, acting: Account, court: Court, email_id: int
) -> str:
    """Remove one of the account's secondary addresses in `court`; return the address.

    Raises NotLinkedHere, or ValidationError when the address is not (or no longer) one
    of this CM/ECF account's: another filer's id is treated exactly as a missing one."""
    with transaction.atomic(durable=True):
        filer = _locked_filer(acting, court)
        found = SecondaryEmail.objects.filter(pk=email_id, filer=filer).first()
        if found is None:
            raise ValidationError(notices.SECONDARY_EMAIL_GONE, code="gone")
        address = found.email
        found.delete()
        for listener in SECONDARY_EMAIL_REMOVED_LISTENERS:
            listener(acting=acting, filer_id=filer.pk, address=address)
        record(
            ACTION_REMOVE,
            request=request,
            actor=acting,
            court_code=court.code,
            details={"cmecf_login": filer.login, "email": address},
        )
    return address
