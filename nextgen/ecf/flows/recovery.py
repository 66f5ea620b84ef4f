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

The link, its session and the new password are the password-reset engine's
(nextgen.recovery.flows), scoped to the court: a link names one court's CM/ECF account,
and a token for one court never resets another court's login. The token is an HMAC over
the CM/ECF account's password hash and updated_at (ecf.tokens), so it dies on use; the
new password must keep the court's rules (ecf.passwords, Django validators).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from nextgen import throttle
from nextgen.audit.models import Action
from nextgen.audit.services import record
from nextgen.mail import queue_templated_mail
from nextgen.recovery.flows import PasswordReset, RecoveryAnswer
from nextgen.signon.models import Account

from .. import notices
from ..models import Court, FilerAccount, normalize_login
from ..passwords import CMECF_PASSWORD_VALIDATORS, rule_texts
from ..tokens import filer_token_generator

ACTION_USERNAME = Action.ECF_RECOVERY_USERNAME
ACTION_PASSWORD = Action.ECF_RECOVERY_PASSWORD
ACTION_RESET_LINK = Action.ECF_PASSWORD_RESET_LINK
ACTION_RESET = Action.ECF_PASSWORD_RESET


def _write_password(filer: FilerAccount, new_password: str) -> None:
    filer.password = make_password(new_password)
    # updated_at is in the token's hash: this link, and every older one, dies.
    filer.updated_at = timezone.now()
    filer.save(update_fields=["password", "updated_at"])


def _unlinked(filer: FilerAccount) -> bool:
    # A linked account's CM/ECF password is never used again: nothing to reset.
    return not filer.is_linked


def _cmecf_login(filer: FilerAccount | None) -> dict[str, str]:
    return {"cmecf_login": filer.login if filer else ""}


RESET = PasswordReset[FilerAccount](
    # One court's CM/ECF accounts: a link, its session and its throttle keys name the court.
    scope_field="court",
    model=FilerAccount,
    # Own counters, not the central pages': a flood at one court's page must not stop
    # someone recovering their PACER account, and the other way round.
    by_client=throttle.Throttle("ecf-recovery-client", "recovery"),
    by_target=throttle.Throttle("ecf-recovery-target", "recovery"),
    token_generator=filer_token_generator,
    can_reset=_unlinked,
    password_validators=CMECF_PASSWORD_VALIDATORS,
    write_password=_write_password,
    session_key="nextgen_ecf_password_reset",
    url_name="ecf:cmecf_password_reset",
    link_action=ACTION_RESET_LINK,
    reset_action=ACTION_RESET,
    audit_details=_cmecf_login,
    invalid_link_notice=notices.CMECF_RESET_LINK_INVALID,
    throttled_notice=notices.throttled,
)


def _target(value: str) -> str:
    return " ".join(value.split()).casefold()


def _email_of_record_is(value: str) -> Q:
    """The court of record's primary e-mail is `value`: the kept one of a linked account
    (FilerAccount.court_record), never the address PACER forwarded over it."""
    return Q(court_record__isnull=True, email__iexact=value) | Q(court_record__email__iexact=value)


def _filers(court: Court, value: str, by: Q) -> list[FilerAccount]:
    """The CM/ECF accounts of `court` matching `by` or whose primary e-mail of record is
    `value` (ignoring case and surrounding spaces)."""
    if not value.strip():
        return []
    return list(
        FilerAccount.objects.filter(court=court)
        .filter(by | _email_of_record_is(value.strip()))
        .order_by("pk")
    )


def filers_by_bar_number_or_email(court: Court, value: str) -> list[FilerAccount]:
    """The CM/ECF accounts of `court` whose Federal Bar Number or primary e-mail of record
    is `value`."""
    return _filers(court, value, Q(bar_number__iexact=value.strip()))


def filers_by_login_or_email(court: Court, value: str) -> list[FilerAccount]:
    """The CM/ECF accounts of `court` whose user name or primary e-mail of record is `value`."""
    return _filers(court, value, Q(login_key=normalize_login(value.strip())))


def _recover(
    *,
    acting: Account | None,
    request: HttpRequest,
    court: Court,
    value: str,
    action: Action,
    asked_for: str,
    find: Callable[[Court, str], list[FilerAccount]],
    template: str,
    context: Callable[[FilerAccount], dict[str, str]],
    answer: str,
) -> RecoveryAnswer:
    """Mail each account `find` matches that has a primary e-mail of record: `template`
    with its context, or, for a linked one, that it signs in with PACER now. Throttled
    first, audited with what matched; the answer is the same either way."""
    if refused := RESET.throttled(
        request, acting=acting, scope=court, action=action, targets=[_target(value)]
    ):
        return refused
    matches = [f for f in find(court, value) if f.email_of_record]
    # The queued mails and their audit event: one transaction.
    with transaction.atomic(durable=True):
        for filer in matches:
            if filer.is_linked:
                template_used = "ecf/email/recovery_linked_account"
                mail_context = {**_linked_context(request, court, filer), "asked_for": asked_for}
            else:
                template_used = template
                mail_context = {
                    "name": filer.name_of_record,
                    "court": court.name,
                    **context(filer),
                }
            queue_templated_mail(
                to=[filer.email_of_record],
                subject_template=f"{template_used}_subject.txt",
                body_template=f"{template_used}.txt",
                context=mail_context,
            )
        record(
            action,
            request=request,
            actor=acting,
            court_code=court.code,
            username_tried=value.strip(),
            details={
                "matched_cmecf_logins": [f.login for f in matches],
                "linked": [f.login for f in matches if f.is_linked],
                "mails_queued": len(matches),
            },
        )
    return RecoveryAnswer(answer)


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
def send_username_reminder(
    *, acting: Account | None, request: HttpRequest, court: Court, value: str
) -> RecoveryAnswer:
    """Forgot CM/ECF user name: mail each matching CM/ECF account's user name to its primary
    e-mail address (a linked one is told to sign in with PACER). Same answer either way."""
    link_url = request.build_absolute_uri(reverse("ecf:link", args=[court.code]))
    return _recover(
        acting=acting,
        request=request,
        court=court,
        value=value,
        action=ACTION_USERNAME,
        asked_for="user name",
        find=filers_by_bar_number_or_email,
        template="ecf/email/recovery_username_reminder",
        context=lambda filer: {"login": filer.login, "link_url": link_url},
        answer=notices.CMECF_USERNAME_SENT,
    )


# --- Forgot CM/ECF password -------------------------------------------------------------
def send_password_reset(
    *, acting: Account | None, request: HttpRequest, court: Court, value: str
) -> RecoveryAnswer:
    """Forgot CM/ECF password: mail each matching unlinked CM/ECF account a link to set a
    new password (a linked one is told to sign in with PACER). Same answer either way."""
    rules = "\n".join(f"- {rule}" for rule in rule_texts())
    return _recover(
        acting=acting,
        request=request,
        court=court,
        value=value,
        action=ACTION_PASSWORD,
        asked_for="password",
        find=filers_by_login_or_email,
        template="ecf/email/recovery_password_reset",
        context=lambda filer: {
            "login": filer.login,
            "reset_url": RESET.reset_url(request, filer),
            "valid_minutes": str(settings.PASSWORD_RESET_TIMEOUT // 60),
            "rules": rules,
        },
        answer=notices.CMECF_PASSWORD_SENT,
    )
