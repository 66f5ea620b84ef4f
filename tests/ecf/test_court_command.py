"""`nextgen court add|set-go-live`: operators put courts on NextGen from the shell."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from django.db import connections

from nextgen.audit.models import Event
from nextgen.ecf.models import Court, CourtKind, LinkMenu
from tests.factories import CourtFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_test_connection(monkeypatch):
    """run_from_argv closes every connection when a command ends, as a process exiting
    would; under pytest that would close the test's transaction on PostgreSQL."""
    monkeypatch.setattr(connections, "close_all", lambda: None)


def run(*args: str) -> int:
    """Run as from a shell (argv parsing, exit status); the status, 0 when it returns."""
    try:
        execute_from_command_line(["nextgen", *args])
    except SystemExit as exc:
        return exc.code
    return 0


def test_add_creates_the_court_and_audits_it(capsys):
    status = run(
        "court", "add", "cacb",
        "--name", "United States Bankruptcy Court for the Central District of California",
        "--kind", "bankruptcy", "--go-live", "2021-04-26", "--link-menu", "release-1.1",
    )  # fmt: skip
    assert status == 0
    court = Court.objects.get(code="cacb")
    assert court.kind == CourtKind.BANKRUPTCY
    assert court.go_live == dt.date(2021, 4, 26)
    assert court.link_menu == LinkMenu.RELEASE_1_1
    assert "Added bankruptcy court 'cacb'" in capsys.readouterr().out
    event = Event.objects.get(action="court.add")
    assert event.court_code == "cacb"
    assert event.details["go_live"] == "2021-04-26"


def test_add_without_go_live_leaves_it_unset():
    call_command("court", "add", "nyed", "--name", "EDNY", "--kind", "district")
    court = Court.objects.get(code="nyed")
    assert court.go_live is None
    assert court.link_menu == LinkMenu.UTILITIES
    assert not court.is_live()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "appeals"], "kind"),
        (["--kind", "district", "--go-live", "2021-13-01"], "YYYY-MM-DD"),
        (["--kind", "district", "--go-live", "soon"], "YYYY-MM-DD"),
        (["--kind", "district", "--link-menu", "sidebar"], "link_menu"),
    ],
)
def test_bad_input_is_refused_with_exit_status_2(args, message, capsys):
    assert run("court", "add", "ctd", "--name", "D. Conn.", *args) == 2
    assert message in capsys.readouterr().err
    assert not Court.objects.exists()


def test_a_duplicate_code_is_refused_with_exit_status_2(capsys):
    CourtFactory(code="ctd")
    assert run("court", "add", "CTD", "--name", "Again", "--kind", "district") == 2
    assert "already exists" in capsys.readouterr().err
    assert Court.objects.count() == 1


def test_call_command_raises_with_returncode_2():
    with pytest.raises(CommandError) as exc:
        call_command("court", "add", "ctd", "--name", "X", "--kind", "circuit")
    assert exc.value.returncode == 2


def test_set_go_live_changes_the_date_and_audits_old_and_new(capsys):
    CourtFactory(code="prd", go_live=dt.date(2021, 12, 1))
    assert run("court", "set-go-live", "prd", "2021-11-29") == 0
    assert Court.objects.get(code="prd").go_live == dt.date(2021, 11, 29)
    event = Event.objects.get(action="court.go_live")
    assert event.details == {"old": "2021-12-01", "new": "2021-11-29"}
    assert "2021-11-29" in capsys.readouterr().out


def test_set_go_live_none_withdraws_the_date():
    CourtFactory(code="gub")
    call_command("court", "set-go-live", "gub", "none")
    assert Court.objects.get(code="gub").go_live is None


def test_set_go_live_of_an_unknown_court_is_exit_status_2(capsys):
    CourtFactory(code="ctd")
    assert run("court", "set-go-live", "xyz", "2021-01-01") == 2
    err = capsys.readouterr().err
    assert "Unknown court 'xyz'" in err
    assert "ctd" in err  # names the known codes


def test_set_go_live_with_a_bad_date_is_exit_status_2(capsys):
    CourtFactory(code="ctd", go_live=dt.date(2017, 12, 11))
    assert run("court", "set-go-live", "ctd", "12/11/2017") == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
    assert Court.objects.get(code="ctd").go_live == dt.date(2017, 12, 11)
    assert not Event.objects.filter(action="court.go_live").exists()


def test_list_shows_courts_and_whether_they_are_live(capsys):
    CourtFactory(code="ctd", go_live=dt.date(2017, 12, 11))
    CourtFactory(code="nyed", go_live=dt.date(2999, 1, 1))
    call_command("court", "list")
    out = capsys.readouterr().out
    assert "ctd" in out and "nyed" in out and "not live" in out
