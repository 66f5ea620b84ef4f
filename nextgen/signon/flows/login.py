"""Signing in and out of the central sign-on. The HTML page and the API both call this."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import login as django_login
from django.contrib.auth import logout as django_logout
from django.db import transaction
from django.http import HttpRequest

from nextgen.audit.models import Outcome
from nextgen.audit.services import record

from .. import notices, throttle
from ..models import Account, normalize_username

SESSION_CLIENT_CODE = "nextgen_client_code"
BACKEND = "django.contrib.auth.backends.ModelBackend"


@dataclass(frozen=True)
class LoginResult:
    account: Account | None
    error: str = ""
    reason: str = ""  # machine-readable: throttled, invalid, deactivated

    @property
    def ok(self) -> bool:
        return self.account is not None and not self.error


def check_credentials(username: str, password: str) -> Account | None:
    """The account these credentials open, or None. Costs one hash either way, so
    the time taken does not tell whether the user name exists."""
    account = Account.objects.filter(username_key=normalize_username(username)).first()
    if account is None:
        Account().set_password(password)
        return None
    return account if account.check_password(password) else None


def verify_login(request: HttpRequest, username: str, password: str) -> LoginResult:
    """Throttle, check and audit one sign-in attempt; does not start a session."""
    key = normalize_username(username)
    wait = throttle.login_wait(request, key)
    if wait:
        record(
            "login",
            outcome=Outcome.REFUSED,
            request=request,
            username_tried=username,
            details={"reason": "throttled"},
        )
        return LoginResult(None, notices.throttled(throttle.describe_wait(wait)), "throttled")
    account = check_credentials(username, password)
    if account is None:
        throttle.login_failed(request, key)
        record(
            "login",
            outcome=Outcome.FAILURE,
            request=request,
            username_tried=username,
            details={"reason": "invalid"},
        )
        return LoginResult(None, notices.INVALID_LOGIN, "invalid")
    if not account.is_active:
        record(
            "login",
            outcome=Outcome.REFUSED,
            request=request,
            username_tried=username,
            subject=account,
            details={"reason": "deactivated"},
        )
        return LoginResult(None, notices.deactivated(), "deactivated")
    return LoginResult(account)


def start_session(
    request: HttpRequest, account: Account, *, client_code: str = "", via: str = "login page"
) -> None:
    """Sign the account in: a new session key (no fixation), the client code, an audit row."""
    with transaction.atomic():
        django_login(request, account, backend=BACKEND)  # rotates the session key
        request.session[SESSION_CLIENT_CODE] = client_code.strip()[:32]
        record(
            "login",
            request=request,
            actor=account,
            username_tried=account.username,
            details={"via": via, "client_code": client_code.strip()[:32]},
        )


def sign_in(
    request: HttpRequest, username: str, password: str, client_code: str = ""
) -> LoginResult:
    result = verify_login(request, username, password)
    if result.ok:
        start_session(request, result.account, client_code=client_code)
    return result


def sign_out(request: HttpRequest) -> None:
    account = request.user if request.user.is_authenticated else None
    if account is not None:
        record("logout", request=request, actor=account)
    django_logout(request)  # flushes the session


def current_client_code(request: HttpRequest) -> str:
    return request.session.get(SESSION_CLIENT_CODE, "")
