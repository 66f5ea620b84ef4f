"""`nextgen court add|set-go-live|list`: operators put courts on NextGen."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from nextgen.audit.services import SYSTEM
from nextgen.ecf.models import DEFAULT_TIME_ZONE, Court, CourtKind, LinkMenu
from nextgen.ecf.services import add_court, parse_go_live, set_go_live


def _problems(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
    return " ".join(exc.messages)


def get_court(code: str) -> Court:
    """The court with this code, or a CommandError (exit status 2) listing the known codes."""
    try:
        return Court.objects.get(code=code.strip().lower())
    except Court.DoesNotExist:
        known = ", ".join(Court.objects.values_list("code", flat=True)) or "none yet"
        raise CommandError(f"Unknown court {code!r} (known: {known}).", returncode=2) from None


class Command(BaseCommand):
    help = "Manage courts on NextGen from the command line."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="Put a court on NextGen.")
        add.add_argument("code", help="short court code, e.g. ctd or cacb")
        add.add_argument("--name", required=True)
        # Kind and link menu are checked by the service, not argparse `choices`, so a bad
        # value gives the same exit status 2 whether run from a shell or call_command.
        add.add_argument("--kind", required=True, help=" | ".join(CourtKind.values))
        add.add_argument("--go-live", help="YYYY-MM-DD; linking is refused before it")
        add.add_argument(
            "--link-menu",
            default=LinkMenu.UTILITIES,
            help=f"where the link entry sits: {' | '.join(LinkMenu.values)} (default utilities)",
        )
        add.add_argument(
            "--time-zone",
            default=DEFAULT_TIME_ZONE,
            help="IANA time zone of the court, e.g. America/St_Thomas; go-live and the "
            f"court's other dates are days there (default {DEFAULT_TIME_ZONE})",
        )
        add.add_argument("--welcome", default="", help="the court website's welcome line")
        add.add_argument("--help-contact", default="", help="whom attorneys call for help")
        go = sub.add_parser("set-go-live", help="Set a court's NextGen go-live date.")
        go.add_argument("code")
        go.add_argument("date", help="YYYY-MM-DD, or 'none' to withdraw the date")
        sub.add_parser("list", help="List the courts.")

    def handle(self, *args, **options) -> None:
        action = options["action"]
        try:
            if action == "add":
                self._add(options)
            elif action == "set-go-live":
                self._set_go_live(options)
            elif action == "list":
                self._list()
        except ValidationError as exc:
            raise CommandError(_problems(exc), returncode=2) from exc

    def _add(self, o: dict) -> None:
        go_live = parse_go_live(o["go_live"]) if o["go_live"] else None
        court = add_court(
            code=o["code"],
            name=o["name"],
            kind=o["kind"],
            go_live=go_live,
            link_menu=o["link_menu"],
            time_zone=o["time_zone"],
            welcome=o["welcome"],
            help_contact=o["help_contact"],
            acting=SYSTEM,  # the operator at the command line: no account
        )
        when = court.go_live.isoformat() if court.go_live else "not set"
        self.stdout.write(
            f"Added {court.kind} court {court.code!r} ({court.name}); go-live {when} "
            f"({court.time_zone})."
        )

    def _set_go_live(self, o: dict) -> None:
        court = get_court(o["code"])
        go_live = None if o["date"].strip().lower() == "none" else parse_go_live(o["date"])
        unchanged = go_live is not None and go_live == court.go_live
        set_go_live(court=court, go_live=go_live, acting=SYSTEM)
        when = go_live.isoformat() if go_live else "withdrawn"
        self.stdout.write(f"Go-live of {court.code!r} {'is now ' if go_live else ''}{when}.")
        if unchanged:
            # The same date again: its announcement resumes (nextgen/ecf/notifications.py).
            self.stdout.write(
                "Unchanged: its go-live notices were queued again for every filer not yet "
                "sent one (`nextgen mail status` shows the queue)."
            )

    def _list(self) -> None:
        for court in Court.objects.all():
            when = court.go_live.isoformat() if court.go_live else "-"
            live = "live" if court.is_live() else "not live"
            self.stdout.write(
                f"{court.code:<8} {court.kind:<11} {when:<10} {live:<8} {court.link_menu:<12} "
                f"{court.time_zone:<20} {court.name}"
            )
