"""Court staff grant a fee exemption, in Chromium, and the reader's next access at that
court costs $0.00: a row in Review Billing History naming the exemption (issue 12)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from nextgen.fees import notices
from tests.browser.conftest import sign_in_through_page
from tests.dockets.factories import district_court, staff
from tests.factories import PASSWORD, AccountFactory
from tests.fees.factories import charge

pytestmark = pytest.mark.django_db(transaction=True)


def test_court_staff_grant_an_exemption_and_the_next_access_costs_nothing(
    page, browser, live_server
):
    court = district_court("ctd")
    staff(court, AccountFactory(username="vclerk", first_name="Val", last_name="Clerk"))
    reader = AccountFactory(username="rreader", first_name="Rita", last_name="Researcher")
    charge(reader, court, client_code="study-1", description="Image 1-0", pdf_pages=12)

    # Court staff: the court's staff pages → Fee exemptions → grant.
    sign_in_through_page(page, "vclerk", PASSWORD)
    page.goto(f"/ecf/{court.code}/staff/fees/exemptions/")
    form = page.locator("#grant-form")
    form.get_by_label("PACER user name").fill("rreader")
    form.get_by_label("Category").select_option(label="Academic researcher")
    form.get_by_label("Reason").fill("Study of fee waivers")
    form.get_by_label("Start date").fill("2000-01-01")
    form.get_by_label("End date (last exempt day)").fill("2099-12-31")
    form.get_by_role("button", name="Grant exemption").click()
    expect(page.get_by_text(notices.EXEMPTION_GRANTED)).to_be_visible()
    expect(page.locator("#exemptions").get_by_text("Study of fee waivers")).to_be_visible()
    # The reader's next access at this court (made as the records pages make it).
    charge(reader, court, client_code="study-1", description="Image 2-0", pdf_pages=12)

    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    other = context.new_page()
    sign_in_through_page(other, "rreader", PASSWORD)
    other.goto("/csologin/fees/billing/")
    rows = other.locator("#transactions tbody tr")
    assert rows.count() == 2
    newest = rows.nth(0).inner_text()
    assert "Image 2-0" in newest and "$0.00" in newest
    assert "fee exemption: academic researcher, ctd" in newest.lower()
    assert "$1.20" in rows.nth(1).inner_text()
    assert other.locator("#billing-total").inner_text() == "$1.20"
    other.goto("/csologin/fees/exemptions/")
    expect(other.locator("#my-exemptions").get_by_text("In force")).to_be_visible()
    context.close()
