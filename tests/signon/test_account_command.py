"""`nextgen account add`: the password is asked for, or piped in, never an argument."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from nextgen.signon.management.commands import account as command
from nextgen.signon.models import Account

pytestmark = pytest.mark.django_db

NEW = "Fresh#Operator42"
ARGS = [
    "account",
    "add",
    "newfiler",
    "--first-name",
    "Nina",
    "--last-name",
    "Filer",
    "--email",
    "nina@example.com",
    "--type",
    "attorney",
]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_password_on_the_command_line_is_refused_and_nothing_is_created():
    """The attack surface: `--password P` shows P in `ps` and shell history."""
    with pytest.raises(CommandError) as refused:
        call_command(*ARGS, "--password", NEW, stdin=io.StringIO(""))
    assert refused.value.returncode == 2
    assert "--password-stdin" in str(refused.value)
    assert NEW not in str(refused.value)
    assert not Account.objects.filter(username="newfiler").exists()


def test_the_password_can_be_piped_in():
    out = io.StringIO()
    call_command(*ARGS, "--password-stdin", stdin=io.StringIO(f"{NEW}\n"), stdout=out)
    assert Account.objects.get(username="newfiler").check_password(NEW)
    assert NEW not in out.getvalue()


def test_at_a_terminal_the_password_is_asked_for_twice(monkeypatch):
    answers = iter([NEW, NEW])
    monkeypatch.setattr(command.getpass, "getpass", lambda prompt: next(answers))
    call_command(*ARGS, stdin=Terminal(), stdout=io.StringIO())
    assert Account.objects.get(username="newfiler").check_password(NEW)


def test_two_different_passwords_at_the_prompt_create_nothing(monkeypatch):
    answers = iter([NEW, "Other#Pass42"])
    monkeypatch.setattr(command.getpass, "getpass", lambda prompt: next(answers))
    with pytest.raises(CommandError, match="do not match"):
        call_command(*ARGS, stdin=Terminal())
    assert not Account.objects.filter(username="newfiler").exists()


@pytest.mark.parametrize(("flags", "stdin"), [([], ""), (["--password-stdin"], "\n")])
def test_no_password_creates_nothing(flags, stdin):
    with pytest.raises(CommandError) as refused:
        call_command(*ARGS, *flags, stdin=io.StringIO(stdin))
    assert refused.value.returncode == 2
    assert not Account.objects.filter(username="newfiler").exists()


def test_a_weak_password_names_the_rule_and_never_echoes_it():
    with pytest.raises(CommandError) as refused:
        call_command(*ARGS, "--password-stdin", stdin=io.StringIO("xQ7#abc\n"))
    assert str(refused.value).startswith("password:")
    assert "xQ7#abc" not in str(refused.value)
    assert not Account.objects.filter(username="newfiler").exists()
