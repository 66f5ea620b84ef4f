"""Background tasks other than mail itself (that is nextgen.mail.send_queued_mail).

Thin, as the style guide asks: plain, JSON-serialisable arguments; load by id and call
the service. Enqueued with transaction.on_commit by the code that owns the change.
"""

from __future__ import annotations

import datetime as dt

from django_tasks import task


@task()
def announce_go_live(*, court_id: int, go_live: str, base_url: str) -> int:
    """Queue the go-live notice for every unlinked CM/ECF account of the court (one mail
    task each, so each is retried on its own); the number queued."""
    from nextgen.ecf.notifications import send_go_live_notices

    return send_go_live_notices(
        court_id=court_id, go_live=dt.date.fromisoformat(go_live), base_url=base_url
    )


@task()
def run_filer_import(*, import_id: int) -> str:
    """Import a staff upload kept in ecf.FilerImport (by id only: the file may hold
    passwords, and task arguments are stored); the job's final status."""
    from nextgen.ecf.flows.import_jobs import run_import

    return run_import(import_id=import_id)
