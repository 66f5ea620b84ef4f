"""`nextgen audit verify`: check that the audit log is intact and append-only."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from nextgen.audit import append_only
from nextgen.audit.services import verify_chain


class Command(BaseCommand):
    help = "Inspect the audit log."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser(
            "verify",
            help=(
                "Recompute the hash chain over every event; exit 0 if intact, 1 at the "
                "first broken link or if the database no longer refuses changes."
            ),
        )

    def handle(self, *args, **options) -> None:
        if options["action"] == "verify":
            self._verify()

    def _verify(self) -> None:
        started = time.monotonic()
        report = verify_chain()
        seconds = time.monotonic() - started
        problems = []
        if not report.ok:
            b = report.first_break
            where = f"event {b.event_id} ({b.created_at.isoformat()})" if b.event_id else "end"
            problems.append(f"BROKEN at {where}: {b.problem}: {b.detail}.")
        missing = append_only.missing_triggers(connection)
        if missing:
            problems.append(
                "NOT APPEND-ONLY: the database is missing the trigger(s) "
                f"{', '.join(missing)} on {append_only.TABLE}; re-install them with "
                "`nextgen migrate audit 0003 && nextgen migrate audit`."
            )
        if problems:
            raise CommandError("\n".join(problems), returncode=1)
        self.stdout.write(f"OK: {report.events} events, chain intact ({seconds:.1f} s).")
