"""A court staff member's view of sealed material needs a session signed in with the
passcode, as the staff pages do: a staff session begun on the password alone (before staff
had to set MFA up) sees the records pages as the public does. Attorneys of record keep
their sealed entries whatever their session (a filer may put MFA set-up off)."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from django.http import HttpResponse
from django.test import Client, RequestFactory

from nextgen.api.tokens import issue_token
from nextgen.dockets import selectors as dockets_selectors
from nextgen.records import selectors
from nextgen.signon.http import signed_in_with_passcode
from nextgen.signon.middleware import AuthenticationMiddleware
from tests.dockets.factories import civil_case
from tests.passcode import passcode_viewer, with_passcode

pytestmark = pytest.mark.django_db

DOCKET = "/ecf/ctd/cgi-bin/DktRpt.pl"


def password_only(account) -> Client:
    client = Client()
    client.force_login(account)
    return client


def doc_url(document, court) -> str:
    return f"/ecf/{court.code}/doc1/{selectors.doc_id(document, court)}"


def _views(client, d, hidden) -> dict[str, bool]:
    """What this client is shown of the sealed material: the sealed case's summary, the
    sealed entry in the docket report, the sealed document."""
    summary = client.get(f"/ecf/ctd/cgi-bin/qry/summary.pl?{hidden.pk}")
    report = client.post(DOCKET, {"all_case_ids": d.case.pk}).content.decode()
    document = client.post(doc_url(d.sealed.documents.get(), d.court))
    return {
        "sealed case": summary.status_code == 200,
        "sealed entry": d.sealed.text in report,
        "sealed document": document.status_code == 200,
    }


def test_a_password_only_staff_session_sees_no_sealed_material(d):
    hidden = civil_case(d.court, d.counsel, title="Doe v. Secret Corp.", sealed=True)
    assert _views(password_only(d.clerk), d, hidden) == {
        "sealed case": False,
        "sealed entry": False,
        "sealed document": False,
    }


def test_the_same_staff_member_with_the_passcode_sees_it(d):
    hidden = civil_case(d.court, d.counsel, title="Doe v. Secret Corp.", sealed=True)
    assert _views(with_passcode(Client(), d.clerk), d, hidden) == {
        "sealed case": True,
        "sealed entry": True,
        "sealed document": True,
    }


def test_counsel_of_record_on_a_password_only_session_keep_their_sealed_entries(d):
    hidden = civil_case(d.court, d.counsel, title="Doe v. Secret Corp.", sealed=True)
    views = _views(password_only(d.counsel.account), d, hidden)
    assert views == {"sealed case": True, "sealed entry": True, "sealed document": True}


def test_the_async_user_of_a_session_is_the_same_account_as_the_sync_one(d):
    """request.auser() (async views) gets the account request.user holds, mark or none."""
    request = RequestFactory().get("/")
    request.session = password_only(d.clerk).session
    AuthenticationMiddleware(lambda r: HttpResponse()).process_request(request)
    user = async_to_sync(request.auser)()
    assert user is request.user and not signed_in_with_passcode(user)
    request = RequestFactory().get("/")
    request.session = with_passcode(Client(), d.clerk).session
    AuthenticationMiddleware(lambda r: HttpResponse()).process_request(request)
    user = async_to_sync(request.auser)()
    assert user is request.user and signed_in_with_passcode(user)


def test_a_staff_account_not_marked_by_its_request_sees_what_the_public_sees(d):
    """Fail closed: an account object that no request marked (a related row, a future
    caller) has no staff view of sealed material; the same account marked has."""
    assert not dockets_selectors.can_see_sealed(d.clerk, d.case)
    assert d.sealed not in dockets_selectors.visible_entries(d.clerk, d.case)
    viewer = passcode_viewer(type(d.clerk).objects.get(pk=d.clerk.pk))
    assert dockets_selectors.can_see_sealed(viewer, d.case)
    assert d.sealed in dockets_selectors.visible_entries(viewer, d.case)


def test_a_staff_api_token_which_needed_the_passcode_keeps_the_staff_view(d):
    """Staff get a token only with MFA, and the token request gives the passcode."""
    hidden = civil_case(d.court, d.counsel, title="Doe v. Secret Corp.", sealed=True)
    key, _ = issue_token(acting=None, account=d.clerk, request=RequestFactory().get("/"))
    summary = Client().get(
        f"/ecf/ctd/cgi-bin/qry/summary.pl?{hidden.pk}", HTTP_COOKIE=f"NextGenCSO={key}"
    )
    assert summary.status_code == 200 and "Secret" in summary.content.decode()
