"""Opening cases and filing entries: numbers, parties, counsel, documents, fees, audit."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from nextgen.audit.models import Event
from nextgen.dockets import actions
from nextgen.dockets.actions import DocketRefused, PartySpec
from nextgen.dockets.documents import verify_stamp
from nextgen.dockets.events import event
from nextgen.dockets.models import (
    Case,
    CaseFee,
    DocketEntry,
    Document,
    Menu,
    PartyRole,
    Representation,
)
from nextgen.dockets.sample_pdf import tiny_pdf
from tests.dockets.factories import (
    bankruptcy_court,
    civil_case,
    district_court,
    filer,
    pdf_upload,
    staff,
    stored,
    stored_files,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctd():
    return district_court("ctd")


@pytest.fixture
def john(ctd):
    return filer(ctd)


def test_opening_a_civil_case_numbers_it_and_dockets_the_complaint(ctd, john, time_machine):
    time_machine.move_to(dt.datetime(2026, 4, 1, 15, 0, tzinfo=dt.UTC))
    case = civil_case(ctd, john)
    assert case.number == "3:26-cv-00001"
    assert civil_case(ctd, john, title="Roe v. Acme").number == "3:26-cv-00002"
    entry = case.entries.get()
    assert entry.number == 1 and entry.filed_by == john.account
    assert entry.text == "COMPLAINT filed by Jane Doe."
    assert [p.name for p in entry.filer_parties.all()] == ["Jane Doe"]
    plaintiff, defendant = case.parties.all()
    assert (plaintiff.role, defendant.role) == (PartyRole.PLAINTIFF, PartyRole.DEFENDANT)
    assert [a.name for a in defendant.aliases.all()] == ["Acme"]
    representation = Representation.objects.get(party=plaintiff)
    assert representation.filer == john and representation.lead_attorney
    assert not defendant.representations.exists()
    fee = CaseFee.objects.get(case=case)
    assert fee.amount == Decimal("405.00") and fee.entry == entry and not fee.is_paid
    audit = Event.objects.filter(action="docket.open_case").first()
    assert audit.actor == john.account and audit.court_code == "ctd"
    assert audit.details["case"] == "3:26-cv-00001"


def test_the_documents_keep_size_hash_pages_and_the_courts_stamp(ctd, john, documents_dir):
    case = civil_case(ctd, john)
    document = Document.objects.get(entry__case=case)
    assert document.number == 0 and document.page_count == 1
    assert document.size == document.file.size and len(document.sha256) == 64
    assert document.stamp.startswith("[STAMP dcecfStamp_ID=")
    assert "[FileNumber=" in document.stamp
    with document.file.open("rb") as f:
        assert verify_stamp(ctd, document.stamp, f)
        # Another court's key does not verify it.
        assert not verify_stamp(district_court("vid"), document.stamp, f)
    # Stored under a random name, not the filer's name for it.
    assert "complaint" not in document.file.name and document.original_name == "complaint.pdf"
    assert len(stored_files(documents_dir)) == 1


def test_entries_get_the_next_numbers_and_relate_to_earlier_ones(ctd, john):
    case = civil_case(ctd, john)
    plaintiff = case.parties.get(role=PartyRole.PLAINTIFF)
    motion = actions.file_entry(
        acting=john.account,
        case=case,
        event=event(ctd, Menu.CIVIL, "motion_to_dismiss"),
        filer_parties=[plaintiff],
        documents=stored(ctd, "Motion", "Exhibit A"),
    )
    response = actions.file_entry(
        acting=john.account,
        case=case,
        event=event(ctd, Menu.CIVIL, "response_opposition"),
        filer_parties=[plaintiff],
        relates_to=[motion],
        documents=stored(ctd, "Response"),
    )
    assert (motion.number, response.number) == (2, 3)
    assert (
        response.text
        == "RESPONSE in Opposition to Motion re 2 Motion to Dismiss filed by Jane Doe."
    )
    assert list(response.relates_to.all()) == [motion]
    assert [d.number for d in motion.documents.all()] == [0, 1]
    case.refresh_from_db()
    assert case.last_entry_number == 3


def test_a_bankruptcy_petition_numbers_from_10001_with_the_chapters_fee():
    court = bankruptcy_court("cacb")
    debtor_counsel = filer(court)
    case, entry = actions.open_case(
        acting=debtor_counsel.account,
        court=court,
        case_type="bk",
        chapter=11,
        title="Acme Widgets, Inc.",
        parties=[PartySpec("Acme Widgets, Inc.", PartyRole.DEBTOR, represented=True)],
        event=event(court, Menu.BANKRUPTCY, "voluntary_petition"),
        documents=stored(court, "Petition"),
    )
    assert case.number.endswith("-10001") and case.chapter == 11
    assert CaseFee.objects.get(case=case).amount == Decimal("1738.00")
    adversary, _ = actions.open_case(
        acting=debtor_counsel.account,
        court=court,
        case_type="ap",
        main_case=case,
        title="Acme Widgets, Inc. v. Big Bank",
        parties=[
            PartySpec("Acme Widgets, Inc.", PartyRole.PLAINTIFF, represented=True),
            PartySpec("Big Bank", PartyRole.DEFENDANT),
        ],
        event=event(court, Menu.ADVERSARY, "adversary_complaint"),
        documents=stored(court, "Complaint"),
    )
    assert adversary.number.endswith("-01001") and adversary.main_case == case
    assert CaseFee.objects.get(case=adversary).amount == Decimal("350.00")


def test_bad_case_data_names_each_field_and_leaves_nothing(ctd, john, documents_dir):
    court = bankruptcy_court("cacb")
    with pytest.raises(ValidationError) as exc:
        actions.open_case(
            acting=john.account,
            court=court,
            case_type="ap",
            title=" ",
            parties=[],
            event=event(court, Menu.ADVERSARY, "adversary_complaint"),
            documents=stored(court, "Complaint"),
        )
    assert set(exc.value.message_dict) == {"title", "parties", "main_case"}
    with pytest.raises(ValidationError) as exc:
        actions.open_case(
            acting=john.account,
            court=ctd,
            case_type="bk",
            title="x",
            parties=[PartySpec("A", "Emperor")],
            event=event(ctd, Menu.CIVIL, "complaint"),
        )
    assert set(exc.value.message_dict) == {"case_type", "parties"}
    assert not Case.objects.exists() and stored_files(documents_dir) == []


def test_an_event_that_does_not_open_a_case_or_of_another_court_is_refused(ctd, john):
    with pytest.raises(ValidationError) as exc:
        actions.open_case(
            acting=john.account,
            court=ctd,
            case_type="cv",
            title="x",
            parties=[PartySpec("A", PartyRole.PLAINTIFF)],
            event=event(ctd, Menu.CIVIL, "motion_to_dismiss"),
            documents=stored(ctd, "x"),
        )
    assert "event" in exc.value.message_dict
    case = civil_case(ctd, john)
    vid = district_court("vid")
    with pytest.raises(ValidationError) as exc:
        actions.file_entry(
            acting=john.account,
            case=case,
            event=event(vid, Menu.CIVIL, "motion_to_dismiss"),
            documents=stored(ctd, "x"),
        )
    assert "event" in exc.value.message_dict
    assert case.entries.count() == 1


def test_an_attorney_may_not_file_a_staff_only_event_and_the_file_is_removed(
    ctd, john, documents_dir
):
    case = civil_case(ctd, john)
    before = stored_files(documents_dir)
    with pytest.raises(DocketRefused) as exc:
        actions.file_entry(
            acting=john.account,
            case=case,
            event=event(ctd, Menu.CIVIL, "order"),
            documents=stored(ctd, "Order"),
        )
    assert exc.value.reason == "staff_only"
    assert stored_files(documents_dir) == before and case.entries.count() == 1


def test_court_staff_enter_a_minute_entry_without_a_document(ctd, john):
    case = civil_case(ctd, john)
    clerk = staff(ctd)
    entry = actions.file_entry(
        acting=clerk,
        case=case,
        event=event(ctd, Menu.CIVIL, "minute_entry"),
        text="Minute Entry for proceedings held before Judge Meyer: Status Conference.",
    )
    assert entry.number == 2 and not entry.documents.exists()


def test_a_document_is_required_for_a_filing(ctd, john):
    case = civil_case(ctd, john)
    with pytest.raises(ValidationError) as exc:
        actions.file_entry(
            acting=john.account, case=case, event=event(ctd, Menu.CIVIL, "motion_to_dismiss")
        )
    assert "documents" in exc.value.message_dict


def test_parties_and_entries_of_another_case_are_refused(ctd, john):
    one, other = civil_case(ctd, john), civil_case(ctd, john, title="Roe v. Acme")
    stranger = other.parties.first()
    with pytest.raises(ValidationError) as exc:
        actions.file_entry(
            acting=john.account,
            case=one,
            event=event(ctd, Menu.CIVIL, "response_opposition"),
            filer_parties=[stranger],
            documents=stored(ctd, "x"),
        )
    assert "filer_parties" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        actions.file_entry(
            acting=john.account,
            case=one,
            event=event(ctd, Menu.CIVIL, "response_opposition"),
            relates_to=[other.entries.get()],
            documents=stored(ctd, "x"),
        )
    assert "relates_to" in exc.value.message_dict
    assert one.entries.count() == 1


def test_representing_a_party_needs_a_filer_account_of_the_court(ctd):
    outsider = filer(district_court("vid"))
    with pytest.raises(DocketRefused):
        actions.open_case(
            acting=outsider.account,
            court=ctd,
            case_type="cv",
            title="x",
            parties=[PartySpec("A", PartyRole.PLAINTIFF, represented=True)],
            event=event(ctd, Menu.CIVIL, "complaint"),
            documents=stored(ctd, "x"),
        )
    assert not Case.objects.exists()


def test_a_fault_after_the_files_are_stored_leaves_no_entry_and_no_file(
    ctd, john, documents_dir, monkeypatch
):
    case = civil_case(ctd, john)
    before = stored_files(documents_dir)

    def broken_audit(*args, **kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(actions, "record", broken_audit)
    documents = stored(ctd, "Motion", "Exhibit")
    assert len(stored_files(documents_dir)) == len(before) + 2
    with pytest.raises(RuntimeError):
        actions.file_entry(
            acting=john.account,
            case=case,
            event=event(ctd, Menu.CIVIL, "motion_to_dismiss"),
            documents=documents,
        )
    assert stored_files(documents_dir) == before
    assert DocketEntry.objects.filter(case=case).count() == 1
    case.refresh_from_db()
    assert case.last_entry_number == 1
    with pytest.raises(RuntimeError):
        civil_case(ctd, john, title="Roe v. Acme")
    assert Case.objects.count() == 1 and stored_files(documents_dir) == before


def test_a_failed_store_removes_the_files_already_stored(ctd, documents_dir, monkeypatch):
    class Broken:
        name = "broken.pdf"

        def seek(self, *_):
            raise OSError("disk gone")

    from nextgen.dockets.documents import DocumentUpload, store_documents

    with pytest.raises(OSError):
        store_documents([pdf_upload("Main"), DocumentUpload(file=Broken())], court=ctd)
    assert stored_files(documents_dir) == []


def test_page_count_of_a_longer_pdf(ctd):
    from io import BytesIO

    from nextgen.dockets.documents import DocumentUpload, store_documents

    [doc] = store_documents([DocumentUpload(file=BytesIO(tiny_pdf("x", 7)))], court=ctd)
    assert doc.page_count == 7 and doc.original_name == ""


def test_an_upload_spooled_to_disk_is_measured_from_its_file(ctd, tmp_path):
    from django.core.files.uploadedfile import TemporaryUploadedFile

    from nextgen.dockets.documents import DocumentUpload, store_documents

    data = tiny_pdf("Spooled", 3)
    upload = TemporaryUploadedFile("big.pdf", "application/pdf", len(data), None)
    upload.write(data)
    [doc] = store_documents([DocumentUpload(file=upload, original_name=upload.name)], court=ctd)
    assert (doc.page_count, doc.size, doc.original_name) == (3, len(data), "big.pdf")
    upload.close()


def test_an_evening_filing_is_dated_in_the_courts_time_zone_not_utcs(time_machine):
    """21:00 on 1 December in St. Thomas is already 2 December in UTC: the docket, the
    fee and the stamp say 1 December, the court's own date."""
    vid = district_court("vid")
    vid.time_zone = "America/St_Thomas"
    vid.save(update_fields=["time_zone"])
    time_machine.move_to(dt.datetime(2026, 12, 2, 1, 0, tzinfo=dt.UTC), tick=False)
    case = civil_case(vid, filer(vid))
    entry = case.entries.get()
    assert case.date_filed == entry.date_filed == dt.date(2026, 12, 1)
    assert CaseFee.objects.get(case=case).due == dt.date(2026, 12, 1)
    assert "[Date=12/1/2026]" in Document.objects.get(entry=entry).stamp
