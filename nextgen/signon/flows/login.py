"""Signing in and out of the central sign-on. The HTML page and the API both call this.

Sign-in is one or two steps. The password step (`verify_login`) is the same for every
account. An account with multi-factor authentication, or a filer who must set it up,
then gets a *pending login* instead of a session: a `nextgen.session_state` entry
(PENDING: account, stage, return URL, client code, and the account's session hash, so a
password change voids it), expiring after PENDING_TTL. The second step's functions refuse to
run without a pending login of their stage, use it up on success, and only then start
the session (`start_session`, which rotates the session key). So the one-time passcode
step cannot be reached, skipped or replayed without the password step in the same
browser session, by construction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import login as django_login
from django.contrib.auth import logout as django_logout
from django.contrib.auth.models import update_last_login as django_update_last_login
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from nextgen import throttle
from nextgen.audit.models import Action, Outcome
from nextgen.audit.services import record, record_alone
from nextgen.precompiled import Precompiled
from nextgen.session_state import Owner, SessionState

from .. import devices, notices
from ..models import Account, normalize_username
from . import mfa, sessions

SESSION_CLIENT_CODE = "nextgen_client_code"
# Audit details["via"] of every sign-in event: the login page or the PACER
# Authentication API (nextgen/api/flows.py), which share verify_login.
VIA_PAGE = "page"
VIA_API = "api"
# How this session's sign-in proved more than the password ("totp", "backup", "mfa set-up"),
# or absent. The administration pages (signon/admin_site.py) open only to such a session.
SESSION_SECOND_FACTOR = "nextgen_second_factor"
BACKEND = "nextgen.signon.backends.AccountBackend"

# How long the second step may take: a passcode is at hand; setting up an app is not.
PENDING_TTL = {"otp": dt.timedelta(minutes=5), "enroll": dt.timedelta(minutes=15)}
PENDING = SessionState("nextgen_pending_login", ttl=PENDING_TTL["otp"])
PENDING_EXPIRED = (
    "Your sign-in was not completed in time, or was already used. Please log in again."
)


@dataclass(frozen=True)
class LoginResult:
    account: Account | None
    error: str = ""
    reason: str = ""  # machine-readable: throttled, invalid, deactivated, expired
    # Where the browser goes next: the return URL once signed in, or the second step.
    next_url: str = ""

    @property
    def ok(self) -> bool:
        return self.account is not None and not self.error


def check_credentials(username: str, password: str) -> Account | None:
    """The account these credentials open, or None. Costs one hash either way, so
    the time taken does not tell whether the user name exists."""
    account = Account.objects.filter(username_key=normalize_username(username)).first()
    return _opened(account, password)


def _opened(account: Account | None, password: str) -> Account | None:
    """`account` if the password opens it, else None; one hash either way."""
    if account is None:
        Account().set_password(password)
        return None
    return account if account.check_password(password) else None


# Every sign-in asks it: its SQL is compiled once per process (nextgen.precompiled), per
# set of registered MFA rules.
_NAMED: dict[tuple, Precompiled[Account]] = {}


def _named_account(username_key: str) -> Account | None:
    """The account a sign-in names: the password check's, and the audit row's subject for
    a failed or throttled attempt, so the owner's trail (Service Center) shows attempts on
    it (never shown to the one trying). Read with what follows a right password (MFA's
    sign_in_facts): one query, whatever the password, so a failure costs what a success
    does up to the hash."""
    key = mfa.required_rows_key()
    query = _NAMED.get(key)
    if query is None:
        query = _NAMED[key] = Precompiled[Account](
            lambda name: (
                Account.objects.filter(username_key=name)
                .annotate(**mfa.sign_in_facts())
                .order_by("pk")[:1]
            ),
            str,
        )
    account = query.first(username_key)
    return mfa.keep_sign_in_facts(account) if account is not None else None


def refused_input(request: HttpRequest, username: str, *, fields: Iterable[str]) -> None:
    """A sign-in the form refused (a field missing, a client code the rule refuses) is
    an access attempt too: counted against the name and client like a wrong password
    (so a flood of them is throttled, and its audit rows flood-limited) and audited,
    with the fields at fault, never the password."""
    username = username.replace("\x00", "")[:150]  # PostgreSQL stores no NUL
    attempt = throttle.login_attempt(request, normalize_username(username))
    if attempt.wait:
        record_alone(
            Action.LOGIN,
            outcome=Outcome.REFUSED,
            request=request,
            username_tried=username,
            details={"reason": "throttled", "via": VIA_PAGE},
        )
        return
    record_alone(
        Action.LOGIN,
        outcome=Outcome.FAILURE,
        request=request,
        username_tried=username,
        details={"reason": "invalid input", "fields": sorted(fields), "via": VIA_PAGE},
    )


def verify_login(
    request: HttpRequest,
    username: str,
    password: str,
    *,
    acting: Account | None,
    via: str = VIA_PAGE,
) -> LoginResult:
    """Throttle, check and audit one sign-in attempt; does not start a session. `via`
    (VIA_PAGE or VIA_API) goes into every audit row, so the two can be told apart.

    `acting` is whoever is signed in already (None: nobody, and always for the API). The
    audit rows name the account the attempt named, not `acting`."""
    key = normalize_username(username)
    # Read once: the throttle's known-device check, the password check and the audit
    # row's subject all need it.
    named = _named_account(key)
    attempt = throttle.login_attempt(  # counted before the check runs
        request, key, account_pk=named.pk if named is not None else None
    )
    if wait := attempt.wait:
        record_alone(
            Action.LOGIN,
            outcome=Outcome.REFUSED,
            request=request,
            username_tried=username,
            subject=named,
            details={"reason": "throttled", "via": via},
        )
        return LoginResult(None, notices.throttled(throttle.describe_wait(wait)), "throttled")
    account = _opened(named, password)
    if account is None:
        record_alone(
            Action.LOGIN,
            outcome=Outcome.FAILURE,
            request=request,
            username_tried=username,
            subject=named,
            details={"reason": "invalid", "via": via},
        )
        return LoginResult(None, notices.INVALID_LOGIN, "invalid")
    attempt.succeeded()
    if not account.is_active:
        record_alone(
            Action.LOGIN,
            outcome=Outcome.REFUSED,
            request=request,
            username_tried=username,
            subject=account,
            details={"reason": "deactivated", "via": via},
        )
        return LoginResult(None, notices.deactivated(), "deactivated")
    return LoginResult(account)


def start_session(
    request: HttpRequest,
    account: Account,
    *,
    acting: Account | None,
    client_code: str = "",
    via: str = VIA_PAGE,
    step: str = "password",
    second_factor: str = "",
) -> None:
    """Sign the account in: a new session key (no fixation), the client code, an audit row.
    `second_factor` names the passcode step this sign-in passed, if any. `acting` is
    whoever was signed in before (None: nobody); the row's actor is `account`."""
    with transaction.atomic(durable=True):
        # last_login is written by sessions.begin, in its statement (see update_last_login).
        account.last_login = timezone.now()
        setattr(account, _LAST_LOGIN_WRITTEN, True)
        try:
            django_login(request, account, backend=BACKEND)  # rotates the session key
        finally:
            account.__dict__.pop(_LAST_LOGIN_WRITTEN, None)
        devices.remember(request, account.pk)  # a full sign-in: this is a known device now
        request.session[SESSION_CLIENT_CODE] = client_code.strip()[:32]
        # Written every time, so a session never keeps the mark of an earlier sign-in.
        request.session[SESSION_SECOND_FACTOR] = second_factor
        # Listed under Signed-in Sessions; the device noted as seen.
        begun = sessions.begin(request, account, last_login=account.last_login)
        event = record(
            Action.LOGIN,
            request=request,
            actor=account,
            username_tried=account.username,
            details={"via": via, "step": step, "client_code": client_code.strip()[:32]},
        )
        if not begun.known_device:  # a browser the account never used: told by mail
            sessions.new_device(request, account, login_event=event, begun=begun)


# Set on an account by start_session, which writes last_login itself.
_LAST_LOGIN_WRITTEN = "_nextgen_last_login_written"


def update_last_login(sender: type, user: Account, **kwargs: object) -> None:
    """Django's user_logged_in receiver (django.contrib.auth.models.update_last_login),
    except for a sign-in whose start_session writes last_login with the session's row."""
    if user.__dict__.pop(_LAST_LOGIN_WRITTEN, False):
        return
    django_update_last_login(sender, user, **kwargs)


def sign_in(
    request: HttpRequest,
    username: str,
    password: str,
    *,
    acting: Account | None,
    client_code: str = "",
    return_url: str | None = None,
) -> LoginResult:
    """The password step of the login page. On success the session is started, or a
    second step is due: either way the browser goes to `result.next_url`."""
    result = verify_login(request, username, password, acting=acting)
    if not result.ok or result.account is None:  # ok: an account
        return result
    next_url = continue_login(
        request, result.account, acting=acting, client_code=client_code, return_url=return_url
    )
    return LoginResult(result.account, next_url=next_url)


# --- the second step: one-time passcode, or MFA set-up a filer cannot put off -------


@dataclass(frozen=True)
class PendingLogin:
    account: Account
    stage: str  # "otp" or "enroll"
    return_url: str
    client_code: str


def needs_otp(account: Account) -> bool:
    """Whether a right password must be followed by a one-time passcode."""
    return mfa.is_enrolled(account)


def continue_login(
    request: HttpRequest,
    account: Account,
    *,
    acting: Account | None,
    client_code: str,
    return_url: str | None,
) -> str:
    """After a right password: start the session, or begin the second step. The URL
    the browser goes to next."""
    # Read with the named account at sign-in; one query otherwise.
    step = mfa.sign_in_step(account)
    if step == "otp":
        begin_mfa(request, account, client_code, return_url, acting=acting)
        return reverse("signon:login_otp")
    if step == "enroll":
        begin_mfa(request, account, client_code, return_url, acting=acting, stage="enroll")
        return reverse("signon:login_mfa_setup")
    start_session(request, account, acting=acting, client_code=client_code)
    return return_url or reverse("signon:manage")


def begin_mfa(
    request: HttpRequest,
    account: Account,
    client_code: str,
    return_url: str | None,
    *,
    acting: Account | None,
    stage: str = "otp",
) -> None:
    """Keep a short-lived, single-use pending login in the session; no session starts
    yet (and the key is rotated again when one does)."""
    # A new key now too: whoever planted this session's cookie beforehand must not share
    # the half-finished login (and skip or enroll MFA in the victim's name).
    request.session.cycle_key()
    PENDING.put(
        request,
        owner=_visitor(request),
        ttl=PENDING_TTL[stage],
        account=account.pk,
        stage=stage,
        next=return_url or "",
        client_code=client_code.strip()[:32],
        auth_hash=account.get_session_auth_hash(),
    )
    record_alone(
        Action.LOGIN_PASSWORD,
        request=request,
        actor=account,
        username_tried=account.username,
        details={"next_step": stage, "via": VIA_PAGE},
    )


def _visitor(request: HttpRequest) -> Owner:
    """Whom a pending login belongs to: the account signed in in this session when the
    password was given (None: nobody), so a sign-in or sign-out since voids it."""
    return request.user.pk if request.user.is_authenticated else None


def pending_login(request: HttpRequest, stage: str) -> PendingLogin | None:
    """The pending login of `stage` in this session, or None (dropped if stale)."""
    data = PENDING.peek(request, owner=_visitor(request))
    if data is None or data.get("stage") != stage:
        return None
    account_pk = data.get("account")
    account = (
        Account.objects.filter(pk=account_pk, is_active=True).first()
        if account_pk is not None
        else None
    )
    # A password change (or deactivation) since the password step voids the step.
    if account is None or not account.session_auth_hash_matches(data.get("auth_hash", "")):
        drop_pending(request)
        return None
    return PendingLogin(account, stage, data.get("next", ""), data.get("client_code", ""))


def drop_pending(request: HttpRequest) -> None:
    PENDING.discard(request)


def _complete(
    request: HttpRequest,
    pending: PendingLogin,
    *,
    acting: Account | None,
    step: str,
    second_factor: str = "",
) -> LoginResult:
    drop_pending(request)  # single use, whatever happens next
    start_session(
        request,
        pending.account,
        acting=acting,
        client_code=pending.client_code,
        step=step,
        second_factor=second_factor,
    )
    return LoginResult(pending.account, next_url=pending.return_url or reverse("signon:manage"))


def verify_otp(request: HttpRequest, code: str, *, acting: Account | None) -> LoginResult:
    """The second step: a one-time passcode (or backup code) for the pending login.
    Throttled and audited in mfa.verify_code; the session starts only on success."""
    pending = pending_login(request, "otp")
    if pending is None:
        return LoginResult(None, PENDING_EXPIRED, "expired")
    check = mfa.verify_code(acting=acting, account=pending.account, code=code, request=request)
    if not check.ok:
        return LoginResult(None, check.error, check.reason)
    return _complete(
        request, pending, acting=acting, step="one-time passcode", second_factor=check.method
    )


def enroll_and_sign_in(
    request: HttpRequest, code: str, *, acting: Account | None
) -> tuple[LoginResult, list[str]]:
    """A filer sets up MFA during sign-in; the session starts once it is on. Returns the
    result and the new backup codes. Raises ValidationError (mfa.enroll_confirm)."""
    pending = pending_login(request, "enroll")
    if pending is None:
        return LoginResult(None, PENDING_EXPIRED, "expired"), []
    # The set-up is the pending account's own (enroll_confirm's `acting`), finished before
    # anyone is signed in as it.
    codes = mfa.enroll_confirm(acting=pending.account, code=code, request=request)
    result = _complete(
        request, pending, acting=acting, step="MFA set up", second_factor="mfa set-up"
    )
    return result, codes


def skip_enrollment(request: HttpRequest, *, acting: Account | None) -> LoginResult:
    """A filer puts MFA set-up off (while skips are left) and is signed in.
    Raises ValidationError when no skips are left."""
    pending = pending_login(request, "enroll")
    if pending is None:
        return LoginResult(None, PENDING_EXPIRED, "expired")
    mfa.record_skip(acting=pending.account, request=request)
    return _complete(request, pending, acting=acting, step="MFA set-up skipped")


def passed_second_factor(request: HttpRequest) -> bool:
    """Whether this request's session was signed in with a password and a passcode (or
    while setting MFA up): not by a password alone, not by an API token."""
    session = getattr(request, "session", None)
    return bool(
        request.user.is_authenticated
        and getattr(request, "nextgen_token_client_code", None) is None
        and session is not None
        and session.get(SESSION_SECOND_FACTOR)
    )


def sign_out(request: HttpRequest, *, acting: Account | None) -> None:
    """End this session; `acting` is the account signed in to it (None: nobody, and then
    only the empty session is flushed)."""
    if acting is not None:
        with transaction.atomic(durable=True):
            sessions.end(request)
            record(Action.LOGOUT, request=request, actor=acting)
    django_logout(request)  # flushes the session


def current_client_code(request: HttpRequest) -> str:
    # A request signed in by an API token (nextgen.api.middleware) has no session.
    token_code = getattr(request, "nextgen_token_client_code", None)
    if token_code is not None:
        return token_code
    return request.session.get(SESSION_CLIENT_CODE, "")
