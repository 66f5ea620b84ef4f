"""E-file registration for someone who never had an old CM/ECF account in a court.

The applicant asks from the central side (Attorney Admissions / E-File Registration, or
Non-Attorney E-File Registration); the court's staff approve or reject. Approval gives
filing rights exactly as a link does: a FilerAccount of that court tied to the PACER
account, so nextgen.ecf.menus.has_filing_rights and the filing menus need no special case.

Every write takes the acting account, runs in one transaction and writes its audit row in
that transaction; e-mail leaves only after the commit. Database constraints (one pending
request per account and court; one FilerAccount per account and court) decide races.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from nextgen.audit.models import Action, Outcome
from nextgen.audit.services import record, record_alone
from nextgen.mail import queue_mail
from nextgen.signon.models import Account

from .. import notices
from ..forwarding import personal_data
from ..models import Court, FilerAccount, FilingRegistration
from ..permissions import require_court_staff

logger = logging.getLogger(__name__)

Kind = FilingRegistration.Kind
Status = FilingRegistration.Status


class RegistrationRefused(Exception):
    """A refusal the user is told about; `reason` keys notices.REGISTRATION_REFUSALS
    (or the message is given, for the staff side)."""

    def __init__(self, reason: str, message: str | None = None) -> None:
        self.reason = reason
        self.message = message or notices.REGISTRATION_REFUSALS[reason]
        super().__init__(self.message)


# --- reads ----------------------------------------------------------------------------


def live_courts() -> QuerySet[Court]:
    """Courts that take registrations now: their go-live date has come at the court.

    Go-live is a day in each court's own time zone, so the database narrows by the
    latest date anywhere (UTC+14) and each court then decides in its own zone."""
    latest = timezone.localdate() + dt.timedelta(days=1)
    candidates = Court.objects.filter(go_live__lte=latest)
    live = [court.pk for court in candidates if court.is_live()]
    return Court.objects.filter(pk__in=live).order_by("name")


def account_refusal(account: Account) -> str | None:
    """Why this account may not ask any court for e-filing rights, or None.

    Same order and words as linking: a legacy or shared account is told what to do."""
    if not account.is_active:
        return "inactive"
    if account.is_legacy:
        return "legacy"
    if account.is_shared:
        return "shared"
    return None


def registration_refusal(account: Account, court: Court) -> str | None:
    """Why this account may not ask this court for e-filing rights now, or None."""
    reason = account_refusal(account)
    if reason:
        return reason
    if not court.is_live():
        return "not_live"
    if FilerAccount.objects.filter(court=court, account=account).exists():
        return "already_filer"
    if FilingRegistration.objects.filter(
        court=court, account=account, status=Status.PENDING
    ).exists():
        return "pending"
    return None


def requests_of(account: Account) -> QuerySet[FilingRegistration]:
    """The account's own requests, newest first, for the status table."""
    return (
        FilingRegistration.objects.filter(account=account)
        .select_related("court")
        .order_by("-created_at", "-id")
    )


def pending_at(court: Court) -> QuerySet[FilingRegistration]:
    """The court's pending requests, oldest first: staff work through them in order."""
    return (
        FilingRegistration.objects.filter(court=court, status=Status.PENDING)
        .select_related("account")
        .order_by("created_at", "id")
    )


# --- the applicant --------------------------------------------------------------------


def request_registration(
    *,
    acting: Account,
    court: Court,
    kind: str,
    bar_number: str = "",
    bar_state: str = "",
    note: str = "",
    request: HttpRequest | None,
) -> FilingRegistration:
    """Ask `court` for e-filing rights. Raises ValidationError naming the field at fault
    (attorneys give bar number and state) or RegistrationRefused with the reason."""
    if kind not in Kind.values:
        raise ValidationError({"kind": notices.REGISTRATION_KIND_MISSING})
    bar_number, bar_state, note = bar_number.strip(), bar_state.strip(), note.strip()
    if kind == Kind.ATTORNEY:
        errors = {}
        if not bar_number:
            errors["bar_number"] = notices.BAR_NUMBER_REQUIRED
        if not bar_state:
            errors["bar_state"] = notices.BAR_STATE_REQUIRED
        if errors:
            raise ValidationError(errors)
    else:
        # A non-attorney has no bar admission; nothing typed there is kept.
        bar_number = bar_state = ""
    reason = registration_refusal(acting, court)
    if reason is None:
        try:
            with transaction.atomic(durable=True):
                registration = FilingRegistration.objects.create(
                    account=acting,
                    court=court,
                    kind=kind,
                    bar_number=bar_number,
                    bar_state=bar_state,
                    note=note,
                )
                record(
                    Action.REGISTRATION_REQUEST,
                    request=request,
                    actor=acting,
                    court_code=court.code,
                    details={"registration_id": registration.pk, "kind": kind},
                )
            return registration
        except IntegrityError:
            # The one-pending-request constraint: a second submit raced the first.
            reason = "pending"
    record_alone(
        Action.REGISTRATION_REQUEST,
        outcome=Outcome.REFUSED,
        request=request,
        actor=acting,
        court_code=court.code,
        details={"kind": kind, "reason": reason},
    )
    raise RegistrationRefused(reason)


# --- the court's staff ----------------------------------------------------------------


def _refuse_decision(
    *,
    action: Action,
    staff: Account,
    registration: FilingRegistration,
    request: HttpRequest | None,
    reason: str,
    message: str,
) -> RegistrationRefused:
    with transaction.atomic():
        record(
            action,
            outcome=Outcome.REFUSED,
            request=request,
            actor=staff,
            subject=registration.account,
            court_code=registration.court.code,
            details={"registration_id": registration.pk, "reason": reason},
        )
    return RegistrationRefused(reason, message)


def _pending_for_update(court: Court, registration_id: int) -> FilingRegistration:
    """Lock the request so two staff deciding at once queue; the second sees the first."""
    registration = (
        FilingRegistration.objects.select_for_update()
        .select_related("account", "court")
        .filter(pk=registration_id, court=court)
        .first()
    )
    if registration is None:
        # Another court's request, or none: the same answer as a page that is not there.
        raise Http404
    return registration


def filer_login(registration: FilingRegistration) -> str:
    """The CM/ECF login of an approved registration: unique per court by the request's id.

    Nobody signs in with it (the password is unusable); it only names the account."""
    return f"reg{registration.pk}-{registration.account.username}"[:80]


def approve_registration(
    *,
    acting: Account,
    court: Court,
    registration_id: int,
    reason: str = "",
    request: HttpRequest | None,
) -> FilerAccount:
    """Give the applicant filing rights at `court`, exactly as a link does.

    Refuses (RegistrationRefused, nothing changed) when the request is no longer pending,
    the applicant can no longer file, or the applicant got linked here meanwhile."""
    require_court_staff(acting, court)
    reason = reason.strip()
    refusal: tuple[str, str] | None = None
    try:
        with transaction.atomic(durable=True):
            registration = _pending_for_update(court, registration_id)
            applicant = registration.account
            if registration.status != Status.PENDING:
                refusal = ("not_pending", notices.REGISTRATION_NOT_PENDING)
            elif not applicant.may_file:
                refusal = ("applicant_cannot_file", notices.REGISTRATION_APPLICANT_CANNOT_FILE)
            elif FilerAccount.objects.filter(court=court, account=applicant).exists():
                refusal = ("already_filer", notices.REGISTRATION_ALREADY_FILER)
            if refusal:
                raise RegistrationRefused(*refusal)
            now = timezone.now()
            # The savepoint keeps the transaction usable if the constraint fires.
            with transaction.atomic():
                filer = FilerAccount.objects.create(
                    court=court,
                    login=filer_login(registration),
                    password=make_password(None),
                    first_name=applicant.first_name,
                    last_name=applicant.last_name,
                    email=applicant.email,
                    bar_number=registration.bar_number,
                    phone=applicant.phone,
                    firm=applicant.firm,
                    address=applicant.address,
                    city=applicant.city,
                    state=applicant.state,
                    zip_code=applicant.zip_code,
                    account=applicant,
                    linked_at=now,
                    # The court's record is made from the applicant's data, kept under
                    # the link like any other (restored by an unlink), but without an
                    # address: the court holds none of its own for an account it made,
                    # so after staff unlink it no reset reaches the applicant, who would
                    # link it again without approval. They register anew instead.
                    court_record=personal_data(applicant) | {"email": ""},
                    created_at=now,
                    updated_at=now,
                )
            registration.status = Status.APPROVED
            registration.decided_by = acting
            registration.decided_at = now
            registration.decision_reason = reason
            registration.save(
                update_fields=["status", "decided_by", "decided_at", "decision_reason"]
            )
            record(
                Action.REGISTRATION_APPROVE,
                request=request,
                actor=acting,
                subject=applicant,
                court_code=court.code,
                details={
                    "registration_id": registration.pk,
                    "kind": registration.kind,
                    "cmecf_login": filer.login,
                    "reason": reason,
                },
            )
            transaction.on_commit(
                lambda: _send_decision_mail(
                    to=applicant.email,
                    subject=f"E-file registration approved: {court.name}",
                    body=(
                        f"Dear {applicant.full_name},\n\n"
                        f"Your e-file registration at the {court.name} was approved. "
                        "Log in to the court's Document Filing System with your PACER "
                        "user name and password to file.\n"
                        + (f"\nNote from the court: {reason}\n" if reason else "")
                    ),
                )
            )
    except IntegrityError:
        # The one-link-per-court constraint: a link landed between the check and insert.
        refusal = ("already_filer", notices.REGISTRATION_ALREADY_FILER)
    except RegistrationRefused:
        pass  # `refusal` says which; audited below, outside the rolled-back transaction.
    if refusal:
        registration = FilingRegistration.objects.select_related("account", "court").get(
            pk=registration_id
        )
        raise _refuse_decision(
            action=Action.REGISTRATION_APPROVE,
            staff=acting,
            registration=registration,
            request=request,
            reason=refusal[0],
            message=refusal[1],
        )
    return filer


def reject_registration(
    *,
    acting: Account,
    court: Court,
    registration_id: int,
    reason: str,
    request: HttpRequest | None,
) -> FilingRegistration:
    """Refuse the request with a reason (required), which is e-mailed to the applicant."""
    require_court_staff(acting, court)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": notices.REJECTION_REASON_REQUIRED})
    with transaction.atomic(durable=True):
        registration = _pending_for_update(court, registration_id)
        if registration.status == Status.PENDING:
            applicant = registration.account
            registration.status = Status.REJECTED
            registration.decided_by = acting
            registration.decided_at = timezone.now()
            registration.decision_reason = reason
            registration.save(
                update_fields=["status", "decided_by", "decided_at", "decision_reason"]
            )
            record(
                Action.REGISTRATION_REJECT,
                request=request,
                actor=acting,
                subject=applicant,
                court_code=court.code,
                details={
                    "registration_id": registration.pk,
                    "kind": registration.kind,
                    "reason": reason,
                },
            )
            transaction.on_commit(
                lambda: _send_decision_mail(
                    to=applicant.email,
                    subject=f"E-file registration not approved: {court.name}",
                    body=(
                        f"Dear {applicant.full_name},\n\n"
                        f"Your e-file registration at the {court.name} was not approved.\n\n"
                        f"Reason: {reason}\n\n"
                        "You may send a new request once you have addressed it.\n"
                    ),
                )
            )
            return registration
    raise _refuse_decision(
        action=Action.REGISTRATION_REJECT,
        staff=acting,
        registration=registration,
        request=request,
        reason="not_pending",
        message=notices.REGISTRATION_NOT_PENDING,
    )


def _send_decision_mail(*, to: str, subject: str, body: str) -> None:
    """Tell the applicant. Runs after the commit and is queued (nextgen.mail): a mail
    failure is retried, never undoes a decision already made."""
    queue_mail(to=[to], subject=subject, body=body)
