"""Exemptions are granted court by court, by that court's staff; an account's request
goes to a court and that court's staff decide it (nextgen/fees/actions.py, views/staff.py,
views/account.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.html import escape

from nextgen.audit.models import Event
from nextgen.fees import actions, notices
from nextgen.fees.models import Exemption, ExemptionRequest
from tests.dockets.factories import district_court, staff
from tests.factories import AccountFactory, CourtFactory

from .factories import charge

pytestmark = pytest.mark.django_db


@pytest.fixture
def court():
    return district_court("ctd")


@pytest.fixture
def clerk(court):
    return staff(court, AccountFactory(username="vclerk"))


def grant_url(court):
    return reverse("fees_staff:grant", args=[court.code])


GRANT = {
    "username": "rreader",
    "category": "academic-researcher",
    "reason": "Study of court records",
    "starts_on": "2026-01-01",
    "ends_on": "2026-12-31",
}


def test_court_staff_grant_an_exemption_and_it_is_audited(client, login, court, clerk):
    reader = AccountFactory(username="rreader")
    login(clerk)
    response = client.post(grant_url(court), GRANT)
    assert response.status_code == 302
    exemption = Exemption.objects.get()
    assert (exemption.account, exemption.court, exemption.granted_by) == (reader, court, clerk)
    assert (exemption.starts_on, exemption.ends_on) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    event = Event.objects.get(action="fees.exemption.grant")
    assert (event.actor, event.subject, event.court_code) == (clerk, reader, "ctd")
    html = client.get(reverse("fees_staff:exemptions", args=[court.code])).content.decode()
    assert "Study of court records" in html and "rreader" in html


def test_bad_grant_input_is_named_kept_and_changes_nothing(client, login, court, clerk):
    AccountFactory(username="rreader")
    login(clerk)
    response = client.post(grant_url(court), {**GRANT, "ends_on": "2025-12-31"})
    assert response.status_code == 400
    assert escape(notices.END_BEFORE_START) in response.content.decode()
    assert "Study of court records" in response.content.decode()
    response = client.post(grant_url(court), {**GRANT, "username": "nobody-here"})
    assert notices.NO_SUCH_ACCOUNT in response.content.decode()
    response = client.post(grant_url(court), {**GRANT, "category": "friends"})
    assert response.status_code == 400
    assert not Exemption.objects.exists()


def test_another_courts_staff_and_readers_cannot_see_or_grant(client, login, court):
    AccountFactory(username="rreader")
    other = CourtFactory(code="vid")
    outsider = staff(other, AccountFactory(username="oclerk"))
    login(outsider)
    assert client.get(reverse("fees_staff:exemptions", args=[court.code])).status_code == 404
    assert client.post(grant_url(court), GRANT).status_code == 404
    with pytest.raises(PermissionError):
        actions.grant_exemption(
            acting=outsider,
            court=court,
            account=AccountFactory(),
            category="indigent",
            reason="x",
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2026, 1, 2),
        )
    assert not Exemption.objects.exists()


def test_the_service_center_does_not_grant_a_courts_exemption(client, login, court):
    central = AccountFactory(username="psc", is_service_center=True)
    login(central)
    assert client.get(reverse("fees_staff:exemptions", args=[court.code])).status_code == 404


def test_staff_end_an_exemption_and_the_next_access_is_charged(client, login, court, clerk):
    reader = AccountFactory()
    grant = actions.grant_exemption(
        acting=clerk,
        court=court,
        account=reader,
        category="indigent",
        reason="IFP",
        starts_on=dt.date(2000, 1, 1),
        ends_on=dt.date(2100, 1, 1),
    )
    assert charge(reader, court, pdf_pages=4).cost == Decimal("0.00")
    login(clerk)
    response = client.post(reverse("fees_staff:end", args=[court.code, grant.pk]))
    assert response.status_code == 302
    assert charge(reader, court, pdf_pages=4).cost == Decimal("0.40")
    assert Event.objects.filter(action="fees.exemption.end").count() == 1
    # Ending it twice is refused, never a 500.
    client.post(reverse("fees_staff:end", args=[court.code, grant.pk]))
    assert Event.objects.filter(action="fees.exemption.end").count() == 1


def test_staff_cannot_end_another_courts_exemption_through_their_own_court(
    client, login, court, clerk
):
    other = CourtFactory(code="vid")
    grant = actions.grant_exemption(
        acting=staff(other),
        court=other,
        account=AccountFactory(),
        category="indigent",
        reason="IFP",
        starts_on=dt.date(2000, 1, 1),
        ends_on=dt.date(2100, 1, 1),
    )
    login(clerk)
    assert client.post(reverse("fees_staff:end", args=[court.code, grant.pk])).status_code == 404
    grant.refresh_from_db()
    assert grant.revoked_at is None


# --- requests ------------------------------------------------------------------------------


def test_an_account_requests_an_exemption_from_a_court(client, login, account, court):
    login(account)
    url = reverse("fees:exemptions")
    data = {"court": court.pk, "category": "pro-bono-attorney", "reason": "Pro bono case"}
    response = client.post(url, data)
    assert response.status_code == 302
    made = ExemptionRequest.objects.get()
    assert (made.account, made.court, made.state) == (account, court, "pending")
    assert Event.objects.filter(action="fees.exemption.request", actor=account).exists()
    html = client.get(url).content.decode()
    assert escape(notices.EXEMPTION_REQUESTED) in html
    assert "Pending review" in html
    # A second request to the same court while one is pending is refused.
    response = client.post(url, {**data, "reason": "Again from another tab"})
    assert response.status_code == 400
    assert escape(notices.EXEMPTION_ALREADY_PENDING) in response.content.decode()
    assert "Again from another tab" in response.content.decode()
    assert ExemptionRequest.objects.count() == 1


def test_a_request_needs_a_court_category_and_reason(client, login, account):
    login(account)
    response = client.post(reverse("fees:exemptions"), {"court": "999", "reason": " "})
    assert response.status_code == 400
    assert not ExemptionRequest.objects.exists()


def test_two_pending_requests_to_one_court_cannot_both_land(account, court):
    ExemptionRequest.objects.create(account=account, court=court, category="other", reason="a")
    with pytest.raises(IntegrityError), transaction.atomic():
        ExemptionRequest.objects.create(account=account, court=court, category="other", reason="b")


def pending_request(account, court):
    return actions.request_exemption(
        acting=account, court=court, category="indigent", reason="IFP granted", request=None
    )


def test_court_staff_approve_a_request_into_an_exemption(client, login, court, clerk):
    reader = AccountFactory(username="rreader")
    made = pending_request(reader, court)
    login(clerk)
    html = client.get(reverse("fees_staff:exemptions", args=[court.code])).content.decode()
    assert "IFP granted" in html
    response = client.post(
        reverse("fees_staff:decide", args=[court.code, made.pk]),
        {
            "decision": "approve",
            f"a{made.pk}-starts_on": "2026-01-01",
            f"a{made.pk}-ends_on": "2026-06-30",
        },
    )
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.state == "approved" and made.decided_by == clerk
    assert (made.exemption.account, made.exemption.court) == (reader, court)
    assert made.exemption.ends_on == dt.date(2026, 6, 30)
    assert Event.objects.filter(action="fees.exemption.approve").count() == 1


def test_court_staff_deny_a_request_with_a_reason_the_requester_sees(client, login, court, clerk):
    reader = AccountFactory(username="rreader")
    made = pending_request(reader, court)
    login(clerk)
    decide = reverse("fees_staff:decide", args=[court.code, made.pk])
    response = client.post(decide, {"decision": "deny", "decision_reason": ""})
    assert response.status_code == 400
    made.refresh_from_db()
    assert made.state == "pending"
    client.post(decide, {"decision": "deny", "decision_reason": "No IFP order on file"})
    made.refresh_from_db()
    assert (made.state, made.decision_reason) == ("denied", "No IFP order on file")
    assert not Exemption.objects.exists()
    # Deciding again is refused.
    with pytest.raises(ValidationError):
        actions.deny_request(acting=clerk, exemption_request=made, reason="again")
    client.logout()
    login(reader)
    assert "No IFP order on file" in client.get(reverse("fees:exemptions")).content.decode()


def test_another_courts_staff_cannot_decide_a_request(client, login, court):
    made = pending_request(AccountFactory(), court)
    other = CourtFactory(code="vid")
    outsider = staff(other, AccountFactory(username="oclerk"))
    with pytest.raises(PermissionError):
        actions.deny_request(acting=outsider, exemption_request=made, reason="no")
    login(outsider)
    for code in (court.code, other.code):
        response = client.post(
            reverse("fees_staff:decide", args=[code, made.pk]),
            {"decision": "deny", "decision_reason": "no"},
        )
        assert response.status_code == 404
    made.refresh_from_db()
    assert made.state == "pending"


def test_the_account_sees_its_exemptions_court_by_court(client, login, account, court, clerk):
    actions.grant_exemption(
        acting=clerk,
        court=court,
        account=account,
        category="pro-bono-attorney",
        reason="Pro bono panel",
        starts_on=dt.date(2000, 1, 1),
        ends_on=dt.date(2100, 1, 1),
    )
    login(account)
    html = client.get(reverse("fees:exemptions")).content.decode()
    assert court.name in html and "Pro bono attorney" in html and "In force" in html


def guam_exemption(account, starts_on: dt.date):
    """Guam (UTC+10) and a March exemption there granted by its staff: (court, clerk,
    exemption)."""
    guam = CourtFactory(code="gud", time_zone="Pacific/Guam")
    clerk = staff(guam)
    exemption = actions.grant_exemption(
        acting=clerk,
        court=guam,
        account=account,
        category="academic-researcher",
        reason="Study",
        starts_on=starts_on,
        ends_on=dt.date(2026, 3, 31),
    )
    return guam, clerk, exemption


def test_the_account_sees_each_exemption_in_force_by_its_own_courts_day(client, login, account):
    guam, _, _ = guam_exemption(account, dt.date(2026, 3, 2))
    # 22:00 on 1 March in UTC is 08:00 on 2 March in Guam: the court's charges are exempt,
    # and the page says so.
    with time_machine.travel(dt.datetime(2026, 3, 1, 22, tzinfo=dt.UTC), tick=False):
        assert charge(account, guam, pdf_pages=5).cost == Decimal("0.00")
        login(account)
        html = client.get(reverse("fees:exemptions")).content.decode()
    assert "In force" in html and "Not yet in force" not in html


def test_an_exemption_ended_is_dated_by_its_courts_day(client, login, account):
    guam, clerk, exemption = guam_exemption(account, dt.date(2026, 3, 1))
    # Ended at 08:00 on 2 March in Guam (22:00 on 1 March in UTC).
    with time_machine.travel(dt.datetime(2026, 3, 1, 22, tzinfo=dt.UTC), tick=False):
        actions.end_exemption(acting=clerk, exemption=exemption)
        login(account)
        mine = client.get(reverse("fees:exemptions")).content.decode()
        login(clerk)
        staffs = client.get(reverse("fees_staff:exemptions", args=["gud"])).content.decode()
    assert "Ended 03/02/2026" in mine and "Ended 03/02/2026" in staffs
