"""Manage My Account → Signed-in Sessions, and the e-mail on a sign-in from a new device.

Each browser session of an account has a SignedInSession row (models/sessions.py), made
when the session starts (`begin`, called by login.start_session) and kept current by
SessionActivityMiddleware (`touch`): device, address, last seen. The page lists the
sessions still alive and signs the others out (`sign_out_others`): a new security stamp
ends every other session and API token at once, whatever the session backend holds.

New browsers are told apart by a device cookie, not by a fingerprint of the user agent:
a fingerprint is shared by every copy of one browser version (so a thief on the same
browser would pass unnoticed) and changes with each browser update (so the owner would be
mailed after every update). The cookie holds a random value; the account keeps its
SHA-256 (KnownDevice). Programs signing in through the API keep no such cookie, so they
are known by their user agent (`recognise_program`). An account's first device is
learned silently (registration, or the first sign-in after this feature arrived); every
later unknown one gets the e-mail.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from django.contrib.auth import update_session_auth_hash
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from nextgen.audit.models import Action, Event
from nextgen.audit.services import client_ip, record
from nextgen.precompiled import insert_statement
from nextgen.sessions import SessionStore

from ..models import Account
from ..models.sessions import KnownDevice, SignedInSession
from ..revocation import credentials_revoked
from . import alerts

# In the session's data: the row's ref, and what the row last recorded (so most
# requests need no query: the row is written at most once a minute, or on a change).
SESSION_REF = "nextgen_session"
TOUCH_INTERVAL = dt.timedelta(minutes=1)

DEVICE_COOKIE = "nextgen_device"
DEVICE_COOKIE_AGE = int(dt.timedelta(days=400).total_seconds())  # browsers' upper bound
# The request attribute through which a flow asks the middleware to set the cookie.
DEVICE_COOKIE_TO_SET = "nextgen_device_cookie_to_set"
_MAX_COOKIE = 100
UNKNOWN_DEVICE = "Unknown device"


# --- sessions kept by higher apps (the API's tokens) ----------------------------------


@dataclass(frozen=True)
class ProgramSession:
    """A session a program holds (a PACER Authentication API token), for the page."""

    device: str
    ip: str | None
    created_at: dt.datetime
    last_seen_at: dt.datetime


ProgramSessionSource = Callable[[Account], list[ProgramSession]]

#: Called as source(account) for the account's live program sessions. The API app, which
#: sits above this one, appends its source once, in its AppConfig.ready().
PROGRAM_SESSION_SOURCES: list[ProgramSessionSource] = []


def program_sessions(account: Account) -> list[ProgramSession]:
    found = [session for source in PROGRAM_SESSION_SOURCES for session in source(account)]
    return sorted(found, key=lambda s: s.last_seen_at, reverse=True)


# --- the device ---------------------------------------------------------------------


@functools.lru_cache(maxsize=512)
def describe_device(user_agent: str) -> str:
    """A person's words for a user agent: "Chrome on Windows", "Mobile Safari on iOS
    (iPhone)", "Python Requests". ua-parser knows the browsers; the rules come with it."""
    from ua_parser import parse  # compiled on first use: keep it off the import path

    if not user_agent.strip():
        return UNKNOWN_DEVICE
    result = parse(user_agent[:300])
    browser = result.user_agent.family if result.user_agent else ""
    system = result.os.family if result.os else ""
    model = result.device.family if result.device else ""
    words = browser or UNKNOWN_DEVICE
    if system:
        words += f" on {system}"
    if model and model not in ("Other", "Mac", "Spider"):
        words += f" ({model})"
    return words[:120]


def _user_agent(request: HttpRequest) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:300]


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _device_token_hash(request: HttpRequest) -> str:
    """The hash of this browser's device cookie; a browser without one (or with a bad
    one) is given a new cookie on the response."""
    raw = getattr(request, DEVICE_COOKIE_TO_SET, None) or request.COOKIES.get(DEVICE_COOKIE, "")
    if not raw or len(raw) > _MAX_COOKIE:
        raw = secrets.token_urlsafe(32)
        setattr(request, DEVICE_COOKIE_TO_SET, raw)
    return _token_hash(raw)


def recognise_program(request: HttpRequest, account: Account, *, login_event: Event | None) -> bool:
    """The same for a sign-in through the PACER Authentication API. A program keeps no
    cookie a person could clear, so it is known by its user agent: a thief's script shows
    up (once per kind of program), the owner's own client is learnt on its first use."""
    fingerprint = _token_hash("program:" + _user_agent(request))
    return _known_or_told(request, account, fingerprint, login_event)


def _known_or_told(
    request: HttpRequest, account: Account, token_hash: str, login_event: Event | None
) -> bool:
    known = KnownDevice.objects.filter(account=account, token_hash=token_hash)
    if known.update(last_seen_at=timezone.now()):
        return True
    _learn_device(request, account, token_hash, login_event)
    return False


def _learn_device(
    request: HttpRequest, account: Account, token_hash: str, login_event: Event | None
) -> None:
    now = timezone.now()
    first = not KnownDevice.objects.filter(account=account).exists()
    device = describe_device(_user_agent(request))
    KnownDevice.objects.get_or_create(
        account=account,
        token_hash=token_hash,
        defaults={"device": device, "first_seen_at": now, "last_seen_at": now},
    )
    if not first:
        _tell_new_device(request, account, device, login_event)


def _tell_new_device(
    request: HttpRequest, account: Account, device: str, login_event: Event | None
) -> None:
    alerts.send_security_notice(
        account=account,
        kind=alerts.NEW_DEVICE,
        event=login_event,
        extra={"device": device, "address": client_ip(request) or "unknown"},
    )


def set_device_cookie(request: HttpRequest, response: HttpResponse) -> None:
    """Give the browser the device cookie a sign-in chose for it (see the middleware)."""
    from django.conf import settings

    raw = getattr(request, DEVICE_COOKIE_TO_SET, None)
    if raw:
        response.set_cookie(
            DEVICE_COOKIE,
            raw,
            max_age=DEVICE_COOKIE_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )


# --- the session ----------------------------------------------------------------------


def _max_session_age() -> dt.timedelta:
    from django.conf import settings

    return dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)


def _marker(row: SignedInSession) -> dict[str, object]:
    return {
        "ref": row.ref,
        "seen": row.last_seen_at.timestamp(),
        "key": row.session_key,
        "hash": row.auth_hash,
    }


@dataclass(frozen=True)
class Begun:
    """What `begin` found: whether the device was known (when not, the caller calls
    `new_device` once its audit event is written: the notice names it). When `begin`
    learned an unknown device itself (PostgreSQL: in its one statement), `learned` is
    set and `first_device` says whether the account knew no device before."""

    known_device: bool
    learned: bool = False
    first_device: bool = False


def begin(request: HttpRequest, account: Account, *, last_login: dt.datetime) -> Begun:
    """A session has just started for `account` (inside start_session's transaction):
    give it a row, note the device it came from as seen and `last_login` as the account's
    last sign-in. On PostgreSQL one statement (every sign-in writes them), which also
    inserts the session's own row (nextgen.sessions). The audit chain head is NOT locked
    here: record() locks it after every other write of the transaction, the order every
    action keeps (a head locked before the account row deadlocked with an action that
    locks the account and then records)."""
    token_hash = _device_token_hash(request)
    if transaction.get_connection().vendor == "postgresql":
        known, first = _begin_in_one_statement(request, account, token_hash, last_login)
        return Begun(known, learned=not known, first_device=first)
    else:
        Account.objects.filter(pk=account.pk).update(last_login=last_login)
        _new_row(request, account, at=last_login)  # and its marker in the session
        known = bool(
            KnownDevice.objects.filter(account=account, token_hash=token_hash).update(
                last_seen_at=last_login
            )
        )
    return Begun(known)


def new_device(
    request: HttpRequest, account: Account, *, login_event: Event | None, begun: Begun
) -> None:
    """After `begin` found the browser unknown: learn it (unless `begin` did), and mail
    the account about it (unless it is the account's first)."""
    token_hash = _device_token_hash(request)
    if not begun.learned:
        _learn_device(request, account, token_hash, login_event)
        return
    # begin's statement saw the devices committed when it started: it may then have
    # waited for the account row's lock while another first sign-in committed a device.
    # Asked again (the lock is held now, so that device is seen): otherwise a browser
    # racing the account's first sign-in would be learned without the owner being told.
    if begun.first_device and not (
        KnownDevice.objects.filter(account=account).exclude(token_hash=token_hash).exists()
    ):
        return  # truly the account's first device: learned silently
    _tell_new_device(request, account, describe_device(_user_agent(request)), login_event)


def _session_row(request: HttpRequest, account: Account) -> SignedInSession:
    user_agent = _user_agent(request)
    return SignedInSession(
        account=account,
        ref=secrets.token_urlsafe(32),
        session_key=request.session.session_key or "",
        auth_hash=account.get_session_auth_hash(),
        device=describe_device(user_agent),
        user_agent=user_agent,
        ip=client_ip(request),
    )


def _begin_in_one_statement(
    request: HttpRequest, account: Account, token_hash: str, last_login: dt.datetime
) -> tuple[bool, bool]:
    """begin's writes as one PostgreSQL statement (data-modifying WITH clauses): prune the
    account's ended and long-expired rows, note the known device as seen or learn an
    unknown one, write last_login, insert the new row. The prune cannot see the new row,
    nor the final SELECT the learned device (one snapshot). Returns (the device was
    known, the account knew no device before): `_learn_device`'s three questions and
    insert (five round trips with its savepoint) asked here, on every new browser's
    first sign-in (all of them, on go-live day)."""
    connection = transaction.get_connection()
    row = _session_row(request, account)
    row.last_seen_at = row.created_at = last_login
    insert_sql, insert_params = insert_statement(row, connection, returning=True)
    # The session's own row too, when its store lets a caller write it (nextgen.sessions):
    # the session's data is complete once the marker is in (nothing else changes it on a
    # sign-in; if something does, the response updates the row).
    request.session[SESSION_REF] = _marker(row)
    store = request.session
    session_row = store.row_to_insert() if isinstance(store, SessionStore) else None
    stored_sql, stored_params = (
        insert_statement(session_row, connection) if session_row is not None else ("", [])
    )
    qn = connection.ops.quote_name
    rows, devices, accounts = SignedInSession._meta, KnownDevice._meta, Account._meta

    def col(meta, name: str) -> str:
        return qn(meta.get_field(name).column)

    sql = (
        f"WITH pruned AS (DELETE FROM {qn(rows.db_table)} WHERE {col(rows, 'account')} = %s "  # noqa: S608 (names from _meta)
        f"AND ({col(rows, 'ended_at')} IS NOT NULL OR {col(rows, 'last_seen_at')} < %s)), "
        f"seen AS (UPDATE {qn(devices.db_table)} SET {col(devices, 'last_seen_at')} = %s "
        f"WHERE {col(devices, 'account')} = %s AND {col(devices, 'token_hash')} = %s "
        "RETURNING 1), "
        f"signed_in AS (UPDATE {qn(accounts.db_table)} SET {col(accounts, 'last_login')} = %s "
        f"WHERE {qn(accounts.pk.column)} = %s), "
        # An unknown device is learned (a device learned meanwhile by another sign-in
        # of the same browser wins, as get_or_create's would).
        f"learned AS (INSERT INTO {qn(devices.db_table)} ({col(devices, 'account')}, "
        f"{col(devices, 'token_hash')}, {col(devices, 'device')}, "
        f"{col(devices, 'first_seen_at')}, {col(devices, 'last_seen_at')}) "
        "SELECT %s, %s, %s, %s, %s WHERE NOT EXISTS (SELECT 1 FROM seen) "
        f"ON CONFLICT ({col(devices, 'account')}, {col(devices, 'token_hash')}) DO NOTHING), "
        f"added AS ({insert_sql})"
        + (", " if stored_sql else " ")
        + (f"stored AS ({stored_sql}) " if stored_sql else "")
        + f"SELECT (SELECT {qn(rows.pk.column)} FROM added), EXISTS (SELECT 1 FROM seen), "  # noqa: S608 (names from _meta)
        f"NOT EXISTS (SELECT 1 FROM {qn(devices.db_table)} WHERE {col(devices, 'account')} = %s)"
    )
    params = [
        account.pk,
        last_login - _max_session_age(),
        last_login,
        account.pk,
        token_hash,
        last_login,
        account.pk,
        account.pk,
        token_hash,
        row.device,
        last_login,
        last_login,
        *insert_params,
        *stored_params,
        account.pk,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        _, known, first = cursor.fetchone()
    if session_row is not None:
        cast(SessionStore, store).row_inserted()
    return known, first


def _new_row(
    request: HttpRequest, account: Account, *, at: dt.datetime | None = None
) -> SignedInSession:
    at = at or timezone.now()
    # Rows of ended and long-expired sessions go, so an account keeps a handful of rows.
    SignedInSession.objects.filter(account=account).filter(
        Q(ended_at__isnull=False) | Q(last_seen_at__lt=at - _max_session_age())
    ).delete()
    row = _session_row(request, account)
    row.created_at = row.last_seen_at = at
    row.save(force_insert=True)
    request.session[SESSION_REF] = _marker(row)
    return row


def touch(request: HttpRequest) -> None:
    """After a request of a signed-in browser session: note when and from where it was
    last seen, and its current key and hash. At most one write a minute, else none."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not hasattr(request, "session"):
        return
    if getattr(request, "nextgen_api_token", None) is not None:
        return  # an API token, not a browser session
    marker = request.session.get(SESSION_REF)
    if not isinstance(marker, dict) or "ref" not in marker:
        # Signed in before this feature existed: start its row now (no device check).
        _new_row(request, user)
        return
    now = timezone.now()
    key = request.session.session_key or ""
    auth_hash = user.get_session_auth_hash()
    stale = now.timestamp() - float(marker.get("seen", 0)) >= TOUCH_INTERVAL.total_seconds()
    if not stale and marker.get("key") == key and marker.get("hash") == auth_hash:
        return
    user_agent = _user_agent(request)
    changes = {
        "last_seen_at": now,
        "session_key": key,
        "auth_hash": auth_hash,
        "ip": client_ip(request),
        "user_agent": user_agent,
        "device": describe_device(user_agent),
    }
    rows = SignedInSession.objects.filter(ref=marker["ref"], account=user, ended_at__isnull=True)
    if not rows.update(**changes):
        # The row is gone (pruned, or removed by hand) while the session lives: a new one.
        _new_row(request, user)
        return
    request.session[SESSION_REF] = {
        "ref": marker["ref"],
        "seen": now.timestamp(),
        "key": key,
        "hash": auth_hash,
    }


def end(request: HttpRequest) -> None:
    """Signing out: this session's row ends (call before the session is flushed)."""
    marker = request.session.get(SESSION_REF) if hasattr(request, "session") else None
    if isinstance(marker, dict) and marker.get("ref"):
        SignedInSession.objects.filter(ref=marker["ref"], ended_at__isnull=True).update(
            ended_at=timezone.now()
        )


def current_ref(request: HttpRequest) -> str:
    marker = request.session.get(SESSION_REF)
    return marker.get("ref", "") if isinstance(marker, dict) else ""


def live_sessions(account: Account) -> list[SignedInSession]:
    """The account's sessions that can still be used, most recently seen first: not
    signed out, not expired, and not ended by a password change or a new security stamp."""
    rows = list(
        SignedInSession.objects.filter(account=account, ended_at__isnull=True).order_by(
            "-last_seen_at", "-id"
        )
    )
    alive = set(
        Session.objects.filter(
            session_key__in=[r.session_key for r in rows], expire_date__gt=timezone.now()
        ).values_list("session_key", flat=True)
    )
    return [
        r for r in rows if r.session_key in alive and account.session_auth_hash_matches(r.auth_hash)
    ]


def sign_out_others(*, acting: Account, request: HttpRequest) -> int:
    """End every other session of the account, and its API tokens; keep this one.
    Returns how many browser sessions were ended."""
    with transaction.atomic(durable=True):
        fresh = Account.objects.select_for_update().get(pk=acting.pk)
        mine = current_ref(request)
        others = [s for s in live_sessions(fresh) if s.ref != mine]
        # The stamp is what really ends them (and every API token, and any session this
        # page does not list); the rows and session records only tidy up.
        fresh.rotate_security_stamp()
        fresh.save(update_fields=["security_stamp"])
        acting.security_stamp = fresh.security_stamp
        update_session_auth_hash(request, acting)  # keeps this one, under a new key
        now = timezone.now()
        SignedInSession.objects.filter(account=acting, ended_at__isnull=True).exclude(
            ref=mine
        ).update(ended_at=now)
        Session.objects.filter(session_key__in=[s.session_key for s in others]).delete()
        revoked = _revoke_api_tokens(acting)
        record(
            Action.ACCOUNT_SESSIONS_ENDED,
            request=request,
            actor=acting,
            details={"sessions_ended": len(others), "api_sessions_ended": revoked},
        )
    touch(request)
    return len(others)


def _revoke_api_tokens(account: Account) -> int:
    # The API app sits above this one: its tokens die with the stamp in any case, and
    # its listener (revocation.py) also marks them ended in its table.
    return credentials_revoked(account)
