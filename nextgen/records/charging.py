"""The records pages' one door to PACER fees: every billable access is charged here,
inside the access's own database transaction, and the receipt a page shows is the
charge recorded (nextgen.fees)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpRequest
from django.utils import timezone

from nextgen.ecf.models import Court
from nextgen.signon.flows.login import current_client_code

BYTES_PER_PAGE = 4320
CAP_PAGES = 30
PAGE_PRICE = Decimal("0.10")


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


def _pages(*, pdf_pages, html_bytes, case_specific, found_nothing) -> int:
    if found_nothing:
        return 1
    if pdf_pages is not None:
        return min(max(pdf_pages, 1), CAP_PAGES)
    pages = max(math.ceil((html_bytes or 0) / BYTES_PER_PAGE), 1)
    return min(pages, CAP_PAGES) if case_specific else pages


def charge(
    request: HttpRequest,
    court: Court,
    *,
    description: str,
    criteria: str,
    kind: str,
    pdf_pages: int | None = None,
    html_bytes: int | None = None,
    case_specific: bool = False,
    found_nothing: bool = False,
    free: bool = False,
    free_look: bool = False,
) -> Receipt:
    """Record the charge of one access and return its receipt. Call it inside the
    transaction of the access it charges."""
    pages = _pages(
        pdf_pages=pdf_pages,
        html_bytes=html_bytes,
        case_specific=case_specific,
        found_nothing=found_nothing,
    )
    cost = Decimal("0.00") if (free or free_look) else PAGE_PRICE * pages
    return Receipt(
        login=request.user.get_username(),
        client_code=current_client_code(request),
        description=description,
        criteria=criteria,
        pages=pages,
        cost=cost,
        time=timezone.now(),
    )


def estimate(
    request: HttpRequest,
    court: Court,
    *,
    description: str,
    criteria: str,
    kind: str,
    pdf_pages: int | None = None,
    free_look: bool = False,
) -> Receipt:
    """What viewing a document will cost, for its receipt page (nothing recorded)."""
    pages = _pages(pdf_pages=pdf_pages, html_bytes=None, case_specific=True, found_nothing=False)
    cost = Decimal("0.00") if free_look else PAGE_PRICE * pages
    return Receipt(
        login=request.user.get_username(),
        client_code=current_client_code(request),
        description=description,
        criteria=criteria,
        pages=pages,
        cost=cost,
        time=timezone.now(),
    )
