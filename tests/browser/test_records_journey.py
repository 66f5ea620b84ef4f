"""A PACER-only user in Chromium, signed in with a client code, queries a case, runs its
docket report, opens a document through its Transaction Receipt, and finds both charges
under that client code in Review Billing History."""

import datetime as dt

import pytest

from nextgen.ecf.models import CourtKind
from nextgen.fees.models import Transaction
from tests.dockets.factories import civil_case, filer
from tests.factories import PASSWORD, AccountFactory, CourtFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def case():
    ctd = CourtFactory(code="ctd", kind=CourtKind.DISTRICT, go_live=dt.date(2017, 12, 11))
    return civil_case(ctd, filer(ctd), date_filed=dt.date(2026, 3, 2))


def test_query_docket_report_and_document_are_charged_under_the_client_code(page, case):
    reader = AccountFactory(username="pacer.reader", first_name="Rita", last_name="Reader")
    page.goto("/csologin/login/?next=/ecf/ctd/cgi-bin/")
    page.get_by_label("Username *").fill("pacer.reader")
    page.get_by_label("Password *").fill(PASSWORD)
    page.get_by_label("Client Code").fill("matter-17")
    page.get_by_role("button", name="Login").click()
    page.wait_for_url("**/ecf/ctd/cgi-bin/")
    page.locator("#court-menu").get_by_role("link", name="Query").click()
    page.get_by_label("Case number").fill(f"26-{case.sequence}")
    page.get_by_role("button", name="Run Query").click()
    assert case.number in page.locator("center").inner_text()

    page.locator("#query-menu").get_by_role("link", name="Docket Report").click()
    page.get_by_role("button", name="Run Report").click()
    assert case.number in page.locator("h3").inner_text()
    assert "Docket Report" in page.locator("#receipt").inner_text()

    page.locator("#docket-entries").get_by_role("link", name="1", exact=True).click()
    receipt = page.locator("#receipt").inner_text()
    assert "matter-17" in receipt and "Image1-0" in receipt
    with page.expect_response(lambda r: r.request.method == "POST") as viewed:
        page.get_by_role("button", name="View Document").click(no_wait_after=True)
    assert viewed.value.headers["content-type"] == "application/pdf"

    # The PDF is still loading in its tab (the viewer); the history in another tab.
    billing = page.context.new_page()
    billing.goto("/csologin/fees/billing/")
    rows = billing.locator("#transactions tbody tr")
    text = billing.locator("#transactions").inner_text()
    assert "Docket Report" in text and "Image1-0" in text
    assert rows.count() == 2 and text.count("matter-17") == 2
    assert set(
        Transaction.objects.filter(account=reader).values_list("client_code", flat=True)
    ) == {"matter-17"}
