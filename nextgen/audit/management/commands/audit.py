"""`nextgen audit verify`: check that the audit log is intact and append-only.
`nextgen audit anchor`: write the chain head down outside the database (run on a timer)."""

from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from nextgen.audit import anchors, append_only
from nextgen.audit.services import verify_chain


class Command(BaseCommand):
    help = "Inspect the audit log."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser(
            "verify",
            help=(
                "Recompute the keyed hash chain over every event and check every anchor; "
                "exit 0 if intact, 1 at the first broken link, a mismatched or forged "
                "anchor, or if the database no longer refuses changes."
            ),
        )
        verify.add_argument(
            "--anchors",
            type=Path,
            help=(
                "Check the anchors in this file (e.g. an auditor's copy) instead of "
                "NEXTGEN_AUDIT_ANCHOR_FILE."
            ),
        )
        sub.add_parser(
            "anchor",
            help=(
                "Append the chain head to NEXTGEN_AUDIT_ANCHOR_FILE and mail it to "
                "NEXTGEN_AUDIT_ANCHOR_EMAIL; meant for a timer (e.g. hourly)."
            ),
        )

    def handle(self, *args, **options) -> None:
        if options["action"] == "verify":
            self._verify(options.get("anchors"))
        elif options["action"] == "anchor":
            self._anchor()

    def _verify(self, anchor_path: Path | None) -> None:
        started = time.monotonic()
        found = anchors.read(anchor_path)
        report = verify_chain(anchors=found.anchors)
        seconds = time.monotonic() - started
        problems = []
        b = report.first_break
        if b is not None:  # report.ok is False
            where = (
                f"event {b.event_id} ({b.created_at.isoformat()})"
                if b.event_id and b.created_at
                else "end"
            )
            problems.append(f"BROKEN at {where}: {b.problem}: {b.detail}.")
        for problem in found.problems:
            problems.append(f"FORGED ANCHOR in {found.path}: {problem}.")
        if anchor_path is not None and not found.exists:
            problems.append(f"NO ANCHOR FILE: {found.path} does not exist.")
        missing = append_only.missing_triggers(connection)
        if missing:
            problems.append(
                "NOT APPEND-ONLY: the database is missing the trigger(s) "
                f"{', '.join(missing)} on {append_only.TABLE}; re-install them with "
                "`nextgen migrate audit 0003 && nextgen migrate audit`."
            )
        if problems:
            raise CommandError("\n".join(problems), returncode=1)
        legacy = (
            f", the first {report.legacy_events} from before keyed hashing (sealed)"
            if report.legacy_events
            else ""
        )
        self.stdout.write(f"OK: {report.events} events, chain intact{legacy} ({seconds:.1f} s).")
        if found.anchors:
            plural = "anchor matches" if report.anchors_checked == 1 else "anchors match"
            self.stdout.write(
                f"{report.anchors_checked} {plural} the log, in {found.path} "
                f"(newest: event {found.anchors[-1].event_id}, {found.anchors[-1].anchored_at})."
            )
        else:
            self.stdout.write(
                f"No anchors in {found.path}: events removed from the end of the log would "
                "go unnoticed. Run `nextgen audit anchor` on a timer."
            )

    def _anchor(self) -> None:
        try:
            anchor = anchors.newest_anchor()
        except anchors.AnchorRefused as refused:
            raise CommandError(f"NOT ANCHORED: {refused}.", returncode=1) from refused
        if anchor is None:
            self.stdout.write("The audit log is empty: nothing to anchor.")
            return
        path = anchors.anchor_path()
        try:
            line = anchors.append(anchor, path)
        except OSError as exc:
            raise CommandError(
                f"NOT ANCHORED: cannot append to {path}: {exc.strerror or exc}.", returncode=1
            ) from exc
        self.stdout.write(f"Anchored event {anchor.event_id} in {path}.")
        recipients = settings.NEXTGEN_AUDIT_ANCHOR_EMAIL
        if not recipients:
            return
        try:
            # Sent now, not through the mail queue: the queue lives in the database,
            # which is what the anchor must not depend on.
            send_mail(
                f"NextGen audit anchor: event {anchor.event_id}",
                "The NextGen audit log's chain head, for your records. Keep these "
                "lines; `nextgen audit verify --anchors FILE` checks a file of them.\n\n"
                f"{line}\n",
                None,
                recipients,
            )
        except Exception as exc:  # any mail failure: the file anchor stands, say so
            raise CommandError(
                f"Anchored in {path}, but mailing it to {', '.join(recipients)} failed: {exc}.",
                returncode=1,
            ) from exc
        self.stdout.write(f"Mailed to {', '.join(recipients)}.")
