"""Seed 002, "How do I update secondary e-mail addresses in CM/ECF NextGen?", in Chromium:
Login → Utilities → Maintain Your Account → Email information... → add new e-mail
address → type it → Submit → listed → Return to Person Information Screen."""

import re

import pytest
from playwright.sync_api import expect

from nextgen.audit.models import Event
from nextgen.ecf.models import SecondaryEmail
from tests.factories import PASSWORD, AccountFactory, CourtFactory, FilerAccountFactory

pytestmark = pytest.mark.django_db(transaction=True)

PRD = "United States District Court for the District of Puerto Rico"


@pytest.fixture
def linked_filer():
    account = AccountFactory(username="mabogada", first_name="María", last_name="Abogada")
    court = CourtFactory(code="prd", name=PRD)
    return FilerAccountFactory(court=court, login="maria_prd", account=account, email=account.email)


def sign_in_at_the_court(page) -> None:
    """Steps 1-4: CM/ECF NextGen → PACER user name and password → Login."""
    page.goto("/ecf/prd/")
    page.get_by_role("link", name=f"{PRD} - Document Filing System").click()
    page.get_by_label("Username *").fill("mabogada")
    page.get_by_label("Password *").fill(PASSWORD)
    page.get_by_role("button", name="Login").click()
    page.wait_for_url(re.compile(r".*/(ecf/prd/cgi-bin/|csologin/login/mfa-setup/).*"))
    if "mfa-setup" in page.url:
        # Filers are asked to turn on multi-factor authentication; that is another journey.
        page.get_by_role("button", name="Skip for Now").click()
    page.wait_for_url("**/ecf/prd/cgi-bin/")


def test_seed_002_a_linked_filer_adds_a_secondary_e_mail_address(page, linked_filer):
    sign_in_at_the_court(page)
    page.locator("#court-menu").get_by_role("link", name="Utilities").click()
    page.get_by_role("link", name="Maintain Your Account").click()
    expect(page.get_by_role("heading", name="Maintain Your Account")).to_be_visible()
    page.get_by_role("link", name="Email information...").click()
    expect(page.get_by_role("heading", name="Email information")).to_be_visible()
    assert page.locator("#primary-email").inner_text() == linked_filer.email

    field = page.get_by_label("Secondary e-mail address", exact=True)
    assert not field.is_visible()  # until "add new e-mail address" is clicked
    page.get_by_text("add new e-mail address").click()
    field.fill("paralegal@lawpr.example")
    page.get_by_role("button", name="Submit").click()

    page.wait_for_url("**/ecf/prd/cgi-bin/account/email/")
    assert page.locator("#secondary-emails li > span").all_inner_texts() == [
        "paralegal@lawpr.example"
    ]
    expect(
        page.get_by_text("Secondary e-mail address paralegal@lawpr.example added.")
    ).to_be_visible()
    page.get_by_role("button", name="Return to Person Information Screen").click()
    page.wait_for_url("**/ecf/prd/cgi-bin/account/")
    expect(page.get_by_role("heading", name="Maintain Your Account")).to_be_visible()
    expect(page.get_by_text("paralegal@lawpr.example")).to_be_visible()
    assert list(SecondaryEmail.objects.values_list("email", flat=True)) == [
        "paralegal@lawpr.example"
    ]
    assert Event.objects.filter(action="ecf.secondary_email.add", court_code="prd").count() == 1


def test_a_mistyped_address_is_named_and_kept_then_removed_after_fixing(page, linked_filer):
    sign_in_at_the_court(page)
    page.goto("/ecf/prd/cgi-bin/account/email/")
    page.get_by_text("add new e-mail address").click()
    page.get_by_label("Secondary e-mail address", exact=True).fill("paralegal@lawpr")
    page.get_by_role("button", name="Submit").click()
    expect(page.locator("#error-summary")).to_be_visible()
    field = page.get_by_label("Secondary e-mail address", exact=True)
    assert field.is_visible() and field.input_value() == "paralegal@lawpr"
    field.fill("paralegal@lawpr.example")
    page.get_by_role("button", name="Submit").click()
    page.get_by_role("button", name="Remove paralegal@lawpr.example").click()
    assert page.get_by_text(
        "Secondary e-mail address paralegal@lawpr.example removed."
    ).is_visible()
    assert not SecondaryEmail.objects.exists()
