"""Multi-factor authentication in Chromium: set it up from Manage My Account, log out,
log in again with the password and then a one-time passcode."""

import base64
import time

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.factories import PASSWORD, AccountFactory, FilerAccountFactory

pytestmark = pytest.mark.django_db(transaction=True)


def code(key: bytes, at: float) -> str:
    totp = TOTP(key, step=30, t0=0, digits=6, drift=0)
    totp.time = at
    return f"{totp.token():06d}"


def test_an_attorney_sets_up_mfa_and_signs_in_with_a_passcode(page, ui_login):
    AccountFactory(username="jattorney")
    ui_login("jattorney", PASSWORD)
    page.wait_for_url("**/csologin/account/")
    page.get_by_role("link", name="Multi-Factor Authentication").click()
    page.get_by_role("link", name="Set Up Multi-Factor Authentication").click()
    expect(page.get_by_role("img", name="QR code")).to_be_visible()
    secret = page.locator("#mfa-secret").inner_text()
    key = base64.b32decode(secret.replace(" ", ""))

    page.get_by_label("Current Password *").fill(PASSWORD)
    page.get_by_label("One-Time Passcode *").fill("12")
    page.get_by_role("button", name="Turn On Multi-Factor Authentication").click()
    expect(page.get_by_role("alert").filter(has_text="One-Time Passcode").first).to_be_visible()
    enrolled_at = time.time()
    page.get_by_label("Current Password *").fill(PASSWORD)
    page.get_by_label("One-Time Passcode *").fill(code(key, enrolled_at))
    page.get_by_role("button", name="Turn On Multi-Factor Authentication").click()
    expect(page.get_by_role("heading", name="Your Backup Codes")).to_be_visible()
    assert page.locator("#backup-codes li").count() == 10
    page.get_by_role("link", name="Continue").click()
    expect(page.get_by_text("Multi-factor authentication is on.")).to_be_visible()
    page.get_by_role("button", name="Log Out").click()
    page.wait_for_url("**/csologin/login/")

    ui_login("jattorney", PASSWORD)
    page.wait_for_url("**/csologin/login/passcode/")
    expect(page.get_by_role("heading", name="One-Time Passcode")).to_be_visible()
    # The set-up code is used up; within the same 30 s the app's next code is
    # accepted (one step of clock drift is allowed), after it the current one.
    now = time.time()
    same_step = int(now // 30) == int(enrolled_at // 30)
    page.get_by_label("One-Time Passcode *").fill(code(key, now + 30 if same_step else now))
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url("**/csologin/account/")
    expect(page.get_by_role("heading", name="Manage My Account")).to_be_visible()


def test_a_filer_is_asked_to_set_up_mfa_and_may_skip(page, ui_login):
    account = AccountFactory(username="ffiler")
    FilerAccountFactory(account=account)
    ui_login("ffiler", PASSWORD, skip_mfa=False)
    page.wait_for_url("**/csologin/login/mfa-setup/")
    expect(page.get_by_role("heading", name="Set Up Multi-Factor Authentication")).to_be_visible()
    expect(page.get_by_text("put this off 3 more times")).to_be_visible()
    page.get_by_role("button", name="Skip for Now").click()
    page.wait_for_url("**/csologin/account/")
    expect(page.get_by_role("heading", name="Manage My Account")).to_be_visible()
