"""Issuing, checking and ending PACER Authentication API tokens.

A token is `secrets.token_urlsafe(32)` (256 bits). The database keeps only its
SHA-256, so the raw value exists only in the client's hands. A token is good while
it is not revoked, not past its maximum age, not idle too long, its account is
active, and the account's session hash is the one it was issued under (a password
change or a rotated security stamp ends every token at once, without a write here).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from nextgen.audit.models import Action
from nextgen.audit.services import client_ip, record
from nextgen.signon.flows.maintenance import valid_client_code
from nextgen.signon.models import Account

from .models import ApiToken

if TYPE_CHECKING:
    from nextgen.signon.flows.sessions import ProgramSession

# Where a client may present its token on a court page, in the order we look.
TOKEN_COOKIES = ("NextGenCSO", "PacerSession")
TOKEN_HEADER = "HTTP_X_NEXT_GEN_CSO"  # X-NEXT-GEN-CSO
CLIENT_CODE_COOKIES = ("PacerClientCode", "clientCode")

# Writing last_used_at on every request would turn each page view into a write.
TOUCH_INTERVAL = dt.timedelta(minutes=1)
# Our tokens are 43 characters; anything far longer is not worth hashing.
MAX_KEY_LENGTH = 256


def max_age() -> dt.timedelta:
    return dt.timedelta(seconds=settings.NEXTGEN_TOKEN_MAX_AGE)


def idle_limit() -> dt.timedelta:
    return dt.timedelta(seconds=settings.NEXTGEN_TOKEN_IDLE)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_token(
    *, acting: Account | None, account: Account, request: HttpRequest, client_code: str = ""
) -> tuple[str, ApiToken]:
    """A new token for `account`: the raw value (shown once) and its stored row. `acting`
    is whoever is signed in (None at cso-auth, which has no session). Writes no audit row:
    the caller records the sign-in in the same transaction."""
    key = secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        account=account,
        key_hash=hash_key(key),
        auth_hash=account.get_session_auth_hash(),
        created_at=now,
        last_used_at=now,
        expires_at=now + max_age(),
        client_code=client_code,
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        ip=client_ip(request),
    )
    return key, token


def _is_live(token: ApiToken, now: dt.datetime) -> bool:
    account = token.account
    return (
        token.revoked_at is None
        and now < token.expires_at
        and now < token.last_used_at + idle_limit()
        and account.is_active
        # Under the current key or a retired one (SECRET_KEY_FALLBACKS): rotating the key
        # must not end every client's session.
        and account.session_auth_hash_matches(token.auth_hash)
    )


def authenticate_token(key: str) -> ApiToken | None:
    """The live token `key` stands for, its use noted; None if it opens nothing."""
    if not key or len(key) > MAX_KEY_LENGTH:
        return None
    token = ApiToken.objects.select_related("account").filter(key_hash=hash_key(key)).first()
    now = timezone.now()
    if token is None or not _is_live(token, now):
        return None
    current = token.account.get_session_auth_hash()
    if not constant_time_compare(token.auth_hash, current):
        # Accepted under a retired key: carry it over to the current one, so the token
        # outlives the retired key's removal from the fallbacks.
        ApiToken.objects.filter(pk=token.pk).update(auth_hash=current)
        token.auth_hash = current
    if now - token.last_used_at >= TOUCH_INTERVAL:
        # Conditional, so concurrent requests write once; idle time is kept to the minute.
        ApiToken.objects.filter(pk=token.pk, last_used_at=token.last_used_at).update(
            last_used_at=now
        )
        token.last_used_at = now
    return token


def revoke_token(
    *, acting: Account | None, key: str, request: HttpRequest | None = None, via: str = "api"
) -> bool:
    """End the session `key` stands for. True if a live token was ended; idempotent.
    `acting` is whoever is signed in: None at cso-logout (the key is all the client
    shows), the token's account on a court page it signed in. The audit row names the
    token's account either way."""
    if not key or len(key) > MAX_KEY_LENGTH:
        return False
    with transaction.atomic(durable=True):
        token = (
            ApiToken.objects.select_for_update()
            .select_related("account")
            .filter(key_hash=hash_key(key), revoked_at__isnull=True)
            .first()
        )
        if token is None:
            return False
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(
            Action.API_LOGOUT,
            request=request,
            actor=token.account,
            details={"api_session": token.pk, "via": via},
        )
    return True


def revoke_all_for(account: Account) -> int:
    """End every token of `account` (e.g. when staff deactivate it); how many ended."""
    return ApiToken.objects.filter(account=account, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


# --- tokens carried by requests to court pages -----------------------------------


def key_from_request(request: HttpRequest) -> str:
    """The token a court-page request carries: cookie NextGenCSO or PacerSession, or
    header X-NEXT-GEN-CSO; "" if none."""
    for name in TOKEN_COOKIES:
        if request.COOKIES.get(name):
            return request.COOKIES[name]
    return request.META.get(TOKEN_HEADER, "").strip()


def client_code_from_request(request: HttpRequest, token: ApiToken) -> str:
    """The client code a cookie sets for this request, else the one given at login.

    A cookie holds whatever the program sent, so it is held to the Change Client Code
    rule, as the login's code was; one the rule refuses (a NUL PostgreSQL cannot store,
    a formula, "matter/8") is no client code: not the login's, which may name another
    matter. A firm that requires a code then refuses the charge."""
    for name in CLIENT_CODE_COOKIES:
        if name in request.COOKIES:
            return valid_client_code(request.COOKIES[name]) or ""
    return token.client_code


def request_token(request: HttpRequest) -> ApiToken | None:
    """The token this request was signed in by (see middleware), if any."""
    return getattr(request, "nextgen_api_token", None)


def end_request_token(request: HttpRequest, *, acting: Account | None) -> bool:
    """`?logout` on a court page: end the token this request came in with, if any."""
    if request_token(request) is None:
        return False
    return revoke_token(
        acting=acting, key=key_from_request(request), request=request, via="court logout"
    )


def court_logout(request: HttpRequest) -> bool:
    """ecf's COURT_LOGOUT_HANDLERS: a court page's `?logout` from a client signed in by
    an API token ends that token (True), and nothing else."""
    token = request_token(request)
    if token is None:
        return False
    # The request was signed in by this token (api.middleware): its account acts.
    end_request_token(request, acting=token.account)
    return True


def program_sessions(account: Account) -> list[ProgramSession]:
    """The account's live tokens, as Manage My Account → Signed-in Sessions lists them
    (registered in ApiConfig.ready(): signon sits below this app)."""
    from nextgen.signon.flows.sessions import ProgramSession, describe_device

    now = timezone.now()
    live = ApiToken.objects.filter(
        account=account,
        revoked_at__isnull=True,
        expires_at__gt=now,
        last_used_at__gt=now - idle_limit(),
    ).select_related("account")
    return [
        ProgramSession(
            device=describe_device(token.user_agent),
            ip=token.ip,
            created_at=token.created_at,
            last_seen_at=token.last_used_at,
        )
        for token in live
        if _is_live(token, now)
    ]
