"""Court staff in Chromium keep a docket: seal an entry, correct it (history kept,
"Modified on"), enter a minute entry, mark the filing fee paid and close the case."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from nextgen.audit.models import Event
from nextgen.dockets.models import CaseFee, DocketEntry
from nextgen.ecf.models import CourtKind, CourtRole
from tests.dockets.factories import civil_case, filer
from tests.factories import PASSWORD, AccountFactory, CourtFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def setting():
    ctd = CourtFactory(code="ctd", kind=CourtKind.DISTRICT, go_live=dt.date(2017, 12, 11))
    clerk = AccountFactory(username="ctd.clerk", first_name="Cal", last_name="Clerk")
    CourtRole.objects.create(account=clerk, court=ctd)
    case = civil_case(ctd, filer(ctd))
    return dict(ctd=ctd, clerk=clerk, case=case)


def test_staff_seal_correct_enter_mark_paid_and_close(page, ui_login, setting):
    case = setting["case"]
    ui_login("ctd.clerk", PASSWORD, path="/csologin/login/?next=/ecf/ctd/cgi-bin/")
    page.wait_for_url("**/ecf/ctd/cgi-bin/")
    page.get_by_role("link", name="Staff").click()
    page.get_by_role("link", name="Cases").first.click()
    page.locator("#cases").get_by_role("link", name=case.number).click()
    assert page.locator("#case-number").inner_text() == case.number

    row = page.locator("#entry-1")
    row.get_by_role("button", name="Seal").click()
    expect(page.locator("#entry-1").get_by_text("SEALED")).to_be_visible()
    page.locator("#entry-1").get_by_role("link", name="Correct").click()
    page.get_by_label("Docket text").fill("COMPLAINT against Acme Corp. filed by Jane Doe.")
    page.get_by_label("Reason for the correction").fill("Name the defendant")
    page.get_by_role("button", name="Save correction").click()
    assert page.locator("#entry-1 .modified").inner_text().startswith("Modified on")
    assert DocketEntry.objects.get(case=case, number=1).revisions.count() == 1

    page.get_by_label("Event").select_option(label="Minute Entry")
    page.locator("#id_entry-text").fill("Minute Entry: Scheduling Conference held.")
    page.get_by_role("button", name="Enter on the docket").click()
    expect(page.locator("#entry-2").get_by_text("Scheduling Conference held")).to_be_visible()
    fee = CaseFee.objects.get(case=case)
    page.locator(f"#id_fee{fee.pk}-receipt_number").fill("CTD-4471")
    page.get_by_role("button", name="Mark paid").click()
    expect(page.locator("#fees").get_by_text("receipt CTD-4471")).to_be_visible()
    page.get_by_role("button", name="Close case").click()
    assert page.locator("#date-terminated").inner_text() != "—"
    actions = set(
        Event.objects.filter(court_code="ctd", actor=setting["clerk"]).values_list(
            "action", flat=True
        )
    )
    assert {
        "docket.staff.seal_entry",
        "docket.staff.correct_entry",
        "docket.file",
        "docket.staff.fee_paid",
        "docket.staff.close",
    } <= actions
