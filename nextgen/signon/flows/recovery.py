"""Recovering a forgotten PACER user name or password: the central side's parameters of
the password-reset engine (nextgen.recovery.flows), and what only it asks.

Forgot User Name matches by e-mail, or by name and date of birth together; Forgot Your
Password? by e-mail and user name of one active account. Both answer the same whatever
was typed, and are throttled per client and per target (the engine).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse

from nextgen.audit.models import Action, Event
from nextgen.audit.services import record
from nextgen.mail import queue_templated_mail
from nextgen.recovery.flows import PasswordReset, RecoveryAnswer

from .. import notices
from ..models import Account, normalize_username
from . import alerts
from .alerts import send_security_notice

ACTION_USERNAME = Action.RECOVERY_USERNAME
ACTION_PASSWORD = Action.RECOVERY_PASSWORD
ACTION_RESET = Action.PASSWORD_RESET
ACTION_RESET_LINK = Action.PASSWORD_RESET_LINK


class ResetTokenGenerator(PasswordResetTokenGenerator):
    """Django's reset token, also bound to the account's security stamp and active flag.

    Deactivation rotates the stamp, so a link mailed before it stays dead after the
    Service Center reactivates the account (it would otherwise hold again: the password,
    last login and e-mail it covers are unchanged). Any other "sign everyone out" (MFA
    changes, Signed-in Sessions) ends outstanding links too."""

    key_salt = "nextgen.signon.flows.recovery.ResetTokenGenerator"

    def _make_hash_value(self, user: Account, timestamp: int) -> str:
        return f"{super()._make_hash_value(user, timestamp)}|{user.security_stamp}|{user.is_active}"


token_generator = ResetTokenGenerator()


def _write_password(account: Account, new_password: str) -> None:
    account.set_password(new_password)
    # The new hash already changes the session hash; the stamp makes the intent explicit
    # and survives any later change to what the hash covers.
    account.rotate_security_stamp()
    account.save(update_fields=["password", "security_stamp"])


def _tell_owner(account: Account, event: Event | None) -> None:
    send_security_notice(account=account, kind=alerts.PASSWORD_RESET, event=event)


def _the_account(account: Account | None) -> Account | None:
    return account


def _active(account: Account) -> bool:
    # Reactivation is the Service Center's decision; a reset must not go around it.
    return account.is_active


RESET = PasswordReset[Account](
    model=Account,
    token_generator=token_generator,
    link_action=ACTION_RESET_LINK,
    reset_action=ACTION_RESET,
    session_key="nextgen_password_reset",
    url_name="signon:password_reset",
    invalid_link_notice=notices.RESET_LINK_INVALID,
    throttled_notice=notices.throttled,
    can_reset=_active,
    write_password=_write_password,
    # settings.AUTH_PASSWORD_VALIDATORS: the PACER rules.
    password_validators=None,
    audit_subject=_the_account,
    after_reset=_tell_owner,
)


def _service_center() -> dict[str, str]:
    return dict(settings.NEXTGEN_SERVICE_CENTER)


# --- Forgot User Name --------------------------------------------------------------
def _email_key(email: str) -> str:
    return "email:" + email.strip().casefold()


def _person_key(first_name: str, last_name: str, date_of_birth: dt.date | None) -> str:
    if not (first_name.strip() and last_name.strip() and date_of_birth):
        return ""
    return "person:" + "|".join(
        [first_name.strip().casefold(), last_name.strip().casefold(), date_of_birth.isoformat()]
    )


def accounts_for_username_reminder(
    *,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    date_of_birth: dt.date | None = None,
) -> list[Account]:
    """Every account whose e-mail matches, and every account whose first name, last name
    and date of birth all match (someone who no longer knows which address they used)."""
    found: dict[int, Account] = {}
    if email.strip():
        for account in Account.objects.filter(email__iexact=email.strip()):
            found[account.pk] = account
    if first_name.strip() and last_name.strip() and date_of_birth:
        for account in Account.objects.filter(
            first_name__iexact=first_name.strip(),
            last_name__iexact=last_name.strip(),
            date_of_birth=date_of_birth,
        ):
            found[account.pk] = account
    return sorted(found.values(), key=lambda a: a.pk)


def send_username_reminder(
    *,
    acting: Account | None,
    request: HttpRequest,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    date_of_birth: dt.date | None = None,
) -> RecoveryAnswer:
    """Forgot User Name: e-mail the user name of each matching account to that account's
    own address. The answer is the same whether anything matched."""
    targets = [
        _email_key(email) if email.strip() else "",
        _person_key(first_name, last_name, date_of_birth),
    ]
    if refused := RESET.throttled(request, acting=acting, action=ACTION_USERNAME, targets=targets):
        return refused
    matches = accounts_for_username_reminder(
        email=email, first_name=first_name, last_name=last_name, date_of_birth=date_of_birth
    )
    login_url = request.build_absolute_uri(reverse("signon:login"))
    sent = 0
    # The queued mails and their audit event: one transaction.
    with transaction.atomic(durable=True):
        for account in matches:
            queue_templated_mail(
                to=[account.email],
                subject_template="signon/email/username_reminder_subject.txt",
                body_template="signon/email/username_reminder.txt",
                context={
                    "name": account.full_name,
                    "username": account.username,
                    "login_url": login_url,
                    # A deactivated owner still learns the name, and whom to call about it.
                    "deactivated": "" if account.is_active else "yes",
                    **{f"psc_{k}": v for k, v in _service_center().items()},
                },
            )
            sent += 1
        record(
            ACTION_USERNAME,
            request=request,
            actor=acting,
            subject=matches[0] if len(matches) == 1 else None,
            username_tried=email.strip(),
            details={
                "by": [k for k, t in zip(("email", "person"), targets, strict=True) if t],
                "matched_accounts": [a.pk for a in matches],
                "mails_queued": sent,
            },
        )
    return RecoveryAnswer(notices.RECOVERY_SENT_USERNAME)


# --- Forgot Your Password? ------------------------------------------------------------
def send_password_reset(
    *, acting: Account | None, request: HttpRequest, email: str, username: str
) -> RecoveryAnswer:
    """Forgot Your Password?: when the e-mail and user name belong to one active account,
    mail it a reset link. The answer is the same whether anything matched."""
    targets = [_email_key(email), "username:" + normalize_username(username)]
    if refused := RESET.throttled(request, acting=acting, action=ACTION_PASSWORD, targets=targets):
        return refused
    account = Account.objects.filter(
        username_key=normalize_username(username), email__iexact=email.strip()
    ).first()
    details: dict[str, Any] = {"matched": account is not None}
    # The queued mail and its audit event: one transaction.
    with transaction.atomic(durable=True):
        if account is not None and not account.is_active:
            # Reactivation is the Service Center's decision; a reset must not go around it.
            details["reason"] = "deactivated"
        elif account is not None:
            queue_templated_mail(
                to=[account.email],
                subject_template="signon/email/password_reset_subject.txt",
                body_template="signon/email/password_reset.txt",
                context={
                    "name": account.full_name,
                    "username": account.username,
                    "reset_url": RESET.reset_url(request, account),
                    "valid_minutes": str(settings.PASSWORD_RESET_TIMEOUT // 60),
                },
            )
            details["mail_queued"] = True
        record(
            ACTION_PASSWORD,
            request=request,
            actor=acting,
            subject=account,
            username_tried=username.strip(),
            details=details,
        )
    return RecoveryAnswer(notices.RECOVERY_SENT_PASSWORD)
