"""Sending what the outbox holds: claim with a lease, send, record; expand fan-out jobs.

`nextgen mail worker` runs `Worker.run()`; immediate delivery (demo, tests) calls
`deliver_now` / `run_job_now` after the commit, in the process that queued the mail.

Why a lease: a worker that claims a message marks it SENDING until `lease_until`. If it
dies (SIGKILL, OOM, the machine), nobody marks it back, so any worker claims a SENDING
row whose lease has run out. The lease (NEXTGEN_MAIL_LEASE_SECONDS) must outlast one
send, which EMAIL_TIMEOUT bounds. Each claim carries a token; only the holder of the
current token records the outcome, so a worker that lost its claim cannot mark a
message another worker now holds.

Exactly once: a message is SENT once the mail server accepted it, recorded right after.
If the database is down at that moment the worker keeps retrying that one update until
it answers (it does not claim anything else meanwhile), so a PostgreSQL restart sends
nothing twice. Only a worker killed between the server's "250 accepted" and that
update (a few milliseconds) leaves a message that is sent again when its lease runs out.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import signal
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import InterfaceError, OperationalError, connections, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import FanoutJob, JobState, MessageState, OutboxMessage

# The operators' name for it (and the name the logs always had).
logger = logging.getLogger("nextgen.mail")

EXPAND_BATCH = 200
# Errors that mean "the database is not there right now" (restart, failover, network).
DATABASE_DOWN = (OperationalError, InterfaceError)


# Other background work that the same worker process does when no mail is waiting (e.g.
# ecf's staff CSV imports). The outbox knows nothing of the apps above it: each fills this
# registry in its AppConfig.ready(). A step claims and does one piece of work and returns
# True, or returns False when there was none.
BACKGROUND_STEPS: list[Callable[[], bool]] = []


def lease() -> dt.timedelta:
    return dt.timedelta(seconds=float(settings.NEXTGEN_MAIL_LEASE_SECONDS))


def retry_delays() -> tuple[dt.timedelta, ...]:
    return tuple(dt.timedelta(seconds=float(s)) for s in settings.NEXTGEN_MAIL_RETRY_DELAYS)


def _first_delay_seconds() -> float:
    delays = retry_delays()
    return delays[0].total_seconds() if delays else 0.0


def max_attempts() -> int:
    return len(retry_delays()) + 1


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def reset_connections() -> None:
    """Drop every database connection (a restarted server left them dead); the next query
    opens a new one."""
    for conn in connections.all(initialized_only=True):
        try:
            conn.close()
        except Exception:  # a dead connection may fail to close; it is gone
            conn.connection = None


@dataclass(frozen=True)
class Claimed:
    """A message this process holds the lease on, with what it needs to send it."""

    pk: int
    claim: str
    attempt: int
    to: list[str]
    reply_to: list[str]
    subject: str
    body: str
    html_body: str


# --- claiming ------------------------------------------------------------------------------------
def _due(now: dt.datetime) -> Q:
    return Q(state=MessageState.QUEUED, run_after__lte=now) | Q(
        state=MessageState.SENDING, lease_until__lt=now
    )


def claim_message(*, pk: int | None = None, job_id: int | None = None) -> Claimed | None:
    """Claim the next due message (or this one, or one of this job), skipping rows another
    worker has locked; None when there is none."""
    while True:
        now = timezone.now()
        with transaction.atomic():
            rows = OutboxMessage.objects.filter(_due(now))
            if pk is not None:
                rows = rows.filter(pk=pk)
            if job_id is not None:
                rows = rows.filter(job_id=job_id)
            row = rows.select_for_update(skip_locked=True).order_by("run_after", "pk").first()
            if row is None:
                return None
            if row.state == MessageState.SENDING:
                logger.warning(
                    "Mail message %s: the lease of attempt %d ran out (its worker died or "
                    "hung); claiming it again",
                    row.pk,
                    row.attempts,
                )
            if row.attempts >= max_attempts():
                # Every attempt so far ended with its worker gone: stop, keep it.
                row.state, row.lease_until, row.claim = MessageState.FAILED, None, ""
                row.last_error = "the worker sending it stopped on every attempt"
                row.save(update_fields=["state", "lease_until", "claim", "last_error"])
                logger.error(
                    "Mail message %s (%r) given up after %d attempts whose worker stopped; "
                    "kept as failed, re-send with `nextgen mail retry-failed`",
                    row.pk,
                    row.subject,
                    row.attempts,
                )
                continue
            row.state = MessageState.SENDING
            row.claim = uuid.uuid4().hex
            row.attempts += 1
            row.lease_until = now + lease()
            row.save(update_fields=["state", "claim", "attempts", "lease_until"])
            return Claimed(
                pk=row.pk,
                claim=row.claim,
                attempt=row.attempts,
                to=list(row.to),
                reply_to=list(row.reply_to or []),
                subject=row.subject,
                body=row.body,
                html_body=row.html_body,
            )


def _until_recorded(update: Callable[[], int], *, persistent: bool, what: str) -> int:
    """Run an outcome update; in the worker, retry it while the database is down (the
    mail went out: forgetting that would send it twice)."""
    delay = 0.2
    while True:
        try:
            return update()
        except DATABASE_DOWN as error:
            if not persistent:
                raise
            logger.warning("Mail worker: cannot record %s yet (%s); retrying", what, error)
            reset_connections()
            threading.Event().wait(delay)
            delay = min(delay * 2, 5.0)


def record_sent(claimed: Claimed, *, persistent: bool) -> None:
    def update() -> int:
        return OutboxMessage.objects.filter(pk=claimed.pk, claim=claimed.claim).update(
            state=MessageState.SENT,
            sent_at=timezone.now(),
            lease_until=None,
            claim="",
            last_error="",
        )

    if not _until_recorded(update, persistent=persistent, what=f"message {claimed.pk} as sent"):
        logger.warning(
            "Mail message %s was sent, but its lease had run out and another worker holds "
            "it now: it may be delivered twice",
            claimed.pk,
        )


def record_failure(claimed: Claimed, error: BaseException, *, persistent: bool) -> None:
    """Queue the next attempt after its delay, or after the last one keep it as FAILED.
    Logs name the message and subject, never the body (it may hold a reset link)."""
    delays = retry_delays()
    reason = f"{type(error).__name__}: {error}"[:300]
    last = claimed.attempt >= len(delays) + 1
    fields: dict[str, Any] = {"lease_until": None, "claim": "", "last_error": reason}
    if last:
        fields["state"] = MessageState.FAILED
    else:
        fields["state"] = MessageState.QUEUED
        fields["run_after"] = timezone.now() + delays[claimed.attempt - 1]

    def update() -> int:
        return OutboxMessage.objects.filter(pk=claimed.pk, claim=claimed.claim).update(**fields)

    _until_recorded(update, persistent=persistent, what=f"the failure of message {claimed.pk}")
    if last:
        logger.error(
            "Mail message %s (%r) to %d recipient(s) not sent after attempt %d of %d (%s); "
            "kept as failed, re-send with `nextgen mail retry-failed`",
            claimed.pk,
            claimed.subject,
            len(claimed.to),
            claimed.attempt,
            len(delays) + 1,
            reason,
        )
    else:
        # Nobody retries it without a worker (immediate delivery): say so loudly.
        level = logging.WARNING if persistent else logging.ERROR
        logger.log(
            level,
            "Mail message %s (%r) failed on attempt %d of %d (%s); next attempt at %s%s",
            claimed.pk,
            claimed.subject,
            claimed.attempt,
            len(delays) + 1,
            reason,
            fields["run_after"].isoformat(),
            "" if persistent else " by `nextgen mail worker`",
        )


def send(claimed: Claimed, connection: Any) -> None:
    message = EmailMultiAlternatives(
        claimed.subject,
        claimed.body,
        settings.DEFAULT_FROM_EMAIL,
        claimed.to,
        reply_to=claimed.reply_to or None,
        connection=connection,
    )
    if claimed.html_body:
        message.attach_alternative(claimed.html_body, "text/html")
    # Opened here, inside the caller's try: a refused or silent server is a failed attempt.
    # (Already open: kept, so a burst of messages shares one SMTP session.)
    connection.open()
    message.send()


# --- fan-out jobs --------------------------------------------------------------------------------
class LeaseLost(Exception):
    """Another worker took over a job whose lease ran out: this one stops expanding it."""


def claim_job(*, job_id: int | None = None) -> FanoutJob | None:
    now = timezone.now()
    due = Q(state=JobState.QUEUED) | Q(state=JobState.EXPANDING, lease_until__lt=now)
    with transaction.atomic():
        jobs = FanoutJob.objects.filter(due)
        if job_id is not None:
            jobs = jobs.filter(pk=job_id)
        job = jobs.select_for_update(skip_locked=True).order_by("created_at", "pk").first()
        if job is None:
            return None
        if job.state == JobState.EXPANDING:
            logger.warning("Fan-out %s: the lease ran out mid-way; expanding it again", job.key)
        job.state, job.claim = JobState.EXPANDING, uuid.uuid4().hex
        job.lease_until = now + lease()
        job.expansions += 1
        job.save(update_fields=["state", "claim", "lease_until", "expansions"])
        return job


def expand(job: FanoutJob) -> int:
    """Write one message per recipient the builder yields, skipping recipients that have
    one already (the unique (job, recipient key)); the number added. Batches commit on
    their own and renew the lease, so a worker killed mid-way loses nothing done."""
    builder = import_string(job.builder)()
    before = job.messages.count()
    batch: list[OutboxMessage] = []

    def flush() -> None:
        with transaction.atomic():
            renewed = FanoutJob.objects.filter(pk=job.pk, claim=job.claim).update(
                lease_until=timezone.now() + lease()
            )
            if not renewed:
                raise LeaseLost(job.key)
            OutboxMessage.objects.bulk_create(batch, ignore_conflicts=True)
        batch.clear()

    for key, mail in builder.messages(**job.params):
        batch.append(
            OutboxMessage(
                job=job,
                recipient_key=key,
                to=[str(a) for a in mail.to],
                reply_to=[str(a) for a in mail.reply_to],
                subject=str(mail.subject),
                body=str(mail.body),
                html_body=str(mail.html_body),
            )
        )
        if len(batch) >= EXPAND_BATCH:
            flush()
    if batch:
        flush()
    with transaction.atomic(durable=True):
        total = job.messages.count()
        done = FanoutJob.objects.filter(pk=job.pk, claim=job.claim).update(
            state=JobState.DONE, lease_until=None, claim="", expanded_at=timezone.now()
        )
        if not done:
            raise LeaseLost(job.key)
        hook = getattr(builder, "expanded", None)
        if hook is not None:
            hook(total=total, added=total - before, **job.params)
    logger.info("Fan-out %s expanded: %d message(s), %d new", job.key, total, total - before)
    return total - before


# --- immediate delivery (demo, tests) ------------------------------------------------------------
def _deliver(claimed: Claimed, connection: Any, *, persistent: bool) -> bool:
    try:
        send(claimed, connection)
    except Exception as error:  # any failure to send is retried, never raised
        record_failure(claimed, error, persistent=persistent)
        return False
    record_sent(claimed, persistent=persistent)
    return True


def deliver_now(pk: int) -> None:
    """Send one queued message in this process (immediate delivery, after the commit)."""
    claimed = claim_message(pk=pk)
    if claimed is not None:
        connection = get_connection()
        try:
            _deliver(claimed, connection, persistent=False)
        finally:
            _close(connection)


def run_job_now(job_id: int) -> None:
    """Expand one fan-out and send its messages in this process (immediate delivery)."""
    job = claim_job(job_id=job_id)
    if job is not None:
        expand(job)
    connection = get_connection()
    try:
        while (claimed := claim_message(job_id=job_id)) is not None:
            if not _deliver(claimed, connection, persistent=False):
                # The mail server is failing: the rest stay queued for a worker rather
                # than each waiting out EMAIL_TIMEOUT here, inside a page or a command.
                break
    finally:
        _close(connection)


def _close(connection: Any) -> None:
    # Closing a broken connection may fail; it is gone either way.
    with contextlib.suppress(Exception):
        connection.close()


# --- the worker ----------------------------------------------------------------------------------
class Worker:
    """`nextgen mail worker`: expand due fan-outs, send due messages, sleep when idle.
    Survives a database restart (waits and reconnects) and a mail server outage (each
    message retried after its delay); stops cleanly on SIGTERM/SIGINT after the
    message in hand."""

    def __init__(self, *, poll_seconds: float = 1.0, once: bool = False) -> None:
        self.poll_seconds = poll_seconds
        self.once = once
        self.stop = threading.Event()
        self._smtp: Any = None
        self._smtp_failures = 0

    def _on_signal(self, signum: int, frame: Any) -> None:
        logger.info("Mail worker %s: signal %d, stopping after this message", worker_name(), signum)
        self.stop.set()

    def run(self) -> None:
        # `--once` (cron, tests) keeps the default signals: a kill mid-send is safe anyway.
        if not self.once and threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, self._on_signal)
            signal.signal(signal.SIGINT, self._on_signal)
        logger.info("Mail worker %s started", worker_name())
        db_delay = 0.5
        while not self.stop.is_set():
            try:
                busy = self.step()
            except DATABASE_DOWN as error:
                logger.warning(
                    "Mail worker: the database is unavailable (%s); reconnecting in %.1f s",
                    error,
                    db_delay,
                )
                reset_connections()
                self.stop.wait(db_delay)
                db_delay = min(db_delay * 2, 10.0)
                continue
            except LeaseLost as lost:
                logger.warning("Fan-out %s: another worker took it over", lost)
                continue
            except Exception:
                # Whatever it was, exiting would stop all mail until someone notices.
                logger.exception("Mail worker: unexpected error; carrying on")
                reset_connections()
                self.stop.wait(db_delay)
                db_delay = min(db_delay * 2, 10.0)
                continue
            db_delay = 0.5
            if not busy:
                self._close_smtp()
                if self.once:
                    break
                self.stop.wait(self.poll_seconds)
        self._close_smtp()
        logger.info("Mail worker %s stopped", worker_name())

    def step(self) -> bool:
        """Do one piece of work; False when there was none."""
        job = claim_job()
        if job is not None:
            try:
                expand(job)
            except (*DATABASE_DOWN, LeaseLost):
                raise
            except Exception:
                # A job that cannot be expanded (a bug in its builder) must not stop the
                # rest of the mail: it stays leased, is tried again when the lease runs
                # out, and shows as a stale job in `nextgen mail status` meanwhile.
                logger.exception("Fan-out %s could not be expanded; trying again later", job.key)
            return True
        claimed = claim_message()
        if claimed is None:
            return any(background_step() for background_step in BACKGROUND_STEPS)
        if self._deliver(claimed):
            self._smtp_failures = 0
        else:
            # The mail server is failing: do not hammer it with the next message; wait a
            # little longer each time, at most 30 s (or the first retry delay, if shorter:
            # waiting longer than a message's own retry would only hold the queue up).
            self._smtp_failures += 1
            if not self.once:
                pause = min(2.0 ** (self._smtp_failures - 1), 30.0, _first_delay_seconds())
                self.stop.wait(pause)
        return True

    def _deliver(self, claimed: Claimed) -> bool:
        if self._smtp is None:
            self._smtp = get_connection()
        delivered = _deliver(claimed, self._smtp, persistent=True)
        if not delivered:
            self._close_smtp()
        return delivered

    def _close_smtp(self) -> None:
        if self._smtp is not None:
            _close(self._smtp)
            self._smtp = None
