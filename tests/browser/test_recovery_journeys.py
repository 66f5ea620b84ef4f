"""Seed 002 "I do not know" in Chromium: Forgot User Name with more options, and Forgot
Password through the mailed link to a new password and a sign-in with it."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from playwright.sync_api import expect

from nextgen.signon import notices
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "Fresh#Start42"
STATIC_DIR = settings.BASE_DIR / "nextgen" / "static"


@pytest.fixture(autouse=True)
def _project_static_files(settings):
    """nextgen/static is not an app's static folder, so the live server finds its files only
    through STATICFILES_DIRS; until settings.py lists it, list it here so the page's
    scripts (the "more options" reveal) run as they will in production."""
    if STATIC_DIR not in [Path(d) for d in getattr(settings, "STATICFILES_DIRS", [])]:
        settings.STATICFILES_DIRS = [*getattr(settings, "STATICFILES_DIRS", []), STATIC_DIR]


def test_forgot_user_name_with_more_options_mails_the_user_name(page):
    AccountFactory(username="jattorney", first_name="John", last_name="Attorney")
    page.goto("/csologin/login/")
    page.get_by_role("link", name="Forgot User Name?").click()
    page.wait_for_url("**/forgot-username/")
    assert page.get_by_label("First Name").is_hidden()

    page.get_by_role("link", name="Click here for more options").click()
    # Shown in place by the script, not by reloading (?more=1 is the no-script way).
    assert "more=1" not in page.url
    page.get_by_label("First Name").fill("John")
    page.get_by_label("Last Name").fill("Attorney")
    page.get_by_label("Date of Birth").fill("05/17/1980")
    page.get_by_role("button", name="Submit").click()

    expect(page.get_by_text(notices.RECOVERY_SENT_USERNAME)).to_be_visible()
    (message,) = mail.outbox
    assert message.to == ["jattorney@example.com"]
    assert "Your PACER user name is: jattorney" in message.body


def test_forgot_password_link_sets_a_new_password_that_signs_in(page, ui_login):
    AccountFactory(username="jattorney")
    page.goto("/csologin/login/")
    page.get_by_role("link", name="Forgot Your Password?").click()
    page.get_by_label("E-mail address *").fill("jattorney@example.com")
    page.get_by_label("Username *").fill("jattorney")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text(notices.RECOVERY_SENT_PASSWORD)).to_be_visible()
    (message,) = mail.outbox
    link = re.search(r"https?://\S+/reset/\S+/", message.body).group(0)
    token = link.rstrip("/").rsplit("/", 1)[1]
    referers: list[str] = []
    page.on("request", lambda request: referers.append(request.headers.get("referer", "")))

    page.goto(link)
    page.wait_for_url("**/set-password/")
    assert token not in page.url
    page.get_by_label("New password *", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Type the new password again *").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("heading", name="Your password has been reset")).to_be_visible()
    assert not any(token in referer for referer in referers)

    page.get_by_role("link", name="Log in to PACER with your new password").click()
    ui_login("jattorney", NEW_PASSWORD)
    page.wait_for_url("**/csologin/account/")
    expect(page.get_by_role("heading", name="Manage My Account")).to_be_visible()
    # The link was single-use.
    page.goto(link)
    expect(page.get_by_text(notices.RESET_LINK_INVALID)).to_be_visible()
