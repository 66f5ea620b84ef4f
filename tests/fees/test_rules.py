"""The fee rules on their edges (nextgen/fees/rules.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from nextgen.fees import rules
from nextgen.fees.models import FeeSchedule, FreeReason, Kind

pytestmark = pytest.mark.django_db


@pytest.fixture
def schedule():
    return rules.schedule_on(dt.date(2026, 11, 30))


def test_the_seeded_schedule_is_pacers(schedule):
    assert schedule.page_price == Decimal("0.10")
    assert schedule.cap_pages == 30
    assert schedule.html_bytes_per_page == 4320
    assert schedule.quarterly_waiver == Decimal("30.00")


def test_a_schedule_change_is_a_row_in_force_from_its_date(schedule):
    FeeSchedule.objects.create(effective_from=dt.date(2027, 1, 1), page_price=Decimal("0.08"))
    assert rules.schedule_on(dt.date(2026, 12, 31)) == schedule
    assert rules.schedule_on(dt.date(2027, 1, 1)).page_price == Decimal("0.08")


@pytest.mark.parametrize(("pages", "billed", "cost"), [(30, 30, "3.00"), (31, 30, "3.00")])
def test_a_document_is_capped_at_30_pages(schedule, pages, billed, cost):
    quote = rules.quote(schedule=schedule, kind=Kind.DOCUMENT, pdf_pages=pages)
    assert (quote.billable_pages, quote.cost) == (billed, Decimal(cost))


def test_a_29_page_document_costs_its_pages(schedule):
    assert rules.quote(schedule=schedule, kind=Kind.DOCUMENT, pdf_pages=29).cost == Decimal("2.90")


@pytest.mark.parametrize(("size", "pages"), [(1, 1), (4320, 1), (4321, 2), (8640, 2), (8641, 3)])
def test_html_counts_4320_bytes_a_page_rounded_up(schedule, size, pages):
    quote = rules.quote(schedule=schedule, kind=Kind.SEARCH, html_bytes=size)
    assert quote.billable_pages == pages
    assert quote.cost == Decimal("0.10") * pages


def test_a_case_specific_report_is_capped_and_other_reports_are_not(schedule):
    big = 4320 * 31
    docket = rules.quote(schedule=schedule, kind=Kind.REPORT, html_bytes=big, case_specific=True)
    listing = rules.quote(schedule=schedule, kind=Kind.REPORT, html_bytes=big)
    assert (docket.billable_pages, docket.cost) == (30, Decimal("3.00"))
    assert (listing.billable_pages, listing.cost) == (31, Decimal("3.10"))


def test_a_name_search_is_not_capped(schedule):
    quote = rules.quote(schedule=schedule, kind=Kind.SEARCH, html_bytes=4320 * 45)
    assert (quote.billable_pages, quote.cost) == (45, Decimal("4.50"))


def test_a_search_that_finds_nothing_costs_one_page(schedule):
    quote = rules.quote(schedule=schedule, kind=Kind.SEARCH, html_bytes=0, found_nothing=True)
    assert (quote.billable_pages, quote.cost) == (1, Decimal("0.10"))


@pytest.mark.parametrize(
    ("facts", "reason"),
    [
        ({"kind": Kind.WRITTEN_OPINIONS}, FreeReason.WRITTEN_OPINION),
        ({"kind": Kind.DOCUMENT, "free_look": True}, FreeReason.FREE_LOOK),
        ({"kind": Kind.DOCUMENT, "court_staff": True}, FreeReason.COURT_STAFF),
    ],
)
def test_free_access_counts_its_pages_at_no_cost(schedule, facts, reason):
    quote = rules.quote(schedule=schedule, pdf_pages=12, **facts)
    assert quote.billable_pages == 12
    assert quote.cost == Decimal("0.00")
    assert quote.free_reason == reason


# --- quarters (U.S. Eastern) and the waiver ------------------------------------------------

NY = rules.QUARTER_TIME_ZONE


def test_a_charge_at_2359_on_the_last_day_of_a_quarter_is_in_that_quarter():
    last_minute = dt.datetime(2026, 3, 31, 23, 59, tzinfo=NY)
    assert rules.Quarter.of(last_minute) == rules.Quarter(2026, 1)
    assert rules.Quarter.of(last_minute + dt.timedelta(minutes=1)) == rules.Quarter(2026, 2)


def test_quarters_follow_eastern_time_not_utc():
    # 23:59 on 31 December in New York is already 1 January in UTC.
    instant = dt.datetime(2026, 12, 31, 23, 59, tzinfo=NY).astimezone(dt.UTC)
    assert instant.date() == dt.date(2027, 1, 1)
    assert rules.Quarter.of(instant) == rules.Quarter(2026, 4)


def test_quarter_bounds():
    q = rules.Quarter(2026, 4)
    assert (q.first_day, q.last_day) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert q.next == rules.Quarter(2027, 1)
    assert rules.Quarter.parse("2026-Q4") == q
    assert rules.Quarter.parse("2026-Q5") is None
    assert rules.Quarter.parse("=cmd") is None
    assert rules.Quarter.parse("9999-Q3") == rules.Quarter(9999, 3)
    assert rules.Quarter.parse("9999-Q4") is None  # it would end on 10000-01-01


@pytest.mark.parametrize(("total", "due"), [("30.00", "0.00"), ("30.10", "30.10")])
def test_nothing_is_owed_up_to_the_waiver_and_all_of_it_above(schedule, total, due):
    assert rules.amount_due(quarter_total=Decimal(total), schedule=schedule) == Decimal(due)


@pytest.mark.parametrize(
    ("total", "cost", "crosses"),
    [("29.90", "0.10", False), ("29.90", "0.20", True), ("30.00", "0.10", True)],
)
def test_a_charge_crosses_the_waiver_when_it_makes_the_quarter_owe(schedule, total, cost, crosses):
    assert (
        rules.crosses_waiver(quarter_total=Decimal(total), cost=Decimal(cost), schedule=schedule)
        is crosses
    )


def test_an_emptied_schedule_table_falls_back_to_the_seeded_schedule():
    FeeSchedule.objects.all().delete()
    schedule = rules.schedule_on(dt.date(2026, 11, 30))
    assert (schedule.effective_from, schedule.page_price) == (rules.SEEDED_FROM, Decimal("0.10"))
