"""`nextgen mail worker|status|retry-failed|prune`: run and watch the mail outbox
(docs/operations.md, "E-mail and the mail worker")."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count, Min, Q
from django.utils import timezone

from nextgen import mail
from nextgen.outbox.models import FanoutJob, JobState, MessageState, OutboxMessage
from nextgen.outbox.worker import Worker


def _age(since: dt.datetime | None, now: dt.datetime) -> str:
    if since is None:
        return "-"
    minutes = int((now - since).total_seconds() // 60)
    return f"{minutes} min" if minutes < 120 else f"{minutes // 60} h"


class Command(BaseCommand):
    help = "Run and watch the mail outbox."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        work = sub.add_parser("worker", help="Send queued mail until stopped (SIGTERM).")
        work.add_argument(
            "--once", action="store_true", help="stop when nothing is due (cron, tests)"
        )
        work.add_argument(
            "--poll", type=float, default=1.0, help="seconds between looks when idle (1)"
        )
        sub.add_parser("status", help="Count queued, running, stale and failed mail.")
        sub.add_parser("retry-failed", help="Queue every failed message once more.")
        prune = sub.add_parser(
            "prune", help="Remove sent messages (and their bodies: reset links) after DAYS."
        )
        prune.add_argument("--days", type=int, default=7)

    def handle(self, *args, **options) -> None:
        action = options["action"]
        if action == "worker":
            if options["poll"] <= 0:
                raise CommandError("--poll: give a number of seconds above 0.", returncode=2)
            # The worker's own lines (started, claims taken over, retries) for the journal.
            _log_to_stderr()
            Worker(poll_seconds=options["poll"], once=options["once"]).run()
        elif action == "status":
            self._status()
        elif action == "retry-failed":
            self.stdout.write(f"Queued {mail.resend_failed_mail()} failed message(s) again.")
        elif action == "prune":
            self._prune(options["days"])

    def _status(self) -> None:
        now = timezone.now()
        counts = OutboxMessage.objects.aggregate(
            queued=Count("pk", filter=Q(state=MessageState.QUEUED)),
            due=Count("pk", filter=Q(state=MessageState.QUEUED, run_after__lte=now)),
            retrying=Count("pk", filter=Q(state=MessageState.QUEUED, attempts__gt=0)),
            running=Count("pk", filter=Q(state=MessageState.SENDING, lease_until__gte=now)),
            stale=Count("pk", filter=Q(state=MessageState.SENDING, lease_until__lt=now)),
            failed=Count("pk", filter=Q(state=MessageState.FAILED)),
            sent=Count(
                "pk", filter=Q(state=MessageState.SENT, sent_at__gte=now - dt.timedelta(days=1))
            ),
            oldest=Min("created_at", filter=Q(state=MessageState.QUEUED, run_after__lte=now)),
        )
        jobs = FanoutJob.objects.aggregate(
            waiting=Count("pk", filter=Q(state=JobState.QUEUED)),
            expanding=Count("pk", filter=Q(state=JobState.EXPANDING, lease_until__gte=now)),
            stale=Count("pk", filter=Q(state=JobState.EXPANDING, lease_until__lt=now)),
        )
        w = self.stdout.write
        w(
            f"queued   {counts['queued']} ({counts['due']} due now, oldest due waiting "
            f"{_age(counts['oldest'], now)}; {counts['retrying']} after a failed attempt)"
        )
        w(f"running  {counts['running']}")
        w(
            f"stale    {counts['stale']} (claimed by a worker whose lease ran out: the next "
            "worker takes them over)"
        )
        w(f"failed   {counts['failed']} (given up: `nextgen mail retry-failed` queues them again)")
        w(f"sent     {counts['sent']} in the last 24 hours")
        w(
            f"fan-out jobs: {jobs['waiting']} waiting, {jobs['expanding']} expanding, "
            f"{jobs['stale']} stale"
        )

    def _prune(self, days: int) -> None:
        if days < 1:
            raise CommandError("--days: give a number of days, 1 or more.", returncode=2)
        before = timezone.now() - dt.timedelta(days=days)
        old = OutboxMessage.objects.filter(state=MessageState.SENT, sent_at__lt=before)
        deleted, _ = old.filter(job__isnull=True).delete()
        # A fan-out's rows stay (they are its record of who was sent what, and re-running
        # the job must not send them again); only their text goes.
        emptied = (
            old.filter(job__isnull=False)
            .exclude(body="", html_body="")
            .update(subject="", body="", html_body="")
        )
        self.stdout.write(
            f"Removed {deleted} sent message(s) and emptied {emptied} sent fan-out message(s) "
            f"older than {days} day(s)."
        )


def _log_to_stderr() -> None:
    """INFO and up from the mail logger: it propagates to the root console handler
    (settings.LOGGING), which writes to stderr, where the journal reads it."""
    log = logging.getLogger("nextgen.mail")
    if log.level == logging.NOTSET or log.level > logging.INFO:
        log.setLevel(logging.INFO)
