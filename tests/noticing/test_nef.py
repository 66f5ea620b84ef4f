"""Every filing reaches every attorney of record, at every address, once; the filing
request itself only queues one job."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nextgen.dockets import actions, staff
from nextgen.dockets.events import event
from nextgen.dockets.models import Menu, PartyRole
from nextgen.ecf.models import SecondaryEmail
from nextgen.noticing.free_look import redeem
from nextgen.noticing.models import EmailPreference, FreeLook, Notice
from nextgen.outbox import worker as outbox_worker
from nextgen.outbox.models import FanoutJob, MessageState, OutboxMessage
from tests.commits import run_on_commit
from tests.dockets.factories import civil_case, district_court, filer, of_record, stored
from tests.dockets.factories import staff as make_staff
from tests.noticing.conftest import magic_nums, mailboxes

pytestmark = pytest.mark.django_db

EVERYONE = [
    "calendar@def.test",
    "dana@def.test",
    "docket@plf.test",
    "fran@news.test",
    "paralegal@def.test",
    "pat@plf.test",
]


def test_a_filing_reaches_every_noticed_attorney_at_every_address_and_the_follower(scene):
    scene.file()
    assert mailboxes(mail.outbox) == EVERYONE
    assert all(len(m.to) == 1 for m in mail.outbox)


def test_terminated_and_not_to_be_noticed_attorneys_get_nothing(scene):
    scene.file()
    got = mailboxes(mail.outbox)
    assert "quiet@def.test" not in got and "gone@def.test" not in got


def test_an_attorney_without_e_mail_and_an_unrepresented_party_are_noticed_by_other_means(scene):
    scene.case.parties.create(name="Pro Se Pete", role=PartyRole.INTERVENOR)
    scene.file()
    body = mail.outbox[0].body
    other = body.split("Notice will be delivered by other means to:")[1]
    assert "Paper Only" in other and "Pro Se Pete" in other
    assert "Paper Only" not in body.split("Notice has been electronically mailed to:")[0]


def test_opening_a_case_notices_its_filer_at_every_address(db):
    court = district_court("vid")
    counsel = filer(court, email="first@plf.test")
    SecondaryEmail.objects.create(filer=counsel, email="second@plf.test")
    with run_on_commit():
        case = civil_case(court, counsel)
    assert mailboxes(mail.outbox) == ["first@plf.test", "second@plf.test"]
    entry = case.entries.get()
    assert mail.outbox[0].subject == (
        f"Activity in Case {case.number} {case.title} {entry.event.label}"
    )


def test_a_staff_order_notices_counsel(scene):
    clerk = make_staff(scene.court)
    with run_on_commit():
        staff.enter_entry(
            acting=clerk,
            case=scene.case,
            event=event(scene.court, Menu.CIVIL, "order"),
            text="ORDER granting leave to file.",
            documents=stored(scene.court, "Order"),
            request=None,
        )
    # The clerk has no CM/ECF account: counsel and the follower only.
    assert mailboxes(mail.outbox) == EVERYONE


def test_a_sealed_entry_goes_to_counsel_of_record_only_never_to_followers(scene):
    scene.file(sealed=True)
    got = mailboxes(mail.outbox)
    assert "fran@news.test" not in got
    assert got == [a for a in EVERYONE if a != "fran@news.test"]


def test_an_address_on_the_daily_summary_gets_no_notice_per_filing(scene):
    EmailPreference.objects.create(
        filer=scene.defense_counsel, address="Paralegal@Def.test", delivery="summary"
    )
    scene.file()
    assert "paralegal@def.test" not in mailboxes(mail.outbox)
    assert "dana@def.test" in mailboxes(mail.outbox)


def test_a_text_address_gets_plain_text_and_the_others_html_too(scene):
    EmailPreference.objects.create(
        filer=scene.defense_counsel, address="calendar@def.test", format="text"
    )
    scene.file()
    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address["calendar@def.test"].alternatives == []
    html = by_address["dana@def.test"].alternatives[0]
    assert html[1] == "text/html" and "Notice of Electronic Filing" in html[0]


def test_each_address_gets_its_own_keys_and_each_notice_is_recorded_with_its_state(scene):
    entry = scene.file()
    keys = [tuple(magic_nums(m.body)) for m in mail.outbox]
    assert len(set(keys)) == len(keys) == len(EVERYONE)
    assert all(len(k) == 2 for k in keys)  # the main document and its exhibit
    assert FreeLook.objects.filter(document__entry=entry).count() == 2 * len(EVERYONE)
    assert not FreeLook.objects.filter(key_hash__in=[k for ks in keys for k in ks]).exists()
    notices = Notice.objects.filter(entry=entry)
    assert sorted(n.address for n in notices) == EVERYONE
    assert {n.state for n in notices} == {MessageState.SENT}


def test_expanding_the_job_again_sends_nothing_twice_and_makes_no_new_keys(scene):
    entry = scene.file()
    looks = FreeLook.objects.count()
    job = FanoutJob.objects.get(key=f"nef:{entry.pk}")
    FanoutJob.objects.filter(pk=job.pk).update(state="queued")
    outbox_worker.run_job_now(job.pk)
    assert len(mail.outbox) == len(EVERYONE)
    assert OutboxMessage.objects.filter(job=job).count() == len(EVERYONE)
    assert FreeLook.objects.count() == looks


def test_a_rolled_back_filing_queues_nothing(scene):
    with run_on_commit(), pytest.raises(Exception):  # noqa: B017 - any failure inside
        actions.file_entry(
            acting=scene.defense_counsel.account,
            case=scene.case,
            event=event(scene.court, Menu.CIVIL, "motion_to_dismiss"),
            filer_parties=[scene.case.parties.get(name="Acme Corp.")],
            documents=[],  # a motion needs its document: refused
        )
    assert (
        mail.outbox == []
        and not FanoutJob.objects.filter(key__startswith="nef:")
        .exclude(key=f"nef:{scene.case.entries.get().pk}")
        .exists()
    )


def _filing_queries(court, attorneys: int) -> int:
    counsel = filer(court)
    case = civil_case(court, counsel, title=f"Case with {attorneys}")
    acme = case.parties.get(name="Acme Corp.")
    for _ in range(attorneys - 1):
        lawyer = filer(court)
        SecondaryEmail.objects.create(filer=lawyer, email=f"alt-{lawyer.login}@example.com")
        of_record(acme, lawyer)
    documents = stored(court, "Motion")
    with CaptureQueriesContext(connection) as queries:
        actions.file_entry(
            acting=counsel.account,
            case=case,
            event=event(court, Menu.CIVIL, "motion_to_dismiss"),
            documents=documents,
        )
    return len(queries)


def test_the_filing_request_costs_the_same_queries_for_1_or_40_attorneys(db, settings):
    settings.NEXTGEN_MAIL_DELIVERY = "worker"  # as in production: the worker sends
    court = district_court("ctd")
    one = _filing_queries(court, 1)
    many = _filing_queries(court, 40)
    assert one == many
    assert FanoutJob.objects.filter(key__startswith="nef:").count() == 4  # 2 cases x 2 entries
    assert not OutboxMessage.objects.exists()  # nothing built in the request


def test_the_nef_goes_to_those_of_record_at_filing_time_not_when_the_worker_runs(scene, settings):
    settings.NEXTGEN_MAIL_DELIVERY = "worker"
    entry = scene.file()
    late = filer(scene.court, first_name="Late", last_name="Comer", email="late@def.test")
    of_record(scene.case.parties.get(name="Acme Corp."), late)
    outbox_worker.run_job_now(FanoutJob.objects.get(key=f"nef:{entry.pk}").pk)
    assert mailboxes(mail.outbox) == EVERYONE


def test_the_attorney_of_a_terminated_party_gets_no_nef_not_even_a_sealed_one(scene):
    gone = scene.case.parties.create(
        name="Ivy Intervenor",
        role=PartyRole.INTERVENOR,
        date_terminated=scene.court.today() - dt.timedelta(days=3),
    )
    ivan = filer(scene.court, first_name="Ivan", last_name="Ivy", email="ivan@ivy.test")
    of_record(gone, ivan)  # an open representation of a party ended before (older data)
    scene.file(sealed=True)
    assert "ivan@ivy.test" not in mailboxes(mail.outbox)
    assert "pat@plf.test" in mailboxes(mail.outbox)


def test_terminating_a_party_ends_its_attorneys_and_their_nefs(scene):
    acme = scene.case.parties.get(name="Acme Corp.")
    staff.terminate_party(acting=make_staff(scene.court), party=acme, request=None)
    assert not acme.representations.filter(date_terminated__isnull=True).exists()
    scene.file(by=scene.plaintiff_counsel)
    assert "dana@def.test" not in mailboxes(mail.outbox)


def test_an_attorney_terminated_later_the_same_day_was_served_by_that_days_nef(scene, settings):
    settings.NEXTGEN_MAIL_DELIVERY = "worker"
    entry = scene.file()
    # That afternoon, before the worker gets to the job, staff terminate Pat.
    rep = scene.plaintiff_counsel.representations.get()
    staff.terminate_attorney(acting=make_staff(scene.court), representation=rep, request=None)
    outbox_worker.run_job_now(FanoutJob.objects.get(key=f"nef:{entry.pk}").pk)
    assert "pat@plf.test" in mailboxes(mail.outbox)
    mail.outbox.clear()
    scene.file()  # after the termination: not served
    outbox_worker.run_job_now(FanoutJob.objects.order_by("pk").last().pk)
    assert "pat@plf.test" not in mailboxes(mail.outbox)


def test_an_address_two_attorneys_share_gets_each_their_own_notice_and_free_look(scene, rf):
    # Each attorney's NEF carries that attorney's own free look (bound to their account),
    # so a firm's shared docketing box gets one per attorney, not one for both.
    partner = filer(scene.court, first_name="Pam", last_name="Partner", email="Calendar@def.test")
    of_record(scene.case.parties.get(name="Acme Corp."), partner)
    entry = scene.file()
    shared = [m for m in mail.outbox if m.to[0].lower() == "calendar@def.test"]
    assert len(shared) == 2
    document = entry.documents.get(number=0)
    keys = {magic_nums(m.body)[0] for m in shared}
    assert any(
        redeem(acting=partner.account, request=rf.get("/"), document=document, key=key)
        for key in keys
    )


def test_a_party_whose_counsel_appears_is_listed_with_them_not_by_other_means(db):
    court = district_court("ctd")
    plaintiff = filer(court, email="pat@plf.test")
    with run_on_commit():
        case = civil_case(court, plaintiff)  # Acme Corp. has no counsel yet
    mail.outbox.clear()
    newcomer = filer(court, first_name="Nora", last_name="Newcomer", email="nora@def.test")
    acme = case.parties.get(name="Acme Corp.")
    with run_on_commit():
        actions.file_entry(
            acting=newcomer.account,
            case=case,
            event=event(court, Menu.CIVIL, "notice_of_appearance"),
            filer_parties=[acme],
            documents=stored(court, "Appearance"),
            appearance=newcomer,
        )
    body = mail.outbox[0].body
    other = body.split("Notice will be delivered by other means to:")[1]
    assert "Acme Corp." not in other.split("The following")[0]


def test_an_appearance_restores_a_representation_staff_ended(scene):
    acme = scene.case.parties.get(name="Acme Corp.")
    rep = scene.defense_counsel.representations.get(party=acme)
    staff.terminate_attorney(acting=make_staff(scene.court), representation=rep, request=None)
    with run_on_commit():
        actions.file_entry(
            acting=scene.defense_counsel.account,
            case=scene.case,
            event=event(scene.court, Menu.CIVIL, "notice_of_appearance"),
            filer_parties=[acme],
            documents=stored(scene.court, "Appearance"),
            appearance=scene.defense_counsel,
        )
    rep.refresh_from_db()
    assert rep.date_terminated is None and rep.terminated_at is None


def _appear(scene, who, party):
    with run_on_commit():
        return actions.file_entry(
            acting=who.account,
            case=scene.case,
            event=event(scene.court, Menu.CIVIL, "notice_of_appearance"),
            filer_parties=[party],
            documents=stored(scene.court, "Appearance"),
            appearance=who,
        )


def test_an_appearance_restores_a_representation_as_a_new_appearance_to_be_noticed(scene):
    acme = scene.case.parties.get(name="Acme Corp.")
    quiet = scene.not_noticed.representations.get(party=acme)  # not to be noticed
    clerk = make_staff(scene.court)
    staff.terminate_attorney(acting=clerk, representation=quiet, request=None)
    dana = scene.defense_counsel.representations.get(party=acme)  # lead attorney
    staff.terminate_attorney(acting=clerk, representation=dana, request=None)
    _appear(scene, scene.not_noticed, acme)
    _appear(scene, scene.defense_counsel, acme)
    quiet.refresh_from_db()
    dana.refresh_from_db()
    assert quiet.to_be_noticed and not dana.lead_attorney
    mail.outbox.clear()
    scene.file(by=scene.plaintiff_counsel)
    assert "quiet@def.test" in mailboxes(mail.outbox)


def test_reappearing_keeps_an_entry_made_before_the_termination_served(scene, settings):
    settings.NEXTGEN_MAIL_DELIVERY = "worker"
    acme = scene.case.parties.get(name="Acme Corp.")
    entry = scene.file(by=scene.plaintiff_counsel)  # Dana of record: served
    dana = scene.defense_counsel.representations.get(party=acme)
    staff.terminate_attorney(acting=make_staff(scene.court), representation=dana, request=None)
    _appear(scene, scene.defense_counsel, acme)
    outbox_worker.run_job_now(FanoutJob.objects.get(key=f"nef:{entry.pk}").pk)
    assert "dana@def.test" in mailboxes(mail.outbox)


def test_an_appearance_for_a_party_terminated_meanwhile_makes_no_attorney(scene):
    acme = scene.case.parties.get(name="Acme Corp.")
    staff.terminate_party(acting=make_staff(scene.court), party=acme, request=None)
    # Staff terminated Acme after the filing flow's last check, before the commit.
    _appear(scene, scene.not_noticed, acme)
    assert not acme.representations.filter(date_terminated__isnull=True).exists()
