"""E-file registration without an old CM/ECF account, in Chromium: the attorney asks,
the court's clerk approves in another browser, the attorney files at once."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from nextgen.ecf.models import CourtRole, FilerAccount
from tests.browser.conftest import sign_in_through_page
from tests.factories import PASSWORD, AccountFactory, CourtFactory

pytestmark = pytest.mark.django_db(transaction=True)


def menu(page) -> list[str]:
    return page.locator("#court-menu a").all_inner_texts()


def sign_in(page, username: str, path: str) -> None:
    sign_in_through_page(page, username, PASSWORD, path=path)


def test_attorney_requests_staff_approves_attorney_files(page, browser, live_server):
    court = CourtFactory(
        code="ctd",
        name="United States District Court for the District of Connecticut",
        go_live=dt.date(2017, 12, 11),
    )
    AccountFactory(username="nnewcomer", first_name="Nina", last_name="Newcomer")
    clerk = AccountFactory(username="kclerk", first_name="Kim", last_name="Clerk")
    CourtRole.objects.create(account=clerk, court=court)

    # The attorney: Manage My Account → E-File Registration → Attorney Admissions.
    sign_in(page, "nnewcomer", "/csologin/login/")
    page.wait_for_url("**/csologin/account/")
    page.get_by_role("link", name="E-File Registration").click()
    page.get_by_label("Court *").select_option("ctd")
    page.get_by_text("Attorney Admissions / E-File Registration").click()
    page.get_by_label("Bar number").fill("CT12345")
    page.get_by_label("Bar state").fill("CT")
    page.get_by_label("Note to the court").fill("Admitted in 2019.")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("Your request has been sent to the court.")).to_be_visible()
    assert page.locator("#registration-requests .registration-status").inner_text() == "Pending"
    page.goto("/ecf/ctd/cgi-bin/")
    assert menu(page)[0] == "Query"  # not a filer yet

    # The court's clerk, in another browser: approves.
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    staff = context.new_page()
    sign_in(staff, "kclerk", "/csologin/login/?next=/ecf/ctd/staff/registrations/")
    staff.wait_for_url("**/ecf/ctd/staff/registrations/")
    expect(staff.get_by_role("heading", name="Nina Newcomer (nnewcomer)")).to_be_visible()
    expect(staff.get_by_text("CT12345")).to_be_visible()
    staff.get_by_role("button", name="Approve").click()
    expect(staff.get_by_text("The request of Nina Newcomer was approved.")).to_be_visible()
    expect(staff.get_by_text("No registration requests are waiting.")).to_be_visible()
    context.close()

    # The attorney, still signed in: the filing menus at once, as after a link.
    page.goto("/ecf/ctd/cgi-bin/")
    assert menu(page) == [
        "Civil",
        "Criminal",
        "Query",
        "Reports",
        "Utilities",
        "Search",
        "Help",
        "Log Out",
    ]
    page.locator("#court-menu").get_by_role("link", name="Civil").click()
    assert page.url.endswith("/ecf/ctd/cgi-bin/filing/menu/civil/")
    expect(page.get_by_role("heading", name="Open a Civil Case")).to_be_visible()
    page.goto("/efile/register/")
    assert (
        page.locator("#registration-requests .registration-status")
        .inner_text()
        .startswith("Approved")
    )
    assert FilerAccount.objects.get(court=court).account.username == "nnewcomer"
