"""A civil case with counsel on both sides, secondary addresses, a follower, and the
people who must not get its notices."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.core import mail

from nextgen.dockets import actions
from nextgen.dockets.events import event
from nextgen.dockets.models import Case, DocketEntry, Menu
from nextgen.ecf.models import FilerAccount, SecondaryEmail
from nextgen.noticing.models import FollowedCase
from tests.commits import run_on_commit
from tests.dockets.factories import civil_case, district_court, filer, of_record, stored
from tests.test_mail_queue import smtp_server, worker_delivery  # noqa: F401 - fixtures


@dataclass
class Scene:
    court: object
    case: Case
    plaintiff_counsel: FilerAccount
    defense_counsel: FilerAccount
    follower: FilerAccount
    not_noticed: FilerAccount
    terminated: FilerAccount
    no_email: FilerAccount

    def file(self, *, by: FilerAccount | None = None, sealed: bool = False, title="Motion"):
        """`by` files a motion; its NEFs go out once the filing commits (with immediate
        delivery; with the worker's, they wait in the outbox)."""
        by = by or self.defense_counsel
        with run_on_commit():
            return actions.file_entry(
                acting=by.account,
                case=self.case,
                event=event(self.court, Menu.CIVIL, "motion_to_dismiss"),
                filer_parties=[self.case.parties.get(name="Acme Corp.")],
                documents=stored(self.court, title, "Exhibit A"),
                sealed=sealed,
            )


@pytest.fixture
def scene(db) -> Scene:
    court = district_court("ctd")
    plaintiff_counsel = filer(court, first_name="Pat", last_name="Plaintiff", email="pat@plf.test")
    SecondaryEmail.objects.create(filer=plaintiff_counsel, email="docket@plf.test")
    with run_on_commit():  # its NEF sent, not left queued for a test's worker
        case = civil_case(court, plaintiff_counsel)
    acme = case.parties.get(name="Acme Corp.")
    defense = filer(court, first_name="Dana", last_name="Defense", email="dana@def.test")
    SecondaryEmail.objects.create(filer=defense, email="paralegal@def.test")
    SecondaryEmail.objects.create(filer=defense, email="calendar@def.test")
    of_record(acme, defense, lead_attorney=True)
    not_noticed = filer(court, first_name="Quiet", last_name="Counsel", email="quiet@def.test")
    of_record(acme, not_noticed, to_be_noticed=False)
    terminated = filer(court, first_name="Gone", last_name="Counsel", email="gone@def.test")
    import datetime as dt

    of_record(acme, terminated, date_terminated=dt.date(2026, 1, 2))
    no_email = filer(court, first_name="Paper", last_name="Only", email="")
    of_record(acme, no_email)
    follower = filer(court, first_name="Fran", last_name="Follower", email="fran@news.test")
    FollowedCase.objects.create(filer=follower, case=case)
    mail.outbox.clear()  # the complaint's own NEF
    return Scene(
        court, case, plaintiff_counsel, defense, follower, not_noticed, terminated, no_email
    )


def mailboxes(messages) -> list[str]:
    """Every recipient address of these messages, one entry per message and address."""
    return sorted(address for m in messages for address in m.to)


def magic_nums(text: str) -> list[str]:
    return re.findall(r"magic_num=(\d+)", text)


def nef_of(entry: DocketEntry, messages) -> list:
    return [m for m in messages if m.subject.startswith(f"Activity in Case {entry.case.number}")]
