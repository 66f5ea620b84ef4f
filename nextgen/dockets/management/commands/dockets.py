"""`nextgen dockets cleanup-orphans`: remove stored document files that no entry names;
`nextgen dockets sweep-filings`: remove abandoned filings' staged documents on this host.

A filing stores its files before its transaction and removes them if the transaction
fails; only a crash between the two (a killed worker) leaves a file behind. Run this
daily (docs/operations.md); files younger than the grace period are left alone, as
they may belong to a filing still in progress.

A filing in progress keeps its documents in a staging folder on the host that served it
(nextgen.dockets.filing.uploads); each filing's start sweeps the abandoned ones, and
sweep-filings does it on a timer, so a host where nobody starts a filing keeps no
abandoned PDF past the flow's lifetime either.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandParser

from nextgen.dockets.documents import delete_files, find_orphans
from nextgen.dockets.filing import uploads
from nextgen.dockets.filing.flow import FLOW_TTL


class Command(BaseCommand):
    help = "Docket housekeeping."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        clean = sub.add_parser(
            "cleanup-orphans", help="Remove stored document files that no docket entry names."
        )
        clean.add_argument(
            "--grace-hours",
            type=float,
            default=24.0,
            help="leave files younger than this alone (default 24)",
        )
        clean.add_argument("--dry-run", action="store_true", help="list, remove nothing")
        sub.add_parser(
            "sweep-filings",
            help="Remove the staged documents of filings abandoned on this host (older than "
            f"the filing flow's {int(FLOW_TTL.total_seconds() // 60)} minutes).",
        )

    def handle(self, *args, **options) -> None:
        if options["action"] == "sweep-filings":
            removed = uploads.sweep(FLOW_TTL.total_seconds())
            self.stdout.write(f"Removed the staged documents of {removed} abandoned filing(s).")
            return
        orphans = find_orphans(grace=dt.timedelta(hours=options["grace_hours"]))
        if not options["dry_run"]:
            delete_files(orphans)
        verb = "Would remove" if options["dry_run"] else "Removed"
        for name in orphans:
            self.stdout.write(f"  {name}")
        self.stdout.write(f"{verb} {len(orphans)} orphaned document file(s).")
