"""E-file registration without an old CM/ECF account: request, refusals, staff decisions."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.hashers import check_password, is_password_usable
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils.html import escape

from nextgen.audit.models import Event, Outcome
from nextgen.ecf import notices
from nextgen.ecf.flows import registration as flow
from nextgen.ecf.menus import has_filing_rights
from nextgen.ecf.models import CourtRole, FilerAccount, FilingRegistration
from tests.commits import run_on_commit
from tests.factories import (
    AccountFactory,
    CourtFactory,
    FilerAccountFactory,
    LegacyAccountFactory,
)
from tests.passcode import with_passcode

pytestmark = pytest.mark.django_db
REGISTER = "/efile/register/"
ATTORNEY = FilingRegistration.Kind.ATTORNEY
NON_ATTORNEY = FilingRegistration.Kind.NON_ATTORNEY


def signed_in(account) -> Client:
    """A client with `account` signed in. The login page itself is tested elsewhere (and
    may add steps, such as MFA for filers, that are not what these tests are about)."""
    return with_passcode(Client(), account)


@pytest.fixture
def ctd():
    return CourtFactory(code="ctd", name="District of Connecticut", go_live=dt.date(2017, 12, 11))


@pytest.fixture
def vib():
    return CourtFactory(
        code="vib", name="Virgin Islands Bankruptcy", kind="bankruptcy", go_live=dt.date(2022, 6, 6)
    )


@pytest.fixture
def applicant():
    return AccountFactory(
        username="nnewcomer",
        first_name="Nina",
        last_name="Newcomer",
        firm="Newcomer LLC",
        phone="860-555-0199",
    )


@pytest.fixture
def staff(ctd):
    clerk = AccountFactory(username="clerk_ctd", first_name="Kim", last_name="Clerk")
    CourtRole.objects.create(account=clerk, court=ctd)
    return clerk


def attorney_request(client: Client, court: str = "ctd", **extra) -> object:
    data = {
        "court": court,
        "kind": ATTORNEY,
        "bar_number": "CT12345",
        "bar_state": "CT",
        "note": "Admitted 2019.",
        **extra,
    }
    return client.post(REGISTER, data)


def pending(account, court) -> FilingRegistration:
    return FilingRegistration.objects.get(account=account, court=court, status="pending")


# --- the applicant -----------------------------------------------------------------------


def test_the_page_is_reachable_from_manage_my_account_and_my_courts(applicant, ctd):
    client = signed_in(applicant)
    assert f'href="{REGISTER}"' in client.get("/csologin/account/").content.decode()
    assert f'href="{REGISTER}?court=ctd"' in client.get("/my-courts/").content.decode()
    page = client.get(f"{REGISTER}?court=ctd").content.decode()
    assert "Attorney Admissions / E-File Registration" in page
    assert "Non-Attorney E-File Registration" in page
    assert re.search(r'<option value="ctd" selected>', page)


def test_an_attorney_requests_registration_and_sees_it_pending(applicant, ctd):
    client = signed_in(applicant)
    response = attorney_request(client)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert notices.REGISTRATION_SENT in page
    assert re.search(r'class="registration-status">Pending', page)
    registration = pending(applicant, ctd)
    assert (registration.kind, registration.bar_number, registration.bar_state) == (
        ATTORNEY,
        "CT12345",
        "CT",
    )
    assert registration.note == "Admitted 2019."
    event = Event.objects.get(action="registration.request", outcome=Outcome.SUCCESS)
    assert (event.actor, event.court_code) == (applicant, "ctd")


def test_a_non_attorney_needs_no_bar_number_and_the_note_is_optional(applicant, ctd):
    client = signed_in(applicant)
    response = client.post(REGISTER, {"court": "ctd", "kind": NON_ATTORNEY, "bar_number": "x"})
    assert response.status_code == 302
    registration = pending(applicant, ctd)
    assert (registration.kind, registration.bar_number, registration.note) == (NON_ATTORNEY, "", "")


def test_an_attorney_must_give_bar_number_and_state_and_keeps_what_was_typed(applicant, ctd):
    client = signed_in(applicant)
    response = attorney_request(client, bar_number="", bar_state="", note="Kept <note>")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Bar number</a>: " + notices.BAR_NUMBER_REQUIRED in html
    assert escape(notices.BAR_STATE_REQUIRED) in html
    assert escape("Kept <note>") in html
    assert 'value="ctd" selected' in html
    assert not FilingRegistration.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"court": "nope", "kind": ATTORNEY},
        {"court": "ctd", "kind": "judge"},
        {"court": "ctd", "kind": ATTORNEY, "bar_number": "x" * 500, "bar_state": "CT"},
        {"court": ["ctd", "vib"], "kind": "\x00"},
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(applicant, ctd, data):
    response = signed_in(applicant).post(REGISTER, data)
    assert response.status_code == 400
    assert "Please correct the following" in response.content.decode()
    assert not FilingRegistration.objects.exists()


def test_legacy_and_shared_accounts_are_refused_in_the_linking_words(ctd):
    from nextgen.ecf.notices import REFUSALS

    legacy = LegacyAccountFactory(username="llegacy")
    shared = AccountFactory(username="firmshared", is_shared=True)
    for account, reason in [(legacy, "legacy"), (shared, "shared")]:
        client = signed_in(account)
        assert escape(REFUSALS[reason]) in client.get(REGISTER).content.decode()
        response = attorney_request(client)
        assert response.status_code == 400
        assert escape(REFUSALS[reason]) in response.content.decode()
    assert not FilingRegistration.objects.exists()
    assert Event.objects.filter(action="registration.request", outcome=Outcome.REFUSED).count() == 2


def test_a_court_not_yet_live_is_neither_offered_nor_accepted(applicant):
    CourtFactory(code="gub", name="Guam Bankruptcy", go_live=dt.date(2099, 1, 1))
    client = signed_in(applicant)
    assert 'value="gub"' not in client.get(REGISTER).content.decode()
    assert attorney_request(client, court="gub").status_code == 400
    # The flow refuses too, whoever calls it.
    with pytest.raises(flow.RegistrationRefused) as refused:
        flow.request_registration(
            acting=applicant,
            court=CourtFactory(code="gub"),
            kind=ATTORNEY,
            bar_number="1",
            bar_state="CT",
            request=None,
        )
    assert refused.value.reason == "not_live"
    assert not FilingRegistration.objects.exists()


def test_an_account_already_filing_at_the_court_is_told_so(applicant, ctd):
    FilerAccountFactory(court=ctd, account=applicant)
    response = attorney_request(signed_in(applicant))
    assert response.status_code == 400
    assert escape(notices.REGISTRATION_REFUSALS["already_filer"]) in response.content.decode()
    assert not FilingRegistration.objects.exists()


def test_a_second_request_while_one_is_pending_is_refused(applicant, ctd, vib):
    client = signed_in(applicant)
    assert attorney_request(client).status_code == 302
    response = attorney_request(client)
    assert response.status_code == 400
    assert escape(notices.REGISTRATION_REFUSALS["pending"]) in response.content.decode()
    # Another court is another request.
    assert attorney_request(client, court="vib").status_code == 302
    assert FilingRegistration.objects.filter(account=applicant).count() == 2


def test_the_database_refuses_a_second_pending_request_and_the_flow_says_so(
    applicant, ctd, monkeypatch
):
    FilingRegistration.objects.create(account=applicant, court=ctd, kind=ATTORNEY)
    with pytest.raises(IntegrityError), transaction.atomic():
        FilingRegistration.objects.create(account=applicant, court=ctd, kind=NON_ATTORNEY)
    # Two submits at once both pass the check; the constraint turns the second away.
    monkeypatch.setattr(flow, "registration_refusal", lambda account, court: None)
    with pytest.raises(flow.RegistrationRefused) as refused:
        flow.request_registration(acting=applicant, court=ctd, kind=NON_ATTORNEY, request=None)
    assert refused.value.reason == "pending"
    assert FilingRegistration.objects.count() == 1


def test_the_page_needs_a_signed_in_account():
    response = Client().get(REGISTER)
    assert response.status_code == 302 and "/csologin/login/" in response["Location"]


# --- the court's staff ---------------------------------------------------------------------


def staff_page(code: str = "ctd") -> str:
    return f"/ecf/{code}/staff/registrations/"


def approve_url(registration, code: str = "ctd") -> str:
    return f"/ecf/{code}/staff/registrations/{registration.pk}/approve/"


def reject_url(registration, code: str = "ctd") -> str:
    return f"/ecf/{code}/staff/registrations/{registration.pk}/reject/"


def test_staff_approve_and_the_attorney_files_with_the_same_menus_as_a_link(applicant, ctd, staff):
    attorney = signed_in(applicant)
    attorney_request(attorney)
    registration = pending(applicant, ctd)
    assert ">Civil</a>" not in attorney.get("/ecf/ctd/cgi-bin/").content.decode()

    clerk = signed_in(staff)
    listing = clerk.get(staff_page()).content.decode()
    assert "Nina Newcomer (nnewcomer)" in listing and "CT12345" in listing
    with run_on_commit():
        response = clerk.post(approve_url(registration), {"reason": ""})
    assert response.status_code == 302
    assert (
        "No registration requests are waiting" in clerk.get(response["Location"]).content.decode()
    )

    filer = FilerAccount.objects.get(court=ctd, account=applicant)
    assert filer.login == f"reg{registration.pk}-nnewcomer"
    assert not is_password_usable(filer.password)
    assert filer.linked_at is not None
    assert (filer.first_name, filer.last_name, filer.email) == (
        "Nina",
        "Newcomer",
        "nnewcomer@example.com",
    )
    assert (filer.firm, filer.phone, filer.bar_number, filer.address) == (
        "Newcomer LLC",
        "860-555-0199",
        "CT12345",
        "1 Main Street",
    )
    assert has_filing_rights(applicant, ctd)
    # Exactly the menus a linked attorney gets, on the very next page.
    html = attorney.get("/ecf/ctd/cgi-bin/").content.decode()
    assert re.findall(r'<li><a href="[^"]+">([^<]+)</a></li>', html) == [
        "Civil",
        "Criminal",
        "Query",
        "Reports",
        "Utilities",
        "Search",
        "Help",
        "Log Out",
    ]
    menu = attorney.get("/ecf/ctd/cgi-bin/civil/", follow=True)
    assert menu.status_code == 200 and "Open a Civil Case" in menu.content.decode()
    assert re.search(
        r'class="registration-status">Approved', attorney.get(REGISTER).content.decode()
    )

    registration.refresh_from_db()
    assert (registration.status, registration.decided_by) == ("approved", staff)
    event = Event.objects.get(action="registration.approve", outcome=Outcome.SUCCESS)
    assert (event.actor, event.subject, event.court_code) == (staff, applicant, "ctd")
    assert event.details["registration_id"] == registration.pk
    assert [m.to for m in mail.outbox] == [["nnewcomer@example.com"]]
    assert "approved" in mail.outbox[0].subject


def test_nobody_can_link_or_sign_in_with_the_cmecf_login_of_an_approval(applicant, ctd, staff):
    registration = FilingRegistration.objects.create(
        account=applicant, court=ctd, kind=NON_ATTORNEY
    )
    flow.approve_registration(
        acting=staff, court=ctd, registration_id=registration.pk, request=None
    )
    filer = FilerAccount.objects.get(court=ctd, account=applicant)
    # The password is unusable: no value, not even an empty one, matches it.
    assert not check_password("", filer.password)
    other = signed_in(AccountFactory(username="other"))
    response = other.post("/ecf/ctd/cgi-bin/link/", {"login": filer.login, "password": ""})
    assert FilerAccount.objects.get(pk=filer.pk).account == applicant
    assert response.status_code in (200, 400)


def test_staff_of_another_court_and_attorneys_get_404(applicant, ctd, vib, staff):
    registration = FilingRegistration.objects.create(
        account=applicant, court=ctd, kind=NON_ATTORNEY
    )
    vib_clerk = AccountFactory(username="clerk_vib")
    CourtRole.objects.create(account=vib_clerk, court=vib)
    for who in (signed_in(vib_clerk), signed_in(applicant)):
        assert who.get(staff_page()).status_code == 404
        assert who.post(approve_url(registration)).status_code == 404
        assert who.post(reject_url(registration), {"reason": "no"}).status_code == 404
    # ctd's staff cannot reach a ctd request through another court's URL either.
    clerk = signed_in(staff)
    assert clerk.get(staff_page("vib")).status_code == 404
    assert clerk.post(approve_url(registration, "vib")).status_code == 404
    assert pending(applicant, ctd)
    assert not FilerAccount.objects.filter(account=applicant).exists()


def test_the_service_center_may_decide_for_any_court(applicant, ctd):
    psc = AccountFactory(username="psc", is_service_center=True)
    registration = FilingRegistration.objects.create(
        account=applicant, court=ctd, kind=NON_ATTORNEY
    )
    client = signed_in(psc)
    assert client.get(staff_page()).status_code == 200
    assert client.post(approve_url(registration)).status_code == 302
    assert has_filing_rights(applicant, ctd)


def test_staff_pages_ask_for_a_login_first(ctd):
    response = Client().get(staff_page())
    assert response.status_code == 302 and "/csologin/login/" in response["Location"]


def test_rejection_needs_a_reason_and_e_mails_it(applicant, ctd, staff):
    registration = FilingRegistration.objects.create(account=applicant, court=ctd, kind=ATTORNEY)
    clerk = signed_in(staff)
    with run_on_commit():
        response = clerk.post(reject_url(registration), {"reason": "   "})
    assert response.status_code == 400
    assert escape(notices.REJECTION_REASON_REQUIRED) in response.content.decode()
    assert pending(applicant, ctd) and not mail.outbox

    with run_on_commit():
        response = clerk.post(reject_url(registration), {"reason": "Not admitted in Connecticut."})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert (registration.status, registration.decision_reason) == (
        "rejected",
        "Not admitted in Connecticut.",
    )
    assert not has_filing_rights(applicant, ctd)
    assert [m.to for m in mail.outbox] == [["nnewcomer@example.com"]]
    assert "Not admitted in Connecticut." in mail.outbox[0].body
    event = Event.objects.get(action="registration.reject", outcome=Outcome.SUCCESS)
    assert (event.actor, event.subject, event.court_code) == (staff, applicant, "ctd")
    assert event.details["reason"] == "Not admitted in Connecticut."
    # The applicant sees why, and may ask again.
    attorney = signed_in(applicant)
    assert "Rejected: Not admitted in Connecticut." in attorney.get(REGISTER).content.decode()
    assert attorney_request(attorney).status_code == 302


def test_an_account_linked_meanwhile_makes_approval_say_so_and_change_nothing(
    applicant, ctd, staff
):
    registration = FilingRegistration.objects.create(account=applicant, court=ctd, kind=ATTORNEY)
    linked = FilerAccountFactory(court=ctd, account=applicant, login="nina_ctd")
    response = signed_in(staff).post(approve_url(registration))
    assert response.status_code == 409
    assert escape(notices.REGISTRATION_ALREADY_FILER) in response.content.decode()
    assert list(FilerAccount.objects.filter(account=applicant)) == [linked]
    assert pending(applicant, ctd)
    event = Event.objects.get(action="registration.approve")
    assert (event.outcome, event.details["reason"]) == (Outcome.REFUSED, "already_filer")


def test_a_decided_request_cannot_be_decided_again(applicant, ctd, staff):
    registration = FilingRegistration.objects.create(account=applicant, court=ctd, kind=ATTORNEY)
    clerk = signed_in(staff)
    assert clerk.post(reject_url(registration), {"reason": "No."}).status_code == 302
    response = clerk.post(approve_url(registration))
    assert response.status_code == 409
    assert escape(notices.REGISTRATION_NOT_PENDING) in response.content.decode()
    assert clerk.post(reject_url(registration), {"reason": "Again"}).status_code == 409
    assert not FilerAccount.objects.filter(account=applicant).exists()


def test_staff_decisions_are_post_only(applicant, ctd, staff):
    registration = FilingRegistration.objects.create(account=applicant, court=ctd, kind=ATTORNEY)
    clerk = signed_in(staff)
    assert clerk.get(approve_url(registration)).status_code == 405
    assert clerk.post(staff_page()).status_code == 405
    assert clerk.post("/ecf/ctd/staff/registrations/999999/approve/").status_code == 404


def test_an_approved_account_staff_unlink_cannot_be_reset_and_linked_again_by_the_applicant(
    applicant, ctd, staff
):
    from nextgen.ecf.flows import staff as staff_flow

    registration = FilingRegistration.objects.create(
        account=applicant, court=ctd, kind=FilingRegistration.Kind.NON_ATTORNEY
    )
    filer = flow.approve_registration(
        acting=staff, court=ctd, registration_id=registration.pk, request=None
    )
    staff_flow.unlink_filer(acting=staff, filer=filer, reason="approved in error", request=None)
    assert not has_filing_rights(applicant, ctd)
    mail.outbox.clear()
    with run_on_commit():
        for typed in (applicant.email, filer.login):
            Client().post("/ecf/ctd/passreset/", {"login_or_email": typed})
    assert not [m for m in mail.outbox if "/ecf/ctd/passreset/" in m.body]
    filer.refresh_from_db()
    assert filer.email == "" and filer.account_id is None
