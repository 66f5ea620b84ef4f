"""Court staff pages (accounts, imports, registrations, dockets, the RSS feed's events,
fee exemptions) open only to a session signed in with the password and a one-time
passcode, as the Service Center and administration pages do: a session begun on the
password alone (before staff had to set MFA up) opens none of them and changes nothing.
(API tokens never reach them: nextgen/api/middleware.py.) Anyone else still gets the 404
of a page that does not exist."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from nextgen.audit.models import Event
from nextgen.ecf import notices
from nextgen.ecf.models import FilerAccount, FilingRegistration
from tests.ecf import test_staff
from tests.factories import AccountFactory
from tests.passcode import with_passcode

pytestmark = pytest.mark.django_db

# The court staff pages' own fixtures: vid, its clerk, John and his linked CM/ECF account.
vid, clerk, john, linked = test_staff.vid, test_staff.clerk, test_staff.john, test_staff.linked


def password_only(account) -> Client:
    """A session signed in on the password alone (MFA set-up put off, before staff had to
    set it up): no passcode in it."""
    client = Client()
    client.force_login(account)
    return client


STAFF_PAGES = [
    ("ecf:staff_home", {}),
    ("ecf:staff_import", {}),
    ("ecf:staff_progress", {}),
    ("ecf:staff_registrations", {}),
    ("dockets:staff_cases", {}),
    ("dockets:staff_feed_events", {}),
    ("fees_staff:exemptions", {}),
]


@pytest.mark.parametrize("name,kwargs", STAFF_PAGES)
def test_a_password_only_staff_session_is_shown_the_closed_door(clerk, name, kwargs):
    response = password_only(clerk).get(reverse(name, kwargs={"code": "vid", **kwargs}))
    assert response.status_code == 403
    assert notices.STAFF_NEEDS_PASSCODE in response.content.decode().replace("&#x27;", "'")


@pytest.mark.parametrize("name,kwargs", STAFF_PAGES)
def test_the_same_staff_with_the_passcode_gets_in(clerk, name, kwargs):
    client = with_passcode(Client(), clerk)
    assert client.get(reverse(name, kwargs={"code": "vid", **kwargs})).status_code == 200


def test_a_password_only_session_unlinks_nothing(clerk, linked):
    client = password_only(clerk)
    response = client.post(
        reverse("ecf:staff_unlink", kwargs={"code": "vid", "pk": linked.pk}),
        {"unlink-reason": "Linked to the wrong account"},
    )
    assert response.status_code == 403
    linked.refresh_from_db()
    assert linked.is_linked
    assert not Event.objects.filter(action="unlink").exists()


def test_a_password_only_session_decides_no_registration(clerk, vid):
    applicant = AccountFactory(username="nnewcomer")
    registration = FilingRegistration.objects.create(
        account=applicant, court=vid, kind=FilingRegistration.Kind.NON_ATTORNEY
    )
    response = password_only(clerk).post(
        reverse("ecf:staff_registration_approve", kwargs={"code": "vid", "pk": registration.pk}),
        {"reason": ""},
    )
    assert response.status_code == 403
    registration.refresh_from_db()
    assert registration.status == FilingRegistration.Status.PENDING
    assert not FilerAccount.objects.filter(account=applicant).exists()


def test_the_service_center_needs_the_passcode_on_court_staff_pages_too(vid):
    psc = AccountFactory(username="psc.staff", is_service_center=True)
    url = reverse("ecf:staff_home", kwargs={"code": "vid"})
    assert password_only(psc).get(url).status_code == 403
    assert with_passcode(Client(), psc).get(url).status_code == 200


def test_anyone_without_the_role_still_gets_the_404_passcode_or_not(vid):
    someone = AccountFactory(username="someone")
    url = reverse("ecf:staff_home", kwargs={"code": "vid"})
    assert password_only(someone).get(url).status_code == 404
    assert with_passcode(Client(), someone).get(url).status_code == 404
