"""Linking a court's CM/ECF account to a PACER account: seeds 000, 001, 003 and 004.

Two steps, one flow kept server-side. Step one checks the CM/ECF login and password
and stores a proof in the session (a `nextgen.session_state` entry): it is owned by the
PACER account and the court, names the CM/ECF account, carries a random nonce that the
confirmation form must echo, is single-use (dropped on confirm) and expires within
minutes. Step two links with a
conditional UPDATE guarded by database constraints, so two simultaneous attempts
can never both succeed.
"""

from __future__ import annotations

import datetime as dt
import secrets
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import is_password_usable
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from nextgen import throttle
from nextgen.audit.models import Action, Outcome
from nextgen.audit.services import record, record_alone
from nextgen.session_state import Owner, SessionState
from nextgen.signon.models import Account

from .. import hashers, notices
from ..forwarding import FORWARDED_FIELDS, personal_data
from ..menus import viewer_fact
from ..models import Court, FilerAccount, normalize_login
from ..unknown_logins import dummy_hash_for

PROOF = SessionState("nextgen_ecf_link", ttl=dt.timedelta(minutes=5))
# The link this session just made (CM/ECF account, the proof's nonce), so that a second
# submit of the same confirmation (a double click) shows the same success page. Kept as
# long as the session is, whenever the repeat comes.
LINKED = SessionState("nextgen_ecf_linked", ttl=dt.timedelta(seconds=settings.SESSION_COOKIE_AGE))


class LinkRefused(Exception):
    """A refusal the user is told about; `reason` keys notices.REFUSALS."""

    def __init__(self, reason: str, message: str | None = None) -> None:
        self.reason = reason
        self.message = message or notices.REFUSALS[reason]
        super().__init__(self.message)


@dataclass(frozen=True)
class LinkProposal:
    filer: FilerAccount
    nonce: str
    names_match: bool


def normalize_name(name: str) -> str:
    """Names compare ignoring case, accents, punctuation and extra spaces."""
    decomposed = unicodedata.normalize("NFKD", name)
    letters = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(letters.casefold().split())


def _owner(account: Account, court: Court) -> Owner:
    """Whom a proof belongs to: this PACER account at this court, and no other."""
    return (account.pk, court.code)


def names_match(a: str, b: str) -> bool:
    return normalize_name(a) == normalize_name(b)


def account_refusal(account: Account, court: Court) -> str | None:
    """Why this PACER account may not link in this court now, or None."""
    if not account.is_active:
        return "inactive"
    if account.is_legacy:
        return "legacy"
    if account.is_shared:
        return "shared"
    if not court.is_live():
        return "not_live"
    # Read with the court when the page read it for this viewer (menus.court_for_viewer:
    # a GET, or the link step's POST, which changes no link), else asked now.
    linked = viewer_fact(court, account, 1)
    if linked is None:
        linked = FilerAccount.objects.filter(court=court, account=account).exists()
    if linked:
        return "account_linked_here"
    return None


def _refuse(
    request: HttpRequest, account: Account, court: Court, login: str, step: str, reason: str
) -> LinkRefused:
    with transaction.atomic():
        record(
            Action(f"link.{step}"),
            outcome=Outcome.REFUSED,
            request=request,
            actor=account,
            court_code=court.code,
            details={"cmecf_login": login, "reason": reason},
        )
    return LinkRefused(reason)


def propose_link(
    *, request: HttpRequest, acting: Account, court: Court, login: str, password: str
) -> LinkProposal:
    """Step one: check the CM/ECF credentials and keep a proof for the confirmation."""
    reason = account_refusal(acting, court)
    if reason:
        raise _refuse(request, acting, court, login, "verify", reason)
    # Counted before the check runs; per CM/ECF login and client strictly, across clients
    # loosely, so a guesser (with any number of free PACER accounts) slows itself down
    # and cannot keep the real attorney from linking (throttle.link_attempt).
    attempt = throttle.link_attempt(
        request, account_pk=acting.pk, court_code=court.code, login_key=normalize_login(login)
    )
    if wait := attempt.wait:
        record_alone(
            Action.LINK_VERIFY,
            outcome=Outcome.REFUSED,
            request=request,
            actor=acting,
            court_code=court.code,
            details={"cmecf_login": login, "reason": "throttled"},
        )
        raise LinkRefused("throttled", notices.throttled(throttle.describe_wait(wait)))
    # Read on every attempt (not only for unknown logins), so both cost the same.
    dummy = dummy_hash_for(court)
    filer = FilerAccount.objects.filter(court=court, login_key=normalize_login(login)).first()
    # Only a real, usable hash can match: a missing or blank one still costs a hash (so
    # timing tells nothing) but never accepts, whatever was typed.
    stored = filer.password if filer is not None else ""
    usable = bool(stored) and is_password_usable(stored)
    matched = hashers.check_imported_password(password, stored if usable else dummy)
    if filer is None or not (usable and matched):  # usable: a filer
        raise _refuse(request, acting, court, login, "verify", "invalid")
    attempt.succeeded()
    if filer.is_linked:
        # Only someone who knows the old password learns that it is linked.
        raise _refuse(request, acting, court, login, "verify", "filer_linked")
    nonce = secrets.token_urlsafe(24)
    PROOF.put(request, owner=_owner(acting, court), filer=filer.pk, nonce=nonce)
    record_alone(
        Action.LINK_VERIFY,
        request=request,
        actor=acting,
        court_code=court.code,
        details={"cmecf_login": filer.login},
    )
    return LinkProposal(filer, nonce, names_match(filer.full_name, acting.full_name))


def pending_proposal(*, request: HttpRequest, account: Account, court: Court) -> LinkProposal:
    """The proposal waiting for confirmation in this session, or LinkRefused('expired')."""
    proof = PROOF.peek(request, owner=_owner(account, court))
    if proof is None:
        raise LinkRefused("expired")
    filer = FilerAccount.objects.filter(pk=proof.get("filer", 0), court=court).first()
    if filer is None:
        raise LinkRefused("expired")
    return LinkProposal(filer, proof["nonce"], names_match(filer.full_name, account.full_name))


def confirm_link(
    *, request: HttpRequest, acting: Account, court: Court, nonce: str, same_person: bool
) -> FilerAccount:
    """Step two: link, once. The proof is used up whatever happens next.

    A second submit of the same confirmation by the session that linked (a double click,
    before or after the first one finished) is answered as the first was: the CM/ECF
    account it linked, not "already linked"."""
    try:
        proposal = pending_proposal(request=request, account=acting, court=court)
    except LinkRefused:
        repeat = _repeated_submit(request, account=acting, court=court, nonce=nonce)
        if repeat is not None:
            return repeat
        record_alone(
            Action.LINK_CONFIRM,
            outcome=Outcome.REFUSED,
            request=request,
            actor=acting,
            court_code=court.code,
            details={"reason": "expired"},
        )
        raise
    if not constant_time_compare(nonce or "", proposal.nonce):
        PROOF.discard(request)
        record_alone(
            Action.LINK_CONFIRM,
            outcome=Outcome.REFUSED,
            request=request,
            actor=acting,
            court_code=court.code,
            details={"reason": "forged"},
        )
        raise LinkRefused("expired")
    if not proposal.names_match and not same_person:
        # Not a refusal of the flow: the user may tick the box and submit again.
        raise LinkRefused("same_person", notices.SAME_PERSON_REQUIRED)
    PROOF.discard(request)
    filer = proposal.filer
    reason = account_refusal(acting, court)
    if reason == "account_linked_here" and _is_linked_to(filer.pk, acting):
        # The other submit of a double click linked it a moment ago, with this proof.
        return _answer_repeat(request, account=acting, court=court, filer_pk=filer.pk)
    if reason:
        raise _refuse(request, acting, court, filer.login, "confirm", reason)
    try:
        with transaction.atomic(durable=True):
            now = timezone.now()
            # Locked and re-read: the court's values kept under the link are the row's as
            # it is now (an import may have just written it), and an import waiting for
            # this lock then finds the row linked and leaves PACER's data alone.
            current = (
                FilerAccount.objects.select_for_update()
                .filter(pk=filer.pk, account__isnull=True)
                .first()
            )
            if current is None:
                raise LinkRefused("filer_linked")
            court_record = {name: getattr(current, name) for name in FORWARDED_FIELDS}
            # Once linked, the person data is PACER's (forwarded from then on): copy it
            # now, keeping the court's own beside it (restored by an unlink).
            changes = {
                "account": acting,
                "linked_at": now,
                "updated_at": now,
                "court_record": court_record,
                **personal_data(acting),
            }
            claimed = FilerAccount.objects.filter(pk=filer.pk, account__isnull=True).update(
                **changes
            )
            if not claimed:
                raise LinkRefused("filer_linked")
            # The row as it is now: the locked one with what the UPDATE wrote (no re-read).
            for name, value in changes.items():
                setattr(current, name, value)
            record(
                Action.LINK_CONFIRM,
                request=request,
                actor=acting,
                court_code=court.code,
                details={"cmecf_login": filer.login, "names_match": proposal.names_match},
            )
    except (IntegrityError, LinkRefused) as refusal:
        # IntegrityError: the unique (court, account) constraint, another request linked
        # first. Either way, if it was this account linking this very CM/ECF account (the
        # other submit of a double click, with this session's proof), that is a success.
        if _is_linked_to(filer.pk, acting):
            return _answer_repeat(request, account=acting, court=court, filer_pk=filer.pk)
        reason = getattr(refusal, "reason", "account_linked_here")
        raise _refuse(request, acting, court, filer.login, "confirm", reason) from None
    LINKED.put(request, owner=_owner(acting, court), filer=filer.pk, nonce=proposal.nonce)
    current.court = court
    current.cmecf_name = current.name_of_record
    return current


def _is_linked_to(filer_pk: object, account: Account) -> bool:
    return isinstance(filer_pk, int) and (
        FilerAccount.objects.filter(pk=filer_pk, account=account).exists()
    )


def _linked(filer_pk: int) -> FilerAccount:
    """The linked CM/ECF account, named (cmecf_name) as the court's record names it: the
    confirmation speaks of the CM/ECF account, not of the PACER data now forwarded to it."""
    filer = FilerAccount.objects.select_related("court").get(pk=filer_pk)
    filer.cmecf_name = filer.name_of_record
    return filer


def _answer_repeat(
    request: HttpRequest, *, account: Account, court: Court, filer_pk: int
) -> FilerAccount:
    filer = _linked(filer_pk)
    with transaction.atomic():
        record(
            Action.LINK_CONFIRM,
            outcome=Outcome.REFUSED,
            request=request,
            actor=account,
            court_code=court.code,
            details={"cmecf_login": filer.login, "reason": "repeated submit, already linked"},
        )
    return filer


def _repeated_submit(
    request: HttpRequest, *, account: Account, court: Court, nonce: str
) -> FilerAccount | None:
    """The CM/ECF account this session linked with this very confirmation (same nonce),
    if that is what was submitted again; else None."""
    done = LINKED.peek(request, owner=_owner(account, court))
    if not (
        done is not None
        and isinstance(done.get("nonce"), str)
        and constant_time_compare(nonce or "", done["nonce"])
    ):
        return None
    if not _is_linked_to(done.get("filer"), account):
        return None
    return _answer_repeat(request, account=account, court=court, filer_pk=done["filer"])
