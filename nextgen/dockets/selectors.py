"""Reads shared by pages, reports and feeds: who sees which cases and entries.

Sealed material (a sealed case, or a sealed entry of an open case) is visible only to
the court's staff (its CourtRole) and the case's active attorneys of record (a
Representation of a CM/ECF account of that court linked to the signed-in account).
Everyone else gets querysets without it, so pages, counts, reports and feeds built on
these never show it, nor reveal that it exists.
"""

from __future__ import annotations

from typing import TypeGuard

from django.db.models import Exists, OuterRef, Q, QuerySet

from nextgen.ecf.models import Court
from nextgen.ecf.permissions import is_court_staff
from nextgen.precompiled import Precompiled
from nextgen.signon.http import Viewer, signed_in_with_passcode
from nextgen.signon.models import Account

from .models import Case, DocketEntry, Document, Representation


def _record_attorney(user: Account | int) -> Exists:
    """Subquery: `user` (an account or its id) is an active attorney of record of the
    outer case."""
    return Exists(
        Representation.objects.filter(
            party__case=OuterRef("pk"),
            party__date_terminated__isnull=True,
            date_terminated__isnull=True,
            filer__account=user,
            filer__court=OuterRef("court"),
        )
    )


def _may_see_sealed(user: Viewer) -> TypeGuard[Account]:
    return user.is_authenticated and user.is_active


# Where visible_case keeps what it read of the viewer's counsel role with the case:
# (account id, active attorney of record of this case).
_COUNSEL_FACT = "_viewer_counsel_fact"


def is_attorney_of_record(user: Viewer, case: Case) -> bool:
    if not _may_see_sealed(user):
        return False
    known = getattr(case, _COUNSEL_FACT, None)
    if known is not None and known[0] == user.pk:
        return known[1]
    return Representation.objects.filter(
        party__case=case,
        party__date_terminated__isnull=True,
        date_terminated__isnull=True,
        filer__account=user,
        filer__court_id=case.court_id,
    ).exists()


def represented_parties(user: Viewer, case: Case) -> QuerySet:
    """The case's active parties this user is active attorney of record for (the filer
    parties an attorney may choose)."""
    from .models import Party

    if not _may_see_sealed(user):
        return Party.objects.none()
    return Party.objects.filter(
        case=case,
        date_terminated__isnull=True,  # a terminated party is no longer filed for
        representations__date_terminated__isnull=True,
        representations__filer__account=user,
        representations__filer__court_id=case.court_id,
    ).distinct()


def _sees_sealed_as_staff(user: Account, court: Court) -> bool:
    """Court staff of `court`, signed in with the passcode: a staff session begun on the
    password alone sees what the public sees (its staff pages show a closed door), and so
    does any account object not marked by its request (signon.http)."""
    return signed_in_with_passcode(user) and is_court_staff(user, court)


def can_see_sealed(user: Viewer, case: Case) -> bool:
    """Court staff of the case's court and its active attorneys of record; nobody else."""
    if not _may_see_sealed(user):
        return False
    return _sees_sealed_as_staff(user, case.court) or is_attorney_of_record(user, case)


def visible_cases(user: Viewer, court: Court) -> QuerySet[Case]:
    """The court's cases this user may know of: sealed ones only for staff and counsel."""
    cases = Case.objects.filter(court=court)
    if _may_see_sealed(user) and _sees_sealed_as_staff(user, court):
        return cases
    if not _may_see_sealed(user):
        return cases.filter(sealed=False)
    return cases.filter(Q(sealed=False) | Q(_record_attorney(user)))


def _case_for_reader(court_id: int, pk: int, account_id: int, staff: bool) -> QuerySet[Case]:
    """visible_cases' rule for a signed-in, active account, as one query per role (for
    Precompiled): the case with whether the account is its active attorney of record."""
    cases = (
        Case.objects.filter(court_id=court_id, pk=pk)
        .order_by()
        .annotate(viewer_counsel=_record_attorney(account_id))
    )
    return cases if staff else cases.filter(Q(sealed=False) | Q(viewer_counsel=True))


# Every records page asks it: its SQL is compiled once per process (nextgen.precompiled).
_CASE_FOR_READER = {
    staff: Precompiled[Case](
        lambda court_id, pk, account_id, staff=staff: _case_for_reader(
            court_id, pk, account_id, staff
        ),
        int,
        int,
        int,
    )
    for staff in (False, True)
}


def visible_case(user: Viewer, court: Court, pk: int, *, reading: bool = False) -> Case | None:
    """One case if this user may see it (None otherwise, as if it did not exist), holding
    `court` itself (with the viewer's facts it may carry). `reading`: for a request that
    changes no representation (the records pages), the case is read in one precompiled
    query with whether the user is its active attorney of record, which sealing asks
    next, as of this read."""
    if not (reading and _may_see_sealed(user)):
        found = visible_cases(user, court).filter(pk=pk).select_related("main_case").first()
        if found is not None:
            found.court = court  # the case's own court: visible_cases filtered on it
        return found
    query = _CASE_FOR_READER[_sees_sealed_as_staff(user, court)]
    case = query.first(court.pk, pk, user.pk)
    if case is None:
        return None
    case.court = court
    setattr(case, _COUNSEL_FACT, (user.pk, case.viewer_counsel))  # type: ignore[attr-defined]
    return case


def visible_entries(user: Viewer, case: Case) -> QuerySet[DocketEntry]:
    """The case's entries this user may see, in docket order (none of a sealed case
    for anyone who may not see it)."""
    entries = DocketEntry.objects.filter(case=case).order_by("number")
    if can_see_sealed(user, case):
        return entries
    if case.sealed:
        return entries.none()
    return entries.filter(sealed=False)


def visible_document(user: Viewer, court: Court, pk: int) -> Document | None:
    """A document this user may open (its case and entry visible), else None."""
    document = (
        Document.objects.select_related("entry__case__court")
        .filter(pk=pk, entry__case__court=court)
        .first()
    )
    if document is None:
        return None
    case = document.entry.case
    if (case.sealed or document.entry.sealed) and not can_see_sealed(user, case):
        return None
    return document


def docket(user: Viewer, case: Case) -> QuerySet[DocketEntry]:
    """Visible entries with what a docket page shows, fetched in a fixed number of queries."""
    return (
        visible_entries(user, case)
        .select_related("event", "filed_by")
        .prefetch_related("documents", "relates_to", "filer_parties", "revisions")
    )


def parties_with_counsel(case: Case):
    """Parties in order with their attorneys of record (terminated ones too, marked)."""
    return case.parties.prefetch_related("aliases", "representations__filer")
