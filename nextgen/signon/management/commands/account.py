"""`nextgen account add USERNAME ...`: operators create PACER accounts."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from nextgen.signon.models import UserType
from nextgen.signon.services import create_account


class Command(BaseCommand):
    help = "Manage PACER accounts from the command line."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="Create a PACER account.")
        add.add_argument("username")
        add.add_argument("--password", required=True)
        add.add_argument("--first-name", required=True)
        add.add_argument("--last-name", required=True)
        add.add_argument("--email", required=True)
        add.add_argument("--type", required=True, choices=UserType.values, dest="user_type")
        add.add_argument("--legacy", action="store_true", help="created before 2014, not upgraded")
        add.add_argument("--shared", action="store_true", help="a firm's shared account")
        add.add_argument("--service-center", action="store_true", help="PACER Service Center staff")

    def handle(self, *args, **options) -> None:
        if options["action"] == "add":
            self._add(options)

    def _add(self, o: dict) -> None:
        try:
            account = create_account(
                username=o["username"],
                password=o["password"],
                first_name=o["first_name"],
                last_name=o["last_name"],
                email=o["email"],
                user_type=o["user_type"],
                legacy=o["legacy"],
                shared=o["shared"],
                service_center=o["service_center"],
                via="command line",
            )
        except ValidationError as exc:
            problems = "; ".join(
                f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items()
            )
            raise CommandError(problems, returncode=2) from exc
        self.stdout.write(f"Created {account.account_type_label} {account.username!r}.")
