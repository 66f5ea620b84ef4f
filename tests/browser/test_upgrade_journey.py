"""Seed 002 in Chromium: a Legacy PACER Account upgrades itself from Manage My Account."""

import pytest
from playwright.sync_api import expect

from nextgen.signon import notices
from tests.factories import PASSWORD, LegacyAccountFactory

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "Bright#Meadow42"


def test_a_legacy_account_upgrades_and_signs_in_with_its_new_credentials(page, ui_login):
    LegacyAccountFactory(username="llegacy", first_name="Linda", last_name="Legacy")
    ui_login("llegacy", PASSWORD)
    page.wait_for_url("**/csologin/account/")
    expect(page.get_by_text(notices.LEGACY_MUST_UPGRADE)).to_be_visible()
    expect(page.locator("#account-type")).to_have_text("Legacy PACER Account")

    page.get_by_role("button", name="Upgrade").click()
    page.wait_for_url("**/csologin/account/upgrade/**")
    expect(page.get_by_role("heading", name="Upgrade Your PACER Account")).to_be_visible()
    # Person: verify and update what the account holds.
    assert page.get_by_label("First Name *").input_value() == "Linda"
    assert page.get_by_label("Date of Birth *").input_value() == "1980-05-17"
    page.get_by_label("E-mail Address *").fill("linda@example.com")
    page.get_by_label("User Type *").select_option(label="Attorney")
    page.get_by_role("button", name="Next").click()

    page.wait_for_url("**/csologin/account/upgrade/address/")
    assert page.get_by_label("Address *", exact=True).input_value() == "1 Main Street"
    page.get_by_label("County").fill("Hartford")
    page.get_by_label("Primary Phone *").fill("860-555-0199")
    page.get_by_role("button", name="Next").click()

    page.wait_for_url("**/csologin/account/upgrade/security/")
    page.get_by_label("Current Password *").fill(PASSWORD)
    page.get_by_label("Username *").fill("linda.legacy")
    page.get_by_label("Password *", exact=True).fill("weak")
    page.get_by_label("Password again *").fill("weak")
    page.get_by_label("Security Question 1 *").select_option(
        label="What was the name of your first pet?"
    )
    page.get_by_label("Answer 1 *").fill("Rex")
    page.get_by_label("Security Question 2 *").select_option(label="In what city were you born?")
    page.get_by_label("Answer 2 *").fill("Hartford")
    page.get_by_role("button", name="Submit").click()
    expect(
        page.locator("#error-summary").get_by_text("Password must be at least 8 characters long.")
    ).to_be_visible()

    # Passwords and security answers are never shown back: typed again.
    page.get_by_label("Current Password *").fill(PASSWORD)
    page.get_by_label("Password *", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Password again *").fill(NEW_PASSWORD)
    page.get_by_label("Answer 1 *").fill("Rex")
    page.get_by_label("Answer 2 *").fill("Hartford")
    page.get_by_role("button", name="Submit").click()

    page.wait_for_url("**/csologin/account/")
    expect(page.get_by_text(notices.UPGRADED)).to_be_visible()
    expect(page.locator("#account-type")).to_have_text("Upgraded PACER Account")
    assert page.get_by_role("button", name="Upgrade").count() == 0

    page.get_by_role("button", name="Log Out").click()
    page.wait_for_url("**/csologin/login/")
    ui_login("linda.legacy", NEW_PASSWORD)
    page.wait_for_url("**/csologin/account/")
    expect(page.locator("#account-type")).to_have_text("Upgraded PACER Account")
    assert page.get_by_text(notices.LEGACY_MUST_UPGRADE).count() == 0
