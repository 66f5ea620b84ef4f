"""On a phone-sized screen the header's links fold behind a Menu button (USWDS), which
opens them: before, they vanished and nothing brought them back."""

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, AccountFactory

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 375, "height": 740}  # an iPhone-sized viewport


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


def test_the_menu_button_opens_the_header_links_on_a_phone(phone, ui_login):
    AccountFactory(username="jattorney")
    ui_login("jattorney", PASSWORD)
    phone.goto("/")
    account_link = phone.get_by_role("link", name="My Account & Billing")
    expect(account_link).to_be_hidden()
    phone.get_by_role("button", name="Menu").click()
    expect(account_link).to_be_visible()
    expect(phone.get_by_role("button", name="Log Out")).to_be_visible()
    phone.get_by_role("button", name="Close").click()
    expect(account_link).to_be_hidden()


def test_a_signed_out_visitor_finds_log_in_behind_the_menu_button(phone):
    phone.goto("/csologin/login/")
    phone.get_by_role("button", name="Menu").click()
    expect(
        phone.get_by_role("navigation", name="Primary navigation").get_by_role(
            "link", name="Need an Account?"
        )
    ).to_be_visible()


def test_a_wide_screen_shows_the_links_without_a_menu_button(page):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.get_by_role("link", name="Courts", exact=True)).to_be_visible()
