"""The records pages' one door to PACER fees (nextgen.fees): every billable access is
charged here, inside the access's own database transaction, and the receipt a page
shows is the Transaction row recorded (or, before a document is viewed, its estimate)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from nextgen.ecf.models import Court
from nextgen.fees import actions as fees
from nextgen.fees import selectors as fee_selectors
from nextgen.fees.actions import FeeRefusal
from nextgen.fees.models import Kind
from nextgen.signon.flows.login import current_client_code
from nextgen.signon.http import AuthenticatedHttpRequest

__all__ = ["FeeRefusal", "Receipt", "charge", "estimate"]

# The records pages' names for what they serve, as the fee schedule's kinds.
KINDS = {
    "document": Kind.DOCUMENT,
    "docket_report": Kind.REPORT,
    "report": Kind.REPORT,
    "search": Kind.SEARCH,
    "written_opinions": Kind.WRITTEN_OPINIONS,
}


@dataclass(frozen=True)
class Receipt:
    """The "Transaction Receipt" table of a report or a document."""

    login: str
    client_code: str
    description: str
    criteria: str
    pages: int
    cost: Decimal
    time: dt.datetime
    # Shown above "View Document" when this access would take the quarter's charges past
    # the quarterly waiver (the fees app's words); "" otherwise.
    waiver_notice: str = ""


def charge(
    request: AuthenticatedHttpRequest,
    court: Court,
    *,
    description: str,
    criteria: str,
    kind: str,
    pdf_pages: int | None = None,
    html_bytes: int | None = None,
    case_specific: bool = False,
    found_nothing: bool = False,
    free_look: bool = False,
) -> Receipt:
    """Record the charge of one access and return its receipt. Must run inside the
    transaction of the access it charges; raises FeeRefusal (nothing recorded) when the
    account's firm requires a client code and none is in force."""
    row = fees.charge(
        acting=request.user,
        court=court,
        request=request,
        description=description,
        criteria=criteria,
        kind=KINDS[kind],
        pdf_pages=pdf_pages,
        html_bytes=html_bytes,
        case_specific=case_specific,
        found_nothing=found_nothing,
        free_look=free_look,
    )
    return Receipt(
        login=request.user.get_username(),
        client_code=row.client_code,
        description=row.description,
        criteria=row.criteria,
        pages=row.billable_pages,
        cost=row.cost,
        time=row.created_at,
    )


def estimate(
    request: AuthenticatedHttpRequest,
    court: Court,
    *,
    description: str,
    criteria: str,
    kind: str,
    pdf_pages: int | None = None,
    free_look: bool = False,
) -> Receipt:
    """What viewing a document will cost, for its receipt page (nothing recorded)."""
    quote = fees.estimate(
        acting=request.user,
        court=court,
        kind=KINDS[kind],
        pdf_pages=pdf_pages,
        case_specific=True,
        free_look=free_look,
        request=request,
    )
    return Receipt(
        login=request.user.get_username(),
        client_code=current_client_code(request).strip()[:32],
        description=description,
        criteria=criteria,
        pages=quote.billable_pages,
        cost=quote.cost,
        time=timezone.now(),
        waiver_notice=fee_selectors.waiver_notice(request.user, quote),
    )
