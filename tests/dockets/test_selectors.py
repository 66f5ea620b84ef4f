"""Sealed material: only the court's staff and the case's attorneys of record see it."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from nextgen.dockets import actions
from nextgen.dockets.events import event
from nextgen.dockets.models import Menu, PartyRole
from nextgen.dockets.selectors import (
    can_see_sealed,
    represented_parties,
    visible_case,
    visible_cases,
    visible_document,
    visible_entries,
)
from tests.dockets.factories import civil_case, district_court, filer, of_record, staff, stored
from tests.factories import AccountFactory
from tests.passcode import passcode_viewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctd():
    return district_court("ctd")


@pytest.fixture
def counsel(ctd):
    return filer(ctd)


@pytest.fixture
def case(ctd, counsel):
    return civil_case(ctd, counsel)


def viewers(ctd, counsel):
    """Who may see sealed material, and who may not (the latter by name)."""
    vid = district_court("vid")
    # Staff as a request signed in with the passcode hands them over (signon.http).
    allowed = {"court staff": passcode_viewer(staff(ctd)), "attorney of record": counsel.account}
    refused = {
        "anonymous": AnonymousUser(),
        "another attorney": filer(ctd).account,
        "staff of another court": passcode_viewer(staff(vid)),
        "court staff on a password-only session": staff(ctd, AccountFactory()),
        "a PACER user": AccountFactory(),
    }
    return allowed, refused


def test_a_sealed_case_is_seen_only_by_court_staff_and_its_attorneys(ctd, counsel, case):
    open_case = civil_case(ctd, counsel, title="Roe v. Acme")
    case.sealed = True
    case.save(update_fields=["sealed"])
    allowed, refused = viewers(ctd, counsel)
    for who, user in allowed.items():
        assert can_see_sealed(user, case), who
        assert set(visible_cases(user, ctd)) == {case, open_case}, who
        assert visible_entries(user, case).count() == 1, who
    for who, user in refused.items():
        assert not can_see_sealed(user, case), who
        assert list(visible_cases(user, ctd)) == [open_case], who
        assert visible_cases(user, ctd).count() == 1, who
        assert visible_case(user, ctd, case.pk) is None, who
        assert visible_entries(user, case).count() == 0, who
        assert visible_document(user, ctd, case.entries.get().documents.get().pk) is None, who


def test_a_sealed_entry_is_left_out_of_the_docket_for_everyone_else(ctd, counsel, case):
    sealed = actions.file_entry(
        acting=counsel.account,
        case=case,
        event=event(ctd, Menu.CIVIL, "motion_to_dismiss"),
        documents=stored(ctd, "Sealed motion"),
        sealed=True,
    )
    allowed, refused = viewers(ctd, counsel)
    for who, user in allowed.items():
        assert [e.number for e in visible_entries(user, case)] == [1, 2], who
        assert visible_document(user, ctd, sealed.documents.get().pk) is not None, who
    for who, user in refused.items():
        assert [e.number for e in visible_entries(user, case)] == [1], who
        assert visible_document(user, ctd, sealed.documents.get().pk) is None, who


def test_a_terminated_attorney_no_longer_sees_sealed_material(ctd, counsel, case):
    case.sealed = True
    case.save(update_fields=["sealed"])
    later = filer(ctd)
    rep = of_record(case.parties.get(role=PartyRole.DEFENDANT), later)
    assert can_see_sealed(later.account, case)
    rep.date_terminated = dt.date(2026, 5, 1)
    rep.save(update_fields=["date_terminated"])
    assert not can_see_sealed(later.account, case)
    assert visible_case(later.account, ctd, case.pk) is None


def test_the_attorney_of_a_terminated_party_no_longer_sees_sealed_material(ctd, counsel, case):
    case.sealed = True
    case.save(update_fields=["sealed"])
    later = filer(ctd)
    defendant = case.parties.get(role=PartyRole.DEFENDANT)
    of_record(defendant, later)  # left open (data from before a party's end ended it)
    defendant.date_terminated = dt.date(2026, 5, 1)
    defendant.save(update_fields=["date_terminated"])
    assert not can_see_sealed(later.account, case)
    assert visible_case(later.account, ctd, case.pk) is None
    assert visible_case(later.account, ctd, case.pk, reading=True) is None


def test_a_deactivated_attorney_of_record_sees_nothing_sealed(ctd, counsel, case):
    case.sealed = True
    case.save(update_fields=["sealed"])
    counsel.account.is_active = False
    counsel.account.save(update_fields=["is_active"])
    assert not can_see_sealed(counsel.account, case)
    assert visible_case(counsel.account, ctd, case.pk) is None


def test_a_document_of_another_court_is_not_found_through_this_one(ctd, counsel, case):
    vid = district_court("vid")
    document = case.entries.get().documents.get()
    assert visible_document(counsel.account, vid, document.pk) is None
    assert visible_document(counsel.account, ctd, document.pk) == document


def test_represented_parties_are_those_the_user_appears_for(ctd, counsel, case):
    assert [p.name for p in represented_parties(counsel.account, case)] == ["Jane Doe"]
    assert not represented_parties(filer(ctd).account, case).exists()
    assert not represented_parties(AnonymousUser(), case).exists()
