"""The seeds' linking walk-throughs, step by step, in Chromium.

Seed 000 at vid and vib, seed 003 at ctd, seed 004 at cacb (via NextGen Release 1.1
Menu Items). Each ends with the filing menu shown at once, without a refresh.
"""

import datetime as dt

import pytest
from playwright.sync_api import expect

from nextgen.ecf.models import FilerAccount
from tests.factories import (
    ECF_PASSWORD,
    PASSWORD,
    AccountFactory,
    CourtFactory,
    FilerAccountFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

COURTS = {
    "vid": dict(
        name="District Court of the Virgin Islands",
        kind="district",
        welcome="Welcome to the District Court of the Virgin Islands for the District "
        "of the Virgin Islands",
    ),
    "vib": dict(
        name="District Court of the Virgin Islands - Bankruptcy Division", kind="bankruptcy"
    ),
    "ctd": dict(
        name="United States District Court for the District of Connecticut",
        kind="district",
        go_live=dt.date(2017, 12, 11),
    ),
    "cacb": dict(
        name="United States Bankruptcy Court for the Central District of California",
        kind="bankruptcy",
        go_live=dt.date(2021, 4, 26),
        link_menu="release-1.1",
    ),
}


@pytest.fixture
def john():
    return AccountFactory(username="jattorney", first_name="John", last_name="Attorney")


def menu(page) -> list[str]:
    return page.locator("#court-menu a").all_inner_texts()


def walk_to_utilities(page, code: str) -> None:
    """Steps 1-5: court website → Document Filing System → PACER login → Utilities."""
    court = CourtFactory(code=code, **COURTS[code])
    FilerAccountFactory(court=court, login=f"jattorney_{code}")
    page.goto(f"/ecf/{code}/")
    page.get_by_role("link", name=f"{court.name} - Document Filing System").click()
    page.wait_for_url("**/csologin/login/**")
    page.get_by_label("Username *").fill("jattorney")
    page.get_by_label("Password *").fill(PASSWORD)
    page.get_by_role("button", name="Login").click()
    # A filer linked in another court is asked to set up MFA (test_mfa_journey.py): skip.
    page.wait_for_url(lambda url: "/mfa-setup/" in url or f"/ecf/{code}/cgi-bin/" in url)
    if "/mfa-setup/" in page.url:
        page.get_by_role("button", name="Skip for Now").click()
    page.wait_for_url(f"**/ecf/{code}/cgi-bin/")
    assert menu(page) == ["Query", "Reports", "Utilities", "Search", "Help", "Log Out"]
    page.locator("#court-menu").get_by_role("link", name="Utilities").click()
    expect(page.get_by_role("heading", name="Your Account")).to_be_visible()


def link_and_confirm(page, code: str) -> None:
    """Steps 6-9: CM/ECF login and password → Submit → names → Submit → confirmation."""
    page.get_by_role("link", name="Link a CM/ECF account to my PACER account").click()
    assert page.get_by_text(
        "This utility links your PACER account with your e-filer account in this court."
    ).is_visible()
    page.get_by_label("CM/ECF login").fill(f"jattorney_{code}")
    page.get_by_label("CM/ECF password").fill(ECF_PASSWORD)
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("heading", name="Do you want to link these accounts?")).to_be_visible()
    assert page.locator("#cmecf-name").inner_text() == "John Attorney"
    assert page.locator("#pacer-name").inner_text() == "John Attorney"
    expect(page.get_by_text("permanently linked to your upgraded PACER account")).to_be_visible()
    page.get_by_role("button", name="Submit").click()
    assert page.locator("#link-confirmation").inner_text() == (
        "The CM/ECF account for John Attorney is now linked to your CSO account."
    )


def test_seed_000_at_vid_then_vib_each_court_links_separately(page, john):
    walk_to_utilities(page, "vid")
    link_and_confirm(page, "vid")
    assert menu(page)[:2] == ["Civil", "Criminal"]  # at once: no refresh
    # "If you file in District AND Bankruptcy Court, you will need to link both accounts."
    page.goto("/ecf/vid/cgi-bin/login.pl?logout")
    walk_to_utilities(page, "vib")
    link_and_confirm(page, "vib")
    assert menu(page)[:2] == ["Bankruptcy", "Adversary"]
    assert FilerAccount.objects.filter(account=john).count() == 2


def test_seed_003_at_ctd_full_menu_after_linking(page, john):
    walk_to_utilities(page, "ctd")
    link_and_confirm(page, "ctd")
    page.locator("#court-menu").get_by_role("link", name="Query").click()
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


def test_seed_004_at_cacb_via_release_1_1_menu_items(page, john):
    walk_to_utilities(page, "cacb")
    assert page.get_by_role("link", name="Link a CM/ECF account to my PACER account").count() == 0
    page.get_by_role("link", name="NextGen Release 1.1 Menu Items").click()
    link_and_confirm(page, "cacb")
    assert menu(page)[:2] == ["Bankruptcy", "Adversary"]


def test_names_that_differ_need_a_tick_and_go_back_is_offered(page, john):
    court = CourtFactory(code="ctd", **COURTS["ctd"])
    FilerAccountFactory(court=court, login="jattorny", first_name="Jon", last_name="Attorny")
    page.goto("/ecf/ctd/cgi-bin/link/")
    page.get_by_label("Username *").fill("jattorney")
    page.get_by_label("Password *").fill(PASSWORD)
    page.get_by_role("button", name="Login").click()
    page.get_by_label("CM/ECF login").fill("jattorny")
    page.get_by_label("CM/ECF password").fill(ECF_PASSWORD)
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("The names do not match")).to_be_visible()
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("alert").filter(has_text="Tick the box")).to_be_visible()
    page.get_by_role("link", name="Back").click()
    expect(page.get_by_label("CM/ECF login")).to_be_visible()
    assert not FilerAccount.objects.filter(account=john).exists()
