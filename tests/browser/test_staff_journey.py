"""Court staff in Chromium: the vid clerk finds a wrongly linked CM/ECF account, unlinks it
with a reason, sends a CM/ECF password reset; the owner sets a new CM/ECF password through
the mailed link and links it to the right PACER account."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from nextgen.audit.models import Event
from nextgen.ecf.models import CourtRole, FilerAccount
from tests.factories import PASSWORD, AccountFactory, CourtFactory, FilerAccountFactory

pytestmark = pytest.mark.django_db(transaction=True)

NEW_ECF_PASSWORD = "Fresh#Ecf2026"


@pytest.fixture
def setting():
    vid = CourtFactory(
        code="vid", name="District Court of the Virgin Islands", go_live=dt.date(2022, 6, 6)
    )
    clerk = AccountFactory(username="vid.clerk", first_name="Val", last_name="Clerk")
    CourtRole.objects.create(account=clerk, court=vid)
    john = AccountFactory(username="jattorney", first_name="John", last_name="Attorney")
    # Jane's PACER account was linked to John's CM/ECF account by mistake.
    jane = AccountFactory(username="jane", first_name="Jane", last_name="Other")
    filer = FilerAccountFactory(
        court=vid,
        login="jattorney_vid",
        first_name="John",
        last_name="Attorney",
        email="john.cmecf@example.com",
    )
    FilerAccount.objects.filter(pk=filer.pk).update(account=jane, linked_at=timezone.now())
    return dict(vid=vid, clerk=clerk, john=john, jane=jane, filer=filer)


def to_others(outbox, setting) -> list:
    """The mails to others than the clerk (who is told of its own MFA set-up at sign-in)."""
    return [m for m in outbox if m.to != [setting["clerk"].email]]


def test_staff_unlinks_with_a_reason_and_the_attorney_links_again(
    browser, live_server, page, ui_login, setting
):
    # The clerk reaches the staff pages from the court site.
    ui_login("vid.clerk", PASSWORD, path="/csologin/login/?next=/ecf/vid/cgi-bin/")
    page.wait_for_url("**/ecf/vid/cgi-bin/")
    page.get_by_role("link", name="Staff").click()
    page.get_by_label("Search by").select_option("login")
    page.get_by_label("Search for").fill("jattorney")
    page.get_by_role("button", name="Search").click()
    page.locator("#results").get_by_role("link", name="jattorney_vid").click()
    assert "Linked to PACER account jane" in page.locator("#link-status").inner_text()

    # No reason: refused, field named, nothing changed.
    page.get_by_role("button", name="Unlink").click()
    expect(page.locator("#error-summary").get_by_role("link", name="Reason")).to_be_visible()
    assert FilerAccount.objects.get(pk=setting["filer"].pk).account_id == setting["jane"].pk

    page.get_by_label("Reason for unlinking").fill("Linked to the wrong PACER account")
    page.get_by_role("button", name="Unlink").click()
    assert page.locator("#link-status").inner_text() == "Not linked"
    expect(
        page.locator("#history").get_by_text("Linked to the wrong PACER account")
    ).to_be_visible()
    (notice,) = to_others(mail.outbox, setting)
    assert notice.to == ["jane@example.com"]

    page.get_by_label("Reason for the reset").fill("So the owner can link again")
    page.get_by_role("button", name="Send CM/ECF password reset").click()
    expect(page.get_by_text("A CM/ECF password reset link was sent")).to_be_visible()
    reset = mail.outbox[-1]
    assert reset.to == ["john.cmecf@example.com"]
    link = re.search(r"https?://\S+/passreset/\S+/", reset.body).group(0)
    event = Event.objects.get(action="unlink")
    assert event.actor == setting["clerk"] and event.subject == setting["jane"]

    # The owner, in a browser of his own, sets a new CM/ECF password and links.
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    owner = context.new_page()
    owner.goto(link)
    owner.get_by_label("New CM/ECF password *").fill(NEW_ECF_PASSWORD)
    owner.get_by_label("Type the new CM/ECF password again *").fill(NEW_ECF_PASSWORD)
    owner.get_by_role("button", name="Submit").click()
    owner.wait_for_url("**/passreset/done/**")

    owner.goto("/ecf/vid/cgi-bin/login.pl")
    owner.get_by_label("Username *").fill("jattorney")
    owner.get_by_label("Password *").fill(PASSWORD)
    owner.get_by_role("button", name="Login").click()
    owner.wait_for_url("**/ecf/vid/cgi-bin/")
    assert owner.locator("#staff-link").count() == 0  # no staff powers for an attorney
    owner.locator("#court-menu").get_by_role("link", name="Utilities").click()
    owner.get_by_role("link", name="Link a CM/ECF account to my PACER account").click()
    owner.get_by_label("CM/ECF login").fill("jattorney_vid")
    owner.get_by_label("CM/ECF password").fill(NEW_ECF_PASSWORD)
    owner.get_by_role("button", name="Submit").click()
    owner.get_by_role("button", name="Submit").click()
    assert owner.locator("#link-confirmation").inner_text() == (
        "The CM/ECF account for John Attorney is now linked to your CSO account."
    )
    assert owner.locator("#court-menu a").all_inner_texts()[:2] == ["Civil", "Criminal"]
    context.close()
    assert FilerAccount.objects.get(pk=setting["filer"].pk).account_id == setting["john"].pk


def test_a_clerk_sets_go_live_and_sees_progress(page, ui_login, setting):
    FilerAccountFactory(court=setting["vid"], login="waiting", email="waiting@example.com")
    ui_login("vid.clerk", PASSWORD, path="/csologin/login/?next=/ecf/vid/staff/")
    page.wait_for_url("**/ecf/vid/staff/")
    page.get_by_role("link", name="Go-live date").click()
    page.get_by_label("NextGen go-live date").fill("2022-06-01")
    page.get_by_label("Reason").fill("Moved up by the Clerk of Court")
    page.get_by_role("button", name="Set go-live date").click()
    assert "June 1, 2022" in page.locator("#current-go-live").inner_text()
    assert [m.to for m in to_others(mail.outbox, setting)] == [["waiting@example.com"]]
    page.get_by_role("link", name="Linking progress").click()
    assert page.locator("#count-total").inner_text() == "2"
    assert page.locator("#count-linked").inner_text() == "1"
    expect(page.get_by_role("img", name=re.compile("Bar chart"))).to_be_visible()
    expect(
        page.get_by_role("table").filter(has_text="CM/ECF accounts linked per day")
    ).to_be_visible()
