"""A CSV import leaves an audited trail of each chunk it committed, so an import that
dies half-way still says, in the log, exactly what it wrote.

These tests commit for real (transaction=True): each chunk is a durable transaction of
its own, and what a crash leaves behind is what those transactions committed."""

from __future__ import annotations

import io

import pytest

import nextgen.ecf.importing as importing
from nextgen.audit.models import Action, Event
from nextgen.audit.services import SYSTEM, verify_chain
from nextgen.ecf.flows import import_jobs
from nextgen.ecf.models import FilerAccount, FilerImport
from tests.factories import AccountFactory, CourtFactory

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = "login,first_name,last_name,email,bar_number,password\n"


def csv_text(rows: int, *, bad_at: int | None = None) -> str:
    lines = [
        f"f{n},First{n},Last{n},"
        f"{'not-an-email' if n == bad_at else f'f{n}@example.com'},VI{n},Plain#Pass{n}x\n"
        for n in range(rows)
    ]
    return HEADER + "".join(lines)


class Crash(Exception):
    """Stands for the process dying in the middle of the second chunk."""


@pytest.fixture
def crash_in_second_chunk(monkeypatch):
    """The second chunk's write raises after its rows reached the database, as a crash
    before COMMIT would leave it: nothing of that chunk may stay."""
    real_init = importing._Writer.__init__
    chunks = {"n": 0}

    def init(self, columns):
        real_init(self, columns)
        write = self.write

        def crashing(court, rows, report):
            chunks["n"] += 1
            write(court, rows, report)
            if chunks["n"] == 2:
                raise Crash

        self.write = crashing

    monkeypatch.setattr(importing._Writer, "__init__", init)


def chunk_events() -> list[Event]:
    return list(Event.objects.filter(action=Action.FILERS_IMPORT_CHUNK).order_by("id"))


def test_each_committed_chunk_writes_one_event_with_the_counts_so_far():
    court = CourtFactory(code="ctd")
    clerk = AccountFactory(username="ctd.clerk")
    importing.import_filers(
        court=court, rows=io.StringIO(csv_text(5, bad_at=3)), acting=clerk, chunk_size=2
    )
    assert [
        (e.details["chunk"], e.details["created"], e.details["errors"]) for e in chunk_events()
    ] == [(1, 2, 0), (2, 3, 1), (3, 4, 1)]
    assert {e.actor for e in chunk_events()} == {clerk}
    assert Event.objects.get(action=Action.FILERS_IMPORT).details["created"] == 4
    assert verify_chain().ok


def test_a_crash_in_the_second_chunk_leaves_the_first_chunk_and_its_event(
    crash_in_second_chunk,
):
    court = CourtFactory(code="ctd")
    with pytest.raises(Crash):
        importing.import_filers(
            court=court, rows=io.StringIO(csv_text(5)), acting=SYSTEM, chunk_size=2
        )
    committed = sorted(FilerAccount.objects.filter(court=court).values_list("login", flat=True))
    assert committed == ["f0", "f1"]
    (first,) = chunk_events()
    assert first.details["chunk"] == 1
    assert first.details["created"] == len(committed)
    assert first.details["rows"] == 2
    # The import's own event says it failed, with the counts of what stayed written.
    final = Event.objects.get(action=Action.FILERS_IMPORT)
    assert (final.outcome, final.details["created"]) == ("failure", 2)


def test_a_staff_upload_that_crashes_mid_way_keeps_its_chunk_trail(
    crash_in_second_chunk, monkeypatch, settings
):
    settings.NEXTGEN_MAIL_DELIVERY = "worker"
    monkeypatch.setattr(import_jobs, "CHUNK_ROWS", 2)
    court = CourtFactory(code="vid")
    clerk = AccountFactory(username="vid.clerk")
    job = import_jobs.queue_import(
        acting=clerk,
        court=court,
        upload=io.BytesIO(csv_text(5).encode()),
        name="vid.csv",
        request=None,
    )
    with pytest.raises(Crash):
        import_jobs.run_import(acting=SYSTEM, import_id=job.pk)
    job.refresh_from_db()
    assert job.status == FilerImport.Status.FAILED
    (first,) = chunk_events()
    assert first.actor == clerk
    assert first.details["created"] == FilerAccount.objects.filter(court=court).count() == 2
