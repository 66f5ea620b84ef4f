"""PACER Administrative Account (seed 002), in Chromium: the firm's administrator creates
a PAA and invites an attorney; the attorney accepts in another browser; the administrator
sees the member and what the firm pays for."""

import pytest
from playwright.sync_api import expect

from nextgen.signon import notices
from tests.factories import PASSWORD, AccountFactory, CourtFactory
from tests.fees.factories import charge

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, username: str) -> None:
    page.goto("/csologin/login/")
    page.get_by_label("Username *").fill(username)
    page.get_by_label("Password *").fill(PASSWORD)
    page.get_by_role("button", name="Login").click()
    page.wait_for_url("**/csologin/account/")


def test_administrator_creates_and_invites_attorney_accepts(page, browser, live_server):
    AccountFactory(username="fadmin", first_name="Fiona", last_name="Admin")
    attorney = AccountFactory(username="aassociate", first_name="Alan", last_name="Associate")
    court = CourtFactory(code="ctd")
    charge(attorney, court, description="Earlier search", pdf_pages=1)  # before joining

    # The administrator: Manage My Account → Firm billing (PAA) → create → invite.
    sign_in(page, "fadmin")
    page.get_by_role("link", name="Firm billing (PAA)").click()
    page.get_by_label("Firm name").fill("Smith & Jones LLP")
    page.get_by_label("Billing contact *").fill("Bill Payer")
    page.get_by_label("Billing contact e-mail").fill("billing@smithjones.example")
    page.get_by_role("button", name="Create PAA").click()
    assert page.get_by_role(
        "heading", name="PACER Administrative Account: Smith & Jones LLP"
    ).is_visible()
    page.get_by_label("User name").fill("aassociate")
    page.get_by_role("button", name="Invite").click()
    expect(page.get_by_text(notices.PAA_INVITE_SENT)).to_be_visible()
    expect(page.locator("#paa-invitations").get_by_text("aassociate")).to_be_visible()
    # The attorney, in another browser: accepts from their own account.
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    other = context.new_page()
    sign_in(other, "aassociate")
    other.get_by_role("link", name="Firm billing (PAA)").click()
    expect(other.get_by_text("Smith & Jones LLP invites your account")).to_be_visible()
    other.get_by_role("button", name="Accept").click()
    assert (
        other.locator("#paid-by")
        .inner_text()
        .startswith("Your PACER charges are paid by the PAA of Smith & Jones LLP")
    )
    other.goto("/csologin/fees/billing/")
    assert "paid by the PAA of Smith & Jones LLP" in other.locator("#paid-by").inner_text()
    context.close()
    # A charge since joining: the firm's to pay.
    charge(attorney, court, description="Docket report", client_code="m-7", pdf_pages=3)

    # The administrator sees the member and the member's charges since joining.
    page.reload()
    expect(page.locator("#paa-members").get_by_text("Alan Associate")).to_be_visible()
    expect(page.locator("#no-invitations")).to_be_visible()
    page.locator("#paa-billing-link").click()
    expect(page.locator("#transactions").get_by_text("Docket report")).to_be_visible()
    assert page.locator("#firm-total").inner_text() == "$0.30"
    expect(page.locator("#member-totals").get_by_text("m-7")).to_be_visible()
    assert page.locator("#transactions").get_by_text("Earlier search").count() == 0
