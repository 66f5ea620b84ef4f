"""Staff CSV uploads, imported in the background with progress.

A court's export with plain-text passwords costs one Argon2 hash a row (~50 ms): 1,500
rows took longer than a request may (a 500 after 30 s, a worker killed, nothing stored,
nothing audited). So the upload only checks the file can be read and keeps it in a
`FilerImport` row (one audit event, "filers.import.queued"); the background worker
(`nextgen mail worker`, which claims queued imports through `run_next_import` between
messages; or, with immediate delivery as in the demo and tests, right after the commit) runs the
same `import_filers` as `nextgen filers import`, in chunks, writing its progress to the
row after each one, and the staff page shows it. `import_filers` writes the usual
"filers.import" event with the counts, on success and on failure.

The file may hold passwords: it is kept only until the job ends and emptied then, and
it is referred to by the row's id alone. A job whose process was killed (a deploy, the
machine's memory) ends nothing: the worker finds it abandoned once it has written no
progress for ABANDONED_AFTER, marks it stopped, empties its file and audits that
(`fail_abandoned`, before it claims the next import).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.http import HttpRequest
from django.utils import timezone

from nextgen.audit.models import Action, Outcome
from nextgen.audit.services import SYSTEM, SystemActor, record
from nextgen.signon.models import Account

from .. import notices
from ..importing import ImportFileError, ImportInterrupted, check_header, import_filers
from ..models import Court, FilerImport

logger = logging.getLogger(__name__)

# Rows per chunk in the background: progress is written after each, and a chunk of plain
# passwords costs ~50 ms a row to hash, so the page moves every ten seconds or so.
CHUNK_ROWS = 200
# Refused rows kept for the page (the counts are always complete).
MAX_KEPT_ERRORS = 1000
# A running job that wrote no progress for this long is no longer running: its chunks
# write progress every ten seconds or so, and a killed process writes nothing more.
ABANDONED_AFTER = dt.timedelta(minutes=15)


def _read_upload(upload: IO[Any]) -> tuple[bytes, str]:
    """The upload's bytes and text, or ValidationError on `file` when it is not UTF-8."""
    data = upload.read()
    if isinstance(data, str):
        return data.encode(), data
    try:
        return data, data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError({"file": notices.IMPORT_NOT_UTF8}) from exc


def queue_import(
    *, acting: Account, court: Court, upload: IO[Any], name: str, request: HttpRequest | None
) -> FilerImport:
    """Keep the upload and queue its import; the job to follow. A file that cannot be
    read at all (not UTF-8, a bad header) raises ValidationError on `file` at once."""
    data, text = _read_upload(upload)
    header = next(iter(io.StringIO(text, newline="")), "")
    try:
        check_header(next(csv.reader([header]), []))
    except ImportFileError as exc:
        raise ValidationError({"file": str(exc)}) from exc
    with transaction.atomic(durable=True):
        job = FilerImport.objects.create(
            court=court,
            requested_by=acting,
            source=f"upload:{name}"[:200],
            content=data,
            rows_total=max(text.count("\n") - 1, 1),
        )
        record(
            Action.FILERS_IMPORT_QUEUED,
            request=request,
            actor=acting,
            court_code=court.code,
            details={"import": job.pk, "source": job.source, "rows": job.rows_total},
        )

        if settings.NEXTGEN_MAIL_DELIVERY == "immediate":
            job_id = job.pk

            def run_filer_import() -> None:
                # The same task the worker runs; the import's events name `acting`.
                run_import(acting=SYSTEM, import_id=job_id)

            transaction.on_commit(run_filer_import, robust=True)
    return job


def run_next_import() -> bool:
    """The worker's background step: stop the abandoned imports, then run the oldest
    queued import, if any."""
    fail_abandoned()
    job_id = (
        FilerImport.objects.filter(status=FilerImport.Status.QUEUED)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    if job_id is None:
        return False
    run_import(acting=SYSTEM, import_id=job_id)
    return True


def run_import(*, acting: Account | SystemActor, import_id: int) -> str:
    """The task's body: import the kept file once, writing progress and the result to
    the job. Returns the job's final status. `acting` runs it (SYSTEM: the worker, or
    the upload's commit); the import's events name the staff member who uploaded the
    file while that account exists, `acting` otherwise."""
    # Claim the job: only a queued one starts, so a task delivered twice imports once.
    now = timezone.now()
    claimed = FilerImport.objects.filter(pk=import_id, status=FilerImport.Status.QUEUED).update(
        status=FilerImport.Status.RUNNING, started_at=now, progress_at=now
    )
    job = FilerImport.objects.select_related("court", "requested_by").get(pk=import_id)
    if not claimed:
        return job.status

    def progress(done: int) -> None:
        FilerImport.objects.filter(pk=job.pk).update(rows_done=done, progress_at=timezone.now())

    try:
        report = import_filers(
            court=job.court,
            rows=io.StringIO(bytes(job.content).decode("utf-8-sig"), newline=""),
            # The staff member who uploaded it; whoever runs it if that account is gone.
            acting=job.requested_by or acting,
            progress=progress,
            chunk_size=CHUNK_ROWS,
            source=job.source,
        )
    except (ImportFileError, ImportInterrupted) as exc:
        partial = getattr(exc, "report", None)
        _finish(job, FilerImport.Status.FAILED, partial, message=str(exc))
    except Exception:
        logger.exception("Import %s for %s stopped", job.pk, job.court.code)
        _finish(job, FilerImport.Status.FAILED, None, message=notices.IMPORT_STOPPED)
        raise
    else:
        _finish(job, FilerImport.Status.DONE, report)
    return job.status


def _finish(job: FilerImport, status: str, report: Any, *, message: str = "") -> None:
    """Write the outcome and empty the kept file (it may hold passwords)."""
    job.status = status
    job.message = message
    job.content = b""
    job.finished_at = timezone.now()
    fields = ["status", "message", "content", "finished_at"]
    if report is not None:
        job.created, job.updated, job.unchanged = report.created, report.updated, report.unchanged
        job.error_count = len(report.errors)
        job.errors = [list(e) for e in report.errors[:MAX_KEPT_ERRORS]]
        job.ignored_columns = report.ignored_columns
        job.rows_done = report.rows
        fields += [
            "created",
            "updated",
            "unchanged",
            "error_count",
            "errors",
            "ignored_columns",
            "rows_done",
        ]
    try:
        job.save(update_fields=fields)
    except DatabaseError:
        # The database is what failed; the staff page shows the job as still running.
        logger.exception("Could not record the end of import %s", job.pk)


def fail_abandoned(*, now: dt.datetime | None = None) -> int:
    """Mark stopped every running import that wrote no progress for ABANDONED_AFTER,
    emptying its kept file, each with a "filers.import" failure event in the same
    transaction; returns how many. Rows it imported before are kept (each chunk
    committed on its own); uploading the file again finishes it."""
    now = now or timezone.now()
    stale = FilerImport.objects.filter(
        status=FilerImport.Status.RUNNING, progress_at__lt=now - ABANDONED_AFTER
    ).select_related("court")
    stopped = 0
    for job in stale:
        with transaction.atomic(durable=True):
            # Only if it is still as read: a job that moved on meanwhile is left alone.
            changed = FilerImport.objects.filter(
                pk=job.pk, status=FilerImport.Status.RUNNING, progress_at=job.progress_at
            ).update(
                status=FilerImport.Status.FAILED,
                message=notices.IMPORT_ABANDONED,
                content=b"",
                finished_at=now,
            )
            if not changed:
                continue
            record(
                Action.FILERS_IMPORT,
                outcome=Outcome.FAILURE,
                actor=SYSTEM,
                court_code=job.court.code,
                details={"import": job.pk, "source": job.source, "reason": "abandoned"},
            )
        logger.warning("Import %s for %s found abandoned; marked stopped", job.pk, job.court.code)
        stopped += 1
    return stopped


def recent_imports(*, court: Court, limit: int = 10) -> list[FilerImport]:
    return list(FilerImport.objects.filter(court=court).order_by("-created_at")[:limit])
