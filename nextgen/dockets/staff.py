"""Court staff actions on cases: criminal cases, parties and counsel, orders and minute
entries, sealing, corrections, fees, closing and reopening.

Each takes the acting account, requires the court's staff role (CourtRole; refused with
DocketRefused("not_staff") otherwise, and nothing changes), runs in one durable
transaction and writes its audit event there, with the court's code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import slugify

from nextgen.audit.models import Action
from nextgen.audit.services import record
from nextgen.ecf.models import Court, FilerAccount
from nextgen.signon.models import Account

from . import actions, notices
from .actions import DocketRefused, PartySpec, require_staff
from .documents import StoredDocument, discard
from .models import (
    Case,
    CaseFee,
    CaseType,
    DocketEntry,
    DocketEntryRevision,
    Filer,
    FilingEvent,
    Party,
    PartyAlias,
    PartyRole,
    Representation,
)


def _audit(
    action: str,
    *,
    acting: Account,
    case: Case,
    request: HttpRequest | None,
    **details: Any,
) -> None:
    record(
        Action(f"docket.staff.{action}"),
        request=request,
        actor=acting,
        court_code=case.court.code,
        details={"case_id": case.pk, "case": case.number, **details},
    )


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("court").get(pk=case.pk)


def _end(
    locked: Case | Party | Representation, *, court: Court, date: dt.date | None, refusal: str
) -> dt.date:
    """Date the end of a locked case, party or attorney of record (the court's own date
    unless given), and return that date; one already ended is refused and nothing
    changes."""
    if locked.date_terminated is not None:
        raise DocketRefused(refusal)
    ended = locked.date_terminated = date or court.today()
    fields = ["date_terminated"]
    if isinstance(locked, Representation):
        locked.terminated_at = timezone.now()
        fields.append("terminated_at")
    locked.save(update_fields=fields)
    return ended


# --- cases ------------------------------------------------------------------------------------


def open_criminal_case(
    *,
    acting: Account,
    court,
    title: str,
    defendants: Sequence[str],
    event: FilingEvent,
    documents: Sequence[StoredDocument] = (),
    office: int | None = None,
    judge: str = "",
    cause: str = "",
    sealed: bool = False,
    text: str = "",
    request: HttpRequest | None = None,
) -> tuple[Case, DocketEntry]:
    """Open a criminal case (court staff only: attorneys never open one) with its
    charging document; attorneys are then added to it by staff."""
    try:
        require_staff(acting, court)
    except DocketRefused:
        discard(documents)
        raise
    names = [d.strip() for d in defendants if d.strip()]
    return actions.open_case(
        acting=acting,
        court=court,
        case_type=CaseType.CRIMINAL,
        title=title or (f"USA v. {names[0]}" if names else ""),
        parties=[
            PartySpec("USA", PartyRole.PLAINTIFF),
            *(PartySpec(n, PartyRole.DEFENDANT) for n in names),
        ]
        if names
        else [],
        event=event,
        documents=documents,
        office=office,
        judge=judge,
        cause=cause,
        sealed=sealed,
        text=text,
        request=request,
    )


def close_case(
    *, acting: Account, case: Case, date: dt.date | None = None, request: HttpRequest | None
) -> Case:
    require_staff(acting, case.court)
    with transaction.atomic(durable=True):
        locked = _locked(case)
        ended = _end(locked, court=case.court, date=date, refusal="already_closed")
        _audit(
            "close",
            acting=acting,
            case=locked,
            request=request,
            date_terminated=ended.isoformat(),
        )
    return locked


def reopen_case(*, acting: Account, case: Case, request: HttpRequest | None) -> Case:
    require_staff(acting, case.court)
    with transaction.atomic(durable=True):
        locked = _locked(case)
        if locked.date_terminated is None:
            raise DocketRefused("already_open")
        old = locked.date_terminated
        locked.date_terminated = None
        locked.save(update_fields=["date_terminated"])
        _audit("reopen", acting=acting, case=locked, request=request, was=old.isoformat())
    return locked


def set_case_sealed(
    *, acting: Account, case: Case, sealed: bool, request: HttpRequest | None
) -> Case:
    require_staff(acting, case.court)
    with transaction.atomic(durable=True):
        locked = _locked(case)
        if locked.sealed == sealed:
            raise DocketRefused("already_sealed" if sealed else "not_sealed")
        locked.sealed = sealed
        locked.save(update_fields=["sealed"])
        _audit("seal" if sealed else "unseal", acting=acting, case=locked, request=request)
    return locked


# --- parties and counsel -------------------------------------------------------------------


def add_party(
    *,
    acting: Account,
    case: Case,
    name: str,
    role: str,
    aliases: Sequence[str] = (),
    request: HttpRequest | None,
) -> Party:
    require_staff(acting, case.court)
    errors = {}
    if not name.strip():
        errors["name"] = notices.PARTY_NAME_REQUIRED
    elif len(name.strip()) > actions.NAME_MAX:
        errors["name"] = notices.PARTY_NAME_TOO_LONG
    if any(len(a.strip()) > actions.NAME_MAX for a in aliases):
        errors["aliases"] = notices.ALIAS_TOO_LONG
    if role not in PartyRole.values:
        errors["role"] = notices.PARTY_ROLE_INVALID
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        party = Party.objects.create(case=case, name=name.strip(), role=role)
        PartyAlias.objects.bulk_create(
            [PartyAlias(party=party, name=a.strip()) for a in aliases if a.strip()]
        )
        _audit(
            "add_party",
            acting=acting,
            case=case,
            request=request,
            party_id=party.pk,
            name=party.name,
            role=role,
        )
    return party


def terminate_party(
    *, acting: Account, party: Party, date: dt.date | None = None, request: HttpRequest | None
) -> Party:
    case = party.case
    require_staff(acting, case.court)
    with transaction.atomic(durable=True):
        locked = Party.objects.select_for_update().get(pk=party.pk)
        ended = _end(locked, court=case.court, date=date, refusal="already_terminated")
        # As CM/ECF: a terminated party's attorneys are terminated with it (no more NEFs,
        # no more filing or sealed reading for it).
        attorneys = Representation.objects.filter(party=locked, date_terminated__isnull=True)
        ended_attorneys = attorneys.update(date_terminated=ended, terminated_at=timezone.now())
        _audit(
            "terminate_party",
            acting=acting,
            case=case,
            request=request,
            party_id=party.pk,
            name=locked.name,
            attorneys_terminated=ended_attorneys,
        )
    return locked


def add_attorney(
    *,
    acting: Account,
    party: Party,
    filer: FilerAccount,
    lead_attorney: bool = False,
    to_be_noticed: bool = True,
    pro_hac_vice: bool = False,
    request: HttpRequest | None,
) -> Representation:
    """Make `filer` (a CM/ECF account of the case's court) attorney of record for the
    party; re-adding a terminated attorney restores them."""
    case = party.case
    require_staff(acting, case.court)
    if filer.court_id != case.court_id:
        raise ValidationError({"filer": notices.FILER_WRONG_COURT})
    with transaction.atomic(durable=True):
        rep = Representation.objects.select_for_update().filter(party=party, filer=filer).first()
        if rep is not None and rep.date_terminated is None:
            raise DocketRefused("already_of_record")
        values = dict(
            lead_attorney=lead_attorney,
            to_be_noticed=to_be_noticed,
            pro_hac_vice=pro_hac_vice,
            date_terminated=None,
            terminated_at=None,
        )
        if rep is None:
            rep = Representation.objects.create(party=party, filer=filer, **values)
        else:
            for field, value in values.items():
                setattr(rep, field, value)
            rep.save(update_fields=list(values))
        _audit(
            "add_attorney",
            acting=acting,
            case=case,
            request=request,
            party_id=party.pk,
            filer_id=filer.pk,
            login=filer.login,
            lead=lead_attorney,
            pro_hac_vice=pro_hac_vice,
        )
    return rep


def terminate_attorney(
    *,
    acting: Account,
    representation: Representation,
    date: dt.date | None = None,
    request: HttpRequest | None,
) -> Representation:
    case = representation.party.case
    require_staff(acting, case.court)
    with transaction.atomic(durable=True):
        locked = Representation.objects.select_for_update().get(pk=representation.pk)
        _end(locked, court=case.court, date=date, refusal="already_terminated")
        _audit(
            "terminate_attorney",
            acting=acting,
            case=case,
            request=request,
            representation_id=locked.pk,
            filer_id=locked.filer_id,
        )
    return locked


# --- entries -----------------------------------------------------------------------------------


def enter_entry(
    *,
    acting: Account,
    case: Case,
    event: FilingEvent,
    text: str,
    relates_to: Sequence[DocketEntry] = (),
    documents: Sequence[StoredDocument] = (),
    sealed: bool = False,
    request: HttpRequest | None,
) -> DocketEntry:
    """An order or minute entry (a minute entry has no document)."""
    try:
        require_staff(acting, case.court)
        if not text.strip():
            raise ValidationError({"text": notices.TEXT_REQUIRED})
    except (DocketRefused, ValidationError):
        discard(documents)
        raise
    return actions.file_entry(
        acting=acting,
        case=case,
        event=event,
        text=text,
        relates_to=relates_to,
        documents=documents,
        sealed=sealed,
        request=request,
    )


def set_entry_sealed(
    *, acting: Account, entry: DocketEntry, sealed: bool, request: HttpRequest | None
) -> DocketEntry:
    case = entry.case
    require_staff(acting, case.court)
    with transaction.atomic(durable=True):
        locked = DocketEntry.objects.select_for_update().get(pk=entry.pk)
        if locked.sealed == sealed:
            raise DocketRefused("already_sealed" if sealed else "not_sealed")
        locked.sealed = sealed
        locked.save(update_fields=["sealed"])
        _audit(
            "seal_entry" if sealed else "unseal_entry",
            acting=acting,
            case=case,
            request=request,
            entry=locked.number,
        )
    return locked


def correct_entry(
    *, acting: Account, entry: DocketEntry, text: str, reason: str, request: HttpRequest | None
) -> DocketEntry:
    """Change an entry's docket text, keeping the old text (the docket then shows
    "Modified on <date>")."""
    case = entry.case
    require_staff(acting, case.court)
    errors = {}
    if not text.strip():
        errors["text"] = notices.TEXT_REQUIRED
    if not reason.strip():
        errors["reason"] = notices.REASON_REQUIRED
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        locked = DocketEntry.objects.select_for_update().get(pk=entry.pk)
        now = timezone.now()
        DocketEntryRevision.objects.create(
            entry=locked,
            previous_text=locked.text,
            changed_at=now,
            changed_by=acting,
            reason=reason.strip(),
        )
        locked.text = text.strip()
        locked.modified_at = now
        locked.save(update_fields=["text", "modified_at"])
        _audit(
            "correct_entry",
            acting=acting,
            case=case,
            request=request,
            entry=locked.number,
            reason=reason.strip(),
        )
    return locked


# --- fees ----------------------------------------------------------------------------------------


def mark_fee_paid(
    *, acting: Account, fee: CaseFee, receipt_number: str, request: HttpRequest | None
) -> CaseFee:
    """Record that the fee was paid at the court (NextGen takes no money)."""
    case = fee.case
    require_staff(acting, case.court)
    if not receipt_number.strip():
        raise ValidationError({"receipt_number": notices.RECEIPT_REQUIRED})
    with transaction.atomic(durable=True):
        locked = CaseFee.objects.select_for_update().get(pk=fee.pk)
        if locked.paid_at is not None:
            raise DocketRefused("already_paid")
        locked.paid_at = timezone.now()
        locked.receipt_number = receipt_number.strip()
        locked.marked_paid_by = acting
        locked.save(update_fields=["paid_at", "receipt_number", "marked_paid_by"])
        _audit(
            "fee_paid",
            acting=acting,
            case=case,
            request=request,
            fee_id=locked.pk,
            amount=str(locked.amount),
            receipt_number=locked.receipt_number,
        )
    return locked


# --- the court's event list ----------------------------------------------------------------


def _event_audit(action: str, *, acting: Account, event: FilingEvent, request) -> None:
    record(
        Action(f"docket.staff.{action}"),
        request=request,
        actor=acting,
        court_code=event.court.code,
        details={
            "event_id": event.pk,
            "menu": event.menu,
            "code": event.code,
            "label": event.label,
        },
    )


def add_event(
    *,
    acting: Account,
    court,
    menu: str,
    label: str,
    group: str,
    who: str = Filer.ATTORNEY,
    fee: Decimal = Decimal("0.00"),
    relates_to_entries: bool = False,
    document_required: bool = True,
    request: HttpRequest | None,
) -> FilingEvent:
    """Add an event to one of the court's filing menus (at the end of its group)."""
    from .events import MENUS_OF_KIND

    require_staff(acting, court)
    label, group = label.strip(), group.strip()
    errors = {}
    if menu not in MENUS_OF_KIND.get(court.kind, ()):
        errors["menu"] = notices.EVENT_MENU_INVALID
    if not label:
        errors["label"] = notices.EVENT_LABEL_REQUIRED
    if not group:
        errors["group"] = notices.EVENT_GROUP_REQUIRED
    if who not in Filer.values:
        errors["who"] = notices.EVENT_WHO_INVALID
    if fee < 0:
        errors["fee"] = notices.EVENT_FEE_INVALID
    code = slugify(label).replace("-", "_")[:60]
    if label and not code:
        errors["label"] = notices.EVENT_LABEL_REQUIRED
    if not errors and FilingEvent.objects.filter(court=court, menu=menu, code=code).exists():
        errors["label"] = notices.EVENT_EXISTS
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic(durable=True):
            last = (
                FilingEvent.objects.filter(court=court, menu=menu)
                .order_by("-order")
                .values_list("order", flat=True)
                .first()
            )
            event = FilingEvent.objects.create(
                court=court,
                menu=menu,
                code=code,
                label=label,
                group=group,
                who=who,
                fee=fee,
                relates_to_entries=relates_to_entries,
                document_required=document_required,
                order=(last or 0) + 10,
            )
            _event_audit("add_event", acting=acting, event=event, request=request)
    except IntegrityError:
        # The same label added twice at once: the constraint decides.
        raise ValidationError({"label": notices.EVENT_EXISTS}) from None
    return event


def set_event_active(
    *, acting: Account, event: FilingEvent, active: bool, request: HttpRequest | None
) -> FilingEvent:
    """Take an event off the menus (entries filed with it keep it) or put it back."""
    require_staff(acting, event.court)
    with transaction.atomic(durable=True):
        locked = FilingEvent.objects.select_for_update().select_related("court").get(pk=event.pk)
        locked.active = active
        locked.save(update_fields=["active"])
        _event_audit(
            "enable_event" if active else "disable_event",
            acting=acting,
            event=locked,
            request=request,
        )
    return locked


def set_event_opinion(
    *, acting: Account, event: FilingEvent, is_opinion: bool, request: HttpRequest | None
) -> FilingEvent:
    """Mark an event as a written opinion (its entries appear, free, in the Written
    Opinions report) or unmark it."""
    require_staff(acting, event.court)
    with transaction.atomic(durable=True):
        locked = FilingEvent.objects.select_for_update().select_related("court").get(pk=event.pk)
        locked.is_opinion = is_opinion
        locked.save(update_fields=["is_opinion"])
        _event_audit(
            "mark_opinion" if is_opinion else "unmark_opinion",
            acting=acting,
            event=locked,
            request=request,
        )
    return locked
