"""Numbers under real concurrency, and a fault after the files are stored, on PostgreSQL.

Each thread has its own database connection and they are released together by a
barrier: 50 filings in one case get 50 distinct consecutive entry numbers; 50 case
openings in one court get 50 distinct consecutive case numbers (the year's counter row
does not exist yet, so its first insert races too). SQLite serialises writers anyway.
"""

import threading

import pytest
from django.db import connection

from nextgen.dockets import actions
from nextgen.dockets.events import event
from nextgen.dockets.models import Case, DocketEntry, Document, Menu, PartyRole
from tests.dockets.factories import civil_case, district_court, filer, stored, stored_files

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]
N = 50


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL (CI sets DATABASE_URL)")


def together(work) -> list:
    """Run work(i) for i in range(N) in N threads released at once; results or errors."""
    barrier = threading.Barrier(N, timeout=60)
    results: list = [None] * N

    def run(i: int) -> None:
        try:
            prepared = work.prepare(i)
            connection.ensure_connection()
            barrier.wait()
            results[i] = work.run(i, prepared)
        except Exception as exc:  # surfaced by the assertions
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return results


def test_simultaneous_filings_in_one_case_get_distinct_consecutive_numbers(documents_dir):
    ctd = district_court("ctd")
    counsel = filer(ctd)
    case = civil_case(ctd, counsel)
    motion = event(ctd, Menu.CIVIL, "motion_to_dismiss")

    class Filing:
        @staticmethod
        def prepare(i):
            return stored(ctd, f"Motion {i}")

        @staticmethod
        def run(i, documents):
            return actions.file_entry(
                acting=counsel.account, case=case, event=motion, documents=documents
            ).number

    numbers = together(Filing)
    assert all(isinstance(n, int) for n in numbers), numbers
    assert sorted(numbers) == list(range(2, N + 2))
    case.refresh_from_db()
    assert case.last_entry_number == N + 1
    assert Document.objects.filter(entry__case=case).count() == N + 1
    assert len(stored_files(documents_dir)) == N + 1


def test_simultaneous_case_openings_get_distinct_consecutive_numbers():
    ctd = district_court("ctd")
    counsel = filer(ctd)
    complaint = event(ctd, Menu.CIVIL, "complaint")

    class Opening:
        @staticmethod
        def prepare(i):
            return stored(ctd, f"Complaint {i}")

        @staticmethod
        def run(i, documents):
            case, _ = actions.open_case(
                acting=counsel.account,
                court=ctd,
                case_type="cv",
                office=3,
                title=f"Doe {i} v. Acme Corp.",
                parties=[actions.PartySpec(f"Doe {i}", PartyRole.PLAINTIFF, represented=True)],
                event=complaint,
                documents=documents,
            )
            return case.sequence

    sequences = together(Opening)
    assert all(isinstance(n, int) for n in sequences), sequences
    assert sorted(sequences) == list(range(1, N + 1))
    assert len({c.number for c in Case.objects.filter(court=ctd)}) == N


def test_a_fault_after_the_files_are_stored_leaves_no_entry_and_no_file(documents_dir, monkeypatch):
    ctd = district_court("ctd")
    counsel = filer(ctd)
    case = civil_case(ctd, counsel)
    before = stored_files(documents_dir)

    def broken_audit(*args, **kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(actions, "record", broken_audit)
    with pytest.raises(RuntimeError):
        actions.file_entry(
            acting=counsel.account,
            case=case,
            event=event(ctd, Menu.CIVIL, "motion_to_dismiss"),
            documents=stored(ctd, "Motion", "Exhibit"),
        )
    assert stored_files(documents_dir) == before
    assert DocketEntry.objects.filter(case=case).count() == 1
    case.refresh_from_db()
    assert case.last_entry_number == 1
