"""Who may file what, and where: each refusal of the filing flow, in plain words."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from nextgen.dockets.events import event
from nextgen.dockets.filing import notices, rules
from nextgen.dockets.models import Case, DocketEntry, Menu
from nextgen.ecf.flows.registration import approve_registration, request_registration
from nextgen.signon.models.mfa import MfaPrompt
from tests.dockets import factories as f
from tests.factories import AccountFactory, LegacyAccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def court():
    return f.district_court("ctd")


@pytest.fixture
def john(court):
    return f.filer(court)


@pytest.fixture
def case(court, john):
    return f.civil_case(court, john)


@pytest.mark.parametrize(
    "make, reason",
    [
        (lambda: LegacyAccountFactory(), "legacy"),
        (lambda: AccountFactory(is_shared=True), "shared"),
        (lambda: AccountFactory(is_active=False), "inactive"),
        (lambda: AccountFactory(), "not_filer"),
    ],
    ids=["legacy", "shared", "inactive", "not linked"],
)
def test_accounts_that_may_not_file_are_told_why(court, make, reason):
    account = make()
    f.filer(court, account=account) if reason != "not_filer" else None
    assert rules.account_refusal(account, court) == reason
    assert notices.filing_refusal(reason)


def test_a_filer_who_used_every_mfa_skip_may_not_file(court, john):
    assert rules.account_refusal(john.account, court) is None
    MfaPrompt.objects.create(account=john.account, skips=3)
    assert rules.account_refusal(john.account, court) == "mfa"


def test_a_filer_approved_through_e_file_registration_files_like_a_linked_one(court):
    from tests.dockets.factories import staff

    applicant = AccountFactory()
    registration = request_registration(
        account=applicant,
        court=court,
        kind="attorney",
        bar_number="CT1",
        bar_state="CT",
        request=None,
    )
    approve_registration(
        staff=staff(court), court=court, registration_id=registration.pk, request=None
    )
    assert rules.account_refusal(applicant, court) is None


def test_a_filer_of_another_court_is_not_a_filer_here(court):
    other = f.district_court("vid")
    account = f.filer(other).account
    assert rules.account_refusal(account, court) == "not_filer"


def test_a_closed_case_takes_no_filing(court, john, case):
    Case.objects.filter(pk=case.pk).update(date_terminated=dt.date(2026, 1, 2))
    case.refresh_from_db()
    motion = event(court, Menu.CIVIL, "motion_to_dismiss")
    assert rules.case_refusal(john.account, john, motion, case) == "case_closed"


def test_an_event_of_another_menu_does_not_fit_the_case(court, john, case):
    criminal_motion = event(court, Menu.CRIMINAL, "motion_to_dismiss")
    assert rules.case_refusal(john.account, john, criminal_motion, case) == "wrong_menu"


def test_an_attorney_for_every_party_needs_no_appearance(court, john, case):
    for party in case.parties.exclude(representations__filer=john):
        f.of_record(party, john)
    appearance = event(court, Menu.CIVIL, "notice_of_appearance")
    assert rules.case_refusal(john.account, john, appearance, case) == "already_of_record"


def test_a_terminated_attorney_is_no_longer_of_record(court, john, case):
    motion = event(court, Menu.CIVIL, "motion_to_dismiss")
    assert rules.case_refusal(john.account, john, motion, case) is None
    john.representations.update(date_terminated=dt.date(2026, 2, 1))
    assert rules.case_refusal(john.account, john, motion, case) == "not_of_record"


def test_a_sealed_case_is_no_case_to_a_filer_not_of_record(court, john, case):
    Case.objects.filter(pk=case.pk).update(sealed=True)
    client = Client()
    client.force_login(f.filer(court).account)
    notice = event(court, Menu.CIVIL, "notice_of_appearance")
    client.post(reverse("filing:start", args=[court.code, Menu.CIVIL, notice.pk]))
    page = client.post(reverse("filing:case", args=[court.code]), {"case_number": case.number})
    assert notices.CASE_NOT_FOUND in page.content.decode()  # as if it did not exist


def test_an_expired_filing_starts_again_and_files_nothing(court, john, case):
    client = Client()
    client.force_login(john.account)
    motion = event(court, Menu.CIVIL, "motion_to_dismiss")
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC), tick=False) as t:
        client.post(reverse("filing:start", args=[court.code, Menu.CIVIL, motion.pk]))
        t.shift(dt.timedelta(minutes=61))
        response = client.post(
            reverse("filing:case", args=[court.code]), {"case_number": case.number}
        )
    assert response.status_code == 409
    assert notices.EXPIRED in response.content.decode()
    assert DocketEntry.objects.filter(case=case).count() == 1
