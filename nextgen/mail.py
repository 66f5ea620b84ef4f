"""Every e-mail NextGen sends leaves through here, off the request.

`queue_mail` enqueues one message as a background task (Django's tasks API, from the
django-tasks backport) once the current transaction commits, so a rolled-back change
sends nothing and a page never waits on the mail server. Each flow still builds its
own message; only the sending is here.

The task, `send_queued_mail`, takes plain strings only. A mail server failure is
retried later (RETRY_DELAYS: 1 and 5 minutes, then 30 minutes, 2 and 6 hours), each
retry a new task carrying the attempt number (the attempt that handed over ends
SUCCESSFUL with {"sent": False, "retry": <id>}, so FAILED rows are exactly the messages
given up on). After the last attempt the task fails:
its row stays in the task table with status FAILED (the database backend keeps it) and
an ERROR is logged naming the task, never the body. `resend_failed_mail()` queues every
such message again (README, "E-mail").

Backends (settings.TASKS, chosen by NEXTGEN_TASKS_BACKEND): "immediate" runs the task
inline (demo and tests; it cannot defer, so a failed message there is only logged),
"database" stores it for `nextgen db_worker` (production).
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskContext, task

logger = logging.getLogger(__name__)

# Wait before attempt 2, 3, ...; one more attempt than delays.
RETRY_DELAYS: tuple[dt.timedelta, ...] = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=6),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


def queue_mail(
    *, to: list[str], subject: str, body: str, reply_to: list[str] | None = None
) -> None:
    """Queue one plain-text message from DEFAULT_FROM_EMAIL, to be sent once the current
    transaction commits (at once outside one). Never raises for a mail server problem:
    a failure to queue is logged (robust on_commit), a failure to send is retried."""
    message = {
        "to": [str(address) for address in to],
        "subject": str(subject),
        "body": str(body),
        "reply_to": [str(address) for address in reply_to] if reply_to else None,
    }

    def enqueue_mail() -> None:
        send_queued_mail.enqueue(**message)

    # A named function, not a lambda: Django logs the callback's __qualname__ on failure.
    transaction.on_commit(enqueue_mail, robust=True)


@task(takes_context=True)
def send_queued_mail(
    context: TaskContext,
    *,
    to: list[str],
    subject: str,
    body: str,
    reply_to: list[str] | None = None,
    attempt: int = 1,
) -> dict[str, object]:
    """Send one queued message with Django's mail API; on a mail server failure queue the
    next attempt after its delay, and after the last one fail (the row is kept)."""
    task_id = context.task_result.id
    try:
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, to, reply_to=reply_to).send()
    except (smtplib.SMTPException, OSError) as error:
        backend = send_queued_mail.get_backend()
        if attempt < MAX_ATTEMPTS and backend.supports_defer:
            run_after = timezone.now() + RETRY_DELAYS[attempt - 1]
            retry = send_queued_mail.using(run_after=run_after).enqueue(
                to=to, subject=subject, body=body, reply_to=reply_to, attempt=attempt + 1
            )
            logger.warning(
                "Mail task %s (%r) failed on attempt %d of %d (%s); retry %s at %s",
                task_id,
                subject,
                attempt,
                MAX_ATTEMPTS,
                error,
                retry.id,
                run_after.isoformat(),
            )
            return {"sent": False, "attempt": attempt, "retry": str(retry.id)}
        logger.error(
            "Mail task %s (%r) to %d recipient(s) not sent after attempt %d of %d (%s); "
            "kept as a failed task, re-send with nextgen.mail.resend_failed_mail()",
            task_id,
            subject,
            len(to),
            attempt,
            MAX_ATTEMPTS,
            error,
        )
        raise
    return {"sent": True, "attempt": attempt}


def resend_failed_mail() -> int:
    """Queue every message whose last attempt failed once more (a fresh run of attempts),
    removing its failed record in the same transaction; the number queued. Needs the
    database backend (the immediate one keeps nothing)."""
    from django_tasks_db.models import DBTaskResult

    queued = 0
    failed = DBTaskResult.objects.failed().filter(task_path=send_queued_mail.module_path)
    with transaction.atomic():
        for row in failed.select_for_update().order_by("enqueued_at"):
            kwargs = dict(row.args_kwargs["kwargs"])
            kwargs["attempt"] = 1
            send_queued_mail.enqueue(**kwargs)
            row.delete()
            queued += 1
    return queued
