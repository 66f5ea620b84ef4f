"""Recovering a forgotten user name or password, on the central side.

Both requests answer the same whatever was typed: whether an account matched is told
only to that account's own e-mail address, never on screen. Both are throttled per
client and per target, counting every submission, because a matching and a
non-matching request look alike and there is no "failure" to count.

A reset link carries Django's password-reset token (an HMAC over the password hash
and last login, so it dies once the password changes, and after
PASSWORD_RESET_TIMEOUT). Opening the link moves the token into the session and
redirects to a token-free URL, exactly as django.contrib.auth's
PasswordResetConfirmView does, so the token never leaves in a Referer header.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from nextgen import throttle
from nextgen.audit.models import Action, Outcome
from nextgen.audit.services import record
from nextgen.mail import queue_templated_mail
from nextgen.session_state import SessionState

from .. import notices
from ..models import Account, normalize_username
from . import alerts
from .alerts import send_security_notice

logger = logging.getLogger(__name__)

ACTION_USERNAME = Action.RECOVERY_USERNAME
ACTION_PASSWORD = Action.RECOVERY_PASSWORD
ACTION_RESET = Action.PASSWORD_RESET
ACTION_RESET_LINK = Action.PASSWORD_RESET_LINK

# Where the reset token waits between opening the link and setting the password: owned by
# the link's account (its uidb64), and no longer than the token itself lives.
RESET = SessionState(
    "nextgen_password_reset", ttl=dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
)
# The path segment that stands in for the token once it is in the session.
RESET_URL_TOKEN = "set-password"


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


@dataclass(frozen=True)
class RecoveryAnswer:
    """What the page shows: the same message for a match and a miss, or the throttle notice."""

    message: str
    throttled: bool = False


# --- throttling ----------------------------------------------------------------
def _admit(request: HttpRequest, *, action: Action, targets: Iterable[str] = ()) -> str:
    """Count this submission against the client and each target; '' to go ahead, else the
    throttle notice (the refusal is audited). Counted before anything is looked up; a
    refused submission is given back, so every wait ends."""
    attempt = throttle.recovery_attempt(request, [t for t in targets if t])
    if wait := attempt.wait:
        record(action, outcome=Outcome.REFUSED, request=request, details={"reason": "throttled"})
        return notices.throttled(throttle.describe_wait(wait))
    return ""


def reject_invalid_input(
    *, request: HttpRequest, action: Action, fields: Iterable[str]
) -> RecoveryAnswer:
    """A submission the form refused still counts and is audited: a flood of malformed
    requests is throttled like any other. The answer is the throttle notice, or ''
    (show the form's own errors)."""
    refused = _admit(request, action=action)
    if refused:
        return RecoveryAnswer(refused, throttled=True)
    record(
        action,
        outcome=Outcome.FAILURE,
        request=request,
        details={"reason": "invalid input", "fields": sorted(fields)},
    )
    return RecoveryAnswer("")


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
    refused = _admit(request, action=ACTION_USERNAME, targets=targets)
    if refused:
        return RecoveryAnswer(refused, throttled=True)
    matches = accounts_for_username_reminder(
        email=email, first_name=first_name, last_name=last_name, date_of_birth=date_of_birth
    )
    login_url = request.build_absolute_uri(reverse("signon:login"))
    sent = 0
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
def reset_link(request: HttpRequest, account: Account) -> str:
    """The absolute, single-use, one-hour link that lets `account` set a new password."""
    path = reverse(
        "signon:password_reset_link",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(account.pk)),
            "token": token_generator.make_token(account),
        },
    )
    return request.build_absolute_uri(path)


def send_password_reset(*, request: HttpRequest, email: str, username: str) -> RecoveryAnswer:
    """Forgot Your Password?: when the e-mail and user name belong to one active account,
    mail it a reset link. The answer is the same whether anything matched."""
    refused = _admit(
        request,
        action=ACTION_PASSWORD,
        targets=[_email_key(email), "username:" + normalize_username(username)],
    )
    if refused:
        return RecoveryAnswer(refused, throttled=True)
    account = Account.objects.filter(
        username_key=normalize_username(username), email__iexact=email.strip()
    ).first()
    details: dict[str, Any] = {"matched": account is not None}
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
                "reset_url": reset_link(request, account),
                "valid_minutes": str(settings.PASSWORD_RESET_TIMEOUT // 60),
            },
        )
        details["mail_queued"] = True
    record(
        ACTION_PASSWORD,
        request=request,
        subject=account,
        username_tried=username.strip(),
        details=details,
    )
    return RecoveryAnswer(notices.RECOVERY_SENT_PASSWORD)


# --- the reset link -----------------------------------------------------------------
def account_from_uidb64(uidb64: str) -> Account | None:
    """The account a link names, or None for anything malformed or unknown."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
        return Account.objects.get(pk=pk)
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError, Account.DoesNotExist):
        return None


def _usable(account: Account | None, token: str | None) -> bool:
    return (
        account is not None
        and account.is_active
        and bool(token)
        and token_generator.check_token(account, token)
    )


def open_reset_link(*, request: HttpRequest, uidb64: str, token: str) -> bool:
    """Check a link's token; when good, keep it in the session (the caller then redirects to
    the token-free page). A bad or used link is audited and changes nothing."""
    account = account_from_uidb64(uidb64)
    if not _usable(account, token):
        RESET.discard(request)
        record(
            ACTION_RESET,
            outcome=Outcome.FAILURE,
            request=request,
            subject=account,
            details={"reason": "invalid link"},
        )
        return False
    RESET.put(request, owner=uidb64, token=token)
    record(ACTION_RESET_LINK, request=request, subject=account)
    return True


@dataclass(frozen=True)
class PendingReset:
    account: Account
    token: str


def pending_reset(request: HttpRequest, uidb64: str) -> PendingReset | None:
    """The reset this session may complete on the token-free page, if its token still holds."""
    stored = RESET.peek(request, owner=uidb64)
    if stored is None:
        return None
    account = account_from_uidb64(uidb64)
    token = stored.get("token", "")
    if not _usable(account, token):
        return None
    return PendingReset(account, token)


def refuse_stale_reset(*, request: HttpRequest, uidb64: str) -> None:
    """The token-free page was reached without a live token in the session: audit it."""
    RESET.discard(request)
    record(
        ACTION_RESET,
        outcome=Outcome.FAILURE,
        request=request,
        subject=account_from_uidb64(uidb64),
        details={"reason": "invalid or expired reset session"},
    )


def reset_password(
    *,
    request: HttpRequest,
    account: Account,
    new_password: str,
    token: str | None = None,
) -> Account:
    """Set a new password and end every other session of the account.

    Raises ValidationError({"new_password": [each rule that failed]}). With `token`, the
    token is checked again inside the transaction on a locked row, so two submits of one
    link cannot both succeed."""
    try:
        validate_password(new_password, account)
    except ValidationError as exc:
        raise ValidationError({"new_password": exc.messages}) from exc
    with transaction.atomic():
        account = Account.objects.select_for_update().get(pk=account.pk)
        if token is not None and not _usable(account, token):
            raise ValidationError(notices.RESET_LINK_INVALID, code="invalid_link")
        account.set_password(new_password)
        # The new hash already changes the session hash; the stamp makes the intent explicit
        # and survives any later change to what the hash covers.
        account.rotate_security_stamp()
        account.save(update_fields=["password", "security_stamp"])
        event = record(ACTION_RESET, request=request, actor=account, subject=account)
        send_security_notice(account=account, kind=alerts.PASSWORD_RESET, event=event)
    if hasattr(request, "session"):
        RESET.discard(request)
    return account
