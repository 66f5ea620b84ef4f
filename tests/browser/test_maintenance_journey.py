"""Seed 002 "How do I update my personal information" in Chromium: Manage My Account →
Update Address Information → Submit; then Change Password, and the new one signs in."""

import pytest
from playwright.sync_api import expect

from nextgen.audit.models import Event
from nextgen.signon.models import Account
from tests.factories import PASSWORD, AccountFactory

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "Brand#New2026"


def test_an_attorney_updates_the_phone_and_changes_the_password(page, ui_login):
    AccountFactory(username="jattorney", country="United States")
    ui_login("jattorney", PASSWORD)
    page.wait_for_url("**/csologin/account/")

    page.get_by_role("link", name="Update Address Information").click()
    expect(page.get_by_role("heading", name="Update Address Information")).to_be_visible()
    phone = page.get_by_label("Primary Phone *")
    assert phone.input_value() == "860-555-0100"
    phone.fill("860-555-0199")
    page.get_by_role("button", name="Submit").click()
    page.wait_for_url("**/csologin/account/address/?done=1")
    assert "Your address information has been updated." in page.get_by_role("status").inner_text()
    assert Account.objects.get(username="jattorney").phone == "860-555-0199"
    assert Event.objects.filter(action="account.address").count() == 1

    page.get_by_role("link", name="Return", exact=True).click()
    page.wait_for_url("**/csologin/account/")
    page.get_by_role("link", name="Change Password").click()
    page.get_by_label("Current Password *", exact=True).fill(PASSWORD)
    page.get_by_label("New Password *", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm New Password *", exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Submit").click()
    page.wait_for_url("**/csologin/account/password/?done=1")
    expect(page.get_by_text("Your password has been changed.")).to_be_visible()
    # This session stays signed in after the change.
    page.get_by_role("link", name="Return", exact=True).click()
    page.wait_for_url("**/csologin/account/")

    page.get_by_role("button", name="Log Out").click()
    page.wait_for_url("**/csologin/login/")
    ui_login("jattorney", NEW_PASSWORD)
    page.wait_for_url("**/csologin/account/")
    expect(page.get_by_role("heading", name="Manage My Account")).to_be_visible()


def test_a_weak_password_is_refused_in_the_browser_with_each_rule(page, ui_login):
    AccountFactory(username="jattorney")
    ui_login("jattorney", PASSWORD)
    page.wait_for_url("**/csologin/account/")
    page.goto("/csologin/account/password/")
    page.get_by_label("Current Password *", exact=True).fill(PASSWORD)
    page.get_by_label("New Password *", exact=True).fill("weak")
    page.get_by_label("Confirm New Password *", exact=True).fill("weak")
    page.get_by_role("button", name="Submit").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    assert "at least 8 characters" in summary.inner_text()
    assert "upper- and lower-case" in summary.inner_text()
    assert page.get_by_label("New Password *", exact=True).input_value() == ""
