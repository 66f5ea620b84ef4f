"""PACER Administrative Account (PAA): a firm's billing group (seed 002).

"Law firms have the ability to create a PACER Administrative Account (PAA) to manage and
pay for all charges associated with multiple individual PACER accounts of their
associates." A PAA is a billing group only: it has no login, no court access and no case
access; nothing here gives any. Its administrator invites individual accounts by user
name; each attorney accepts or declines from their own account; either side ends it.

Every write takes the acting account, runs in one transaction and writes its audit row in
that transaction. Database constraints (one active PAA per account; one open invitation
or membership per PAA and account) decide races; the flows turn them into messages.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from nextgen import throttle
from nextgen.audit.models import Action, Outcome
from nextgen.audit.services import record, record_alone
from nextgen.forms import column_max_length, model_field
from nextgen.mail import queue_mail

from .. import notices
from ..models import Account, Paa, PaaMembership, normalize_username

logger = logging.getLogger(__name__)

Status = PaaMembership.Status
OPEN = (Status.INVITED, Status.ACTIVE)

INVITATION_SUBJECT = "PACER: invitation to a PACER Administrative Account (PAA)"
# Every invite attempt by one administrator; and invitation mails to one invitee,
# from all PAAs together (settings.NEXTGEN_THROTTLE).
INVITES_BY_ADMINISTRATOR = throttle.Throttle("paa-invite-admin", "paa_invites")
INVITATION_MAILS_BY_INVITEE = throttle.Throttle("paa-invite-mail", "paa_invitation_mails")


# --- reads --------------------------------------------------------------------------


def paa_of_administrator(*, account: Account, paa_id: int) -> Paa:
    """The PAA if `account` administers it; Http404 otherwise, as for one that is not there."""
    paa = Paa.objects.filter(pk=paa_id, administrator=account).first()
    if paa is None or not account.is_active:
        raise Http404
    return paa


def administered_by(account: Account) -> QuerySet[Paa]:
    return Paa.objects.filter(administrator=account).order_by("firm_name", "id")


def paying_membership(account: Account) -> PaaMembership | None:
    """The active membership whose PAA pays for this account, if any (at most one)."""
    return (
        PaaMembership.objects.filter(account=account, status=Status.ACTIVE)
        .select_related("paa")
        .first()
    )


def open_invitations(account: Account) -> QuerySet[PaaMembership]:
    return (
        PaaMembership.objects.filter(account=account, status=Status.INVITED)
        .select_related("paa")
        .order_by("-invited_at", "-id")
    )


@dataclass(frozen=True)
class PaaOverview:
    members: QuerySet[PaaMembership]
    invitations: QuerySet[PaaMembership]


def paa_overview(paa: Paa) -> PaaOverview:
    """Members and pending invitations (the members' charges: nextgen.fees)."""
    members = paa.memberships.filter(status=Status.ACTIVE).select_related("account")
    return PaaOverview(
        members=members.order_by("account__last_name", "account__first_name"),
        invitations=paa.memberships.filter(status=Status.INVITED)
        .select_related("account")
        .order_by("-invited_at"),
    )


# --- the administrator ------------------------------------------------------------------


def create_paa(
    *,
    acting: Account,
    firm_name: str,
    billing_contact: str,
    billing_email: str,
    request: HttpRequest | None,
) -> Paa:
    """Create a PAA administered by `account`. Raises ValidationError naming the field,
    or (code "shared") when `account` is a shared firm account: a firm's shared login is
    not a person, and its many users must not be able to invite in the firm's name."""
    if not acting.is_active:
        raise Http404
    if acting.is_shared:
        record_alone(
            Action.PAA_CREATE,
            outcome=Outcome.REFUSED,
            request=request,
            actor=acting,
            details={"reason": "shared account"},
        )
        raise ValidationError(notices.PAA_SHARED_CANNOT_CREATE, code="shared")
    values = {
        "firm_name": " ".join(firm_name.split()),
        "billing_contact": " ".join(billing_contact.split()),
        "billing_email": billing_email.strip(),
    }
    errors: dict[str, str] = {}
    for name, value in values.items():
        if not value:
            errors[name] = f"Enter the {model_field(Paa, name).verbose_name}."
        elif len(value) > column_max_length(Paa, name):
            errors[name] = f"The {model_field(Paa, name).verbose_name} is too long."
    if values["billing_email"] and "billing_email" not in errors:
        try:
            validate_email(values["billing_email"])
        except ValidationError:
            errors["billing_email"] = "Enter a valid e-mail address."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        paa = Paa.objects.create(administrator=acting, **values)
        record(
            Action.PAA_CREATE,
            request=request,
            actor=acting,
            details={"paa_id": paa.pk, "firm_name": paa.firm_name},
        )
    return paa


def invite_member(
    *, acting: Account, paa: Paa, username: str, request: HttpRequest | None
) -> PaaMembership | None:
    """Invite the individual account with this user name; e-mail it after the commit.

    Returns the invitation, or None when none was made. The page answers the same
    (notices.PAA_INVITE_SENT) whatever the user name: unknown, deactivated, shared, legacy,
    already invited or a member, so inviting reveals neither which user names exist nor
    which accounts are shared. Only the reason in the audit log tells them apart.

    Throttled per administrator (every attempt counts, a refused one too), and an invitee
    gets at most a few invitation mails a day whoever sends them, so invite-and-withdraw
    cannot flood anyone's mailbox; past that the invitation is still made (the invitee
    sees it on their Firm billing page) but not mailed. Raises ValidationError (code
    "throttled") when the administrator must wait.
    """
    if paa.administrator_id != acting.pk or not acting.is_active:
        raise Http404
    tried = username.strip()
    if not tried:
        raise ValidationError({"username": "Enter the user name of the account to invite."})
    wait = throttle.admit(INVITES_BY_ADMINISTRATOR, str(acting.pk)).wait
    details: dict[str, object] = {"paa_id": paa.pk}
    if wait:
        record_alone(
            Action.PAA_INVITE,
            outcome=Outcome.REFUSED,
            request=request,
            actor=acting,
            username_tried=tried,
            details={**details, "reason": "throttled"},
        )
        raise ValidationError(
            notices.paa_invites_throttled(throttle.describe_wait(wait)), code="throttled"
        )
    invitee = Account.objects.filter(username_key=normalize_username(tried)).first()
    refusal = ""
    if invitee is None or not invitee.is_active:
        refusal = "unknown or inactive"
    elif invitee.is_shared or invitee.is_legacy:
        refusal = "shared" if invitee.is_shared else "legacy"
    if refusal or invitee is None:  # no invitee: always a refusal
        record_alone(
            Action.PAA_INVITE,
            outcome=Outcome.FAILURE if invitee is None else Outcome.REFUSED,
            request=request,
            actor=acting,
            subject=invitee,
            username_tried=tried,
            details={**details, "reason": refusal},
        )
        return None
    mail_count = throttle.admit(INVITATION_MAILS_BY_INVITEE, str(invitee.pk))
    mailed = not mail_count.wait
    try:
        with transaction.atomic(durable=True):
            membership = PaaMembership.objects.create(paa=paa, account=invitee)
            record(
                Action.PAA_INVITE,
                request=request,
                actor=acting,
                subject=invitee,
                details={**details, "membership_id": membership.pk, "mailed": mailed},
            )
            if mailed:
                _send_invitation(paa, invitee)
    except IntegrityError:
        # One open invitation or membership per PAA and account; the administrator sees
        # it listed on the PAA's page, and the answer stays the same.
        record_alone(
            Action.PAA_INVITE,
            outcome=Outcome.REFUSED,
            request=request,
            actor=acting,
            subject=invitee,
            details={**details, "reason": "already open"},
        )
        mail_count.release()  # nothing was mailed
        return None
    return membership


def _send_invitation(paa: Paa, invitee: Account) -> None:
    """Queued (nextgen.mail): sent once the invitation commits; a mail failure is retried,
    never undoes the invitation (the invitee also sees it on their Firm billing page).
    The subject is fixed: nothing an inviter types goes into it."""
    body = (
        f"Dear {invitee.full_name},\n\n"
        f'The firm "{paa.firm_name}" invites your PACER account {invitee.username} to its '
        "PACER Administrative Account (PAA), which would pay for your PACER charges. "
        "It gives the firm no access to your account or your cases.\n\n"
        "To accept or decline, log in to PACER: My Account & Billing → Manage My Account "
        "→ Firm billing (PAA). If you do not know this firm, decline.\n"
    )
    queue_mail(to=[invitee.email], subject=INVITATION_SUBJECT, body=body)


# --- the attorney ------------------------------------------------------------------------


def respond_to_invitation(
    *, acting: Account, membership_id: int, accept: bool, request: HttpRequest | None
) -> PaaMembership:
    """Accept or decline an invitation to this account. Raises ValidationError when it is
    no longer open, or (accepting) another PAA already pays for the account."""
    action = Action.PAA_ACCEPT if accept else Action.PAA_DECLINE
    refusal = ""
    try:
        with transaction.atomic(durable=True):
            membership = (
                PaaMembership.objects.select_for_update()
                .select_related("paa")
                .filter(pk=membership_id, account=acting)
                .first()
            )
            if membership is None:
                raise Http404
            if membership.status != Status.INVITED:
                refusal = notices.PAA_INVITATION_CLOSED
            elif (
                accept
                and PaaMembership.objects.filter(account=acting, status=Status.ACTIVE).exists()
            ):
                refusal = notices.PAA_ALREADY_PAID
            else:
                membership.status = Status.ACTIVE if accept else Status.DECLINED
                membership.responded_at = timezone.now()
                # A savepoint, so the one-active-PAA constraint can fire without
                # breaking the outer transaction.
                with transaction.atomic():
                    membership.save(update_fields=["status", "responded_at"])
                record(
                    action,
                    request=request,
                    actor=acting,
                    details={"paa_id": membership.paa_id, "membership_id": membership.pk},
                )
                return membership
    except IntegrityError:
        # Two acceptances at once: the constraint lets only one through.
        refusal = notices.PAA_ALREADY_PAID
    record_alone(
        action,
        outcome=Outcome.REFUSED,
        request=request,
        actor=acting,
        details={"membership_id": membership_id, "reason": refusal},
    )
    raise ValidationError(refusal)


# --- either side ---------------------------------------------------------------------------


def end_membership(
    *, acting: Account, membership_id: int, request: HttpRequest | None
) -> PaaMembership:
    """End a membership (or withdraw an open invitation): the member or the PAA's
    administrator may. Anyone else gets Http404. Ending one already ended is refused."""
    with transaction.atomic(durable=True):
        membership = (
            PaaMembership.objects.select_for_update()
            .select_related("paa", "account")
            .filter(pk=membership_id)
            .first()
        )
        if membership is None or acting.pk not in (
            membership.account_id,
            membership.paa.administrator_id,
        ):
            raise Http404
        if membership.status in OPEN:
            old = membership.status
            membership.status = Status.ENDED
            membership.ended_at = timezone.now()
            membership.save(update_fields=["status", "ended_at"])
            record(
                Action.PAA_END,
                request=request,
                actor=acting,
                subject=membership.account,
                details={
                    "paa_id": membership.paa_id,
                    "membership_id": membership.pk,
                    "old": old,
                    "by": "member" if acting.pk == membership.account_id else "administrator",
                },
            )
            return membership
    record_alone(
        Action.PAA_END,
        outcome=Outcome.REFUSED,
        request=request,
        actor=acting,
        subject=membership.account,
        details={"membership_id": membership.pk, "reason": "not open"},
    )
    raise ValidationError(notices.PAA_INVITATION_CLOSED)
