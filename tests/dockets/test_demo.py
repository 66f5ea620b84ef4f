"""`nextgen demo` adds realistic cases in vid, ctd, vib and cacb, once."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from nextgen.dockets.documents import verify_stamp
from nextgen.dockets.models import Case, DocketEntry, Document, Representation
from tests.dockets.factories import stored_files

pytestmark = pytest.mark.django_db


def demo() -> str:
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_demo_cases_with_john_attorney_of_record_in_four_courts(documents_dir):
    out = demo()
    assert "Demo cases" in out and "3:26-cv-00101" in out
    courts = set(Case.objects.values_list("court__code", flat=True))
    assert courts == {"vid", "ctd", "vib", "cacb"}
    for code in courts:
        assert Representation.objects.filter(
            party__case__court__code=code, filer__login=f"jattorney_{code}"
        ).exists(), code

    doe = Case.objects.get(court__code="ctd", case_type="cv", sequence=101)
    assert doe.number == "3:26-cv-00101" and doe.last_entry_number == 60
    assert list(doe.entries.values_list("number", flat=True)) == list(range(1, 61))
    assert doe.entries.filter(sealed=True).count() == 1
    assert doe.entries.filter(documents__isnull=True).exists()  # minute entries
    assert Case.objects.filter(date_terminated__isnull=False).exists()
    adversary = Case.objects.get(court__code="cacb", case_type="ap")
    assert adversary.number == "26-01003" and adversary.main_case.number == "26-11234"
    assert Case.objects.filter(court__code="ctd", case_type="cr").exists()

    document = Document.objects.filter(entry__case=doe).first()
    assert document.page_count == 1 and document.size < 5000
    with document.file.open("rb") as f:
        assert f.read(5) == b"%PDF-"
        assert verify_stamp(doe.court, document.stamp, f)
    assert len(stored_files(documents_dir)) == Document.objects.count()


def test_running_the_demo_again_adds_nothing(documents_dir):
    demo()
    counts = (Case.objects.count(), DocketEntry.objects.count(), Document.objects.count())
    files = stored_files(documents_dir)
    demo()
    assert (Case.objects.count(), DocketEntry.objects.count(), Document.objects.count()) == counts
    assert stored_files(documents_dir) == files


def test_no_demo_entry_is_filed_or_entered_in_the_future(documents_dir):
    call_command("demo", stdout=io.StringIO())
    latest = DocketEntry.objects.order_by("-date_filed").first()
    assert latest.date_filed <= timezone.localdate()
    assert not DocketEntry.objects.filter(date_entered__gt=timezone.now()).exists()
