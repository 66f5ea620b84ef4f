"""`nextgen noticing send-summaries [--date YYYY-MM-DD] [--court CODE]`: queue the Daily
Summary Reports (nextgen.noticing.summaries), meant for a daily timer shortly after
midnight (docs/operations.md, "Notices")."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nextgen import mail
from nextgen.audit.services import SYSTEM
from nextgen.ecf.models import Court
from nextgen.noticing.models import Delivery
from nextgen.noticing.summaries import job_key, queue_summaries


class Command(BaseCommand):
    help = "Notices of Electronic Filing: the Daily Summary Reports."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        send = sub.add_parser(
            "send-summaries",
            help="Queue each court's Daily Summary Reports of one day (again: only the "
            "missing ones).",
        )
        send.add_argument(
            "--date",
            help="the day, YYYY-MM-DD, in each court's time zone (default: yesterday there)",
        )
        send.add_argument("--court", help="only this court (its code)")

    def handle(self, *args, **options) -> None:
        if options["action"] == "send-summaries":
            self._send_summaries(options["date"], options["court"])

    def _send_summaries(self, date: str | None, code: str | None) -> None:
        day = None
        if date:
            try:
                day = dt.date.fromisoformat(date)
            except ValueError:
                raise CommandError(
                    f"--date: {date!r} is not a date; give it as YYYY-MM-DD.", returncode=2
                ) from None
        courts = Court.objects.order_by("code")
        if code:
            courts = courts.filter(code=code)
            if not courts.exists():
                raise CommandError(f"--court: there is no court {code!r}.", returncode=2)
        # Only courts where some address chose the summary get a job at all.
        courts = courts.filter(filers__email_preferences__delivery=Delivery.SUMMARY).distinct()
        for court in courts:
            court_day = day or court.today() - dt.timedelta(days=1)
            if court_day >= court.today():
                # A day not over yet would miss its later filings, and a re-run never
                # sends an address a second summary of the same day.
                self.stderr.write(
                    f"{court.code} {court_day}: not over yet in {court.time_zone}; skipped."
                )
                continue
            queue_summaries(acting=SYSTEM, court=court, day=court_day)
            progress = mail.fanout_progress(job_key(court, court_day))
            self.stdout.write(
                f"{court.code} {court_day}: daily summaries queued "
                f"(job {job_key(court, court_day)}: {progress['total']} message(s), "
                f"{progress['sent']} sent)."
            )
