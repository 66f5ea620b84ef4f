"""`nextgen cases import CODE FILE.jsonl`: load a court's cases from its legacy system.

The format is in docs/cases-import.md. Good lines are loaded, each bad one is reported
by line number and reason; the exit status is 2 when any line was bad (or the file or
court is unusable), 0 otherwise. Re-running a file changes nothing.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nextgen.dockets.importing import import_cases
from nextgen.ecf.management.commands.court import get_court
from nextgen.ecf.management.commands.filers import ProgressBar, _count_lines


class Command(BaseCommand):
    help = "Import a court's cases, parties, attorneys, docket entries and documents (JSONL)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser(
            "import", help="Load cases from a JSON Lines file (docs/cases-import.md)."
        )
        imp.add_argument("code", help="court code, e.g. ctd")
        imp.add_argument("file", type=Path, help="JSON Lines file (UTF-8), one case per line")

    def handle(self, *args, **options) -> None:
        court = get_court(options["code"])
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}", returncode=2)
        # Only a terminal gets the bar: stdout may be a pipe, a log or a test buffer.
        bar = ProgressBar(self.stdout, _count_lines(path)) if self.stdout.isatty() else None
        started = time.monotonic()
        try:
            with path.open("rb") as f:
                report = import_cases(court=court, lines=f, source=path.name, progress=bar)
        finally:
            if bar is not None:
                bar.finish()
        seconds = time.monotonic() - started
        for line, reason in report.errors:
            self.stderr.write(f"{path.name}:{line}: {reason}")
        self.stdout.write(
            f"{court.code}: {report.cases_created} cases created, {report.cases_existing} "
            f"already present; {report.entries_created} entries created, "
            f"{report.entries_existing} already present; {report.documents_created} documents; "
            f"{report.parties_created} parties; {report.attorneys_created} attorneys; "
            f"{len(report.errors)} bad lines ({report.lines} lines in {seconds:.2f} s)."
        )
        if report.errors:
            raise CommandError(
                f"{len(report.errors)} line(s) rejected; the other lines were loaded.",
                returncode=2,
            )
