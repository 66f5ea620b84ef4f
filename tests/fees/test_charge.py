"""Charging an access (nextgen/fees/actions.charge): the row is the receipt."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import transaction

from nextgen.fees import actions, selectors
from nextgen.fees.models import Exemption, FreeReason, Kind, PaaFeeSettings, Transaction
from nextgen.fees.rules import QUARTER_TIME_ZONE, Quarter
from nextgen.signon.models import Paa, PaaMembership
from tests.dockets.factories import district_court, staff
from tests.factories import AccountFactory, CourtFactory

from .factories import bulk_rows, charge, request_with_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def court():
    return district_court("ctd")


def exempt(account, court, *, starts_on, ends_on):
    return Exemption.objects.create(
        account=account,
        court=court,
        category="academic-researcher",
        reason="Study of fee waivers",
        starts_on=starts_on,
        ends_on=ends_on,
        granted_by=staff(court),
    )


def test_a_charge_is_one_row_with_the_client_code_in_force(court):
    reader = AccountFactory()
    row = charge(reader, court, client_code="smith-0042", pdf_pages=7, description="Image 5-0")
    assert Transaction.objects.get() == row
    assert (row.client_code, row.billable_pages, row.cost) == ("smith-0042", 7, Decimal("0.70"))
    assert (row.account, row.court, row.description) == (reader, court, "Image 5-0")


def test_a_charge_outside_the_accesss_transaction_is_refused(court):
    reader = AccountFactory()
    with pytest.raises(actions.ChargeOutsideTransaction):
        actions.charge(
            acting=reader,
            court=court,
            request=request_with_code(reader),
            description="Image 1-0",
            criteria="",
            kind=Kind.DOCUMENT,
            pdf_pages=1,
        )
    assert not Transaction.objects.exists()


def test_an_access_rolled_back_leaves_no_charge(court):
    reader = AccountFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.charge(
            acting=reader,
            court=court,
            request=request_with_code(reader),
            description="Image 1-0",
            criteria="",
            kind=Kind.DOCUMENT,
            pdf_pages=3,
        )
        raise RuntimeError("the document could not be read")
    assert not Transaction.objects.exists()


def test_the_api_tokens_client_code_is_the_one_in_force(court):
    reader = AccountFactory()
    request = request_with_code(reader, "from-session")
    request.nextgen_token_client_code = "from-token"
    with transaction.atomic():
        row = actions.charge(
            acting=reader,
            court=court,
            request=request,
            description="Docket Report",
            criteria="3:26-cv-00001",
            kind=Kind.REPORT,
            html_bytes=5000,
            case_specific=True,
        )
    assert row.client_code == "from-token"


def test_court_staff_of_that_court_pay_nothing_and_of_another_court_pay(court):
    clerk = staff(court)
    mine = charge(clerk, court, pdf_pages=10)
    elsewhere = charge(clerk, CourtFactory(code="vid"), pdf_pages=10)
    assert (mine.cost, mine.free_reason) == (Decimal("0.00"), FreeReason.COURT_STAFF)
    assert elsewhere.cost == Decimal("1.00")


def test_exempt_access_is_a_row_at_no_cost_naming_the_exemption(court):
    reader = AccountFactory()
    grant = exempt(reader, court, starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 12, 31))
    with time_machine.travel(dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC), tick=False):
        row = charge(reader, court, pdf_pages=10)
    assert (row.cost, row.billable_pages, row.exemption) == (Decimal("0.00"), 10, grant)
    assert row.free_reason == FreeReason.EXEMPTION


def test_an_exemption_covers_its_last_day_at_the_court_and_not_the_next(court):
    court.time_zone = "America/St_Thomas"  # UTC-4 all year
    court.save(update_fields=["time_zone"])
    reader = AccountFactory()
    exempt(reader, court, starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 6, 30))
    # 23:59 on 30 June at the court is 03:59 on 1 July in UTC: still exempt.
    with time_machine.travel(dt.datetime(2026, 7, 1, 3, 59, tzinfo=dt.UTC), tick=False):
        last_day = charge(reader, court, pdf_pages=5)
    with time_machine.travel(dt.datetime(2026, 7, 1, 4, 0, tzinfo=dt.UTC), tick=False):
        next_day = charge(reader, court, pdf_pages=5)
    assert last_day.cost == Decimal("0.00")
    assert next_day.cost == Decimal("0.50")


def test_an_exemption_at_one_court_is_nothing_at_another(court):
    reader = AccountFactory()
    exempt(reader, court, starts_on=dt.date(2000, 1, 1), ends_on=dt.date(2100, 1, 1))
    assert charge(reader, CourtFactory(code="vid"), pdf_pages=5).cost == Decimal("0.50")


def test_an_ended_exemption_no_longer_applies(court):
    reader = AccountFactory()
    grant = exempt(reader, court, starts_on=dt.date(2000, 1, 1), ends_on=dt.date(2100, 1, 1))
    actions.end_exemption(acting=staff(court), exemption=grant)
    assert charge(reader, court, pdf_pages=5).cost == Decimal("0.50")


def test_the_nef_free_look_and_written_opinions_are_free(court):
    reader = AccountFactory()
    look = charge(reader, court, pdf_pages=9, free_look=True)
    opinions = charge(reader, court, kind=Kind.WRITTEN_OPINIONS, html_bytes=90000)
    assert (look.cost, look.free_reason) == (Decimal("0.00"), FreeReason.FREE_LOOK)
    assert (opinions.cost, opinions.free_reason) == (Decimal("0.00"), FreeReason.WRITTEN_OPINION)


# --- client codes a firm requires -------------------------------------------------------------


def firm_member(*, require: bool):
    admin, member = AccountFactory(), AccountFactory()
    paa = Paa.objects.create(
        firm_name="Smith LLP", billing_contact="A", billing_email="a@x.test", administrator=admin
    )
    PaaMembership.objects.create(paa=paa, account=member, status=PaaMembership.Status.ACTIVE)
    PaaFeeSettings.objects.create(paa=paa, require_client_code=require)
    return member


def test_a_member_without_a_client_code_is_refused_when_the_firm_requires_one(court):
    member = firm_member(require=True)
    with pytest.raises(actions.ClientCodeRequired) as refused:
        charge(member, court, client_code="")
    assert "client code" in refused.value.message
    assert not Transaction.objects.exists()
    assert charge(member, court, client_code="matter-1").client_code == "matter-1"


def test_a_member_without_a_client_code_is_charged_when_the_firm_does_not_require_one(court):
    assert charge(firm_member(require=False), court).client_code == ""


def test_the_estimate_refuses_first_so_the_receipt_never_shows(court):
    member = firm_member(require=True)
    with pytest.raises(actions.ClientCodeRequired):
        actions.estimate(
            acting=member,
            court=court,
            kind=Kind.DOCUMENT,
            pdf_pages=2,
            request=request_with_code(member, ""),
        )


# --- the waiver ---------------------------------------------------------------------------


def test_the_quarter_total_and_the_notice_before_crossing_the_waiver(court):
    reader = AccountFactory()
    with time_machine.travel(dt.datetime(2026, 5, 2, 12, tzinfo=QUARTER_TIME_ZONE), tick=False):
        bulk_rows(reader, court, 299)  # $29.90
        assert selectors.quarter_total(reader) == Decimal("29.90")
        one_page = actions.estimate(acting=reader, court=court, kind=Kind.DOCUMENT, pdf_pages=1)
        two_pages = actions.estimate(acting=reader, court=court, kind=Kind.DOCUMENT, pdf_pages=2)
        assert selectors.would_cross_waiver(reader, one_page) is False
        assert selectors.would_cross_waiver(reader, two_pages) is True
        assert selectors.waiver_notice(reader, one_page) == ""
        assert "$29.90" in selectors.waiver_notice(reader, two_pages)


@pytest.mark.parametrize(("rows", "due"), [(300, "0.00"), (301, "30.10")])
def test_the_quarterly_statement_owes_nothing_up_to_30_dollars(court, rows, due):
    reader = AccountFactory()
    bulk_rows(reader, court, rows, start=dt.datetime(2026, 5, 2, 12, tzinfo=QUARTER_TIME_ZONE))
    statement = selectors.statement(reader, Quarter(2026, 2))
    assert statement.total == Decimal("0.10") * rows
    assert statement.amount_due == Decimal(due)


def test_a_charge_at_2359_eastern_on_the_quarters_last_day_is_on_that_statement(court):
    reader = AccountFactory()
    with time_machine.travel(dt.datetime(2026, 6, 30, 23, 59, tzinfo=QUARTER_TIME_ZONE)):
        charge(reader, court, pdf_pages=4)
    assert selectors.statement(reader, Quarter(2026, 2)).total == Decimal("0.40")
    assert selectors.statement(reader, Quarter(2026, 3)).total == Decimal("0.00")


def test_daily_totals_add_up_to_the_charges_and_a_rolled_back_charge_is_in_neither(court):
    from django.db.models import Sum

    from nextgen.fees.models import DailyTotal

    reader = AccountFactory()
    with time_machine.travel(dt.datetime(2026, 5, 1, 23, 59, tzinfo=QUARTER_TIME_ZONE)):
        charge(reader, court, client_code="a", pdf_pages=3)
        charge(reader, court, client_code="a", pdf_pages=40)
        charge(reader, court, client_code="b", pdf_pages=1)
    with time_machine.travel(dt.datetime(2026, 5, 2, 0, 1, tzinfo=QUARTER_TIME_ZONE)):
        charge(reader, court, client_code="a", pdf_pages=2)
        with pytest.raises(RuntimeError), transaction.atomic():
            charge(reader, court, client_code="a", pdf_pages=9)
            raise RuntimeError("the access failed")
    days = {(d.day, d.client_code): (d.count, d.pages, d.cost) for d in DailyTotal.objects.all()}
    assert days == {
        (dt.date(2026, 5, 1), "a"): (2, 33, Decimal("3.30")),
        (dt.date(2026, 5, 1), "b"): (1, 1, Decimal("0.10")),
        (dt.date(2026, 5, 2), "a"): (1, 2, Decimal("0.20")),
    }
    assert Transaction.objects.aggregate(c=Sum("cost"))["c"] == Decimal("3.60")
    assert selectors.quarter_total(reader, Quarter(2026, 2)) == Decimal("3.60")


def test_a_days_total_is_the_sum_of_its_shards_for_every_reader(court):
    from nextgen.fees.models import DailyTotal

    reader = AccountFactory()
    day = dt.date(2026, 5, 1)
    for shard, (count, pages, cost) in ((0, (2, 33, "3.30")), (7, (1, 2, "0.20"))):
        DailyTotal.objects.create(
            account=reader,
            day=day,
            client_code="a",
            shard=shard,
            count=count,
            pages=pages,
            cost=Decimal(cost),
        )
    history = selectors.history(accounts=reader, start=day, end=day)
    assert (history.count, history.total_pages, history.total_cost) == (3, 35, Decimal("3.50"))
    assert [(c.client_code, c.count, c.pages, c.cost) for c in history.by_client_code] == [
        ("a", 3, 35, Decimal("3.50"))
    ]
    assert selectors.quarter_total(reader, Quarter(2026, 2)) == Decimal("3.50")
    with time_machine.travel(dt.datetime(2026, 5, 2, 12, tzinfo=QUARTER_TIME_ZONE)):
        assert selectors.waiver_status(reader).total == Decimal("3.50")


def test_a_program_is_charged_under_the_client_code_it_sends_as_juriscraper_does(court):
    """juriscraper logs in with {"clientCode": ...} and sets a `PacerClientCode` cookie
    on court pages; the cookie wins over the code given at login."""
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    from nextgen.api import tokens
    from nextgen.api.middleware import ApiTokenMiddleware

    reader = AccountFactory()
    login_request = RequestFactory().post("/services/cso-auth")
    key, _token = tokens.issue_token(
        acting=None, account=reader, request=login_request, client_code="at-login"
    )

    def court_request(**cookies):
        request = RequestFactory().get(f"/ecf/{court.code}/cgi-bin/", HTTP_X_NEXT_GEN_CSO=key)
        request.COOKIES.update(cookies)
        request.user = AnonymousUser()
        ApiTokenMiddleware._sign_in_by_token(request)
        return request

    def charged(request):
        with transaction.atomic():
            return actions.charge(
                acting=request.user,
                court=court,
                request=request,
                description="Docket Report",
                criteria="3:26-cv-00001",
                kind=Kind.REPORT,
                html_bytes=100,
                case_specific=True,
            )

    assert charged(court_request()).client_code == "at-login"
    assert charged(court_request(PacerClientCode="matter-99")).client_code == "matter-99"


def test_a_charge_without_a_request_is_refused_too_when_the_firm_requires_a_code(court):
    member = firm_member(require=True)
    with pytest.raises(actions.ClientCodeRequired), transaction.atomic():
        actions.charge(
            acting=member,
            court=court,
            request=None,
            description="Image 1-0",
            criteria="",
            kind=Kind.DOCUMENT,
            pdf_pages=1,
        )
    assert not Transaction.objects.exists()


def test_court_staff_need_no_client_code_at_their_own_court(court):
    member = firm_member(require=True)
    staff(court, member)
    assert charge(member, court, client_code="").free_reason == FreeReason.COURT_STAFF


def test_court_staff_need_no_client_code_for_a_free_look_at_their_own_court(court):
    """A free look is free for its own reason, not COURT_STAFF: staff are still staff."""
    member = firm_member(require=True)
    staff(court, member)
    assert charge(member, court, client_code="", free_look=True).cost == Decimal("0.00")


def test_a_committed_charge_tells_its_page_the_quarters_total_and_a_rolled_back_one_does_not(
    court, django_capture_on_commit_callbacks
):
    from nextgen.fees.context_processors import quarter_to_date

    reader = AccountFactory()
    charge(reader, court, pdf_pages=40)  # an earlier charge this quarter: $3.00
    request = request_with_code(reader)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        actions.charge(
            acting=reader,
            court=court,
            request=request,
            description="Image 2-0",
            criteria="",
            kind=Kind.DOCUMENT,
            pdf_pages=4,
        )
    told = quarter_to_date(request)["fees_quarter"]
    assert (told.total, told.waiver) == (Decimal("3.40"), Decimal("30.00"))
    assert told.total == selectors.waiver_status(reader).total

    failed = request_with_code(reader)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        actions.charge(
            acting=reader,
            court=court,
            request=failed,
            description="Image 3-0",
            criteria="",
            kind=Kind.DOCUMENT,
            pdf_pages=4,
        )
        raise RuntimeError("the document could not be read")
    assert not hasattr(failed, "_fees_waiver_status")
    assert quarter_to_date(failed)["fees_quarter"].total == Decimal("3.40")
