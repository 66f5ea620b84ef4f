"""The Daily Summary Report, followed to a real SMTP server (aiosmtpd): an address on the
summary gets one report of the court's day instead of a notice per filing, primary and
secondary addresses alike; followers never see sealed entries; a re-run sends nothing
twice and exactly what is missing."""

from __future__ import annotations

import datetime as dt
import email
from email.message import Message
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from nextgen.audit.models import Event
from nextgen.dockets import actions
from nextgen.dockets.events import event
from nextgen.dockets.models import Menu
from nextgen.ecf.models import SecondaryEmail
from nextgen.noticing.models import EmailPreference, FollowedCase, Notice, NoticeKind
from nextgen.noticing.summaries import day_bounds
from tests.dockets.factories import civil_case, district_court, filer, of_record, stored
from tests.test_mail_queue import run_worker, smtp_server, worker_delivery  # noqa: F401

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 24)  # in St. Thomas (UTC-4, no daylight saving time)


def at(hour: int, minute: int = 0, day: int = 24) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=dt.UTC)


def prefer(filer_account, address: str, delivery: str, fmt: str = "html") -> None:
    EmailPreference.objects.update_or_create(
        filer=filer_account,
        address=address.lower(),
        defaults={"delivery": delivery, "format": fmt},
    )


def by_recipient(inbox) -> dict[str, list[Message]]:
    got: dict[str, list[Message]] = {}
    for rcpts, content in inbox.messages:
        for rcpt in rcpts:
            got.setdefault(rcpt.lower(), []).append(email.message_from_bytes(content))
    return got


def summaries(got: dict[str, list[Message]], address: str) -> list[Message]:
    return [m for m in got.get(address, []) if "Daily Summary Report" in m["Subject"]]


def nefs(got: dict[str, list[Message]], address: str) -> list[Message]:
    return [m for m in got.get(address, []) if m["Subject"].startswith("Activity in Case")]


def text_of(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode()
    raise AssertionError("no text part")


def has_html(message: Message) -> bool:
    return any(part.get_content_type() == "text/html" for part in message.walk())


def send_summaries(*args: str) -> str:
    out = StringIO()
    call_command("noticing", "send-summaries", *args, stdout=out, stderr=out)
    return out.getvalue()


@pytest.fixture
def day_in_court(time_machine, worker_delivery):  # noqa: F811
    """vid's filings on and around DAY: case 1 (A and B of record, C follows), a case of
    nobody here, and filings just before and after the day."""
    time_machine.move_to(at(3, 30), tick=False)  # 23:30 on the 23rd in St. Thomas
    court = district_court("vid")
    court.time_zone = "America/St_Thomas"
    court.save(update_fields=["time_zone"])
    a = filer(court, email="a@firm.example", last_name="Able")
    SecondaryEmail.objects.create(filer=a, email="A2@Firm.example")
    b = filer(court, email="b@other.example", last_name="Baker")
    c = filer(court, email="c@watch.example", last_name="Cole")
    d = filer(court, email="d@idle.example", last_name="Dunn")
    early = civil_case(court, a, title="Early v. Before")  # the 23rd, local time
    time_machine.move_to(at(14), tick=False)
    case = civil_case(court, a, title="Doe v. Acme Corp.")
    defendant = case.parties.get(role="Defendant")
    of_record(defendant, b)
    FollowedCase.objects.create(filer=c, case=case)
    FollowedCase.objects.create(filer=c, case=early)
    time_machine.move_to(at(15), tick=False)
    motion = actions.file_entry(
        acting=a.account,
        case=case,
        event=event(court, Menu.CIVIL, "motion_to_dismiss"),
        documents=stored(court, "Motion"),
    )
    time_machine.move_to(at(16), tick=False)
    sealed = actions.file_entry(
        acting=a.account,
        case=case,
        event=event(court, Menu.CIVIL, "motion_summary_judgment"),
        documents=stored(court, "Sealed motion"),
        sealed=True,
    )
    time_machine.move_to(at(5, 0, day=25), tick=False)  # 01:00 on the 25th there
    late = actions.file_entry(
        acting=a.account,
        case=case,
        event=event(court, Menu.CIVIL, "stipulation"),
        documents=stored(court, "Stipulation"),
    )
    prefer(a, "A2@Firm.example", "summary", "html")
    prefer(b, "b@other.example", "summary", "text")
    prefer(c, "c@watch.example", "summary", "html")
    prefer(d, "d@idle.example", "summary", "html")
    time_machine.move_to(at(9, 0, day=25), tick=False)  # the 25th, 05:00 there
    return {
        "court": court,
        "case": case,
        "a": a,
        "b": b,
        "c": c,
        "d": d,
        "complaint": case.entries.get(number=1),
        "motion": motion,
        "sealed": sealed,
        "late": late,
        "early": early,
    }


def test_the_courts_day_runs_midnight_to_midnight_in_its_time_zone(day_in_court):
    start, end = day_bounds(day_in_court["court"], DAY)
    assert start == at(4) and end == at(4, 0, day=25)


def test_each_summary_address_gets_one_report_of_the_day_and_per_filing_ones_get_nefs(
    day_in_court,
    smtp_server,  # noqa: F811
):
    inbox = smtp_server()
    w = day_in_court
    out = send_summaries()  # default: yesterday in St. Thomas, the 24th
    assert "vid 2026-11-24: daily summaries queued" in out
    run_worker()
    got = by_recipient(inbox)

    # A's secondary address chose the summary (HTML): one report, every entry of the day
    # in A's case, the sealed one included (A is of record); none of the 23rd or the 25th.
    [report] = summaries(got, "a2@firm.example")
    body = text_of(report)
    assert report["Subject"] == f"{w['court'].name}: Daily Summary Report for 11/24/2026"
    for entry in (w["complaint"], w["motion"], w["sealed"]):
        assert entry.event.label in body
    assert "Stipulation" not in body and "Early v. Before" not in body
    assert "(SEALED)" in body and has_html(report)
    assert nefs(got, "a2@firm.example") == []
    # A's primary address kept "each filing": NEFs, and no report.
    assert summaries(got, "a@firm.example") == []
    assert len(nefs(got, "a@firm.example")) == 5  # two complaints, two motions, stipulation

    # B (of record for the defendant) chose the summary in text at the primary address.
    [report_b] = summaries(got, "b@other.example")
    assert not has_html(report_b)
    assert w["sealed"].event.label in text_of(report_b)
    assert nefs(got, "b@other.example") == []

    # C follows the case: its public entries only, never the sealed one; nothing of the
    # followed case filed on another day.
    [report_c] = summaries(got, "c@watch.example")
    body_c = text_of(report_c)
    assert w["motion"].event.label in body_c and "Complaint" in body_c
    assert w["sealed"].event.label not in body_c and "SEALED" not in body_c
    assert "Early v. Before" not in body_c

    # D has nothing that day: no mail at all.
    assert "d@idle.example" not in got

    assert Notice.objects.filter(kind=NoticeKind.SUMMARY, summary_date=DAY).count() == 3
    assert all(
        n.state == "sent" for n in Notice.objects.filter(kind=NoticeKind.SUMMARY).select_related()
    )
    audit = Event.objects.get(action="noticing.summaries_queued")
    assert audit.court_code == "vid" and audit.details["summaries"] == 3


def test_a_rerun_sends_nothing_twice_and_exactly_what_is_missing(
    day_in_court,
    smtp_server,  # noqa: F811
):
    inbox = smtp_server()
    w = day_in_court
    send_summaries("--date", "2026-11-24")
    run_worker()
    first = len(inbox.messages)
    send_summaries("--date", "2026-11-24")
    run_worker()
    assert len(inbox.messages) == first
    # A's primary address moves to the summary too: the next run sends it alone.
    prefer(w["a"], "a@firm.example", "summary", "text")
    send_summaries("--date", "2026-11-24", "--court", "vid")
    run_worker()
    new = inbox.messages[first:]
    assert [rcpts for rcpts, _ in new] == [["a@firm.example"]]
    got = by_recipient(inbox)
    for address in ("a2@firm.example", "b@other.example", "c@watch.example", "a@firm.example"):
        assert len(summaries(got, address)) == 1, address


def test_the_next_day_is_its_own_report(day_in_court, smtp_server, time_machine):  # noqa: F811
    inbox = smtp_server()
    time_machine.move_to(at(9, 0, day=26), tick=False)
    send_summaries()  # yesterday there: the 25th, with the stipulation only
    run_worker()
    got = by_recipient(inbox)
    [report] = summaries(got, "a2@firm.example")
    assert "11/25/2026" in report["Subject"] and "Stipulation" in text_of(report)
    assert "Motion to Dismiss" not in text_of(report)
    # C follows the case: the public stipulation reaches it too.
    assert len(summaries(got, "c@watch.example")) == 1


def test_a_day_not_over_yet_or_a_bad_date_is_refused(day_in_court):
    out = send_summaries("--date", "2026-11-25")
    assert "not over yet" in out and "queued" not in out
    with pytest.raises(CommandError, match="--date"):
        send_summaries("--date", "24/11/2026")
    with pytest.raises(CommandError, match="--court"):
        send_summaries("--court", "nope")


def test_the_report_serves_those_of_record_when_each_entry_was_filed_as_its_nef_did(
    day_in_court,
    smtp_server,  # noqa: F811
):
    """An attorney made of record after the day's filings was served none of them, and an
    attorney terminated since was served them all: the report says what the NEFs did."""
    inbox = smtp_server()
    w = day_in_court
    defendant = w["case"].parties.get(role="Defendant")
    newcomer = filer(w["court"], email="e@new.example", last_name="Easton")
    of_record(defendant, newcomer)  # now: the 25th, after the day's filings
    prefer(newcomer, "e@new.example", "summary", "text")
    w["b"].representations.update(date_terminated=dt.date(2026, 11, 25))
    send_summaries("--date", "2026-11-24")
    run_worker()
    got = by_recipient(inbox)
    assert "e@new.example" not in got
    [report_b] = summaries(got, "b@other.example")
    for entry in (w["complaint"], w["motion"], w["sealed"]):
        assert entry.event.label in text_of(report_b)


def test_an_attorney_terminated_that_evening_gets_that_days_summary_of_earlier_filings(
    day_in_court,
    smtp_server,  # noqa: F811
):
    inbox = smtp_server()
    w = day_in_court
    # B, of record when the motion was filed at 15:00, is terminated at 20:00 that day.
    w["b"].representations.update(date_terminated=DAY, terminated_at=at(20))
    send_summaries("--date", DAY.isoformat())
    run_worker()
    reports = summaries(by_recipient(inbox), "b@other.example")
    assert reports and w["motion"].event.label in text_of(reports[0])


def test_an_attorney_terminated_between_two_filings_gets_the_first_only(
    day_in_court,
    smtp_server,  # noqa: F811
):
    inbox = smtp_server()
    w = day_in_court
    # B is terminated at 15:30, after the motion (15:00) and before the sealed one (16:00).
    w["b"].representations.update(date_terminated=DAY, terminated_at=at(15, 30))
    send_summaries("--date", DAY.isoformat())
    run_worker()
    [report] = summaries(by_recipient(inbox), "b@other.example")
    assert w["motion"].event.label in text_of(report)
    assert w["sealed"].event.label not in text_of(report)
