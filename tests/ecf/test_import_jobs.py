"""Staff CSV uploads are imported in the background, never in the upload's request.

Attack (issue 15 item 9): 1,500 rows of plain-text passwords in one upload hashed one by
one inside the request: a 500 after 30 s, a worker killed, nothing stored or audited."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from nextgen.audit.models import Event
from nextgen.audit.services import SYSTEM
from nextgen.ecf.flows import import_jobs
from nextgen.ecf.models import CourtRole, FilerAccount, FilerImport
from nextgen.outbox.worker import Worker
from tests.commits import run_on_commit
from tests.factories import AccountFactory, CourtFactory
from tests.passcode import with_passcode

pytestmark = pytest.mark.django_db
HEADER = "login,first_name,last_name,email,bar_number,password\n"


def plain_csv(rows: int) -> bytes:
    body = "".join(
        f"f{n},First{n},Last{n},f{n}@example.com,VI{n},Plain#Pass{n}x\n" for n in range(rows)
    )
    return (HEADER + body).encode()


@pytest.fixture
def vid():
    return CourtFactory(code="vid", name="District Court of the Virgin Islands")


@pytest.fixture
def clerk(vid):
    account = AccountFactory(username="vid.clerk")
    CourtRole.objects.create(account=account, court=vid)
    return account


@pytest.fixture
def clerk_client(clerk):
    return with_passcode(Client(), clerk)


@pytest.fixture
def database_queue(settings):
    """As in production: the import waits in the database for `nextgen mail worker`."""
    settings.NEXTGEN_MAIL_DELIVERY = "worker"


def queued_imports():
    return list(FilerImport.objects.filter(status=FilerImport.Status.QUEUED))


def run_filer_import(*, import_id: int) -> str:
    return import_jobs.run_import(acting=SYSTEM, import_id=import_id)


def upload(client, content: bytes, name: str = "vid.csv", **extra):
    return client.post(
        reverse("ecf:staff_import", kwargs={"code": "vid"}),
        {"file": SimpleUploadedFile(name, content, content_type="text/csv")},
        **extra,
    )


def test_an_upload_of_plain_passwords_hashes_nothing_in_the_request(
    clerk_client, clerk, vid, database_queue, monkeypatch
):
    hashed: list[str] = []
    import nextgen.ecf.importing as importing

    real = importing.make_password
    monkeypatch.setattr(importing, "make_password", lambda pw: hashed.append(pw) or real(pw))
    response = upload(clerk_client, plain_csv(1500))
    job = FilerImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "ecf:staff_import_status", kwargs={"code": "vid", "pk": job.pk}
    )
    assert hashed == [] and not FilerAccount.objects.exists()
    assert (job.status, job.rows_total, job.requested_by) == ("queued", 1500, clerk)
    # The job waits for the worker; nothing ran in the request.
    assert queued_imports() == [job]
    queued = Event.objects.get(action="filers.import.queued")
    assert queued.actor == clerk and queued.details["rows"] == 1500
    page = clerk_client.get(response["Location"]).content.decode()
    assert "Waiting to start" in page and '<meta http-equiv="refresh"' in page


def test_the_worker_imports_in_chunks_writing_progress_and_the_report(
    clerk_client, clerk, vid, database_queue, monkeypatch
):
    monkeypatch.setattr(import_jobs, "CHUNK_ROWS", 100)
    upload(clerk_client, plain_csv(250) + b"bad,Bad,Row,not-an-email,VI9,Plain#Pass9x\n")
    job = FilerImport.objects.get()
    seen: list[int] = []
    original = import_jobs.import_filers

    def spying(**kwargs):
        write_progress = kwargs["progress"]

        def progress(done: int) -> None:
            write_progress(done)
            seen.append(FilerImport.objects.get(pk=job.pk).rows_done)  # as the page reads it

        return original(**{**kwargs, "progress": progress})

    monkeypatch.setattr(import_jobs, "import_filers", spying)
    # The worker (`nextgen mail worker`) finds the queued import between messages.
    Worker(once=True).run()
    assert seen == [100, 200, 251]
    job.refresh_from_db()
    assert (job.status, job.created, job.error_count, job.rows_done) == ("done", 250, 1, 251)
    assert job.errors == [[252, "bad e-mail address 'not-an-email'"]]
    assert bytes(job.content) == b""  # the passwords are not kept once imported
    assert FilerAccount.objects.filter(court=vid).count() == 250
    event = Event.objects.get(action="filers.import")
    assert event.actor == clerk and event.details["created"] == 250
    page = clerk_client.get(
        reverse("ecf:staff_import_status", kwargs={"code": "vid", "pk": job.pk})
    ).content.decode()
    assert "Finished" in page and '<span id="count-created">250</span>' in page
    assert "http-equiv" not in page  # no more refreshing
    assert "<td>252</td><td>bad e-mail address &#x27;not-an-email&#x27;</td>" in page


def test_a_task_delivered_twice_imports_once(clerk_client, vid, database_queue):
    upload(clerk_client, plain_csv(3))
    job = FilerImport.objects.get()
    assert run_filer_import(import_id=job.pk) == "done"
    assert run_filer_import(import_id=job.pk) == "done"
    assert Event.objects.filter(action="filers.import").count() == 1


def test_a_database_failure_in_the_worker_stops_the_job_saying_what_was_kept(
    clerk_client, vid, database_queue, monkeypatch
):
    monkeypatch.setattr(import_jobs, "CHUNK_ROWS", 2)
    upload(clerk_client, plain_csv(5))
    job = FilerImport.objects.get()
    import nextgen.ecf.importing as importing

    real_init = importing._Writer.__init__
    calls = {"n": 0}

    def failing_second_chunk(self, columns):
        real_init(self, columns)
        write = self.write

        def write_or_fail(court, rows, report):
            calls["n"] += 1
            if calls["n"] == 2:
                raise OperationalError("the database went away")
            write(court, rows, report)

        self.write = write_or_fail

    monkeypatch.setattr(importing._Writer, "__init__", failing_second_chunk)
    assert run_filer_import(import_id=job.pk) == "failed"
    job.refresh_from_db()
    assert job.status == "failed" and job.created == 2 and bytes(job.content) == b""
    assert "The database failed during the import" in job.message
    page = clerk_client.get(
        reverse("ecf:staff_import_status", kwargs={"code": "vid", "pk": job.pk})
    ).content.decode()
    assert "Stopped" in page and "upload the file again to finish" in page


def test_an_unreadable_file_is_refused_in_the_request_and_nothing_is_queued(
    clerk_client, vid, database_queue
):
    response = upload(clerk_client, b"name,mail\nx,y\n")
    assert response.status_code == 400
    assert "The header lacks the column(s)" in response.content.decode()
    assert not FilerImport.objects.exists() and queued_imports() == []


def test_another_courts_staff_cannot_see_an_import(clerk_client, vid, database_queue):
    upload(clerk_client, plain_csv(1))
    job = FilerImport.objects.get()
    other = AccountFactory()
    CourtRole.objects.create(account=other, court=CourtFactory(code="vib"))
    client = with_passcode(Client(), other)
    for code in ("vid", "vib"):
        page = reverse("ecf:staff_import_status", kwargs={"code": code, "pk": job.pk})
        assert client.get(page).status_code == 404


def test_the_import_page_lists_recent_imports_with_their_state(clerk_client, vid):
    with run_on_commit():  # immediate delivery: the import runs once the upload commits
        upload(clerk_client, plain_csv(2), name="first.csv")
    html = clerk_client.get(reverse("ecf:staff_import", kwargs={"code": "vid"})).content.decode()
    assert 'id="recent-imports"' in html and "first.csv" in html and "Finished" in html


def _running_job(vid, *, progress_minutes_ago: float) -> FilerImport:
    """An import whose process was killed part-way: running, its file kept, its last
    progress written `progress_minutes_ago`."""
    import datetime as dt

    from django.utils import timezone

    at = timezone.now() - dt.timedelta(minutes=progress_minutes_ago)
    return FilerImport.objects.create(
        court=vid,
        source="upload:vid.csv",
        content=plain_csv(3),
        status=FilerImport.Status.RUNNING,
        rows_total=3,
        started_at=at,
        progress_at=at,
    )


def test_an_import_whose_process_was_killed_is_found_abandoned_by_the_worker(clerk_client, vid):
    """A killed import stayed "Importing" for ever, keeping a file of plain-text
    passwords. The worker's next step marks it stopped, empties the file and audits it."""
    job = _running_job(vid, progress_minutes_ago=16)
    assert import_jobs.run_next_import() is False  # nothing queued; the sweep ran
    job.refresh_from_db()
    assert job.status == "failed" and bytes(job.content) == b"" and job.finished_at
    event = Event.objects.get(action="filers.import", outcome="failure")
    assert event.details["import"] == job.pk and event.details["reason"] == "abandoned"
    page = clerk_client.get(
        reverse("ecf:staff_import_status", kwargs={"code": "vid", "pk": job.pk})
    ).content.decode()
    assert "Stopped" in page and "the server running it was interrupted" in page
    assert "upload the file again to finish" in page


def test_an_import_still_writing_progress_is_left_running(vid):
    job = _running_job(vid, progress_minutes_ago=1)
    assert import_jobs.fail_abandoned() == 0
    job.refresh_from_db()
    assert job.status == "running" and bytes(job.content) == plain_csv(3)
    assert not Event.objects.filter(action="filers.import").exists()


def test_a_running_import_writes_when_it_last_made_progress(clerk_client, vid, database_queue):
    upload(clerk_client, plain_csv(3))
    job = FilerImport.objects.get()
    import_jobs.run_import(acting=SYSTEM, import_id=job.pk)
    job.refresh_from_db()
    assert job.status == "done" and job.progress_at is not None
    assert job.started_at < job.progress_at <= job.finished_at  # after its chunk
