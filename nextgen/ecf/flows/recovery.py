"""Recovering a court's CM/ECF user name or password (seed 002, "Do you know your current
CM/ECF username and password?").

Forgot CM/ECF user name: by Federal Bar Number or primary e-mail address registered in
CM/ECF; the user name goes to that primary e-mail address. Forgot CM/ECF password: by
CM/ECF user name or primary e-mail address; a single-use link to set a new CM/ECF password
goes to that address. Both answer the same whatever was typed, so neither page tells
whether a CM/ECF account exists; both are throttled per client and per target, counting
every submission, because a matching and a non-matching request look alike and there is
no "failure" to count.

Only an unlinked CM/ECF account can be recovered: once linked, its old credentials are
never accepted again ("You will no longer need your current CM/ECF username and
password"). The owner of a linked one is told so in the e-mail, never on screen, which
would tell anyone who typed an address that it is linked.

Recovery mail always goes to the court of record's primary e-mail address
(FilerAccount.email_of_record), and an e-mail typed is matched against it: for a linked
account that is the court's own address kept under the link, never the one the linker's
PACER account forwarded. So whoever wrongly linked someone's CM/ECF account cannot
recover it, neither while linked nor after staff unlink it.

The link works as django.contrib.auth's PasswordResetConfirmView does: opening it moves
the token into the session and redirects to a token-free URL. The token is an HMAC over
the CM/ECF account's password hash and updated_at (ecf.tokens), so it dies on use.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from nextgen import throttle
from nextgen.audit.models import Action, Outcome
from nextgen.audit.services import record
from nextgen.mail import queue_templated_mail
from nextgen.session_state import SessionState

from .. import notices
from ..models import Court, FilerAccount, normalize_login
from ..passwords import rule_texts, validate_cmecf_password
from ..tokens import filer_token_generator

logger = logging.getLogger(__name__)

ACTION_USERNAME = Action.ECF_RECOVERY_USERNAME
ACTION_PASSWORD = Action.ECF_RECOVERY_PASSWORD
ACTION_RESET_LINK = Action.ECF_PASSWORD_RESET_LINK
ACTION_RESET = Action.ECF_PASSWORD_RESET

# Where the token waits between opening the link and setting the password: owned by the
# court and the link's CM/ECF account (its uidb64), and no longer than the token lives.
RESET = SessionState(
    "nextgen_ecf_password_reset", ttl=dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
)

# Own counters, not the central pages': a flood at one court's page must not stop
# someone recovering their PACER account, and the other way round.
RECOVERY_BY_CLIENT = throttle.Throttle("ecf-recovery-client", "recovery")
RECOVERY_BY_TARGET = throttle.Throttle("ecf-recovery-target", "recovery")


@dataclass(frozen=True)
class RecoveryAnswer:
    """What the page shows: the same message for a match and a miss, or the throttle notice."""

    message: str
    throttled: bool = False


# --- throttling ----------------------------------------------------------------------
def _target_key(court: Court, value: str) -> str:
    # Per court: the same bar number at two courts is two different CM/ECF accounts.
    return f"{court.code}:{' '.join(value.split()).casefold()}"


def _admit(
    request: HttpRequest, *, court: Court, action: Action, targets: Iterable[str] = ()
) -> str:
    """Count this submission against the client and each target; '' to go ahead, else the
    throttle notice (the refusal is audited). Counted before anything is looked up; a
    refused submission is given back, so every wait ends."""
    keys = [_target_key(court, t) for t in targets if t.strip()]
    attempt = throttle.recovery_attempt(
        request, keys, by_client=RECOVERY_BY_CLIENT, by_target=RECOVERY_BY_TARGET
    )
    if wait := attempt.wait:
        record(
            action,
            outcome=Outcome.REFUSED,
            request=request,
            court_code=court.code,
            details={"reason": "throttled"},
        )
        return notices.throttled(throttle.describe_wait(wait))
    return ""


def reject_invalid_input(
    *, request: HttpRequest, court: Court, action: Action, fields: Iterable[str]
) -> RecoveryAnswer:
    """A submission the form refused still counts and is audited, so a flood of malformed
    requests is throttled like any other. The answer is the throttle notice, or '' (show
    the form's own errors)."""
    refused = _admit(request, court=court, action=action)
    if refused:
        return RecoveryAnswer(refused, throttled=True)
    record(
        action,
        outcome=Outcome.FAILURE,
        request=request,
        court_code=court.code,
        details={"reason": "invalid input", "fields": sorted(fields)},
    )
    return RecoveryAnswer("")


def _linked_context(request: HttpRequest, court: Court, filer: FilerAccount) -> dict[str, str]:
    """What the owner of a linked CM/ECF account needs: sign in with PACER instead."""
    return {
        "name": filer.name_of_record,
        "court": court.name,
        "court_url": request.build_absolute_uri(reverse("ecf:entry", args=[court.code])),
        "pacer_username_url": request.build_absolute_uri(reverse("signon:forgot_username")),
        "pacer_password_url": request.build_absolute_uri(reverse("signon:forgot_password")),
    }


# --- Forgot CM/ECF user name ----------------------------------------------------------
def _email_of_record_is(value: str) -> Q:
    """The court of record's primary e-mail is `value`: the kept one of a linked account
    (FilerAccount.court_record), never the address PACER forwarded over it."""
    return Q(court_record__isnull=True, email__iexact=value) | Q(court_record__email__iexact=value)


def filers_by_bar_number_or_email(court: Court, value: str) -> list[FilerAccount]:
    """The CM/ECF accounts of `court` whose Federal Bar Number or primary e-mail of record
    is `value` (ignoring case and surrounding spaces)."""
    value = value.strip()
    if not value:
        return []
    return list(
        FilerAccount.objects.filter(court=court)
        .filter(Q(bar_number__iexact=value) | _email_of_record_is(value))
        .order_by("pk")
    )


def send_username_reminder(*, request: HttpRequest, court: Court, value: str) -> RecoveryAnswer:
    """Forgot CM/ECF user name: mail each matching CM/ECF account's user name to its primary
    e-mail address (a linked one is told to sign in with PACER). Same answer either way."""
    refused = _admit(request, court=court, action=ACTION_USERNAME, targets=[value])
    if refused:
        return RecoveryAnswer(refused, throttled=True)
    matches = [f for f in filers_by_bar_number_or_email(court, value) if f.email_of_record]
    sent = 0
    for filer in matches:
        if filer.is_linked:
            queue_templated_mail(
                to=[filer.email_of_record],
                subject_template="ecf/email/recovery_linked_account_subject.txt",
                body_template="ecf/email/recovery_linked_account.txt",
                context={**_linked_context(request, court, filer), "asked_for": "user name"},
            )
            sent += 1
            continue
        queue_templated_mail(
            to=[filer.email_of_record],
            subject_template="ecf/email/recovery_username_reminder_subject.txt",
            body_template="ecf/email/recovery_username_reminder.txt",
            context={
                "name": filer.name_of_record,
                "court": court.name,
                "login": filer.login,
                "link_url": request.build_absolute_uri(reverse("ecf:link", args=[court.code])),
            },
        )
        sent += 1
    record(
        ACTION_USERNAME,
        request=request,
        court_code=court.code,
        username_tried=value.strip(),
        details={
            "matched_cmecf_logins": [f.login for f in matches],
            "linked": [f.login for f in matches if f.is_linked],
            "mails_queued": sent,
        },
    )
    return RecoveryAnswer(notices.CMECF_USERNAME_SENT)


# --- Forgot CM/ECF password -------------------------------------------------------------
def filers_by_login_or_email(court: Court, value: str) -> list[FilerAccount]:
    """The CM/ECF accounts of `court` whose user name or primary e-mail of record is `value`."""
    value = value.strip()
    if not value:
        return []
    return list(
        FilerAccount.objects.filter(court=court)
        .filter(Q(login_key=normalize_login(value)) | _email_of_record_is(value))
        .order_by("pk")
    )


def reset_url(request: HttpRequest, filer: FilerAccount) -> str:
    """The absolute, single-use, expiring link that lets `filer` set a new CM/ECF password."""
    path = reverse(
        "ecf:cmecf_password_reset_link",
        kwargs={
            "code": filer.court.code,
            "uidb64": urlsafe_base64_encode(force_bytes(filer.pk)),
            "token": filer_token_generator.make_token(filer),
        },
    )
    return request.build_absolute_uri(path)


def send_password_reset(*, request: HttpRequest, court: Court, value: str) -> RecoveryAnswer:
    """Forgot CM/ECF password: mail each matching unlinked CM/ECF account a link to set a
    new password (a linked one is told to sign in with PACER). Same answer either way."""
    refused = _admit(request, court=court, action=ACTION_PASSWORD, targets=[value])
    if refused:
        return RecoveryAnswer(refused, throttled=True)
    matches = [f for f in filers_by_login_or_email(court, value) if f.email_of_record]
    sent = 0
    for filer in matches:
        if filer.is_linked:
            queue_templated_mail(
                to=[filer.email_of_record],
                subject_template="ecf/email/recovery_linked_account_subject.txt",
                body_template="ecf/email/recovery_linked_account.txt",
                context={**_linked_context(request, court, filer), "asked_for": "password"},
            )
            sent += 1
            continue
        queue_templated_mail(
            to=[filer.email_of_record],
            subject_template="ecf/email/recovery_password_reset_subject.txt",
            body_template="ecf/email/recovery_password_reset.txt",
            context={
                "name": filer.name_of_record,
                "court": court.name,
                "login": filer.login,
                "reset_url": reset_url(request, filer),
                "valid_minutes": str(settings.PASSWORD_RESET_TIMEOUT // 60),
                "rules": "\n".join(f"- {rule}" for rule in rule_texts()),
            },
        )
        sent += 1
    record(
        ACTION_PASSWORD,
        request=request,
        court_code=court.code,
        username_tried=value.strip(),
        details={
            "matched_cmecf_logins": [f.login for f in matches],
            "linked": [f.login for f in matches if f.is_linked],
            "mails_queued": sent,
        },
    )
    return RecoveryAnswer(notices.CMECF_PASSWORD_SENT)


# --- the link ---------------------------------------------------------------------------
def filer_from_uidb64(court: Court, uidb64: str) -> FilerAccount | None:
    """The CM/ECF account of `court` a link names, or None for anything malformed, unknown
    or of another court."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
        return FilerAccount.objects.select_related("court").get(pk=pk, court=court)
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError, FilerAccount.DoesNotExist):
        return None


def _usable(filer: FilerAccount | None, token: Any) -> bool:
    return (
        filer is not None
        and not filer.is_linked
        and isinstance(token, str)
        and bool(token)
        and filer_token_generator.check_token(filer, token)
    )


def open_reset_link(*, request: HttpRequest, court: Court, uidb64: str, token: str) -> bool:
    """Check a link's token; when good, keep it in the session (the caller then redirects to
    the token-free page). A bad, used or expired link is audited and changes nothing."""
    filer = filer_from_uidb64(court, uidb64)
    if not _usable(filer, token):
        RESET.discard(request)
        record(
            ACTION_RESET,
            outcome=Outcome.FAILURE,
            request=request,
            court_code=court.code,
            details={"reason": "invalid link", "cmecf_login": filer.login if filer else ""},
        )
        return False
    RESET.put(request, owner=(court.code, uidb64), token=token)
    record(
        ACTION_RESET_LINK,
        request=request,
        court_code=court.code,
        details={"cmecf_login": filer.login},
    )
    return True


@dataclass(frozen=True)
class PendingReset:
    filer: FilerAccount
    token: str


def pending_reset(request: HttpRequest, court: Court, uidb64: str) -> PendingReset | None:
    """The reset this session may complete on the token-free page, if its token still holds."""
    stored = RESET.peek(request, owner=(court.code, uidb64))
    if stored is None:
        return None
    filer = filer_from_uidb64(court, uidb64)
    token = stored.get("token", "")
    if not _usable(filer, token):
        return None
    return PendingReset(filer, token)


def refuse_stale_reset(*, request: HttpRequest, court: Court) -> None:
    """The token-free page was reached without a live token in the session: audit it."""
    RESET.discard(request)
    record(
        ACTION_RESET,
        outcome=Outcome.FAILURE,
        request=request,
        court_code=court.code,
        details={"reason": "invalid or expired reset session"},
    )


def reset_cmecf_password(
    *, request: HttpRequest, court: Court, filer: FilerAccount, token: str, new_password: str
) -> FilerAccount:
    """Set a new CM/ECF password through a reset link.

    Raises ValidationError({"new_password": [each CM/ECF rule that failed]}), or
    ValidationError(code="invalid_link") when the token no longer holds; the token is
    checked again inside the transaction on the locked row, so two submits of one link
    cannot both succeed, and a link cannot set the password of an account linked since."""
    try:
        validate_cmecf_password(new_password)
    except ValidationError as exc:
        raise ValidationError({"new_password": exc.messages}) from exc
    with transaction.atomic():
        locked = (
            FilerAccount.objects.select_for_update()
            .select_related("court")
            .filter(pk=filer.pk, court=court)
            .first()
        )
        if not _usable(locked, token):
            raise ValidationError(notices.CMECF_RESET_LINK_INVALID, code="invalid_link")
        locked.password = make_password(new_password)
        locked.updated_at = timezone.now()
        locked.save(update_fields=["password", "updated_at"])
        record(
            ACTION_RESET,
            request=request,
            court_code=court.code,
            details={"cmecf_login": locked.login},
        )
    if hasattr(request, "session"):
        RESET.discard(request)
    return locked
