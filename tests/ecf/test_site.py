"""Court sites: home pages, the Document Filing System entry, menus, Utilities."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from nextgen.audit.models import Event
from nextgen.signon.samesite import MARKER_COOKIE
from tests.factories import AccountFactory, CourtFactory, FilerAccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def vid():
    return CourtFactory(
        code="vid", name="District Court of the Virgin Islands", go_live=dt.date(2022, 6, 6)
    )


@pytest.fixture
def vib():
    return CourtFactory(
        code="vib",
        kind="bankruptcy",
        go_live=dt.date(2022, 6, 6),
        name="District Court of the Virgin Islands - Bankruptcy Division",
    )


def menu_labels(response) -> list[str]:
    html = response.content.decode()
    start = html.index('id="court-menu"')
    block = html[start : html.index("</ul>", start)]
    import re

    return re.findall(r'<a href="[^"]*">([^<]+)</a>', block)


def test_the_home_page_lists_every_court_linking_to_its_site(client, vid, vib):
    html = client.get("/").content.decode()
    assert reverse("ecf:court_home", args=["vid"]) in html
    assert reverse("ecf:court_home", args=["vib"]) in html


def test_a_court_home_shows_its_document_filing_system_link(client, vid):
    html = client.get("/ecf/vid/").content.decode()
    assert "District Court of the Virgin Islands - Document Filing System" in html
    assert 'href="/ecf/vid/cgi-bin/login.pl"' in html


def test_following_it_signed_out_goes_to_pacer_login_and_comes_back(client, vid, account, password):
    response = client.get("/ecf/vid/cgi-bin/login.pl")
    assert response.status_code == 302
    assert response["Location"] == "/csologin/login/?next=%2Fecf%2Fvid%2Fcgi-bin%2Flogin.pl"
    client.get(response["Location"])
    back = client.post(
        "/csologin/login/",
        {"username": account.username, "password": password, "next": "/ecf/vid/cgi-bin/login.pl"},
    )
    assert back["Location"] == "/ecf/vid/cgi-bin/login.pl"
    assert client.get(back["Location"])["Location"] == "/ecf/vid/cgi-bin/"


def test_a_court_not_yet_live_shows_its_go_live_date(client):
    CourtFactory(code="nyed", name="Eastern District of New York", go_live=dt.date(2099, 6, 1))
    html = client.get("/ecf/nyed/").content.decode()
    assert "June 1, 2099" in html and "Linking your CM/ECF account" in html


def test_an_unknown_court_is_not_found(client):
    assert client.get("/ecf/zzz/").status_code == 404
    assert client.get("/ecf/zzz/cgi-bin/").status_code == 404


def test_a_pacer_only_user_sees_the_pacer_only_menu(client, vid, account, login):
    login(account)
    response = client.get("/ecf/vid/cgi-bin/")
    assert menu_labels(response) == ["Query", "Reports", "Utilities", "Search", "Help", "Log Out"]


def test_a_linked_district_filer_sees_civil_and_criminal_first(client, vid, account, login):
    FilerAccountFactory(court=vid, account=account)
    login(account)
    assert menu_labels(client.get("/ecf/vid/cgi-bin/")) == [
        "Civil",
        "Criminal",
        "Query",
        "Reports",
        "Utilities",
        "Search",
        "Help",
        "Log Out",
    ]


def test_a_linked_bankruptcy_filer_sees_bankruptcy_and_adversary(client, vib, account, login):
    FilerAccountFactory(court=vib, account=account)
    login(account)
    assert menu_labels(client.get("/ecf/vib/cgi-bin/"))[:2] == ["Bankruptcy", "Adversary"]


def test_a_legacy_or_shared_account_never_gets_filing_menus(client, vid, login):
    shared = AccountFactory(is_shared=True)
    FilerAccountFactory(court=vid, account=shared)
    login(shared)
    assert "Civil" not in menu_labels(client.get("/ecf/vid/cgi-bin/"))


def test_filing_pages_are_only_for_linked_filers(client, vid, account, login):
    login(account)
    assert client.get("/ecf/vid/cgi-bin/civil/").status_code == 404
    FilerAccountFactory(court=vid, account=account)
    response = client.get("/ecf/vid/cgi-bin/civil/", follow=True)  # to the filing menu
    assert response.status_code == 200
    assert "Open a Civil Case" in response.content.decode()
    assert client.get("/ecf/vid/cgi-bin/bankruptcy/").status_code == 404


def test_every_signed_in_court_page_has_the_pacer_logout_path(client, vid, account, login):
    login(account)
    for path in [
        "",
        "utilities/",
        "query/",
        "reports/",
        "search/",
        "help/",
        "link/",
        "account/",
        "citation/",
    ]:
        html = client.get(f"/ecf/vid/cgi-bin/{path}").content.decode()
        assert 'href="/ecf/vid/cgi-bin/login.pl?logout"' in html, path


def test_the_logout_path_ends_the_session(client, vid, account, login):
    login(account)
    response = client.get("/ecf/vid/cgi-bin/login.pl?logout")
    assert response["Location"] == "/ecf/vid/"
    assert "_auth_user_id" not in client.session


class TestLogoutStartedByAnotherSite:
    """Attack: another site links, redirects or loads an image to
    /ecf/vid/cgi-bin/login.pl?logout and so ends the visitor's whole PACER session. A
    request that does not show it came from our own pages ends nothing: it is asked to
    confirm, and the confirmation is a POST with the CSRF token."""

    LOGOUT = "/ecf/vid/cgi-bin/login.pl?logout"

    @pytest.mark.parametrize("fetch_site", ["cross-site", "same-site"])
    def test_a_navigation_from_another_site_ends_nothing(
        self, client, vid, account, login, fetch_site
    ):
        login(account)
        response = client.get(self.LOGOUT, HTTP_SEC_FETCH_SITE=fetch_site)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Log out of PACER?" in html and 'id="logout-confirm"' in html
        assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
        assert client.session.get("_auth_user_id") == str(account.pk)
        assert client.get("/ecf/vid/cgi-bin/").status_code == 200
        assert not Event.objects.filter(action="logout").exists()

    def test_an_old_browser_without_the_strict_cookie_ends_nothing(
        self, client, vid, account, login
    ):
        """No Sec-Fetch-Site header, and the SameSite=Strict marker a browser leaves out
        of any request another site started."""
        login(account)
        del client.cookies[MARKER_COOKIE]
        response = client.get(self.LOGOUT)
        assert response.status_code == 200 and "Log out of PACER?" in response.content.decode()
        assert client.session.get("_auth_user_id") == str(account.pk)

    @pytest.mark.parametrize("fetch_site", ["same-origin", "none"])
    def test_the_menus_log_out_link_or_a_typed_address_ends_the_session(
        self, client, vid, account, login, fetch_site
    ):
        login(account)
        response = client.get(self.LOGOUT, HTTP_SEC_FETCH_SITE=fetch_site)
        assert response["Location"] == "/ecf/vid/"
        assert "_auth_user_id" not in client.session

    def test_the_confirmation_button_ends_the_session(self, vid, account, password):
        client = Client(enforce_csrf_checks=True)
        client.force_login(account)
        page = client.get(self.LOGOUT, HTTP_SEC_FETCH_SITE="cross-site").content.decode()
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        response = client.post(self.LOGOUT, {"csrfmiddlewaretoken": csrf})
        assert response["Location"] == "/ecf/vid/"
        assert "_auth_user_id" not in client.session

    def test_a_forged_post_from_another_site_is_refused(self, vid, account):
        client = Client(enforce_csrf_checks=True)
        client.force_login(account)
        response = client.post(self.LOGOUT, HTTP_SEC_FETCH_SITE="cross-site")
        assert response.status_code == 403
        assert client.session.get("_auth_user_id") == str(account.pk)

    def test_signing_in_leaves_the_strict_marker_cookie(self, client, vid, account, login):
        login(account)
        marker = client.cookies[MARKER_COOKIE]
        assert marker.value == "1" and marker["samesite"] == "Strict" and marker["httponly"]

    def test_signed_out_visitors_are_simply_sent_to_the_court(self, client, vid):
        response = client.get(self.LOGOUT, HTTP_SEC_FETCH_SITE="cross-site")
        assert response["Location"] == "/ecf/vid/"


def test_query_reports_and_search_say_records_arrive_later(client, vid, account, login):
    login(account)
    for page in ["query", "reports", "search"]:
        assert (
            "Case records arrive in a later NextGen release"
            in client.get(f"/ecf/vid/cgi-bin/{page}/").content.decode()
        )


def test_help_explains_linking_in_the_courts_words(client, vid, account, login):
    login(account)
    html = client.get("/ecf/vid/cgi-bin/help/").content.decode()
    assert "Link a CM/ECF account to my PACER account" in html
    from django.utils.html import escape

    assert escape(vid.help_contact) in html


def test_utilities_lists_the_your_account_entries(client, vid, account, login):
    login(account)
    html = client.get("/ecf/vid/cgi-bin/utilities/").content.decode()
    for label in [
        "Change Client Code",
        "Change PACER Exemption Status",
        "Link a CM/ECF account to my PACER account",
        "Citation Display Preferences",
        "Review Billing History",
        "Maintain Your Account",
    ]:
        assert label in html, label
    assert "/csologin/account/client-code/?next=%2Fecf%2Fvid%2Fcgi-bin%2Futilities%2F" in html


def test_release_1_1_courts_put_the_link_on_their_own_page(client, account, login):
    CourtFactory(code="cacb", kind="bankruptcy", link_menu="release-1.1")
    login(account)
    utilities = client.get("/ecf/cacb/cgi-bin/utilities/").content.decode()
    assert "NextGen Release 1.1 Menu Items" in utilities
    assert "Link a CM/ECF account to my PACER account" not in utilities
    release = client.get("/ecf/cacb/cgi-bin/release-1.1/").content.decode()
    assert "Link a CM/ECF account to my PACER account" in release


def test_maintain_your_account_shows_forwarded_data_and_where_to_change_it(
    client, vid, account, login
):
    login(account)
    html = client.get("/ecf/vid/cgi-bin/account/").content.decode()
    assert account.email in html and "Update Address Information" in html


def test_my_courts_lists_each_court_with_this_accounts_link_status(
    client, vid, vib, account, login
):
    FilerAccountFactory(
        court=vid, account=account, linked_at=dt.datetime(2023, 1, 2, tzinfo=dt.UTC)
    )
    login(account)
    html = client.get("/my-courts/").content.decode()
    assert "Linked on January 2, 2023" in html
    assert reverse("ecf:link", args=["vib"]) in html
