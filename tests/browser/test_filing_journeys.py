"""Electronic filing in Chromium: opening cases, filing in them, and the refusals.

John Attorney (linked at ctd) opens a civil case with a complaint (going Back to its
documents once, which keeps them) and files a motion in it; Jane Counsel files a Notice
of Appearance for the defendant and a response to the motion; at cacb a bankruptcy
petition and an adversary proceeding in it. The refusals: not linked, not of record, a
criminal case staff did not add the attorney to, bad and oversized PDFs, a fillable
form, the final Next clicked again after its answer was lost, and the final step
replayed.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from nextgen.dockets.models import Case, DocketEntry, Representation
from nextgen.dockets.sample_pdf import tiny_pdf
from tests.browser.conftest import sign_in_through_page
from tests.dockets import factories as f
from tests.dockets import pdfs
from tests.factories import PASSWORD, AccountFactory, CourtFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    """Documents and upload temp files of these tests stay in their own folder."""
    (tmp_path / "tmp").mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "tmp")
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "documents"), "base_url": None},
        },
    }


@pytest.fixture
def files(tmp_path):
    def write(name: str, data: bytes | None = None) -> str:
        path = tmp_path / name
        path.write_bytes(data if data is not None else tiny_pdf(name))
        return str(path)

    return write


def ctd():
    return CourtFactory(
        code="ctd",
        name="United States District Court for the District of Connecticut",
        kind="district",
        go_live=dt.date(2017, 12, 11),
    )


def attorney(court, username: str, first: str, last: str):
    account = AccountFactory(username=username, first_name=first, last_name=last)
    return f.filer(court, account=account, first_name=first, last_name=last)


def go_menu(page, code: str, label: str, event: str) -> None:
    page.goto(f"/ecf/{code}/cgi-bin/")
    page.locator("#court-menu").get_by_role("link", name=label, exact=True).click()
    page.get_by_role("button", name=event, exact=True).click()


def next_(page) -> None:
    page.get_by_role("button", name="Next").click()
    page.wait_for_load_state()


def case_number(page, number: str) -> None:
    page.get_by_label("Case Number").fill(number)
    next_(page)


def documents(page, main: str, attachment: str | None = None, description: str = "") -> None:
    page.get_by_label("Main Document").set_input_files(main)
    if attachment:
        page.get_by_label("Attachment 1", exact=True).set_input_files(attachment)
        page.get_by_label("Description of attachment 1").fill(description)
    next_(page)


def tick(page, label) -> None:
    """Tick a checkbox by clicking its label, as a person does (USWDS draws the box on
    the label and moves the input itself off screen)."""
    page.locator("label", has_text=label).first.click()


def receipt_number(page) -> str:
    return page.locator("#receipt-document-number").inner_text()


def test_civil_case_opened_then_a_motion_an_appearance_and_a_response(page, files):
    court = ctd()
    john = attorney(court, "jattorney", "John", "Attorney")
    jane = attorney(court, "jcounsel", "Jane", "Counsel")

    # John opens a civil case with a complaint.
    sign_in_through_page(page, "jattorney", PASSWORD)
    go_menu(page, "ctd", "Civil", "Complaint")
    page.get_by_label("Case title").fill("Doe v. Acme Corp.")
    page.get_by_label("Nature of suit").select_option("190 Contract: Other")
    page.get_by_label("Cause").fill("28:1332 Diversity-Breach of Contract")
    page.get_by_label("Jurisdiction").select_option("Diversity")
    page.get_by_label("Jury demand").select_option("plaintiff")
    next_(page)
    page.get_by_label("Party 1 name").fill("Jane Doe")
    tick(page, "I represent this party")
    page.get_by_label("Party 2 name").fill("Acme Corp.")
    next_(page)
    documents(page, files("complaint.pdf"), files("civil_cover.pdf"), "Civil Cover Sheet")
    # Back to the documents: both are still attached, the cover sheet's description kept.
    page.get_by_role("link", name="Back").click()
    expect(page.locator("#staged-main")).to_contain_text("complaint.pdf")
    expect(page.locator("#staged-attachment-1")).to_contain_text("civil_cover.pdf")
    expect(page.get_by_label("Description of attachment 1")).to_have_value("Civil Cover Sheet")
    next_(page)  # nothing chosen again
    next_(page)  # the docket text as built
    assert "COMPLAINT filed by Jane Doe." in page.locator("#final-text").inner_text()
    assert "$405.00" in page.locator("#review-fee").inner_text()
    assert "commits this transaction" in page.locator("#commit-warning").inner_text()
    next_(page)
    expect(page.get_by_role("heading", name="Notice of Electronic Filing")).to_be_visible()
    case = Case.objects.get(court=court)
    assert page.locator("#new-case strong").inner_text() == case.number
    assert case.number.startswith("3:26-cv-") or re.match(r"\d:\d\d-cv-\d{5}", case.number)
    assert [d.original_name for d in case.entries.get().documents.order_by("number")] == [
        "complaint.pdf",
        "civil_cover.pdf",
    ]

    # A motion in it: the short form of the number; a fillable form and an oversized
    # PDF are refused first; the final Next is double-clicked and then replayed.
    court.filing_size_limit_mb = 1
    court.save(update_fields=["filing_size_limit_mb"])
    go_menu(page, "ctd", "Civil", "Motion to Dismiss")
    case_number(page, f"{case.year}-{case.sequence}")
    assert case.title in page.locator("#filing-case").inner_text()
    next_(page)
    tick(page, "Jane Doe (Plaintiff)")
    next_(page)
    documents(page, files("form.pdf", pdfs.fillable_form()))
    assert "Fillable PDF forms must be flattened" in page.locator("#error-summary").inner_text()
    big = pdfs.good() + b"%" + b"x" * (2 * 1024 * 1024)
    documents(page, files("huge.pdf", big))
    assert "at most 1 MB" in page.locator("#error-summary").inner_text()
    documents(page, files("motion.pdf"))
    page.get_by_label("Modify the docket text").fill("for Failure to State a Claim")
    next_(page)
    token = page.locator("input[name=flow]").input_value()
    csrf = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    review_url = page.url
    posts = []
    page.on("request", lambda r: posts.append(r) if r.method == "POST" else None)

    # Next, but the answer never comes back (the server did file it; a 204 in its place
    # leaves the browser on the review page): the filer clicks Next again.
    def answer_lost(route) -> None:
        route.fetch()
        route.fulfill(status=204)

    page.route("**/filing/review/", answer_lost, times=1)
    with page.expect_response("**/filing/review/"):
        page.get_by_role("button", name="Next").click(no_wait_after=True)
    expect(page.locator("#commit-warning")).to_be_visible()  # still the review page
    assert DocketEntry.objects.filter(case=case).count() == 2  # filed all the same
    next_(page)
    expect(page).to_have_url(re.compile(r"/receipt/\d+/"))
    assert len(posts) == 2  # both clicks were sent; one entry
    expect(page.get_by_role("heading", name="Notice of Electronic Filing")).to_be_visible()
    assert receipt_number(page) == "2"
    # The final step replayed later, exactly as sent: nothing more is filed.
    replay = page.request.post(
        review_url,
        form={"flow": token, "csrfmiddlewaretoken": csrf},
        headers={"Referer": review_url},
    )
    assert "Notice of Electronic Filing" in replay.text()  # the same receipt, no new entry
    assert DocketEntry.objects.filter(case=case).count() == 2

    # Jane is not of record: told to file a Notice of Appearance, which she does.
    page.goto("/ecf/ctd/cgi-bin/login.pl?logout")
    sign_in_through_page(page, "jcounsel", PASSWORD)
    go_menu(page, "ctd", "Civil", "Motion to Dismiss")
    case_number(page, case.number)
    assert "File a Notice of Appearance" in page.locator("#filing-refused").inner_text()
    go_menu(page, "ctd", "Civil", "Notice of Appearance")
    case_number(page, case.number)
    next_(page)
    tick(page, "Acme Corp. (Defendant)")
    next_(page)
    documents(page, files("appearance.pdf"))
    next_(page)
    next_(page)
    assert receipt_number(page) == "3"
    assert Representation.objects.filter(filer=jane, party__name="Acme Corp.").exists()

    go_menu(page, "ctd", "Civil", "Response in Opposition to Motion")
    case_number(page, case.number)
    next_(page)
    tick(page, "Acme Corp. (Defendant)")
    next_(page)
    tick(page, re.compile(r"^2 MOTION to Dismiss"))
    next_(page)
    documents(page, files("response.pdf"))
    next_(page)
    assert "re 2 Motion to Dismiss filed by Acme Corp." in page.locator("#final-text").inner_text()
    next_(page)
    assert receipt_number(page) == "4"
    noticed = page.locator("#receipt-noticed").inner_text()
    assert john.email in noticed and jane.email in noticed


def test_bankruptcy_petition_and_adversary_proceeding_at_cacb(page, files):
    court = CourtFactory(
        code="cacb",
        name="United States Bankruptcy Court for the Central District of California",
        kind="bankruptcy",
        go_live=dt.date(2021, 4, 26),
    )
    attorney(court, "jattorney", "John", "Attorney")
    sign_in_through_page(page, "jattorney", PASSWORD)
    go_menu(page, "cacb", "Bankruptcy", "Voluntary Petition")
    page.get_by_label("Chapter").select_option("7")
    next_(page)
    page.get_by_label("Party 1 name").fill("Ann Debtor")
    tick(page, "I represent this party")
    next_(page)
    documents(page, files("petition.pdf"))
    next_(page)
    assert "$338.00" in page.locator("#review-fee").inner_text()
    next_(page)
    petition = Case.objects.get(court=court, case_type="bk")
    assert page.locator("#new-case strong").inner_text() == petition.number

    go_menu(page, "cacb", "Adversary", "Adversary Complaint")
    page.get_by_label("Bankruptcy case number").fill(petition.number)
    page.get_by_label("Adversary proceeding title").fill("Creditor Co. v. Ann Debtor")
    page.get_by_label("Nature of suit").select_option(index=3)
    next_(page)
    page.get_by_label("Party 1 name").fill("Creditor Co.")
    tick(page, "I represent this party")
    page.get_by_label("Party 2 name").fill("Ann Debtor")
    next_(page)
    documents(page, files("adversary.pdf"))
    next_(page)
    next_(page)
    adversary = Case.objects.get(court=court, case_type="ap")
    assert adversary.main_case == petition
    assert page.locator("#new-case strong").inner_text() == adversary.number


def test_refusals_not_linked_and_criminal_case_not_added(page, files):
    court = ctd()
    AccountFactory(username="unlinked", first_name="Una", last_name="Linked")
    john = attorney(court, "jattorney", "John", "Attorney")
    staff = f.staff(court)
    from nextgen.dockets import actions
    from nextgen.dockets.events import event

    crim, _ = actions.open_case(
        acting=staff,
        court=court,
        case_type="cr",
        title="USA v. Smith",
        office=3,
        parties=[actions.PartySpec("John Smith", "Defendant")],
        event=event(court, "criminal", "indictment"),
        documents=f.stored(court, "Indictment"),
    )
    sign_in_through_page(page, "unlinked", PASSWORD)
    page.goto("/ecf/ctd/cgi-bin/filing/menu/civil/")
    assert "You are not a filer in this court" in page.locator("#filing-refused").inner_text()
    page.goto("/ecf/ctd/cgi-bin/login.pl?logout")

    sign_in_through_page(page, "jattorney", PASSWORD)
    go_menu(page, "ctd", "Criminal", "Motion to Dismiss")
    case_number(page, crim.number)
    assert "court's staff add attorneys" in page.locator("#filing-refused").inner_text()
    assert DocketEntry.objects.filter(case=crim).count() == 1
    assert not john.representations.exists()


def test_staff_open_a_criminal_case_add_an_attorney_who_files_in_it(page, files):
    court = ctd()
    john = attorney(court, "jattorney", "John", "Attorney")
    f.staff(court, AccountFactory(username="ctd.clerk", first_name="Val", last_name="Clerk"))

    sign_in_through_page(page, "ctd.clerk", PASSWORD, path="/csologin/login/?next=/ecf/ctd/staff/")
    page.goto("/ecf/ctd/staff/cases/")
    page.get_by_role("link", name="Open a Criminal Case").click()
    page.get_by_label("Office").fill("3")
    page.get_by_label("Defendants").fill("John Smith")
    page.get_by_label("Document (PDF)").set_input_files(files("indictment.pdf"))
    page.get_by_role("button", name="Open case").click()
    page.wait_for_load_state()
    crim = Case.objects.get(court=court, case_type="cr")
    page.locator("#id_attorney-party").select_option(label="John Smith (Defendant)")
    page.get_by_label("CM/ECF login of the attorney").fill(john.login)
    page.get_by_role("button", name="Add attorney").click()
    page.wait_for_load_state()
    assert Representation.objects.filter(filer=john, party__case=crim).exists()
    page.goto("/ecf/ctd/cgi-bin/login.pl?logout")

    sign_in_through_page(page, "jattorney", PASSWORD)
    go_menu(page, "ctd", "Criminal", "Motion to Dismiss")
    case_number(page, f"{crim.office}:{crim.year}cr{crim.sequence}")
    next_(page)
    tick(page, "John Smith (Defendant)")
    next_(page)
    documents(page, files("motion.pdf"))
    next_(page)
    next_(page)
    assert receipt_number(page) == "2"
    assert (
        "MOTION to Dismiss filed by John Smith."
        in page.locator("#receipt-docket-text").inner_text()
    )
