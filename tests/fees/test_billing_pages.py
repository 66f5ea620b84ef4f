"""Review Billing History, its CSV, the quarterly statement and the quarter-to-date line
on every signed-in page (nextgen/fees/views/account.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from nextgen.fees import actions, notices
from nextgen.fees.models import Kind
from nextgen.fees.rules import QUARTER_TIME_ZONE
from tests.dockets.factories import district_court
from tests.factories import AccountFactory

from .factories import bulk_rows, charge

pytestmark = pytest.mark.django_db

NY = QUARTER_TIME_ZONE


@pytest.fixture
def court():
    return district_court("ctd")


@pytest.fixture
def signed_in(client, account, login):
    login(account)
    return client


def at(*args) -> time_machine.travel:
    return time_machine.travel(dt.datetime(*args, tzinfo=NY), tick=False)


def test_no_charges_says_so(signed_in):
    html = signed_in.get(reverse("fees:billing")).content.decode()
    assert 'id="no-charges">No charges.' in html
    assert 'id="transactions"' not in html


def test_the_old_address_still_leads_to_billing_history(signed_in):
    response = signed_in.get("/csologin/account/billing/?next=/ecf/ctd/")
    assert response.status_code == 302
    assert response["Location"] == reverse("fees:billing") + "?next=/ecf/ctd/"


def test_history_lists_my_charges_newest_first_with_totals_per_client_code(
    signed_in, account, court
):
    with at(2026, 3, 1, 12):
        charge(account, court, client_code="matter-42", description="Docket Report", pdf_pages=3)
    with at(2026, 3, 3, 12):
        charge(account, court, client_code="matter-7", description="Image 12-0", pdf_pages=31)
    with at(2026, 3, 4, 12):
        charge(account, court, client_code="matter-42", description="Image 13-0", pdf_pages=2)
    charge(AccountFactory(), court, description="Not mine", pdf_pages=99)

    html = signed_in.get(reverse("fees:billing")).content.decode()
    assert html.index("Image 13-0") < html.index("Image 12-0") < html.index("Docket Report")
    assert "Not mine" not in html
    totals = re.search(r'id="client-code-totals".*?</table>', html, re.S).group(0)
    assert re.search(r"matter-42</td><td[^>]*>2</td><td[^>]*>5</td><td[^>]*>\$0.50", totals)
    assert re.search(r"matter-7</td><td[^>]*>1</td><td[^>]*>30</td><td[^>]*>\$3.00", totals)
    assert 'id="billing-total">$3.50' in totals


def test_history_sorts_by_client_code_and_filters_by_eastern_dates(signed_in, account, court):
    with at(2026, 3, 1, 0, 5):  # 1 March in New York (05:05 UTC)
        charge(account, court, client_code="b-code", description="First", pdf_pages=1)
    with at(2026, 3, 2, 23, 55):  # still 2 March in New York (3 March in UTC)
        charge(account, court, client_code="a-code", description="Second", pdf_pages=1)
    with at(2026, 3, 3, 12):
        charge(account, court, client_code="c-code", description="Third", pdf_pages=1)
    url = reverse("fees:billing")
    html = signed_in.get(url, {"sort": "client_code"}).content.decode()
    assert html.index("Second") < html.index("First") < html.index("Third")
    html = signed_in.get(url, {"start": "2026-03-02", "end": "2026-03-02"}).content.decode()
    assert "Second" in html and "First" not in html and "Third" not in html
    assert 'id="billing-total">$0.10' in html


def test_a_bad_date_range_is_named_and_kept(signed_in):
    response = signed_in.get(reverse("fees:billing"), {"start": "2026-03-05", "end": "2026-03-01"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "The start date must be on or before the end date." in html
    assert 'value="2026-03-05"' in html
    response = signed_in.get(reverse("fees:billing"), {"start": "soon", "sort": "=1+1"})
    assert response.status_code == 400


@pytest.mark.parametrize("name", ["fees:billing", "fees:billing_csv"])
def test_history_from_the_first_to_the_last_day_the_calendar_holds_shows_every_charge(
    signed_in, account, court, name
):
    charge(account, court, description="Image 1-0")
    response = signed_in.get(reverse(name), {"start": "0001-01-01", "end": "9999-12-31"})
    assert response.status_code == 200
    assert "Image 1-0" in b"".join(response).decode()


def test_any_page_number_shows_a_page(signed_in, account, court):
    charge(account, court)
    for page in ["0", "-1", "abc", "99999999999999999999"]:
        assert signed_in.get(reverse("fees:billing"), {"page": page}).status_code == 200


def test_the_csv_is_safe_against_formula_injection(signed_in, account, court):
    charge(account, court, client_code="-2+3", description='=HYPERLINK("http://x")')
    charge(account, court, description="@SUM(A1)", criteria="+1", pdf_pages=1)
    charge(account, court, description="\tTabbed", criteria="\rReturned", pdf_pages=1)
    charge(account, court, description="Plain - text", criteria="3:26-cv-00001", pdf_pages=1)
    response = signed_in.get(reverse("fees:billing_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["Date (Eastern)", "Court", "Client Code", "Description"]
    cells = [cell for row in rows[1:] for cell in row]
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert '\'=HYPERLINK("http://x")' in cells and "'-2+3" in cells and "'@SUM(A1)" in cells
    assert "'+1" in cells and "'\tTabbed" in cells and "'\rReturned" in cells
    assert "Plain - text" in cells


def test_the_csv_keeps_the_range_and_only_my_charges(signed_in, account, court):
    with at(2026, 1, 5, 12):
        charge(account, court, description="January")
    with at(2026, 2, 5, 12):
        charge(account, court, description="February")
    charge(AccountFactory(), court, description="Someone else's")
    body = b"".join(
        signed_in.get(reverse("fees:billing_csv"), {"start": "2026-02-01"}).streaming_content
    ).decode()
    assert "February" in body and "January" not in body and "Someone else" not in body


@pytest.mark.parametrize(("rows", "due"), [(300, "$0.00"), (301, "$30.10")])
def test_the_quarterly_statement_shows_the_waiver_and_the_amount_due(
    signed_in, account, court, rows, due
):
    bulk_rows(account, court, rows, start=dt.datetime(2026, 5, 20, 12, tzinfo=NY))
    html = signed_in.get(reverse("fees:statement"), {"quarter": "2026-Q2"}).content.decode()
    assert f'id="statement-total">${Decimal("0.10") * rows}' in html
    assert 'id="statement-waiver">$30.00' in html
    assert f'id="statement-due"><strong>{due}' in html
    assert "April 1 – June 30, 2026" in html


@pytest.mark.parametrize("quarter", ["=1", "2026-Q5", "1999-Q4", "9999-Q4", "10000-Q1"])
def test_a_quarter_without_a_statement_is_refused_by_name_and_this_quarter_shown(
    signed_in, quarter
):
    with at(2026, 5, 1, 12):
        response = signed_in.get(reverse("fees:statement"), {"quarter": quarter})
    html = response.content.decode()
    assert response.status_code == 400
    assert escape(notices.BAD_QUARTER) in html
    assert "Quarterly Statement April 1 – June 30, 2026" in html


def test_the_last_quarter_the_calendar_can_end_has_its_statement(signed_in):
    response = signed_in.get(reverse("fees:statement"), {"quarter": "9999-Q3"})
    assert response.status_code == 200
    assert "Quarterly Statement July 1 – September 30, 9999" in response.content.decode()


def test_every_signed_in_page_shows_the_quarter_to_date_against_the_waiver(
    signed_in, account, court
):
    with at(2026, 11, 2, 12):
        bulk_rows(account, court, 123)
        charge(account, court, pdf_pages=4)
        html = signed_in.get(reverse("signon:manage")).content.decode()
    line = re.search(r'id="quarter-to-date">(.*?)</p>', html, re.S).group(1)
    assert "October 1 – December 31, 2026" in line
    assert "<strong>$12.70</strong> of the $30.00 quarterly waiver" in line


def test_the_quarter_to_date_line_costs_one_query(signed_in, account, court):
    signed_in.get(reverse("signon:manage"))  # warm the session
    from nextgen.fees import context_processors

    class Request:
        user = account

    request = Request()
    values = context_processors.quarter_to_date(request)
    with CaptureQueriesContext(connection) as queries:
        str(values["fees_quarter"].total)
        str(values["fees_quarter"].waiver)
        context_processors.quarter_to_date(request)["fees_quarter"].total  # noqa: B018
    assert len(queries) == 1


def test_a_court_page_reads_the_line_with_its_court_and_shows_the_same_total(
    signed_in, account, court
):
    with at(2026, 11, 2, 12):
        bulk_rows(account, court, 123)
        charge(account, court, pdf_pages=4)
        signed_in.get("/ecf/ctd/cgi-bin/")  # the Signed-in Sessions row is made once
        with CaptureQueriesContext(connection) as queries:
            html = signed_in.get("/ecf/ctd/cgi-bin/").content.decode()
    line = re.search(r'id="quarter-to-date">(.*?)</p>', html, re.S).group(1)
    assert "<strong>$12.70</strong> of the $30.00 quarterly waiver" in line
    assert not any("fees_feeschedule" in q["sql"] and "ecf_court" not in q["sql"] for q in queries)


def test_a_charge_during_a_request_makes_the_page_show_the_total_after_it(account, court):
    """A court page reads the line at its start; a charge made by that page afterwards
    must not leave the page showing the total from before it."""
    from nextgen.ecf.menus import court_for_viewer
    from nextgen.fees import context_processors

    from .factories import request_with_code

    request = request_with_code(account, "")
    request.user = account
    with at(2026, 11, 2, 12):
        court_for_viewer(court.code, account, request)  # the line, read with the court
        assert str(context_processors.quarter_to_date(request)["fees_quarter"].total) == "0.00"
        with transaction.atomic():
            actions.charge(
                acting=account,
                court=court,
                request=request,
                kind=Kind.DOCUMENT,
                description="Image 1-0",
                criteria="3:26-cv-00001",
                pdf_pages=4,
            )
        assert str(context_processors.quarter_to_date(request)["fees_quarter"].total) == "0.40"


def test_the_first_page_costs_the_same_queries_for_many_charges_as_for_few(client, login, court):
    few, many = AccountFactory(), AccountFactory()
    bulk_rows(few, court, 3)
    bulk_rows(many, court, 450)
    from nextgen.audit.services import SYSTEM
    from nextgen.fees.actions import rebuild_daily_totals

    rebuild_daily_totals(acting=SYSTEM, account=few)
    rebuild_daily_totals(acting=SYSTEM, account=many)
    counts = []
    for who in (few, many):
        login(who)
        client.get(reverse("fees:billing"))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("fees:billing")).status_code == 200
        counts.append(len(queries))
        client.logout()
    assert counts[0] == counts[1]


def test_manage_my_account_usage_leads_to_history_and_statement(signed_in):
    html = signed_in.get(reverse("signon:manage")).content.decode()
    usage = html[html.index("<h2>Usage</h2>") : html.index("</ul>", html.index("<h2>Usage</h2>"))]
    assert reverse("fees:billing") in usage and reverse("fees:statement") in usage


def test_the_quarter_to_date_line_follows_each_charge_and_each_quarter_at_once(
    signed_in, account, court
):
    """The line's text is kept per process for its values ({% once %} in its template):
    a new total, the waiver passed, or a new quarter shows on the very next page."""

    def line() -> str:
        html = signed_in.get("/ecf/ctd/cgi-bin/").content.decode()
        return re.search(r'id="quarter-to-date">(.*?)</p>', html, re.S).group(1)

    with at(2026, 11, 2, 12):
        charge(account, court, pdf_pages=4)
        assert "<strong>$0.40</strong> of the $30.00 quarterly waiver." in line()
        charge(account, court, pdf_pages=4)
        assert "<strong>$0.80</strong> of the $30.00 quarterly waiver." in line()
        bulk_rows(account, court, 296)
        over = line()
        assert "<strong>$30.40</strong>" in over and "charges will be billed" in over
    with at(2027, 1, 4, 12):
        signed_in.force_login(account)  # the session of November has expired
        new_quarter = line()
        assert (
            "January 1 – March 31, 2027" in new_quarter and "<strong>$0.00</strong>" in new_quarter
        )


def test_a_bad_filter_field_is_named_and_the_good_ones_still_filter(signed_in, account, court):
    with at(2026, 1, 5, 12):
        charge(account, court, description="January")
    with at(2026, 2, 5, 12):
        charge(account, court, description="February")
    response = signed_in.get(reverse("fees:billing"), {"start": "2026-02-01", "end": "2026-02-30"})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_end">To</a>: Enter a valid date.' in html
    assert 'value="2026-02-01"' in html and 'value="2026-02-30"' in html
    assert "February" in html and "January" not in html
    assert 'id="csv-link"' not in html  # its download would be refused


def test_the_csv_with_a_bad_filter_field_is_refused_by_name_and_exports_nothing(
    signed_in, account, court
):
    with at(2026, 1, 5, 12):
        charge(account, court, description="January")
    response = signed_in.get(
        reverse("fees:billing_csv"), {"start": "2026-03-01", "end": "2026-02-30"}
    )
    assert response.status_code == 400
    assert not response.has_header("Content-Disposition")
    body = response.content.decode()
    assert "To: Enter a valid date." in body and "January" not in body
