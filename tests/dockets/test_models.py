"""Case numbers in each court's own format, and the seeded filing events."""

import datetime as dt
from decimal import Decimal

import pytest

from nextgen.dockets.events import seed_events
from nextgen.dockets.models import Case, CaseType, Filer, FilingEvent, Menu
from tests.dockets.factories import bankruptcy_court, district_court

pytestmark = pytest.mark.django_db


def test_a_district_case_number_has_office_year_type_and_five_digit_sequence():
    court = district_court()
    case = Case(court=court, case_type=CaseType.CIVIL, office=3, year=26, sequence=42)
    assert case.number == "3:26-cv-00042"
    case.judge_initials = "JAM"
    assert case.number == "3:26-cv-00042-JAM"
    assert Case(court=court, case_type="cr", office=1, year=7, sequence=5).number == (
        "1:07-cr-00005"
    )


def test_bankruptcy_and_adversary_numbers_are_year_and_sequence():
    court = bankruptcy_court()
    assert Case(court=court, case_type="bk", year=26, sequence=10042).number == "26-10042"
    assert Case(court=court, case_type="ap", year=26, sequence=1003).number == "26-01003"


def test_a_new_district_court_gets_the_civil_and_criminal_events():
    court = district_court("vid")
    menus = set(FilingEvent.objects.filter(court=court).values_list("menu", flat=True))
    assert menus == {Menu.CIVIL, Menu.CRIMINAL}
    complaint = FilingEvent.objects.get(court=court, menu=Menu.CIVIL, code="complaint")
    assert (complaint.label, complaint.group) == ("Complaint", "Open a Civil Case")
    assert complaint.opens_case and complaint.fee == Decimal("405.00")
    labels = set(
        FilingEvent.objects.filter(court=court, menu=Menu.CIVIL).values_list("label", flat=True)
    )
    assert {
        "Answer to Complaint",
        "Notice of Appearance",
        "Motion to Dismiss",
        "Motion for Summary Judgment",
        "Response in Opposition to Motion",
        "Reply to Response to Motion",
        "Stipulation",
        "Notice (Other)",
        "Exhibit",
        "Certificate of Service",
        "Order",
        "Minute Entry",
    } <= labels
    order = FilingEvent.objects.get(court=court, menu=Menu.CIVIL, code="order")
    assert order.who == Filer.STAFF
    minute = FilingEvent.objects.get(court=court, menu=Menu.CIVIL, code="minute_entry")
    assert not minute.document_required
    indictment = FilingEvent.objects.get(court=court, menu=Menu.CRIMINAL, code="indictment")
    assert indictment.who == Filer.STAFF and indictment.opens_case


def test_a_new_bankruptcy_court_gets_petition_fees_per_chapter_and_adversary_events():
    court = bankruptcy_court("vib")
    assert set(FilingEvent.objects.filter(court=court).values_list("menu", flat=True)) == {
        Menu.BANKRUPTCY,
        Menu.ADVERSARY,
    }
    petition = FilingEvent.objects.get(court=court, code="voluntary_petition")
    assert petition.group == "Open a Bankruptcy Case"
    assert petition.fee_for(chapter=7) == Decimal("338.00")
    assert petition.fee_for(chapter=13) == Decimal("313.00")
    adversary = FilingEvent.objects.get(court=court, code="adversary_complaint")
    assert adversary.fee == Decimal("350.00") and adversary.group == "Open an Adversary Proceeding"


def test_seeding_again_adds_only_what_is_missing_and_keeps_staff_changes():
    court = district_court()
    FilingEvent.objects.filter(court=court, code="stipulation").update(label="Joint Stipulation")
    FilingEvent.objects.filter(court=court, menu=Menu.CIVIL, code="exhibit").delete()
    assert seed_events(court) == 1
    assert FilingEvent.objects.get(court=court, menu=Menu.CIVIL, code="stipulation").label == (
        "Joint Stipulation"
    )
    assert FilingEvent.objects.filter(court=court, menu=Menu.CIVIL, code="exhibit").exists()


def test_date_filed_defaults_to_today(time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC))
    court = district_court()
    case = Case.objects.create(
        court=court, case_type="cv", office=3, year=26, sequence=1, title="x"
    )
    assert case.date_filed == dt.date(2026, 3, 2)
