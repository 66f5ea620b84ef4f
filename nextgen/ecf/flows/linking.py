"""Linking a court's CM/ECF account to a PACER account: seeds 000, 001, 003 and 004.

Two steps, one flow kept server-side. Step one checks the CM/ECF login and password
and stores a proof in the session: it binds the PACER account, the court and the
CM/ECF account, carries a random nonce that the confirmation form must echo, is
single-use (popped on confirm) and expires within minutes. Step two links with a
conditional UPDATE guarded by database constraints, so two simultaneous attempts
can never both succeed.
"""

from __future__ import annotations

import secrets
import time
import unicodedata
from dataclasses import dataclass

from django.contrib.auth.hashers import check_password, is_password_usable, make_password
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from nextgen.audit.models import Outcome
from nextgen.audit.services import record
from nextgen.signon import throttle
from nextgen.signon.models import Account

from .. import notices
from ..forwarding import personal_data
from ..models import Court, FilerAccount, normalize_login

SESSION_KEY = "nextgen_ecf_link"
PROOF_SECONDS = 5 * 60

# Costs one hash when no CM/ECF account has the login, so timing tells nothing.
_DUMMY_HASH = make_password("nextgen-dummy-password")


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
    if FilerAccount.objects.filter(court=court, account=account).exists():
        return "account_linked_here"
    return None


def _refuse(
    request: HttpRequest, account: Account, court: Court, login: str, step: str, reason: str
) -> LinkRefused:
    record(
        f"link.{step}",
        outcome=Outcome.REFUSED,
        request=request,
        actor=account,
        court_code=court.code,
        details={"cmecf_login": login, "reason": reason},
    )
    return LinkRefused(reason)


def propose_link(
    *, request: HttpRequest, account: Account, court: Court, login: str, password: str
) -> LinkProposal:
    """Step one: check the CM/ECF credentials and keep a proof for the confirmation."""
    reason = account_refusal(account, court)
    if reason:
        raise _refuse(request, account, court, login, "verify", reason)
    # Counted before the check runs; per CM/ECF login and client strictly, across clients
    # loosely, so a guesser (with any number of free PACER accounts) slows itself down
    # and cannot keep the real attorney from linking (throttle.link_attempt).
    attempt = throttle.link_attempt(
        request, account_pk=account.pk, court_code=court.code, login_key=normalize_login(login)
    )
    if wait := attempt.wait:
        record(
            "link.verify",
            outcome=Outcome.REFUSED,
            request=request,
            actor=account,
            court_code=court.code,
            details={"cmecf_login": login, "reason": "throttled"},
        )
        raise LinkRefused("throttled", notices.throttled(throttle.describe_wait(wait)))
    filer = FilerAccount.objects.filter(court=court, login_key=normalize_login(login)).first()
    # Only a real, usable hash can match: a missing or blank one still costs a hash (so
    # timing tells nothing) but never accepts, whatever was typed.
    usable = filer is not None and bool(filer.password) and is_password_usable(filer.password)
    matched = check_password(password, filer.password if usable else _DUMMY_HASH)
    if not (usable and matched):
        raise _refuse(request, account, court, login, "verify", "invalid")
    attempt.succeeded()
    if filer.is_linked:
        # Only someone who knows the old password learns that it is linked.
        raise _refuse(request, account, court, login, "verify", "filer_linked")
    nonce = secrets.token_urlsafe(24)
    request.session[SESSION_KEY] = {
        "account": account.pk,
        "court": court.code,
        "filer": filer.pk,
        "nonce": nonce,
        "expires": time.time() + PROOF_SECONDS,
    }
    record(
        "link.verify",
        request=request,
        actor=account,
        court_code=court.code,
        details={"cmecf_login": filer.login},
    )
    return LinkProposal(filer, nonce, names_match(filer.full_name, account.full_name))


def pending_proposal(*, request: HttpRequest, account: Account, court: Court) -> LinkProposal:
    """The proposal waiting for confirmation in this session, or LinkRefused('expired')."""
    proof = request.session.get(SESSION_KEY)
    if (
        not isinstance(proof, dict)
        or proof.get("account") != account.pk
        or proof.get("court") != court.code
        or proof.get("expires", 0) < time.time()
    ):
        raise LinkRefused("expired")
    filer = FilerAccount.objects.filter(pk=proof.get("filer"), court=court).first()
    if filer is None:
        raise LinkRefused("expired")
    return LinkProposal(filer, proof["nonce"], names_match(filer.full_name, account.full_name))


def confirm_link(
    *, request: HttpRequest, account: Account, court: Court, nonce: str, same_person: bool
) -> FilerAccount:
    """Step two: link, once. The proof is used up whatever happens next."""
    try:
        proposal = pending_proposal(request=request, account=account, court=court)
    except LinkRefused:
        record(
            "link.confirm",
            outcome=Outcome.REFUSED,
            request=request,
            actor=account,
            court_code=court.code,
            details={"reason": "expired"},
        )
        raise
    if not constant_time_compare(nonce or "", proposal.nonce):
        request.session.pop(SESSION_KEY, None)
        record(
            "link.confirm",
            outcome=Outcome.REFUSED,
            request=request,
            actor=account,
            court_code=court.code,
            details={"reason": "forged"},
        )
        raise LinkRefused("expired")
    if not proposal.names_match and not same_person:
        # Not a refusal of the flow: the user may tick the box and submit again.
        raise LinkRefused("same_person", notices.SAME_PERSON_REQUIRED)
    request.session.pop(SESSION_KEY, None)
    filer = proposal.filer
    reason = account_refusal(account, court)
    if reason:
        raise _refuse(request, account, court, filer.login, "confirm", reason)
    try:
        with transaction.atomic():
            now = timezone.now()
            # Once linked, the person data is PACER's (forwarded from then on): copy it now.
            claimed = FilerAccount.objects.filter(pk=filer.pk, account__isnull=True).update(
                account=account, linked_at=now, updated_at=now, **personal_data(account)
            )
            if not claimed:
                raise LinkRefused("filer_linked")
            record(
                "link.confirm",
                request=request,
                actor=account,
                court_code=court.code,
                details={"cmecf_login": filer.login, "names_match": proposal.names_match},
            )
    except IntegrityError:
        # The unique (court, account) constraint: another request linked first.
        raise _refuse(
            request, account, court, filer.login, "confirm", "account_linked_here"
        ) from None
    except LinkRefused as refusal:
        raise _refuse(request, account, court, filer.login, "confirm", refusal.reason) from None
    # The confirmation names the CM/ECF account as it was: linking copied PACER's data over it.
    cmecf_name = filer.full_name
    filer.refresh_from_db()
    filer.cmecf_name = cmecf_name
    return filer
