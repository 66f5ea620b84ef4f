"""`nextgen account add USERNAME ...`: operators create PACER accounts.

The password is never an argument: a command line is visible to every user of the
machine (ps, /proc) and kept in shell history. It is asked for twice at a terminal, or
read from the first line of standard input with --password-stdin (for scripts:
`printf '%s\\n' "$PW" | nextgen account add ... --password-stdin`).
"""

from __future__ import annotations

import getpass
import sys
from typing import TextIO

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from nextgen.signon.models import UserType
from nextgen.signon.services import create_account

PASSWORD_ON_COMMAND_LINE = (
    "--password is not accepted: a password on the command line is visible to every user "
    "of this machine and stays in shell history. Type it at the prompt, or pipe it in "
    "with --password-stdin."
)


class Command(BaseCommand):
    help = "Manage PACER accounts from the command line."
    # call_command(..., stdin=...) in tests, as Django's createsuperuser allows.
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="Create a PACER account.")
        add.add_argument("username")
        add.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from the first line of standard input (else: a prompt)",
        )
        # Only to refuse it with the reason (argparse would just say "unrecognized").
        add.add_argument("--password", help="not accepted; see --password-stdin")
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

    def _password(self, o: dict) -> str:
        if o.get("password") is not None:
            raise CommandError(PASSWORD_ON_COMMAND_LINE, returncode=2)
        stdin: TextIO = o.get("stdin") or sys.stdin
        if o["password_stdin"]:
            password = stdin.readline().rstrip("\r\n")
        elif stdin.isatty():
            password = getpass.getpass("Password: ")
            if getpass.getpass("Password (again): ") != password:
                raise CommandError("The two passwords do not match.", returncode=2)
        else:
            raise CommandError(
                "No terminal to ask for the password: pipe it in with --password-stdin.",
                returncode=2,
            )
        if not password:
            raise CommandError("The password is empty.", returncode=2)
        return password

    def _add(self, o: dict) -> None:
        password = self._password(o)
        try:
            account = create_account(
                username=o["username"],
                password=password,
                first_name=o["first_name"],
                last_name=o["last_name"],
                email=o["email"],
                user_type=o["user_type"],
                legacy=o["legacy"],
                shared=o["shared"],
                service_center=o["service_center"],
                acting=None,  # the operator at the command line: the account is the actor
                via="command line",
            )
        except ValidationError as exc:
            problems = "; ".join(
                f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items()
            )
            raise CommandError(problems, returncode=2) from exc
        self.stdout.write(f"Created {account.account_type_label} {account.username!r}.")
