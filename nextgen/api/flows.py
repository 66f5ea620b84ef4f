"""The PACER Authentication API journeys: sign in for a token, sign the token out.

Credentials go through the same `verify_login` as the login page, so throttling,
the one-hash-either-way check and the audit of failures cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from nextgen.audit.models import Action, Outcome
from nextgen.audit.services import record, record_alone
from nextgen.ecf.menus import is_filer_anywhere
from nextgen.signon import notices as signon_notices
from nextgen.signon.flows import mfa, sessions
from nextgen.signon.flows.login import VIA_API, verify_login
from nextgen.signon.flows.maintenance import valid_client_code
from nextgen.signon.models import Account

from . import notices, tokens

# loginResult values clients know.
OK = "0"
REFUSED = "1"  # bad request, or a filer who did not acknowledge redaction
INVALID = "13"  # wrong credentials, throttled, deactivated


class BadPayload(ValueError):
    """The body is not what the service accepts; the message says what is wrong."""


@dataclass(frozen=True)
class Field:
    required: bool = False
    min_length: int = 0
    max_length: int = 256
    description: str = ""


# The request members, their limits and meaning: the validator below and the OpenAPI
# description (openapi.py) both read this, so the two cannot disagree.
LOGIN_FIELDS: dict[str, Field] = {
    "loginId": Field(True, 1, 80, "PACER user name."),
    "password": Field(True, 1, 256, "PACER password."),
    "clientCode": Field(False, 0, 32, "Optional client code for billing."),
    "redactFlag": Field(False, 0, 8, 'Filers must send "1" to acknowledge the redaction rules.'),
    "otpCode": Field(False, 0, 16, "One-time passcode, for accounts with MFA."),
}
LOGOUT_FIELDS: dict[str, Field] = {
    "nextGenCSO": Field(True, 1, 256, "The token cso-auth returned."),
}


def clean(payload: Any, fields: dict[str, Field]) -> dict[str, str]:
    """The known members of `payload`, checked against `fields`; others are ignored."""
    if not isinstance(payload, dict):
        raise BadPayload(notices.NOT_JSON)
    cleaned: dict[str, str] = {}
    for name, field in fields.items():
        if name not in payload:
            if field.required:
                raise BadPayload(notices.field_required(name))
            continue
        value = payload[name]
        if not isinstance(value, str) or not is_storable_text(value):
            raise BadPayload(notices.field_not_string(name))
        if len(value) < field.min_length:
            raise BadPayload(notices.field_required(name))
        if len(value) > field.max_length:
            raise BadPayload(notices.field_too_long(name, field.max_length))
        cleaned[name] = value
    return cleaned


def is_storable_text(value: str) -> bool:
    """Whether `value` is text a credential can be: no NUL (PostgreSQL refuses it in
    text) and no lone surrogate (JSON's "\\ud800" decodes to one, and no hash, cache key
    or database can encode it). Neither can be part of any password or user name."""
    if "\x00" in value:
        return False
    if value.isascii():
        return True
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return True


def printable(value: Any) -> str:
    """`value` as text that can be logged and stored (bad characters replaced)."""
    if not isinstance(value, str):
        return ""
    return value.encode(errors="replace").decode().replace("\x00", "\ufffd")


def login_answer(result: str, description: str = "", token: str = "") -> dict[str, str]:
    return {"nextGenCSO": token, "loginResult": result, "errorDescription": description}


def logout_answer(result: str, description: str = "") -> dict[str, str]:
    return {"loginResult": result, "errorDescription": description}


def _second_factor_refusal(
    request: HttpRequest, account: Account, otp_code: str, *, acting: Account | None
) -> str:
    """Why the one-time passcode refuses this sign-in, or "" if none is needed.

    An account with MFA must send a right `otpCode` (throttled and audited like the
    login page's second step); a missing or wrong one answers INVALID here.
    """
    if mfa.check_otp_for_api(acting=acting, account=account, code=otp_code, request=request):
        return ""
    return notices.INVALID_LOGIN


def _pending(account: Account) -> str:
    """What the account must still do, told with an otherwise successful sign-in."""
    pending = [signon_notices.LEGACY_MUST_UPGRADE if account.is_legacy else ""]
    # A filer who has not set up MFA still gets a token while skips are left, and is told
    # it is due and how many sign-ins remain.
    due = mfa.api_notice(account)
    if due:
        pending.extend([due, notices.mfa_skips_left(mfa.skips_left(account))])
    return " ".join(p for p in pending if p)


def _enrollment_required(request: HttpRequest, account: Account, login_id: str) -> dict[str, str]:
    with transaction.atomic():
        record(
            Action.API_LOGIN,
            outcome=Outcome.REFUSED,
            request=request,
            actor=account,
            username_tried=login_id,
            details={"reason": "mfa enrollment required", "via": VIA_API},
        )
    return login_answer(INVALID, mfa.API_ENROLLMENT_REQUIRED)


_REFUSALS = {
    "client code refused": signon_notices.CLIENT_CODE_RULE,
    "redaction not acknowledged": notices.REDACTION_REQUIRED,
}


def _refused(request: HttpRequest, account: Account, login_id: str, reason: str) -> dict[str, str]:
    """A login with the right password refused for what else it sent: audited, no token."""
    record_alone(
        Action.API_LOGIN,
        outcome=Outcome.REFUSED,
        request=request,
        actor=account,
        username_tried=login_id,
        details={"reason": reason, "via": VIA_API},
    )
    return login_answer(REFUSED, _REFUSALS[reason])


def cso_auth(*, acting: Account | None, request: HttpRequest, payload: Any) -> dict[str, str]:
    """POST /services/cso-auth: a token for good credentials, else why not. `acting` is
    None (the API has no session: nobody is signed in); the audit rows name the account
    the credentials open, or the one they named.

    Raises BadPayload when the body is not a login request."""
    try:
        data = clean(payload, LOGIN_FIELDS)
    except BadPayload as error:
        if isinstance(payload, dict) and "loginId" in payload:
            # An attempt on a named account, however malformed, is an access attempt:
            # it is logged like the others (the login NOTICE promises so).
            record_alone(
                Action.API_LOGIN,
                outcome=Outcome.REFUSED,
                request=request,
                username_tried=printable(payload["loginId"]),
                details={"reason": "malformed request", "message": str(error), "via": VIA_API},
            )
        raise
    result = verify_login(request, data["loginId"], data["password"], acting=acting, via=VIA_API)
    if not result.ok or result.account is None:  # ok: an account
        # Throttled and deactivated say so; wrong credentials get the API's own words.
        description = notices.INVALID_LOGIN if result.reason == "invalid" else result.error
        return login_answer(INVALID, description)
    account = result.account
    if _second_factor_refusal(request, account, data.get("otpCode", ""), acting=acting):
        return login_answer(INVALID, notices.INVALID_LOGIN)
    if mfa.must_enroll(account) and mfa.skips_left(account) == 0:
        # The login page stops here at "User Update Required"; so does the API.
        return _enrollment_required(request, account, data["loginId"])
    client_code = valid_client_code(data.get("clientCode", ""))
    if client_code is None:  # the Change Client Code rule, the one rule for every code
        return _refused(request, account, data["loginId"], "client code refused")
    if data.get("redactFlag") != "1" and is_filer_anywhere(account):
        return _refused(request, account, data["loginId"], "redaction not acknowledged")
    with transaction.atomic(durable=True):
        if mfa.must_enroll(account):
            # A sign-in without the MFA a filer owes uses up one skip, as the login page's
            # "Skip for now" does, so the API cannot put set-up off for ever.
            try:
                with transaction.atomic():  # a savepoint: the refusal below still commits
                    mfa.use_skip(acting=account, request=request)
            except ValidationError:  # the last skip went to another sign-in meanwhile
                return _enrollment_required(request, account, data["loginId"])
        key, token = tokens.issue_token(
            acting=acting, account=account, request=request, client_code=client_code
        )
        event = record(
            Action.API_LOGIN,
            request=request,
            actor=account,
            username_tried=data["loginId"],
            details={"via": VIA_API, "api_session": token.pk, "client_code": client_code},
        )
        # A program the account never signed in with is told by mail, as a new browser is.
        sessions.recognise_program(request, account, login_event=event)
    return login_answer(OK, _pending(account), key)


def cso_logout(*, acting: Account | None, request: HttpRequest, payload: Any) -> dict[str, str]:
    """POST /services/cso-logout: end the token's session. Unknown tokens also answer OK,
    so the answer never tells whether a token existed. `acting` is None, as for cso_auth."""
    data = clean(payload, LOGOUT_FIELDS)
    tokens.revoke_token(acting=acting, key=data["nextGenCSO"], request=request, via="cso-logout")
    return logout_answer(OK)
