"""Maintain Your E-mail in Chromium: Utilities → Maintain Your Account → Email information
→ a secondary address set to the Daily Summary Report → a case added by its short number
to "Send notices in these additional cases"."""

import re

import pytest
from playwright.sync_api import expect

from nextgen.audit.models import Event
from nextgen.ecf.models import SecondaryEmail
from nextgen.noticing.models import EmailPreference, FollowedCase
from tests.dockets.factories import civil_case, district_court, filer
from tests.factories import PASSWORD, AccountFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def vid():
    return district_court("vid")


@pytest.fixture
def attorney(vid):
    account = AccountFactory(username="jfiler", first_name="Jo", last_name="Filer")
    counsel = filer(vid, account=account, email="jo@firm.example")
    SecondaryEmail.objects.create(filer=counsel, email="docket@firm.example")
    return counsel


def sign_in_at_the_court(page, court) -> None:
    page.goto(f"/ecf/{court.code}/")
    page.get_by_role("link", name=f"{court.name} - Document Filing System").click()
    page.get_by_label("Username *").fill("jfiler")
    page.get_by_label("Password *").fill(PASSWORD)
    page.get_by_role("button", name="Login").click()
    page.wait_for_url(re.compile(rf".*/(ecf/{court.code}/cgi-bin/|csologin/login/mfa-setup/).*"))
    if "mfa-setup" in page.url:
        page.get_by_role("button", name="Skip for Now").click()
    page.wait_for_url(f"**/ecf/{court.code}/cgi-bin/")


def test_a_secondary_address_moves_to_the_daily_summary_and_a_case_is_followed(page, vid, attorney):
    case = civil_case(vid, filer(vid), title="Roe v. Widget Co.")
    sign_in_at_the_court(page, vid)
    page.locator("#court-menu").get_by_role("link", name="Utilities").click()
    page.get_by_role("link", name="Maintain Your Account").click()
    page.get_by_role("link", name="Email information...").click()
    expect(page.get_by_role("heading", name="E-mail notices")).to_be_visible()
    secondary = page.get_by_role("form", name="Notices to docket@firm.example")
    # USWDS radio buttons are drawn by their labels: a person clicks the label.
    secondary.locator("label", has_text="Send a Daily Summary Report").click()
    secondary.locator("label", has_text="Text").click()
    secondary.get_by_role("button", name="Save for docket@firm.example").click()
    page.wait_for_url("**/ecf/vid/cgi-bin/account/email/#notices")
    assert page.get_by_text(
        "Notices to docket@firm.example: Send a Daily Summary Report, Text."
    ).is_visible()
    secondary = page.get_by_role("form", name="Notices to docket@firm.example")
    assert secondary.get_by_label("Send a Daily Summary Report").is_checked()
    primary = page.get_by_role("form", name="Notices to jo@firm.example")
    assert primary.get_by_label("Send a notice for each filing").is_checked()

    # A number that is not one is named and kept; the short form then finds the case.
    field = page.get_by_label("Case number")
    field.fill("26-cv")
    page.get_by_role("button", name="Add case").click()
    expect(page.locator("#error-summary").first).to_be_visible()
    field = page.get_by_label("Case number")
    assert field.input_value() == "26-cv"
    field.fill(f"{case.year}-{case.sequence}")
    page.get_by_role("button", name="Add case").click()
    page.wait_for_url("**/ecf/vid/cgi-bin/account/email/#notices")
    assert page.locator("#followed-cases li > span").all_inner_texts() == [
        f"{case.number} Roe v. Widget Co."
    ]

    assert list(EmailPreference.objects.values_list("address", "delivery", "format")) == [
        ("docket@firm.example", "summary", "text")
    ]
    assert list(FollowedCase.objects.values_list("filer", "case")) == [(attorney.pk, case.pk)]
    assert Event.objects.filter(action="noticing.email_preference", court_code="vid").count() == 1
    assert Event.objects.filter(action="noticing.follow_case", court_code="vid").count() == 1

    page.get_by_role("button", name=f"Remove {case.number}").click()
    expect(page.get_by_text(f"You will no longer get notices in {case.number}.")).to_be_visible()
    assert not FollowedCase.objects.exists()
