"""Opening cases and filing docket entries: the writes every filing path shares.

Each action is keyword-only with a required `acting` account, runs in ONE durable
transaction that holds the number allocation, the rows and the audit event, and takes
documents already stored by `store_documents` (before the transaction, so the slow
part holds no lock). When anything fails the action removes those stored files before
re-raising: there is never an entry without its file, nor a file without its entry.

Who may file what (linked filer, of record, criminal cases, pro se) is the filing
flow's rule (nextgen.dockets.filing); these actions keep the invariants that hold
for every caller: the event belongs to the court and the case type, staff-only events
need court staff, parties and related entries belong to the case, numbers are
allocated under a row lock, never twice and without gaps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from nextgen.audit.models import Action
from nextgen.audit.services import record
from nextgen.ecf.models import Court, CourtKind, FilerAccount
from nextgen.ecf.permissions import is_court_staff
from nextgen.forms import column_max_length
from nextgen.signon.models import Account

from . import notices
from .documents import (
    DocumentUpload,
    StoredDocument,
    discard,
    store_documents,
)
from .listeners import entry_filed
from .models import (
    BANKRUPTCY_TYPES,
    DISTRICT_TYPES,
    SEQUENCE_START,
    Case,
    CaseFee,
    CaseNumberCounter,
    CaseType,
    DocketEntry,
    Document,
    Filer,
    FilingEvent,
    Party,
    PartyAlias,
    PartyRole,
    Representation,
)

__all__ = [
    "DocketRefused",
    "DocumentUpload",
    "PartySpec",
    "StoredDocument",
    "docket_text",
    "file_entry",
    "open_case",
    "store_documents",
]

CHAPTERS = (7, 11, 13)
# The columns' own limits, checked before the INSERT so a long line is a message naming
# the field, not a database error.
TITLE_MAX = column_max_length(Case, "title")
NAME_MAX = column_max_length(Party, "name")


class DocketRefused(Exception):
    """A refusal the user is told about; `reason` keys notices.REFUSALS."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        self.message = notices.REFUSALS[reason]
        super().__init__(self.message)


@dataclass(frozen=True)
class PartySpec:
    """A party of a case being opened. `represented`: the filing attorney appears for it
    (becomes attorney of record, lead and to be noticed) and it is a filer party of the
    opening entry."""

    name: str
    role: str
    aliases: Sequence[str] = ()
    represented: bool = False


# --- helpers shared with nextgen.dockets.staff ---------------------------------------------


def require_staff(acting: Account, court: Court) -> None:
    """Court staff of this court (the CourtRole), nobody else: not even the Service Center,
    whose powers are over accounts, not case records."""
    if not is_court_staff(acting, court):
        raise DocketRefused("not_staff")


def _check_event(acting: Account, event: FilingEvent, court: Court, case_type: str) -> None:
    if event.court_id != court.pk or event.case_type != case_type or not event.active:
        raise ValidationError({"event": notices.EVENT_WRONG_COURT})
    if event.who == Filer.STAFF and not is_court_staff(acting, court):
        raise DocketRefused("staff_only")


def _check_documents(event: FilingEvent, documents: Sequence[StoredDocument]) -> None:
    if event.document_required and not documents:
        raise ValidationError({"documents": notices.DOCUMENT_REQUIRED})


def _next_sequence(court: Court, year: int, case_type: str) -> int:
    """The next case sequence for (court, year, type), under the counter's row lock.

    The lock is held until the opening transaction ends, so a failed opening gives its
    number back (no gap) and two openings never get the same one. The first opening of
    a year creates the row; a concurrent first insert loses on the unique constraint,
    and get_or_create then locks and reads the winner's row."""
    counter, _ = CaseNumberCounter.objects.select_for_update().get_or_create(
        court=court,
        year=year,
        case_type=case_type,
        defaults={"last": SEQUENCE_START[case_type]},
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _create_documents(entry: DocketEntry, documents: Sequence[StoredDocument]) -> None:
    Document.objects.bulk_create(
        [
            Document(
                entry=entry,
                number=number,
                description=doc.description,
                file=doc.name,
                original_name=doc.original_name,
                page_count=doc.page_count,
                size=doc.size,
                sha256=doc.sha256,
                stamp=doc.stamp,
            )
            for number, doc in enumerate(documents)
        ]
    )


def _charge(case: Case, entry: DocketEntry, event: FilingEvent) -> CaseFee | None:
    amount = event.fee_for(case)
    if amount <= 0:
        return None
    return CaseFee.objects.create(case=case, entry=entry, amount=amount, due=case.court.today())


def docket_text(
    event: FilingEvent,
    *,
    filer_parties: Sequence[Party | PartySpec] = (),
    relates_to: Sequence[DocketEntry] = (),
    extra: str = "",
) -> str:
    """CM/ECF's docket text: "MOTION to Dismiss re 12 Complaint filed by Acme Corp.. extra"."""
    head, _, rest = event.label.partition(" ")
    text = f"{head.upper()} {rest}".strip()
    if relates_to:
        refs = ", ".join(
            f"{e.number} {e.event.label if e.event else 'Entry'}"
            for e in sorted(relates_to, key=lambda e: e.number)
        )
        text += f" re {refs}"
    if filer_parties:
        text += " filed by " + ", ".join(p.name for p in filer_parties)
    text += "."
    if extra.strip():
        text += f" {extra.strip()}"
    return text


# --- opening a case --------------------------------------------------------------------------


def _check_case_data(
    *,
    court: Court,
    case_type: str,
    title: str,
    parties: Sequence[PartySpec],
    office: int | None,
    chapter: int | None,
    main_case: Case | None,
) -> None:
    errors: dict[str, str] = {}
    allowed = DISTRICT_TYPES if court.kind == CourtKind.DISTRICT else BANKRUPTCY_TYPES
    if case_type not in allowed:
        errors["case_type"] = notices.CASE_TYPE_INVALID
    if not title.strip():
        errors["title"] = notices.TITLE_REQUIRED
    elif len(title.strip()) > TITLE_MAX:
        errors["title"] = notices.TITLE_TOO_LONG
    if not parties:
        errors["parties"] = notices.PARTIES_REQUIRED
    elif any(not p.name.strip() for p in parties):
        errors["parties"] = notices.PARTY_NAME_REQUIRED
    elif any(len(p.name.strip()) > NAME_MAX for p in parties):
        errors["parties"] = notices.PARTY_NAME_TOO_LONG
    elif any(len(a.strip()) > NAME_MAX for p in parties for a in p.aliases):
        errors["parties"] = notices.ALIAS_TOO_LONG
    elif any(p.role not in PartyRole.values for p in parties):
        errors["parties"] = notices.PARTY_ROLE_INVALID
    if case_type not in allowed:
        pass  # the type's own fields mean nothing until the type is right
    elif case_type in DISTRICT_TYPES and (office is None or not 1 <= office <= 9):
        errors["office"] = notices.OFFICE_INVALID
    elif case_type == CaseType.BANKRUPTCY and chapter not in CHAPTERS:
        errors["chapter"] = notices.CHAPTER_REQUIRED
    elif case_type == CaseType.ADVERSARY and (
        main_case is None
        or main_case.court_id != court.pk
        or main_case.case_type != CaseType.BANKRUPTCY
    ):
        errors["main_case"] = notices.MAIN_CASE_REQUIRED
    if errors:
        raise ValidationError(errors)


def _appear(filer: FilerAccount, parties: Sequence[Party], entry: DocketEntry) -> None:
    """Make `filer` attorney of record for `parties` as of the appearance `entry` (so its
    own NEF lists them as the parties' counsel), as a new appearance: to be noticed, not
    lead. A representation staff ended is restored; it keeps its first day, so entries
    served before its end stay served (one row holds one period: the days between are
    served too, to an attorney of record now, who may read them anyway). A party staff
    terminated meanwhile (after the flow's last check) gets no attorney."""
    open_parties = list(
        Party.objects.select_for_update()
        .filter(pk__in=[p.pk for p in parties], date_terminated__isnull=True)
        .values_list("pk", flat=True)
    )
    reps = Representation.objects.filter(party_id__in=open_parties, filer=filer)
    known = set(reps.values_list("party_id", flat=True))
    reps.filter(date_terminated__isnull=False).update(
        date_terminated=None, terminated_at=None, lead_attorney=False, to_be_noticed=True
    )
    Representation.objects.bulk_create(
        [
            Representation(party_id=pk, filer=filer, created_at=entry.date_entered)
            for pk in open_parties
            if pk not in known
        ],
        ignore_conflicts=True,  # an appearance in another tab got there first
    )


def open_case(
    *,
    acting: Account,
    court: Court,
    case_type: str,
    title: str,
    parties: Sequence[PartySpec],
    event: FilingEvent,
    documents: Sequence[StoredDocument] = (),
    text: str = "",
    office: int | None = None,
    main_case: Case | None = None,
    nature_of_suit: str = "",
    chapter: int | None = None,
    cause: str = "",
    jurisdiction: str = "",
    demand: str = "",
    jury_demand: str = "",
    judge: str = "",
    sealed: bool = False,
    date_filed: dt.date | None = None,
    request: HttpRequest | None = None,
) -> tuple[Case, DocketEntry]:
    """Open a case with its parties and its first entry (the complaint, petition or
    indictment); a fee due when the event has one. Raises ValidationError naming the
    field at fault or DocketRefused; either way nothing is left behind (documents too)."""
    try:
        if case_type in DISTRICT_TYPES and office is None:
            office = 1
        _check_case_data(
            court=court,
            case_type=case_type,
            title=title,
            parties=parties,
            office=office,
            chapter=chapter,
            main_case=main_case,
        )
        _check_event(acting, event, court, case_type)
        if not event.opens_case:
            raise ValidationError({"event": notices.EVENT_NOT_OPENING})
        _check_documents(event, documents)
        filer = None
        if any(p.represented for p in parties):
            filer = FilerAccount.objects.filter(court=court, account=acting).first()
            if filer is None:
                raise DocketRefused("not_filer")
        date_filed = date_filed or court.today()  # the court's own date, not UTC's
        with transaction.atomic(durable=True):
            sequence = _next_sequence(court, date_filed.year % 100, case_type)
            case = Case.objects.create(
                court=court,
                case_type=case_type,
                office=office if case_type in DISTRICT_TYPES and office is not None else 0,
                year=date_filed.year % 100,
                sequence=sequence,
                title=title.strip(),
                nature_of_suit=nature_of_suit.strip(),
                chapter=chapter if case_type == CaseType.BANKRUPTCY else None,
                cause=cause.strip(),
                jurisdiction=jurisdiction.strip(),
                demand=demand.strip(),
                jury_demand=jury_demand,
                judge=judge.strip(),
                date_filed=date_filed,
                sealed=sealed,
                main_case=main_case if case_type == CaseType.ADVERSARY else None,
                last_entry_number=1,
            )
            filer_parties = []
            for spec in parties:
                party = Party.objects.create(case=case, name=spec.name.strip(), role=spec.role)
                PartyAlias.objects.bulk_create(
                    [PartyAlias(party=party, name=a.strip()) for a in spec.aliases if a.strip()]
                )
                if spec.represented and filer is not None:  # filer: found above
                    filer_parties.append(party)
                    Representation.objects.create(
                        party=party, filer=filer, lead_attorney=True, to_be_noticed=True
                    )
            entry = DocketEntry.objects.create(
                case=case,
                number=1,
                date_filed=date_filed,
                text=text.strip() or docket_text(event, filer_parties=filer_parties),
                event=event,
                filed_by=acting,
            )
            entry.filer_parties.set(filer_parties)
            _create_documents(entry, documents)
            fee = _charge(case, entry, event)
            entry_filed(entry=entry, request=request)  # the NEF (nextgen.noticing), queued
            # Last: record() holds the audit chain-head lock until COMMIT.
            record(
                Action.DOCKET_OPEN_CASE,
                request=request,
                actor=acting,
                court_code=court.code,
                details={
                    "case_id": case.pk,
                    "case": case.number,
                    "case_type": case_type,
                    "event": event.code,
                    "entry": 1,
                    "documents": [d.sha256 for d in documents],
                    "fee": str(fee.amount) if fee else None,
                },
            )
    except BaseException:
        discard(documents)
        raise
    return case, entry


# --- filing in a case -------------------------------------------------------------------------


def _same_case(case: Case, items: Sequence[Any], field: str, message: str) -> None:
    if any(item.case_id != case.pk for item in items):
        raise ValidationError({field: message})


def next_entry_number(case: Case) -> int:
    """Lock the case row and take its next entry number (inside the caller's transaction)."""
    locked = Case.objects.select_for_update().only("id", "last_entry_number").get(pk=case.pk)
    locked.last_entry_number += 1
    locked.save(update_fields=["last_entry_number"])
    case.last_entry_number = locked.last_entry_number
    return locked.last_entry_number


def file_entry(
    *,
    acting: Account,
    case: Case,
    event: FilingEvent,
    text: str = "",
    filer_parties: Sequence[Party] = (),
    relates_to: Sequence[DocketEntry] = (),
    documents: Sequence[StoredDocument] = (),
    sealed: bool = False,
    date_filed: dt.date | None = None,
    request: HttpRequest | None = None,
    appearance: FilerAccount | None = None,
) -> DocketEntry:
    """Add the next numbered entry to the case, with its documents and any fee due.
    `appearance`: a Notice of Appearance by this CM/ECF account, which becomes attorney
    of record (to be noticed) for each filer party in the same transaction.
    Raises ValidationError naming the field at fault or DocketRefused; either way nothing
    is left behind, stored documents included."""
    try:
        if appearance is not None and appearance.court_id != case.court_id:
            raise ValidationError({"appearance": notices.FILER_WRONG_COURT})
        _check_event(acting, event, case.court, case.case_type)
        if event.opens_case:
            raise ValidationError({"event": notices.EVENT_OPENS_CASE})
        _check_documents(event, documents)
        _same_case(case, filer_parties, "filer_parties", notices.FILER_PARTY_WRONG_CASE)
        _same_case(case, relates_to, "relates_to", notices.RELATES_TO_WRONG_CASE)
        with transaction.atomic(durable=True):
            number = next_entry_number(case)
            entry = DocketEntry.objects.create(
                case=case,
                number=number,
                date_filed=date_filed or case.court.today(),
                text=text.strip()
                or docket_text(event, filer_parties=filer_parties, relates_to=relates_to),
                event=event,
                filed_by=acting,
                sealed=sealed,
            )
            entry.filer_parties.set(filer_parties)
            entry.relates_to.set(relates_to)
            if appearance is not None:
                _appear(appearance, filer_parties, entry)
            _create_documents(entry, documents)
            fee = _charge(case, entry, event)
            entry_filed(entry=entry, request=request)  # the NEF (nextgen.noticing), queued
            # Last: record() holds the audit chain-head lock until COMMIT.
            record(
                Action.DOCKET_FILE,
                request=request,
                actor=acting,
                court_code=case.court.code,
                details={
                    "case_id": case.pk,
                    "case": case.number,
                    "event": event.code,
                    "entry": number,
                    "sealed": sealed,
                    "appearance": appearance.pk if appearance is not None else None,
                    "documents": [d.sha256 for d in documents],
                    "fee": str(fee.amount) if fee else None,
                },
            )
    except BaseException:
        discard(documents)
        raise
    return entry
