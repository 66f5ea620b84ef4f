"""Need an Account? in Chromium: Person → Address → Security → Submit, ending signed in."""

import pytest
from playwright.sync_api import expect

from nextgen.signon import notices
from nextgen.signon.models import Account

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "Bright#Meadow42"


def current_step(page) -> str:
    return page.locator(".usa-step-indicator__segment--current").inner_text().strip()


def test_a_person_registers_through_all_three_steps_and_ends_signed_in(page):
    page.goto("/csologin/login/")
    page.get_by_role("main").get_by_role("link", name="Need an Account?").click()
    page.wait_for_url("**/csologin/register/")
    expect(page.get_by_role("heading", name="Register for a PACER Account")).to_be_visible()
    assert current_step(page) == "Person"

    page.get_by_label("First Name *").fill("Maria")
    page.get_by_label("Last Name *").fill("Rivera")
    page.get_by_label("Date of Birth *").fill("1984-02-29")
    page.get_by_label("E-mail Address *").fill("maria.rivera@example.com")
    page.get_by_label("User Type *").select_option(label="Attorney")
    page.get_by_role("button", name="Next").click()

    page.wait_for_url("**/csologin/register/address/")
    assert current_step(page) == "Address"
    assert page.get_by_label("Country *").input_value() == "United States"
    page.get_by_label("Firm Name").fill("Rivera & Cruz LLP")
    page.get_by_label("Address *", exact=True).fill("150 Carlos Chardon Street")
    page.get_by_label("City *").fill("San Juan")
    page.get_by_label("State *").fill("PR")
    page.get_by_label("Zip Code *").fill("00918")
    page.get_by_label("Primary Phone *").fill("787-555-0142")
    page.get_by_role("button", name="Next").click()

    page.wait_for_url("**/csologin/register/security/")
    assert current_step(page) == "Security"
    # Back keeps what was typed on the earlier step.
    page.get_by_role("button", name="Back").click()
    page.wait_for_url("**/csologin/register/address/**")
    assert page.get_by_label("City *").input_value() == "San Juan"
    page.get_by_role("button", name="Next").click()
    page.wait_for_url("**/csologin/register/security/")

    page.get_by_label("Username *").fill("mrivera")
    page.get_by_label("Password *", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Password again *").fill(NEW_PASSWORD)
    page.get_by_label("Security Question 1 *").select_option(
        label="What was the name of your first pet?"
    )
    page.get_by_label("Answer 1 *").fill("Canela")
    page.get_by_label("Security Question 2 *").select_option(
        label="What was the name of your first pet?"
    )
    page.get_by_label("Answer 2 *").fill("Ponce")
    page.get_by_role("button", name="Submit").click()

    # The same question twice: named, the user name kept, the password not.
    expect(
        page.locator("#error-summary").get_by_text(notices.SECURITY_QUESTIONS_SAME)
    ).to_be_visible()
    assert page.get_by_label("Username *").input_value() == "mrivera"
    assert page.get_by_label("Password *", exact=True).input_value() == ""
    assert page.get_by_label("Answer 1 *").input_value() == ""  # a credential, like it
    assert not Account.objects.exists()

    page.get_by_label("Password *", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Password again *").fill(NEW_PASSWORD)
    page.get_by_label("Answer 1 *").fill("Canela")
    page.get_by_label("Security Question 2 *").select_option(label="In what city were you born?")
    page.get_by_label("Answer 2 *").fill("Ponce")
    page.get_by_role("button", name="Submit").click()

    page.wait_for_url("**/csologin/register/done/")
    expect(page.get_by_role("heading", name="Registration Complete")).to_be_visible()
    expect(page.get_by_text(notices.REGISTERED)).to_be_visible()
    expect(page.locator("#account-type")).to_have_text("Upgraded PACER Account")
    expect(page.get_by_role("button", name="Log Out")).to_be_visible()
    page.get_by_role("link", name="Continue").click()
    page.wait_for_url("**/csologin/account/")
    expect(page.get_by_text("User name")).to_be_visible()
    assert Account.objects.get(username="mrivera").upgraded_at is not None
