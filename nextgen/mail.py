"""Every e-mail NextGen sends leaves through here, off the request.

`queue_mail` writes one message to the outbox (nextgen/outbox) in the current
transaction, so a rolled-back change sends nothing and a committed one cannot lose its
mail; `enqueue_fanout` does the same for a notice to many recipients (go-live notices,
later the NEFs), which a worker expands into one message per recipient, at most one per
(job, recipient) however often it is run. Each flow still builds its own message; only
the sending is here.

Who sends (settings.NEXTGEN_MAIL_DELIVERY): "immediate" sends right after the commit,
in the same process (demo and tests: mail.outbox as ever), "worker" leaves it to
`nextgen mail worker` (production), which claims each message with a lease, retries a
mail server failure after RETRY_DELAYS and keeps what never went out as FAILED.
docs/operations.md, "E-mail and the mail worker", says how to run and watch it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone

from nextgen.outbox import worker
from nextgen.outbox.models import FanoutJob, JobState, MessageState, OutboxMessage


@dataclass(frozen=True)
class OutgoingMail:
    """One message as a fan-out builder yields it (plain strings only)."""

    to: Sequence[str]
    subject: str
    body: str
    reply_to: Sequence[str] = field(default_factory=tuple)
    html_body: str = ""


class FanoutBuilder(Protocol):
    """What `enqueue_fanout(builder=...)` names: a class, made without arguments, whose
    `messages(**params)` yields (recipient key, message) for every recipient (the key is
    unique within the job: e.g. "filer:42" or "filer:42:alt@example.com"), and whose
    optional `expanded(*, total, added, **params)` runs in the transaction that marks the
    job expanded (write the audit event there)."""

    def messages(self, **params: Any) -> Iterable[tuple[str, OutgoingMail]]: ...


def retry_delays() -> tuple[dt.timedelta, ...]:
    """Wait before attempt 2, 3, ... (settings.NEXTGEN_MAIL_RETRY_DELAYS, in seconds)."""
    return worker.retry_delays()


def max_attempts() -> int:
    return worker.max_attempts()


def render_subject(template: str, context: Mapping[str, Any]) -> str:
    """A subject line from its template: one line, whitespace collapsed (a template's
    trailing newline must not reach the header)."""
    return " ".join(render_to_string(template, dict(context)).split())


def queue_templated_mail(
    *,
    to: list[str],
    body_template: str,
    context: Mapping[str, Any],
    subject: str = "",
    subject_template: str = "",
) -> None:
    """Render a plain-text message (the subject given, or from subject_template) and queue
    it with `queue_mail`: the one way a flow sends a message built from templates."""
    if bool(subject) == bool(subject_template):
        raise TypeError("Give exactly one of subject and subject_template.")
    if subject_template:
        subject = render_subject(subject_template, context)
    body = render_to_string(body_template, dict(context))
    queue_mail(to=to, subject=subject, body=body)


def queue_mail(
    *,
    to: list[str],
    subject: str,
    body: str,
    reply_to: list[str] | None = None,
    html_body: str = "",
) -> None:
    """Queue one message from DEFAULT_FROM_EMAIL, to be sent once the current transaction
    commits (at once outside one). Never raises for a mail server problem: a failure to
    send is retried by the worker, and with immediate delivery only logged."""
    message = OutboxMessage.objects.create(
        to=[str(address) for address in to],
        subject=str(subject),
        body=str(body),
        html_body=str(html_body),
        reply_to=[str(address) for address in reply_to] if reply_to else [],
    )
    if settings.NEXTGEN_MAIL_DELIVERY == "immediate":
        pk = message.pk

        def send_queued_mail() -> None:
            worker.deliver_now(pk)

        # A named function, not a lambda: Django logs the callback's __qualname__ on failure.
        transaction.on_commit(send_queued_mail, robust=True)


def enqueue_fanout(
    *, job_key: str, builder: str | type, params: Mapping[str, Any] | None = None
) -> FanoutJob:
    """Queue a notice to many recipients as one job, expanded after the current transaction
    commits by the worker (or at once with immediate delivery).

    `builder` is a FanoutBuilder class or its dotted path; `params` must be JSON (ids,
    ISO dates, strings). Idempotent per (job_key, recipient): enqueueing a known key again
    expands it again (adding only recipients without a message yet) and queues its failed
    messages once more, so a re-run sends exactly the missing ones."""
    path = builder if isinstance(builder, str) else f"{builder.__module__}.{builder.__qualname__}"
    job, created = FanoutJob.objects.get_or_create(
        key=job_key, defaults={"builder": path, "params": dict(params or {})}
    )
    if not created:
        # A job a worker is expanding right now keeps its lease; it is expanded again
        # when that claim ends or runs out.
        FanoutJob.objects.filter(pk=job.pk, state=JobState.DONE).update(state=JobState.QUEUED)
        job.messages.filter(state=MessageState.FAILED).update(
            state=MessageState.QUEUED, attempts=0, run_after=timezone.now(), last_error=""
        )
    if settings.NEXTGEN_MAIL_DELIVERY == "immediate":
        job_id = job.pk

        def send_fanout() -> None:
            worker.run_job_now(job_id)

        transaction.on_commit(send_fanout, robust=True)
    return job


def fanout_progress(job_key: str) -> dict[str, int]:
    """How far a fan-out is: messages per state ("queued", "sending", "sent", "failed"),
    "retrying" (queued after a failed attempt) and "total"; all 0 for an unknown key.
    For delivery reports such as "1,000 notices: 998 sent, 2 waiting to retry"."""
    counts = dict.fromkeys([*MessageState.values, "retrying", "total"], 0)
    rows = OutboxMessage.objects.filter(job__key=job_key)
    for state, retrying, n in (
        rows.annotate(retrying=Q(state=MessageState.QUEUED, attempts__gt=0))
        .values_list("state", "retrying")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[state] += n
        counts["retrying"] += n if retrying else 0
        counts["total"] += n
    return counts


def resend_failed_mail() -> int:
    """Queue every message given up on once more (a fresh run of attempts); the number
    queued. `nextgen mail retry-failed` runs it."""
    return OutboxMessage.objects.filter(state=MessageState.FAILED).update(
        state=MessageState.QUEUED, attempts=0, run_after=timezone.now(), last_error=""
    )
