"""Who may file what, and where: the refusals of the filing flow, each a reason key whose
plain words are in notices.FILING_REFUSALS.

A filer of a court is an account holding a CM/ECF account of that court: linked, or
made by an approved e-filing registration (ecf.menus.has_filing_rights says which),
whose PACER account may file (active, upgraded, individual) and meets the MFA policy
(signon.flows.mfa: once its skips are used, a filer without MFA may not go on).

Civil and bankruptcy cases (and adversary proceedings) may be opened by any filer;
criminal cases only by court staff. In an existing case a filer must be attorney of
record for a party in it, or become so by filing a Notice of Appearance (civil and
bankruptcy cases only: in criminal cases court staff add attorneys). A pro se filer
files only in cases where they are of record for themselves.
"""

from __future__ import annotations

from django.db.models import QuerySet

from nextgen.ecf.menus import has_filing_rights
from nextgen.ecf.models import Court, FilerAccount
from nextgen.signon.flows import mfa
from nextgen.signon.models import Account, UserType

from .. import models, selectors


def filer_of(account: Account, court: Court) -> FilerAccount | None:
    return FilerAccount.objects.filter(court=court, account=account).first()


def account_refusal(account: Account, court: Court) -> str | None:
    """Why `account` may not file in `court` at all, or None."""
    if not account.is_active:
        return "inactive"
    if account.is_legacy:
        return "legacy"
    if account.is_shared:
        return "shared"
    if not has_filing_rights(account, court):
        return "not_filer"
    if mfa.must_enroll(account) and mfa.skips_left(account) == 0:
        return "mfa"
    return None


def represented_parties(filer: FilerAccount, case: models.Case) -> QuerySet[models.Party]:
    """The case's parties this filer is active attorney of record for."""
    if filer.account is None:  # unlinked: of record for nobody through PACER
        return models.Party.objects.none()
    return selectors.represented_parties(filer.account, case)


def event_refusal(account: Account, court: Court, event: models.FilingEvent) -> str | None:
    """Why `account` may not start `event` in `court`, or None."""
    refusal = account_refusal(account, court)
    if refusal:
        return refusal
    if event.who == models.Filer.STAFF:
        return "staff_only"
    if event.opens_case and event.case_type == models.CaseType.CRIMINAL:
        return "criminal_open"
    return None


def case_refusal(
    account: Account, filer: FilerAccount, event: models.FilingEvent, case: models.Case
) -> str | None:
    """Why this filer may not file `event` in `case`, or None."""
    if not event_fits_case(event, case):
        return "wrong_menu"
    if case.date_terminated is not None:
        return "case_closed"
    of_record = represented_parties(filer, case).exists()
    pro_se = account.user_type == UserType.PRO_SE
    if is_appearance(event):
        if pro_se:
            return "pro_se_appearance"
        if case.case_type == models.CaseType.CRIMINAL:
            return "criminal_not_added"
        if not appearance_parties(filer, case).exists():
            return "already_of_record"
        return None
    if of_record:
        return None
    if pro_se:
        return "pro_se_not_own"
    if case.case_type == models.CaseType.CRIMINAL:
        return "criminal_not_added"
    return "not_of_record"


def appearance_parties(filer: FilerAccount, case: models.Case) -> QuerySet[models.Party]:
    """The parties a Notice of Appearance may be filed for: those this filer does not
    represent yet."""
    return (
        models.Party.objects.filter(case=case, date_terminated__isnull=True)
        .exclude(pk__in=represented_parties(filer, case).values("pk"))
        .order_by("pk")
    )


APPEARANCE_CODE = "notice_of_appearance"


def is_appearance(event: models.FilingEvent) -> bool:
    """A Notice of Appearance: filing it makes the filer attorney of record."""
    return event.code == APPEARANCE_CODE


def event_fits_case(event: models.FilingEvent, case: models.Case) -> bool:
    return event.case_type == case.case_type and not event.opens_case and event.active
