"""Reads of the fees app: billing history, totals, quarterly statements, a firm's
members' charges. Totals are aggregates in the database, never sums over rows here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from nextgen.precompiled import Precompiled
from nextgen.signon.models import Account, Paa, PaaMembership

from . import notices, rules
from .models import DailyTotal, Exemption, ExemptionRequest, FeeSchedule, Transaction

ZERO = rules.ZERO


def money(value) -> Decimal:
    """A sum of costs to the cent: SQLite adds decimals as floats (29.9000000000002)."""
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


SORTS = {
    "date": ("-created_at", "-id"),
    "client_code": ("client_code", "-created_at", "-id"),
}


def _window(start: dt.date | None, end: dt.date | None) -> Q:
    """Charges from `start` to `end` inclusive, as U.S. Eastern days (rules.py)."""
    q = Q()
    if start:
        q &= Q(created_at__gte=dt.datetime.combine(start, dt.time(), rules.QUARTER_TIME_ZONE))
    # The calendar's last day has no next day to stop before: up to it is every charge.
    if end and end < dt.date.max:
        after = end + dt.timedelta(days=1)
        q &= Q(created_at__lt=dt.datetime.combine(after, dt.time(), rules.QUARTER_TIME_ZONE))
    return q


@dataclass(frozen=True)
class CodeTotal:
    client_code: str
    count: int
    pages: int
    cost: Decimal


@dataclass(frozen=True)
class History:
    transactions: QuerySet[Transaction]
    total_cost: Decimal
    total_pages: int
    count: int
    by_client_code: list[CodeTotal]


def history(
    *,
    accounts: QuerySet[Account] | list[Account] | Account,
    start: dt.date | None = None,
    end: dt.date | None = None,
    sort: str = "date",
    since: dict[int, dt.datetime] | None = None,
) -> History:
    """The charges of one account (or a firm's members) in a date range (U.S. Eastern
    days, inclusive), sorted by date or by client code, with totals and totals per client
    code. One account's totals come from its daily totals (a few rows a day, however
    many charges); a firm's (`since`: each member's charges from their joining on) are
    aggregated from the charges themselves."""
    if isinstance(accounts, Account):
        accounts = [accounts]
    rows = Transaction.objects.filter(_window(start, end))
    if since is None:
        rows = rows.filter(account__in=accounts)
        sums: QuerySet[DailyTotal] | QuerySet[Transaction]
        sums = DailyTotal.objects.filter(account__in=accounts)
        if start:
            sums = sums.filter(day__gte=start)
        if end:
            sums = sums.filter(day__lte=end)
        count_field, pages_field = "count", "pages"
    else:
        member_q = Q(pk__in=[])
        for account_id, joined in since.items():
            member_q |= Q(account_id=account_id, created_at__gte=joined)
        rows = rows.filter(member_q)
        sums = rows
        count_field, pages_field = "id", "billable_pages"
    count = Sum(count_field) if since is None else Count(count_field)
    codes = [
        CodeTotal(r["client_code"], r["n"] or 0, r["p"] or 0, money(r["c"]))
        for r in sums.order_by()
        .values("client_code")
        .annotate(n=count, p=Sum(pages_field), c=Sum("cost"))
        .order_by("client_code")
    ]
    ordered = rows.select_related("court", "exemption", "account").order_by(
        *SORTS.get(sort, SORTS["date"])
    )
    return History(
        transactions=ordered,
        total_cost=money(sum((c.cost for c in codes), ZERO)),
        total_pages=sum(c.pages for c in codes),
        count=sum(c.count for c in codes),
        by_client_code=codes,
    )


def _quarter_days(account: Account, quarter: rules.Quarter) -> QuerySet[DailyTotal]:
    # Quarters and daily totals are both U.S. Eastern days: the sum is exact.
    return DailyTotal.objects.filter(
        account=account, day__gte=quarter.first_day, day__lte=quarter.last_day
    )


def quarter_total(account: Account, quarter: rules.Quarter | None = None) -> Decimal:
    """An account's charges in a quarter (this one by default): one aggregate over at
    most a few rows a day, however many charges."""
    quarter = quarter or rules.Quarter.of(timezone.now())
    return money(_quarter_days(account, quarter).aggregate(cost=Sum("cost"))["cost"])


def would_cross_waiver(account: Account, estimate: rules.Quote) -> bool:
    """Whether the access priced by `estimate` would take this quarter's charges past
    the quarterly waiver (for a notice on the receipt page before the access)."""
    return rules.crosses_waiver(
        quarter_total=quarter_total(account), cost=estimate.cost, schedule=estimate.schedule
    )


def waiver_notice(account: Account, estimate: rules.Quote) -> str:
    """The sentence a receipt page shows before an access that would cross the
    quarterly waiver; "" when it would not (records pages: show it above the button)."""
    total = quarter_total(account)
    crosses = rules.crosses_waiver(
        quarter_total=total, cost=estimate.cost, schedule=estimate.schedule
    )
    if not crosses:
        return ""
    return notices.waiver_crossing(
        quarter_total=f"{total:.2f}",
        cost=f"{estimate.cost:.2f}",
        waiver=f"{estimate.schedule.quarterly_waiver:.2f}",
    )


@dataclass(frozen=True)
class Statement:
    quarter: rules.Quarter
    transactions: QuerySet[Transaction]
    total: Decimal
    pages: int
    count: int
    waiver: Decimal
    amount_due: Decimal


def statement(account: Account, quarter: rules.Quarter) -> Statement:
    """The quarterly statement: the quarter's charges, the waiver and the amount due."""
    rows = Transaction.objects.filter(
        account=account, created_at__gte=quarter.starts_at, created_at__lt=quarter.ends_before
    )
    totals = _quarter_days(account, quarter).aggregate(
        cost=Sum("cost"), pages=Sum("pages"), count=Sum("count")
    )
    total = money(totals["cost"])
    schedule = rules.schedule_on(quarter.last_day)
    return Statement(
        quarter=quarter,
        transactions=rows.select_related("court").order_by("created_at", "id"),
        total=total,
        pages=totals["pages"] or 0,
        count=totals["count"] or 0,
        waiver=schedule.quarterly_waiver,
        amount_due=rules.amount_due(quarter_total=total, schedule=schedule),
    )


@dataclass(frozen=True)
class WaiverStatus:
    """The quarter-to-date line every signed-in page shows."""

    quarter: rules.Quarter
    total: Decimal
    waiver: Decimal

    @property
    def over(self) -> bool:
        return self.total > self.waiver


def _quarter_spent(account_id: int, first_day: dt.date, last_day: dt.date) -> QuerySet:
    """The account's charges this quarter, summed (a one-value subquery)."""
    return (
        DailyTotal.objects.filter(account_id=account_id, day__gte=first_day, day__lte=last_day)
        .order_by()
        .values("account")
        .annotate(total=Sum("cost"))
        .values("total")
    )


def _waiver_row(account_id: int, today: dt.date, first_day: dt.date, last_day: dt.date):
    return (
        FeeSchedule.objects.filter(effective_from__lte=today)
        .order_by("-effective_from")
        .annotate(spent=Subquery(_quarter_spent(account_id, first_day, last_day)))
        .values("quarterly_waiver", "spent")[:1]
    )


# Every signed-in page asks it: its SQL is compiled once per process (nextgen.precompiled).
_WAIVER_ROW = Precompiled[dict[str, Any]](_waiver_row, int, dt.date, dt.date, dt.date)


def quarter_args(now: dt.datetime | None = None) -> tuple[dt.date, dt.date, dt.date]:
    """(today, the quarter's first day, its last day) as the waiver line reads them."""
    now = now or timezone.now()
    quarter = rules.Quarter.of(now)
    return rules.us_day(now), quarter.first_day, quarter.last_day


def _status(first_day: dt.date, spent: Decimal | None, waiver: Decimal | None) -> WaiverStatus:
    if waiver is None:  # no schedule in force yet: the seeded one's
        waiver = Decimal(str(rules.SEEDED_SCHEDULE["quarterly_waiver"]))
    quarter = rules.Quarter(first_day.year, (first_day.month + 2) // 3)
    return WaiverStatus(quarter=quarter, total=money(spent or 0), waiver=money(waiver))


def waiver_status(account: Account) -> WaiverStatus:
    """This quarter's total and the waiver in force, in ONE query (every signed-in page
    shows it): the schedule row, with the account's quarter total as a subquery."""
    today, first_day, last_day = quarter_args()
    row = _WAIVER_ROW.first(account.pk, today, first_day, last_day)
    return _status(
        first_day, row["spent"] if row else None, row["quarterly_waiver"] if row else None
    )


def annotate_waiver(
    queryset: QuerySet, account_id: Any, today: dt.date, first_day: dt.date, last_day: dt.date
) -> QuerySet:
    """`queryset` with the waiver line's two values (fees_spent, fees_waiver): the court
    pages read them in the court's own query (ecf.menus.VIEWER_EXTRAS)."""
    waiver = (
        FeeSchedule.objects.filter(effective_from__lte=today)
        .order_by("-effective_from")
        .values("quarterly_waiver")[:1]
    )
    return queryset.annotate(
        fees_spent=Subquery(_quarter_spent(account_id, first_day, last_day)),
        fees_waiver=Subquery(waiver),
    )


def waiver_status_of(row: Any, first_day: dt.date) -> WaiverStatus:
    """The waiver line from a row annotated by annotate_waiver."""
    return _status(first_day, row.fees_spent, row.fees_waiver)


def member_joins(paa: Paa) -> dict[int, dt.datetime]:
    """Each current member of a firm and when they joined (their charges since then
    are the firm's to see)."""
    joins: dict[int, dt.datetime] = {}
    for account_id, responded, invited in PaaMembership.objects.filter(
        paa=paa, status=PaaMembership.Status.ACTIVE
    ).values_list("account_id", "responded_at", "invited_at"):
        joins[account_id] = responded or invited
    return joins


def exemptions_of(account: Account) -> QuerySet[Exemption]:
    return Exemption.objects.filter(account=account).select_related("court")


def requests_of(account: Account) -> QuerySet[ExemptionRequest]:
    return ExemptionRequest.objects.filter(account=account).select_related("court")


@dataclass(frozen=True)
class MemberTotal:
    username: str
    name: str
    client_code: str
    count: int
    pages: int
    cost: Decimal


def member_totals(transactions: QuerySet[Transaction]) -> list[MemberTotal]:
    """A firm's charges totalled per member and client code (one aggregate query)."""
    return [
        MemberTotal(
            r["account__username"],
            f"{r['account__first_name']} {r['account__last_name']}",
            r["client_code"],
            r["n"],
            r["p"] or 0,
            money(r["c"]),
        )
        for r in transactions.order_by()
        .values("account__username", "account__first_name", "account__last_name", "client_code")
        .annotate(n=Count("id"), p=Sum("billable_pages"), c=Sum("cost"))
        .order_by("account__username", "client_code")
    ]
