"""Multi-factor authentication: an authenticator app (TOTP) plus ten one-time backup codes.

Filers (accounts linked to a CM/ECF account anywhere) must enroll: they may put it off
MFA_SKIPS_ALLOWED times at sign-in, then sign-in stops at "User Update Required" until
they do. Accounts with powers over other accounts (court staff, the Service Center,
administrators: has_powers) must enroll before their first session starts: a phished
password alone must open none of their pages. Accounts that only search may enroll by
choice.

The authenticator is django-otp's TOTPDevice (30 s steps, 6 digits, one step of drift
either way, and `last_t`, so a code is accepted once). Backup codes are
models.mfa.BackupCode (hashed, single use). Codes are throttled like passwords
(throttle.otp_attempt: per account and client, strictly; at most 100 consecutive
failures a day across clients, which hold back only clients with failures of their
own), so every wait ends and a thief who knows the password cannot keep the owner out.
The login page (flows/login.py), the account pages (views/mfa.py) and the
PACER Authentication API all check codes through `verify_code`, which audits every
attempt as "login.otp" (or the action given), never the code.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from nextgen import throttle
from nextgen.audit.models import Action, Outcome
from nextgen.audit.services import record, record_alone
from nextgen.mail import queue_templated_mail
from nextgen.precompiled import Precompiled
from nextgen.session_state import SessionState

from .. import notices
from ..models import Account
from ..models.mfa import BackupCode, MfaPrompt
from ..revocation import credentials_revoked
from .reauth import check_current_password

logger = logging.getLogger(__name__)

MFA_SKIPS_ALLOWED = 3
BACKUP_CODE_COUNT = 10
# No 0/O, 1/I/L: a code copied from paper must not be ambiguous. 31 symbols, 10 of them
# per code: about 50 random bits.
BACKUP_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
BACKUP_LENGTH = 10
# An unfinished enrollment keeps its secret this long (the page may be reloaded, a wrong
# code retried); after that a fresh secret is made, so a forgotten screenshot goes stale.
ENROLL_SECRET_TTL = dt.timedelta(hours=1)
# Where the secret of an unfinished set-up waits: in the session that showed it, never in
# a table another session could read it from (enroll_start); owned by the account.
ENROLL = SessionState("nextgen_mfa_setup", ttl=ENROLL_SECRET_TTL)

# --- the words (kept with the flow until notices.py takes them over) ----------------
CODE_FORMAT = (
    "Enter the 6-digit code from your authenticator app, or one of your backup codes "
    "(10 letters and digits, such as ABCDE-FGH23)."
)
ENROLL_CODE_FORMAT = "Enter the 6-digit code your authenticator app shows for NextGen PACER."
CODE_WRONG = (
    "The one-time passcode is not correct, or it has been used already. Enter the code "
    "your authenticator app shows now, or an unused backup code."
)
ENROLL_CODE_WRONG = (
    "That code does not match. Check that the app was set up with the code on this page, "
    "and enter the 6-digit code it shows now."
)
ENROLL_SESSION_LOST = (
    "This set-up has expired. Add NextGen PACER to your authenticator app again with the "
    "new code on this page, and enter the 6-digit code it shows."
)
NOT_ENROLLED = "Multi-factor authentication is not turned on for your account."
ALREADY_ENROLLED = "Multi-factor authentication is already turned on for your account."
NO_SKIPS_LEFT = (
    "Multi-factor authentication can no longer be put off. Set it up now to continue, or log out."
)
FILERS_MUST_ENROLL = (
    "Multi-factor authentication is required for every PACER account with e-filing "
    "rights. It protects your filings: after your password, you will also enter a "
    "one-time passcode from an authenticator app on your phone or computer."
)
API_ENROLLMENT_REQUIRED = (
    "User Update Required: multi-factor authentication must be set up for this account "
    "before it can sign in. Log in to PACER in a browser to set it up."
)
API_ENROLLMENT_DUE = (
    "Multi-factor authentication is required for filers and court staff and is not yet "
    "set up for this "
    "account. Log in to PACER in a browser and set it up under Manage My Account, "
    "Multi-Factor Authentication."
)
ENABLED = (
    "Multi-factor authentication is now turned on. Any other session signed in with this "
    "account has been signed out."
)
DISABLED = (
    "Multi-factor authentication has been turned off. Any other session signed in with "
    "this account has been signed out."
)
CODES_REGENERATED = (
    "New backup codes have been made; the old ones no longer work. Any other session "
    "signed in with this account has been signed out."
)


def lost_device_help() -> str:
    psc = settings.NEXTGEN_SERVICE_CENTER
    return (
        "Lost your authenticator app and your backup codes? Contact the PACER Service "
        f"Center at {psc['phone']} or {psc['email']}."
    )


# --- reading ---------------------------------------------------------------------


def is_enrolled(account: Account) -> bool:
    """Whether sign-in asks this account for a one-time passcode."""
    return TOTPDevice.objects.filter(user=account, confirmed=True).exists()


def skips_left(account: Account) -> int:
    """How many more times sign-in may put off setting MFA up: none for an account with
    powers over other accounts (has_powers), whose password alone must open nothing."""
    if has_powers(account):
        return 0
    used = MfaPrompt.objects.filter(account=account).values_list("skips", flat=True).first()
    return max(0, MFA_SKIPS_ALLOWED - (used or 0))


def has_powers(account: Account) -> bool:
    """Court staff (ecf's "role" rows), the Service Center, administrators: a session of
    theirs opened by the password alone could unlink, reset, see sealed material or
    change other accounts, so they set MFA up before their first session starts."""
    if has_central_powers(account):
        return True
    rows = MFA_REQUIRED_ROWS.get("role")
    return rows is not None and rows(account).exists()


def has_central_powers(account: Account) -> bool:
    """The Service Center and administrators: powers over every account, read from the
    account row itself (court staff's come from ecf's "role" rows)."""
    return account.is_service_center or account.is_staff or account.is_superuser


# Who must enrol beyond the account's own powers: apps above signon register, in their
# AppConfig.ready(), a function giving the rows that make an account need MFA, usable
# as a subquery with OuterRef("pk") (ecf: "filer" for filers, "role" for court staff).
# The "filer" rows also decide the filers' notice on the MFA pages.
MFA_REQUIRED_ROWS: dict[str, Callable[[Any], QuerySet]] = {}


def is_filer(account: Account) -> bool:
    """Whether the account may file in some court (ecf's rule, registered as "filer")."""
    rows = MFA_REQUIRED_ROWS.get("filer")
    return rows is not None and rows(account).exists()


def needs_mfa(account: Account) -> bool:
    """Filers, and everyone with powers over other accounts (court staff, the Service
    Center, admins), must use MFA; case-search-only accounts may choose to."""
    if has_central_powers(account):
        return True
    return any(rows(account).exists() for rows in MFA_REQUIRED_ROWS.values())


def sign_in_step(account: Account) -> str:
    """What follows a right password, asked in one query: "otp" (a passcode is due),
    "enroll" (must_enroll), or "" (the session may start). Same answers as is_enrolled and
    must_enroll, which ask one question each. An account read with `sign_in_facts()`
    (the login's named account) already carries the answers: no query then."""
    facts = getattr(account, SIGN_IN_FACTS, None)
    if facts is None:
        facts = _step_query().first(account.pk) or {}
    return step_from_facts(account, facts)


def step_from_facts(account: Account, facts: dict[str, Any]) -> str:
    if facts.get("enrolled"):
        return "otp"
    required = any(facts.get(f"required_{name}") for name in MFA_REQUIRED_ROWS)
    if has_central_powers(account) or required:
        return "enroll"
    return ""


# The attribute under which an account read with sign_in_facts() keeps them (a dict).
SIGN_IN_FACTS = "_nextgen_sign_in_facts"


def sign_in_facts() -> dict[str, Any]:
    """sign_in_step's questions as annotations of an Account query (`OuterRef("pk")`):
    the login reads them with the named account, one query less per sign-in. The names
    are prefixed; `keep_sign_in_facts` moves them onto the account as SIGN_IN_FACTS."""
    return {_FACT_PREFIX + name: fact for name, fact in _step_facts().items()}


def _step_facts() -> dict[str, Any]:
    """sign_in_step's questions about the Account row of the query they annotate: a
    confirmed authenticator, and each registered reason MFA is required."""
    from django.db.models import Exists, OuterRef

    facts: dict[str, Any] = {
        "enrolled": Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
    }
    for name, rows in MFA_REQUIRED_ROWS.items():
        facts[f"required_{name}"] = Exists(rows(OuterRef("pk")))
    return facts


_FACT_PREFIX = "signin_mfa_"


def keep_sign_in_facts(account: Account) -> Account:
    """Gather the annotations of sign_in_facts() on `account` into SIGN_IN_FACTS."""
    facts = {
        name[len(_FACT_PREFIX) :]: account.__dict__.pop(name)
        for name in list(account.__dict__)
        if name.startswith(_FACT_PREFIX)
    }
    setattr(account, SIGN_IN_FACTS, facts)
    return account


def required_rows_key() -> tuple:
    """What the compiled sign-in queries depend on: the registered MFA_REQUIRED_ROWS."""
    return tuple(MFA_REQUIRED_ROWS.items())


# sign_in_step's query for the registered rows: its SQL is compiled once per process
# (nextgen.precompiled), as every sign-in without the named account's facts asks it.
_STEP_QUERIES: dict[tuple, Precompiled[dict[str, Any]]] = {}


def _step_query() -> Precompiled:
    key = required_rows_key()
    query = _STEP_QUERIES.get(key)
    if query is None:

        def build(pk: int) -> QuerySet:
            return Account.objects.filter(pk=pk).values(**_step_facts())[:1]

        query = _STEP_QUERIES[key] = Precompiled[dict[str, Any]](build, int)
    return query


def must_enroll(account: Account) -> bool:
    """An account that needs MFA and has none: sign-in prompts (and, once the skips are
    used, insists)."""
    return needs_mfa(account) and not is_enrolled(account)


def backup_codes_left(account: Account) -> int:
    return BackupCode.objects.filter(account=account, used_at__isnull=True).count()


def normalize_code(raw: str) -> tuple[str, str] | None:
    """("totp", digits) or ("backup", code) for what a person typed, else None.

    Spaces and hyphens are ignored and letters may be lower case: people copy codes
    as they see them ("123 456", "abcde-fgh23")."""
    value = "".join(raw.split()).replace("-", "").upper()
    if re.fullmatch(r"[0-9]{6}", value):
        return "totp", value
    if re.fullmatch(f"[{BACKUP_ALPHABET}]{{{BACKUP_LENGTH}}}", value):
        return "backup", value
    return None


# --- checking a code ---------------------------------------------------------------


@dataclass(frozen=True)
class CodeCheck:
    ok: bool
    error: str = ""
    reason: str = ""  # throttled, invalid
    method: str = ""  # totp, backup


def _verify_totp(account: Account, digits: str) -> bool:
    with transaction.atomic():
        # Locked, so two requests carrying the same code cannot both pass `last_t`.
        device = TOTPDevice.objects.select_for_update().filter(user=account, confirmed=True).first()
        return device is not None and device.verify_token(digits)


def _use_backup_code(account: Account, code: str) -> bool:
    for candidate in BackupCode.objects.filter(account=account, used_at__isnull=True):
        if candidate.matches(code):
            # Conditional update: of two concurrent uses of one code, only one wins.
            return (
                BackupCode.objects.filter(pk=candidate.pk, used_at__isnull=True).update(
                    used_at=timezone.now()
                )
                == 1
            )
    return False


def verify_code(
    *,
    acting: Account | None,
    account: Account,
    code: str,
    request: HttpRequest,
    action: Action = Action.LOGIN_OTP,
    via: str = "page",
) -> CodeCheck:
    """Check a one-time passcode or backup code of an enrolled account: throttled,
    used up on success, audited as `action` either way (without the code), with
    `account` as the actor. `acting` is whoever is signed in: None at a sign-in's second
    step (page or API), `account` itself when it changes its MFA."""
    attempt = throttle.otp_attempt(request, account.pk)  # counted before the check runs
    if wait := attempt.wait:
        record_alone(
            action,
            outcome=Outcome.REFUSED,
            request=request,
            actor=account,
            details={"reason": "throttled", "via": via},
        )
        return CodeCheck(False, notices.throttled(throttle.describe_wait(wait)), "throttled")
    parsed = normalize_code(code)
    method = parsed[0] if parsed else "unreadable"
    with transaction.atomic(durable=True):
        if parsed is None:
            ok = False
        elif method == "totp":
            ok = _verify_totp(account, parsed[1])
        else:
            ok = _use_backup_code(account, parsed[1])
        if ok:
            details: dict[str, object] = {"method": method, "via": via}
            if method == "backup":
                details["backup_codes_left"] = backup_codes_left(account)
            record(action, request=request, actor=account, details=details)
    if ok:
        attempt.succeeded()
        return CodeCheck(True, method=method)
    record_alone(
        action,
        outcome=Outcome.FAILURE,
        request=request,
        actor=account,
        details={"reason": "wrong code", "method": method, "via": via},
    )
    return CodeCheck(False, CODE_WRONG, "invalid", method)


def check_otp_for_api(
    *, acting: Account | None, account: Account, code: str, request: HttpRequest
) -> bool:
    """For POST /services/cso-auth: True when the sign-in may go on (no MFA, or a right
    `otpCode`). A missing code is refused and audited but not counted as a wrong guess:
    a client that has not learnt about otpCode must not throttle its own user."""
    if not is_enrolled(account):
        return True
    if not code.strip():
        record_alone(
            Action.LOGIN_OTP,
            outcome=Outcome.REFUSED,
            request=request,
            actor=account,
            details={"reason": "code missing", "via": "api"},
        )
        return False
    return verify_code(acting=acting, account=account, code=code, request=request, via="api").ok


def api_notice(account: Account) -> str:
    """What an otherwise successful API sign-in tells a filer who has not enrolled."""
    return API_ENROLLMENT_DUE if must_enroll(account) else ""


# --- enrolling ----------------------------------------------------------------------


@dataclass(frozen=True)
class Enrollment:
    """What the set-up page shows: the secret (grouped base32) and its QR code."""

    secret: str
    config_url: str
    qr_data_uri: str


def _group(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _qr_data_uri(text: str) -> str:
    # SVG needs no imaging library; a data: URI keeps the image in the page, so the
    # secret never travels in a separate, cacheable request.
    svg = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2).to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


def _device(account: Account, key: str) -> TOTPDevice:
    """An unsaved authenticator with `key` (hex), as django-otp would make it."""
    return TOTPDevice(user=account, key=key, name="Authenticator app", confirmed=False)


def _pending_key(request: HttpRequest, account: Account) -> str | None:
    """The secret this session showed `account` at set-up, while it is fresh."""
    data = ENROLL.peek(request, owner=account.pk)
    key = data.get("key") if data is not None else None
    return key if isinstance(key, str) else None


def enroll_start(account: Account, *, request: HttpRequest) -> Enrollment:
    """The authenticator set-up this session shows: a fresh random secret, kept in this
    session only (a reload shows it again). Raises ValidationError if MFA is already on
    (a second device is not offered).

    The secret is never stored where another session could read it: someone who holds
    only the password and opens set-up in their own session gets a secret of their own,
    which the owner's app never learns, and their code cannot confirm the owner's set-up."""
    if is_enrolled(account):
        raise ValidationError(ALREADY_ENROLLED, code="enrolled")
    key = _pending_key(request, account)
    if key is None:
        key = secrets.token_hex(20)  # 160 bits, as django-otp's default_key
        ENROLL.put(request, owner=account.pk, key=key)
    device = _device(account, key)
    secret = base64.b32encode(device.bin_key).decode()
    return Enrollment(_group(secret), device.config_url, _qr_data_uri(device.config_url))


def _totp_matches(device: TOTPDevice, digits: str) -> bool:
    """RFC 6238 check of an unsaved device (its own verify_token saves, even on failure)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if not totp.verify(int(digits), device.tolerance):
        return False
    device.last_t = totp.t()  # the confirming code is used up
    return True


def enroll_confirm(
    *, acting: Account, code: str, request: HttpRequest, password: str | None = None
) -> list[str]:
    """Finish set-up with one right code from the app; returns the ten backup codes
    (the only time they exist in clear). Ends the account's other sessions.

    From Manage My Account the current password is asked too (`password`): a stolen
    session must not be able to tie the account to the thief's authenticator. At
    sign-in the password was just checked, and `password` is None.

    Raises ValidationError naming `otp_code` or `current_password`, or code "throttled"."""
    if password is not None:
        check_current_password(request, acting, password, action=Action.MFA_ENROLL)
    attempt = throttle.otp_attempt(request, acting.pk)
    if wait := attempt.wait:
        raise ValidationError(notices.throttled(throttle.describe_wait(wait)), code="throttled")
    parsed = normalize_code(code)
    key = _pending_key(request, acting)
    with transaction.atomic(durable=True):
        # Locked: two confirmations of one account (two tabs) enroll one after the other.
        Account.objects.select_for_update().filter(pk=acting.pk).first()
        if is_enrolled(acting):
            raise ValidationError(ALREADY_ENROLLED, code="enrolled")
        if key is None:
            # This session showed no secret (or it went stale): only the secret shown to
            # this very session can be confirmed here.
            raise ValidationError({"otp_code": ENROLL_SESSION_LOST})
        device = _device(acting, key)
        ok = parsed is not None and parsed[0] == "totp" and _totp_matches(device, parsed[1])
        if ok:
            TOTPDevice.objects.filter(user=acting).delete()  # unconfirmed leftovers
            device.confirmed = True
            device.save()
            ENROLL.discard(request)
            codes = _replace_backup_codes(acting)
            _end_other_sessions(acting, request)
            record(Action.MFA_ENROLL, request=request, actor=acting, details={"method": "totp"})
    if not ok:
        record_alone(
            Action.MFA_ENROLL,
            outcome=Outcome.FAILURE,
            request=request,
            actor=acting,
            details={"reason": "wrong code"},
        )
        raise ValidationError({"otp_code": ENROLL_CODE_WRONG})
    attempt.succeeded()
    _notify(acting, "enabled")
    return codes


def record_skip(*, acting: Account, request: HttpRequest) -> int:
    """A filer puts off enrolling once more; how many skips are left after this one.
    Raises ValidationError when none were left."""
    with transaction.atomic(durable=True):
        return use_skip(acting=acting, request=request)


def use_skip(*, acting: Account, request: HttpRequest) -> int:
    """record_skip's step inside the caller's transaction: for an action that uses up a
    skip as part of its own change (the API's sign-in issuing a token)."""
    prompt, _ = MfaPrompt.objects.select_for_update().get_or_create(account=acting)
    if prompt.skips >= MFA_SKIPS_ALLOWED or has_powers(acting):
        raise ValidationError(NO_SKIPS_LEFT, code="no_skips")
    prompt.skips += 1
    prompt.last_skipped_at = timezone.now()
    prompt.save(update_fields=["skips", "last_skipped_at"])
    record(Action.MFA_SKIP, request=request, actor=acting, details={"skips": prompt.skips})
    return MFA_SKIPS_ALLOWED - prompt.skips


# --- changing it: password and a current code --------------------------------------


def _check_password_and_code(
    *, account: Account, password: str, code: str, request: HttpRequest, action: Action
) -> None:
    """Refuse unless `password` is the account's and `code` a current one.

    The password is throttled like the login (a stolen session must not become a
    password oracle); the code like the login's second step."""
    if not is_enrolled(account):
        raise ValidationError(NOT_ENROLLED, code="not_enrolled")
    check_current_password(request, account, password, action=action)
    check = verify_code(
        acting=account, account=account, code=code, request=request, action=action, via="account"
    )
    if check.reason == "throttled":
        raise ValidationError(check.error, code="throttled")
    if not check.ok:
        raise ValidationError({"otp_code": check.error})


def disable(*, acting: Account, password: str, code: str, request: HttpRequest) -> None:
    """Turn MFA off (the app and every backup code). Ends the account's other sessions
    and API tokens and tells the account by e-mail. Raises ValidationError by field."""
    _check_password_and_code(
        account=acting, password=password, code=code, request=request, action=Action.MFA_DISABLE
    )
    with transaction.atomic(durable=True):
        TOTPDevice.objects.filter(user=acting).delete()
        BackupCode.objects.filter(account=acting).delete()
        _end_other_sessions(acting, request)
        record(Action.MFA_DISABLE, request=request, actor=acting, details={"sessions_ended": True})
    _notify(acting, "disabled")


def regenerate_backup_codes(
    *, acting: Account, password: str, code: str, request: HttpRequest
) -> list[str]:
    """Replace all backup codes with ten new ones (returned, shown once). Ends the
    account's other sessions and API tokens and tells the account by e-mail."""
    _check_password_and_code(
        account=acting,
        password=password,
        code=code,
        request=request,
        action=Action.MFA_BACKUP_CODES,
    )
    with transaction.atomic(durable=True):
        codes = _replace_backup_codes(acting)
        _end_other_sessions(acting, request)
        record(
            Action.MFA_BACKUP_CODES,
            request=request,
            actor=acting,
            details={"sessions_ended": True},
        )
    _notify(acting, "codes")
    return codes


def reset_for_holder(
    *, acting: Account, account: Account, details: dict[str, Any], request: HttpRequest | None
) -> None:
    """Turn MFA off for a holder who lost the app and every backup code, at the PACER
    Service Center's hand (flows/service_center.reset_mfa checks who may, and why): the
    app and the backup codes go, every session and API token of the account ends, and
    the holder is told by e-mail. A filer or court staff member sets it up again at the
    next sign-in. In the caller's transaction, with its audit row."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("reset_for_holder runs in the caller's transaction")
    TOTPDevice.objects.filter(user=account).delete()
    codes, _ = BackupCode.objects.filter(account=account).delete()
    if needs_mfa(account):
        # No skips left: the next sign-in sets MFA up before anything else (one who
        # never skipped would otherwise sign in three more times on the password alone).
        MfaPrompt.objects.update_or_create(account=account, defaults={"skips": MFA_SKIPS_ALLOWED})
    tokens = _end_other_sessions(account, request)  # the acting staff member's is not one
    record(
        Action.MFA_RESET,
        request=request,
        actor=acting,
        subject=account,
        details={**details, "backup_codes_deleted": codes, "api_tokens_revoked": tokens},
    )
    _notify(account, "reset")  # queued in the same transaction, sent once it commits


# --- helpers ------------------------------------------------------------------------


def _new_backup_code() -> str:
    return "".join(secrets.choice(BACKUP_ALPHABET) for _ in range(BACKUP_LENGTH))


def display_code(code: str) -> str:
    half = BACKUP_LENGTH // 2
    return f"{code[:half]}-{code[half:]}"


def _replace_backup_codes(account: Account) -> list[str]:
    BackupCode.objects.filter(account=account).delete()
    codes = [_new_backup_code() for _ in range(BACKUP_CODE_COUNT)]
    BackupCode.objects.bulk_create([BackupCode.for_code(account, code) for code in codes])
    return [display_code(code) for code in codes]


def _end_other_sessions(account: Account, request: HttpRequest | None) -> int:
    """A new security stamp ends every session and API token of the account; the
    request's own session (if it is this account's) is kept. Returns how many API
    tokens were revoked."""
    account.rotate_security_stamp()
    account.save(update_fields=["security_stamp"])
    user = getattr(request, "user", None)
    if request is not None and user is not None and user.is_authenticated and user.pk == account.pk:
        update_session_auth_hash(request, account)
    return credentials_revoked(account)  # e.g. the API's tokens (they also die with the stamp)


_SUBJECTS = {
    "enabled": "Multi-factor authentication turned on",
    "disabled": "Multi-factor authentication turned off",
    "codes": "New multi-factor backup codes",
    "reset": "Multi-factor authentication reset by the PACER Service Center",
}


def _notify(account: Account, change: str) -> None:
    """Tell the account holder of an MFA change, so a change they did not make shows.
    Queued (nextgen.mail): sent after the commit, a mail failure retried, never raised."""
    context = {
        "name": account.full_name or account.username,
        "username": account.username,
        "change": change,
        "when": timezone.now().strftime("%Y-%m-%d %H:%M UTC"),
        "psc_phone": settings.NEXTGEN_SERVICE_CENTER["phone"],
        "psc_email": settings.NEXTGEN_SERVICE_CENTER["email"],
    }
    queue_templated_mail(
        to=[account.email],
        subject=f"PACER: {_SUBJECTS[change]}",
        body_template="signon/email/mfa_changed.txt",
        context=context,
    )
