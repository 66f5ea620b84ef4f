"""Fees test data: charges made through the real action, exemptions, firm members."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.test import RequestFactory
from django.utils import timezone

from nextgen.audit.services import SYSTEM
from nextgen.fees import actions
from nextgen.fees.models import Kind, Transaction
from nextgen.signon.flows.login import SESSION_CLIENT_CODE


def request_with_code(account, client_code: str = ""):
    """A signed-in request whose session carries `client_code` (as set at login)."""
    request = RequestFactory().get("/")
    request.user = account
    request.session = {SESSION_CLIENT_CODE: client_code}
    return request


def charge(account, court, *, client_code: str = "", kind: str = Kind.DOCUMENT, **kwargs):
    """One charge as an access makes it: inside the access's transaction."""
    kwargs.setdefault("description", "Image 1-0")
    kwargs.setdefault("criteria", "3:26-cv-00001")
    if kind == Kind.DOCUMENT and "pdf_pages" not in kwargs and "html_bytes" not in kwargs:
        kwargs["pdf_pages"] = 1
    with transaction.atomic():
        return actions.charge(
            acting=account,
            court=court,
            request=request_with_code(account, client_code),
            kind=kind,
            **kwargs,
        )


def bulk_rows(account, court, n: int, *, cost: Decimal = Decimal("0.10"), start=None):
    """`n` charge rows at once (for volume): one a minute back from `start`."""
    from nextgen.fees.rules import schedule_on

    start = start or timezone.now()
    schedule = schedule_on(start.date())
    Transaction.objects.bulk_create(
        [
            Transaction(
                account=account,
                court=court,
                created_at=start - dt.timedelta(minutes=i),
                client_code=f"matter-{i % 7}",
                description=f"Image {i}-0",
                criteria="3:26-cv-00001",
                kind=Kind.DOCUMENT,
                billable_pages=1,
                cost=cost,
                schedule=schedule,
            )
            for i in range(n)
        ],
        batch_size=5000,
    )
    actions.rebuild_daily_totals(acting=SYSTEM, account=account)
