"""`nextgen filers import CODE FILE.csv`: load a court's CM/ECF accounts from its old system."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper

from nextgen.audit.services import SYSTEM
from nextgen.ecf.importing import ImportFileError, ImportInterrupted, import_filers

from .court import get_court


class ProgressBar:
    """A carriage-return bar for terminals: no dependency, and silent when not a TTY
    so logs and pipes only get the summary."""

    def __init__(self, out: OutputWrapper, total: int, width: int = 30) -> None:
        self.out, self.total, self.width = out, max(total, 1), width
        self.started = time.monotonic()

    def __call__(self, done: int) -> None:
        # The total is counted from line breaks, so quoted multi-line fields can make it
        # a little high; never show more than 100 %.
        frac = min(done / self.total, 1.0)
        filled = int(frac * self.width)
        rate = done / max(time.monotonic() - self.started, 1e-6)
        self.out.write(
            f"\r[{'#' * filled}{'.' * (self.width - filled)}] {frac:6.1%} "
            f"{done:,} rows  {rate:,.0f} rows/s",
            ending="",
        )
        self.out.flush()

    def finish(self) -> None:
        self.out.write("")
        self.out.flush()


def _count_lines(path: Path) -> int:
    with path.open("rb") as f:
        return sum(block.count(b"\n") for block in iter(lambda: f.read(1 << 20), b""))


class Command(BaseCommand):
    help = (
        "Import a court's CM/ECF accounts from CSV. Header: "
        "login,first_name,last_name,email,bar_number and password (plain text, hashed on "
        "import) or password_hash (bcrypt $2b$/$2a$/$2y$, Django hashes, sha256$salt$hex; "
        "hashes above a bounded cost are refused, see nextgen/ecf/hashers.py); "
        "optional phone,firm,address,city,state,zip_code. Re-running is safe: rows are "
        "matched by login, linked accounts keep their link and password. Exit status 1 "
        "if some rows were rejected (the others are loaded), 2 if the file is unusable or "
        "the database failed part-way (re-run the same file to finish)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Load or update a court's CM/ECF accounts from CSV.")
        imp.add_argument("code", help="court code, e.g. ctd")
        imp.add_argument("file", type=Path, help="CSV file (UTF-8)")
        imp.add_argument("--quiet-errors", action="store_true", help="do not list rejected rows")

    def handle(self, *args, **options) -> None:
        if options["action"] == "import":
            self._import(options)

    def _import(self, o: dict) -> None:
        court = get_court(o["code"])
        path: Path = o["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}", returncode=2)
        # Only a terminal gets the bar: self.stdout may be a pipe, a log or a test buffer.
        bar = ProgressBar(self.stdout, _count_lines(path) - 1) if self.stdout.isatty() else None
        started = time.monotonic()
        try:
            with path.open(newline="", encoding="utf-8-sig") as f:
                report = import_filers(
                    court=court, rows=f, acting=SYSTEM, progress=bar, source=path.name
                )
        except ImportFileError as exc:
            raise CommandError(f"{path}: {exc}", returncode=2) from exc
        except ImportInterrupted as exc:
            # No traceback: what happened, what was kept, what to do (the help's status 2).
            raise CommandError(f"{path}: {exc}", returncode=2) from exc
        finally:
            if bar is not None:
                bar.finish()
        seconds = time.monotonic() - started
        if report.ignored_columns:
            self.stderr.write(f"Ignored column(s): {', '.join(report.ignored_columns)}")
        if report.errors and not o["quiet_errors"]:
            for line, reason in report.errors:
                self.stderr.write(f"{path.name}:{line}: {reason}")
        self.stdout.write(
            f"{court.code}: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged, {len(report.errors)} errors "
            f"({report.rows} rows in {seconds:.2f} s)."
        )
        if report.errors:
            raise CommandError(
                f"{len(report.errors)} row(s) rejected; the other rows were loaded.",
                returncode=1,
            )
