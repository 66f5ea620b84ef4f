"""Every PACER fee rule, in one place: billable pages, the cap, what is free, quarters
and the quarterly waiver. Pure functions over the schedule row in force; actions.py
gathers the facts (who, where, exempt or not) and selectors.py the totals.

Quarters follow the calendar in U.S. Eastern time (America/New_York) for every account:
a statement covers an account's charges at every court, in zones from Guam to Puerto
Rico, so it needs one clock, and Eastern is the clock of the judiciary's administrative
office and of PACER's published statements (a charge at 23:59 on 31 March in New York
is in the first quarter, whatever the court's zone). Exemptions, in contrast, are days
at the granting court, in that court's own zone (Court.time_zone).
"""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from .models import Exemption, FeeSchedule, FreeReason, Kind

QUARTER_TIME_ZONE = zoneinfo.ZoneInfo("America/New_York")
ZERO = Decimal("0.00")
# PACER's schedule since 1 April 2012 (migration 0002 seeds the same row).
SEEDED_FROM = dt.date(2012, 4, 1)
SEEDED_SCHEDULE = {
    "page_price": Decimal("0.10"),
    "cap_pages": 30,
    "html_bytes_per_page": 4320,
    "quarterly_waiver": Decimal("30.00"),
}


@dataclass(frozen=True)
class Quote:
    """What an access costs: the receipt's Billable Pages and Cost, and why it is free."""

    billable_pages: int
    cost: Decimal
    schedule: FeeSchedule
    free_reason: str = FreeReason.NONE
    exemption: Exemption | None = None

    @property
    def is_free(self) -> bool:
        return self.cost == ZERO


def schedule_on(day: dt.date) -> FeeSchedule:
    """The schedule row in force on `day` (a U.S. Eastern calendar day)."""
    schedule = FeeSchedule.objects.filter(effective_from__lte=day).order_by("-effective_from")
    found = schedule.first()
    if found is None:  # before the first row: the earliest one (the seeded schedule)
        found = FeeSchedule.objects.order_by("effective_from").first()
    if found is None:
        # The table was emptied (a flushed test database, a bad restore): PACER's
        # schedule, as migration 0002 seeds it, rather than no charge at all.
        found, _ = FeeSchedule.objects.get_or_create(
            effective_from=SEEDED_FROM, defaults=SEEDED_SCHEDULE
        )
    return found


def us_day(instant: dt.datetime) -> dt.date:
    return timezone.localtime(instant, QUARTER_TIME_ZONE).date()


def billable_pages(
    *,
    schedule: FeeSchedule,
    kind: str,
    pdf_pages: int | None = None,
    html_bytes: int | None = None,
    case_specific: bool = False,
    found_nothing: bool = False,
) -> int:
    """Pages billed for one access, before anything makes it free.

    A document counts its PDF pages; an HTML report or search counts the bytes sent,
    4,320 to a page, rounded up. A document or a case-specific report (docket report,
    case summary) is capped at 30 pages; name searches and reports that are not about
    one case are not. A search that finds nothing costs one page."""
    if pdf_pages is not None:
        pages = max(int(pdf_pages), 0)
    else:
        pages = math.ceil(max(int(html_bytes or 0), 0) / schedule.html_bytes_per_page)
    if found_nothing:
        pages = 1
    capped = kind == Kind.DOCUMENT or (kind == Kind.REPORT and case_specific)
    if capped:
        pages = min(pages, schedule.cap_pages)
    return pages


def quote(
    *,
    schedule: FeeSchedule,
    kind: str,
    pdf_pages: int | None = None,
    html_bytes: int | None = None,
    case_specific: bool = False,
    found_nothing: bool = False,
    free_look: bool = False,
    court_staff: bool = False,
    exemption: Exemption | None = None,
) -> Quote:
    """The full price of one access. Free access still has its pages counted (and a
    row, naming its reason): it is what the receipt and the history show."""
    pages = billable_pages(
        schedule=schedule,
        kind=kind,
        pdf_pages=pdf_pages,
        html_bytes=html_bytes,
        case_specific=case_specific,
        found_nothing=found_nothing,
    )
    if kind == Kind.WRITTEN_OPINIONS:
        reason = FreeReason.WRITTEN_OPINION
    elif free_look:
        reason = FreeReason.FREE_LOOK
    elif court_staff:
        reason = FreeReason.COURT_STAFF
    elif exemption is not None:
        reason = FreeReason.EXEMPTION
    else:
        reason = FreeReason.NONE
    cost = ZERO if reason else (schedule.page_price * pages).quantize(Decimal("0.01"))
    return Quote(
        billable_pages=pages,
        cost=cost,
        schedule=schedule,
        free_reason=reason,
        exemption=exemption if reason == FreeReason.EXEMPTION else None,
    )


# --- quarters and the waiver -----------------------------------------------------------


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int  # 1..4

    @classmethod
    def of(cls, instant: dt.datetime) -> Quarter:
        day = us_day(instant)
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, text: str) -> Quarter | None:
        """'2026-Q1' (what the statement page's links carry); None for anything else."""
        try:
            year, number = text.upper().split("-Q")
            quarter = cls(int(year), int(number))
        except (ValueError, AttributeError):
            return None
        # 9999-Q3 is the last: a quarter ends where the next begins, and 10000-01-01 is
        # past the last day Python's calendar holds.
        fits = (2000, 1) <= (quarter.year, quarter.number) <= (9999, 3)
        return quarter if 1 <= quarter.number <= 4 and fits else None

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def next(self) -> Quarter:
        if self.number == 4:
            return Quarter(self.year + 1, 1)
        return Quarter(self.year, self.number + 1)

    @property
    def previous(self) -> Quarter:
        if self.number == 1:
            return Quarter(self.year - 1, 4)
        return Quarter(self.year, self.number - 1)

    @property
    def last_day(self) -> dt.date:
        return self.next.first_day - dt.timedelta(days=1)

    @property
    def starts_at(self) -> dt.datetime:
        return dt.datetime.combine(self.first_day, dt.time(), tzinfo=QUARTER_TIME_ZONE)

    @property
    def ends_before(self) -> dt.datetime:
        return self.next.starts_at

    def __str__(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def label(self) -> str:
        return f"{self.first_day:%B %-d} – {self.last_day:%B %-d, %Y}"


def amount_due(*, quarter_total: Decimal, schedule: FeeSchedule) -> Decimal:
    """Nothing is owed for a quarter whose charges are the waiver ($30.00) or less;
    above it, the whole quarter's charges are owed (PACER's rule: the waiver is a
    threshold, not a deduction)."""
    return ZERO if quarter_total <= schedule.quarterly_waiver else quarter_total


def crosses_waiver(*, quarter_total: Decimal, cost: Decimal, schedule: FeeSchedule) -> bool:
    """Whether a charge of `cost` takes a quarter from owing nothing to owing."""
    waiver = schedule.quarterly_waiver
    return quarter_total <= waiver < quarter_total + cost
