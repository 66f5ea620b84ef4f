"""Court pages take an API token as they take a browser session: cookie NextGenCSO or
PacerSession, or header X-NEXT-GEN-CSO; PacerClientCode applies; ?logout ends it."""

import pytest
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.test import Client, RequestFactory
from django.urls import reverse

from nextgen.api.middleware import ApiTokenMiddleware
from nextgen.api.models import ApiToken
from nextgen.audit.models import Event
from nextgen.fees.models import Transaction
from nextgen.signon.flows.login import current_client_code
from tests.ecf.test_site import menu_labels
from tests.factories import AccountFactory, FilerAccountFactory
from tests.records.factories import docket

pytestmark = pytest.mark.django_db
MAIN = "/ecf/vid/cgi-bin/"
LOGOUT_PATH = "/ecf/vid/cgi-bin/login.pl?logout"


@pytest.fixture
def filer(account, vid):
    FilerAccountFactory(court=vid, account=account)
    return account


@pytest.mark.parametrize(
    "carry",
    [
        lambda t: {"HTTP_COOKIE": f"NextGenCSO={t}"},
        lambda t: {"HTTP_COOKIE": f"PacerSession={t}"},
        lambda t: {"HTTP_X_NEXT_GEN_CSO": t},
    ],
    ids=["cookie NextGenCSO", "cookie PacerSession", "header X-NEXT-GEN-CSO"],
)
def test_a_linked_filer_with_a_token_sees_the_filing_menus_and_log_out(token_for, filer, carry):
    response = Client().get(MAIN, **carry(token_for(filer)))
    assert response.status_code == 200
    assert menu_labels(response)[:2] == ["Civil", "Criminal"]
    assert f'href="{LOGOUT_PATH}"' in response.content.decode()


def test_a_pacer_only_user_with_a_token_sees_the_pacer_only_menu(token_for, account, vid):
    response = Client().get(MAIN, HTTP_X_NEXT_GEN_CSO=token_for(account))
    assert menu_labels(response) == ["Query", "Reports", "Utilities", "Search", "Help", "Log Out"]


def test_filing_pages_open_with_a_token(token_for, filer):
    response = Client().get(f"{MAIN}civil/", HTTP_X_NEXT_GEN_CSO=token_for(filer), follow=True)
    assert response.status_code == 200  # the Civil menu leads to the filing menu
    assert "Open a Civil Case" in response.content.decode()


def test_a_token_creates_no_django_session(token_for, filer):
    client = Client()
    response = client.get(MAIN, HTTP_COOKIE=f"NextGenCSO={token_for(filer)}")
    assert "sessionid" not in response.cookies
    assert "X-NEXT-GEN-CSO" in response["Vary"]


@pytest.mark.parametrize("token", ["made-up", "x" * 5000, ""])
def test_an_invalid_token_is_sent_to_login_like_a_signed_out_browser(vid, token):
    response = Client().get(MAIN, HTTP_COOKIE=f"NextGenCSO={token}")
    assert response.status_code == 302
    assert response["Location"] == "/csologin/login/?next=%2Fecf%2Fvid%2Fcgi-bin%2F"


def test_a_token_opens_court_pages_only(token_for, account, vid):
    """A stolen token reaches no account-maintenance page."""
    response = Client().get("/csologin/account/", HTTP_X_NEXT_GEN_CSO=token_for(account))
    assert response.status_code == 302 and "/csologin/login/" in response["Location"]


def test_a_browser_session_wins_over_a_token(client, login, token_for, account, vid):
    from tests.factories import AccountFactory

    other = AccountFactory(username="other")
    token = token_for(other)
    login(account)
    response = client.get(f"{MAIN}account/", HTTP_X_NEXT_GEN_CSO=token)
    assert account.email in response.content.decode()
    assert other.email not in response.content.decode()


def test_logout_path_with_a_token_ends_it(token_for, filer):
    token = token_for(filer)
    client = Client(HTTP_X_NEXT_GEN_CSO=token)
    response = client.get(LOGOUT_PATH)
    assert response.status_code == 302 and response["Location"] == "/ecf/vid/"
    assert ApiToken.objects.get().revoked_at is not None
    assert client.get(MAIN).status_code == 302
    event = Event.objects.get(action="api.logout")
    assert event.actor == filer and event.details["via"] == "court logout"


def _through_middleware(request):
    """Run the session, auth and token middleware; return the request the view would see."""
    seen = []

    def view(req):
        seen.append(req)
        from django.http import HttpResponse

        return HttpResponse()

    chain = SessionMiddleware(AuthenticationMiddleware(ApiTokenMiddleware(view)))
    chain(request)
    return seen[0]


@pytest.mark.parametrize("cookie", ["PacerClientCode", "clientCode"])
def test_a_client_code_cookie_applies_to_the_token_session(token_for, account, vid, cookie):
    request = RequestFactory().get(MAIN, HTTP_X_NEXT_GEN_CSO=token_for(account, clientCode="a"))
    request.COOKIES[cookie] = "matter-7"
    seen = _through_middleware(request)
    assert seen.user == account
    assert current_client_code(seen) == "matter-7"


@pytest.mark.parametrize("code", ["\x00x", "=cmd|' /C calc'!A0", "m" * 33, "matter/8", "Jones, 8"])
def test_a_client_code_cookie_the_client_code_rule_refuses_is_no_client_code(
    token_for, account, vid, code
):
    # Not the login's code either: that one may name another matter.
    request = RequestFactory().get(MAIN, HTTP_X_NEXT_GEN_CSO=token_for(account, clientCode="a"))
    request.COOKIES["PacerClientCode"] = code
    assert current_client_code(_through_middleware(request)) == ""


@pytest.mark.parametrize("cookie", ["matter/8", "matter-8-" + "x" * 30])
def test_a_refused_cookie_is_not_charged_to_the_matter_of_the_login(token_for, cookie):
    found = docket()
    token = token_for(AccountFactory(username="reader"), clientCode="matter-7")
    client = Client(raise_request_exception=False)
    client.cookies["NextGenCSO"] = token
    client.cookies["PacerClientCode"] = cookie
    client.get(
        reverse("records:case_report", args=[found.case.court.code, "summary"])
        + f"?{found.case.pk}"
    )
    assert not Transaction.objects.filter(client_code="matter-7").exists()


def test_a_nul_in_the_client_code_cookie_charges_the_page_without_a_client_code(token_for):
    found = docket()
    token = token_for(AccountFactory(username="reader"))
    response = Client(raise_request_exception=False).get(
        reverse("records:case_report", args=[found.case.court.code, "summary"])
        + f"?{found.case.pk}",
        HTTP_COOKIE=f'NextGenCSO={token}; PacerClientCode="\\000x"',
    )
    assert response.status_code == 200
    assert Transaction.objects.get().client_code == ""


def test_without_a_cookie_the_client_code_given_at_login_applies(token_for, account, vid):
    request = RequestFactory().get(MAIN, HTTP_X_NEXT_GEN_CSO=token_for(account, clientCode="a1"))
    assert current_client_code(_through_middleware(request)) == "a1"


@pytest.mark.parametrize(
    "path",
    [
        "/ecf/vid/staff/",
        "/ecf/vid/cgi-bin/account/",
        "/ecf/vid/cgi-bin/account/email/",
        "/ecf/vid/cgi-bin/link/",
    ],
)
def test_a_token_never_opens_pages_that_change_accounts_or_links(
    client, path, token_for, account, vid
):
    client.cookies["NextGenCSO"] = token_for(account)
    response = client.get(path)
    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert response["Location"].startswith("/csologin/login/")


def test_a_token_signs_in_only_reading_requests(client, token_for, account, vid):
    client.cookies["NextGenCSO"] = token_for(account)
    assert client.get("/ecf/vid/cgi-bin/").status_code == 200
    response = client.post("/ecf/vid/cgi-bin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/csologin/login/")
    assert "_auth_user_id" not in client.session
