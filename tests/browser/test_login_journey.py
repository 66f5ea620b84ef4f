"""Seed 000 step 4 in Chromium: the PACER login page, a wrong password, a right one."""

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, AccountFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_attorney_signs_in_and_out_in_the_browser(page, ui_login):
    AccountFactory(username="jattorney")
    page.goto("/csologin/login/")
    expect(page.get_by_text("All activities and access attempts are logged.")).to_be_visible()
    ui_login("jattorney", "Wrong#Guess1")
    expect(
        page.get_by_role("alert").filter(has_text="Invalid username or password.")
    ).to_be_visible()
    assert page.get_by_label("Username *").input_value() == "jattorney"
    assert page.get_by_label("Password *").input_value() == ""
    page.get_by_label("Password *").fill(PASSWORD)
    page.get_by_role("button", name="Login").click()
    page.wait_for_url("**/csologin/account/")
    expect(page.get_by_role("heading", name="Manage My Account")).to_be_visible()
    expect(page.locator("#account-type")).to_have_text("Upgraded PACER Account")
    page.get_by_role("button", name="Log Out").click()
    page.wait_for_url("**/csologin/login/")


def test_clear_empties_the_login_form(page):
    page.goto("/csologin/login/")
    page.get_by_label("Username *").fill("someone")
    page.get_by_label("Client Code").fill("abc")
    page.get_by_role("button", name="Clear").click()
    assert page.get_by_label("Username *").input_value() == ""
    assert page.get_by_label("Client Code").input_value() == ""
