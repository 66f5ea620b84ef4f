"""The court menu page reads the database a fixed, small number of times (issue 14):
the session's account, and the court together with the viewer's link, staff role and
quarter-to-date fee total.
Query counts, never timings: a regression here fails CI."""

from __future__ import annotations

import pytest
from django.utils import timezone

from nextgen.ecf.models import CourtRole
from tests.factories import AccountFactory, CourtFactory, FilerAccountFactory

pytestmark = pytest.mark.django_db

# The session (db backend in the tests), the account, and the court with the viewer's
# link, staff role and the quarter-to-date fee total every signed-in page shows (the fees
# app's annotation, ecf.menus.VIEWER_EXTRAS); Redis-backed sessions (production) read
# the session without a query.
MENU_QUERIES = 3
CIVIL_LINK = 'href="/ecf/ctd/cgi-bin/filing/menu/civil/"'  # the Civil filing menu


@pytest.fixture
def court():
    return CourtFactory(code="ctd")


def test_a_linked_filers_menu_page_takes_three_queries(
    client, court, django_assert_max_num_queries
):
    filer = AccountFactory(username="mfiler")
    FilerAccountFactory(court=court, account=filer, linked_at=timezone.now())
    client.force_login(filer)
    client.get("/ecf/ctd/cgi-bin/")  # the Signed-in Sessions row is made once
    with django_assert_max_num_queries(MENU_QUERIES):
        response = client.get("/ecf/ctd/cgi-bin/")
    assert response.status_code == 200
    assert CIVIL_LINK in response.content.decode()
    assert 'id="staff-link"' not in response.content.decode()


def test_court_staff_see_the_staff_link_in_the_same_queries(
    client, court, django_assert_max_num_queries
):
    clerk = AccountFactory(username="mclerk")
    CourtRole.objects.create(account=clerk, court=court, role=CourtRole.Role.STAFF)
    client.force_login(clerk)
    client.get("/ecf/ctd/cgi-bin/")
    with django_assert_max_num_queries(MENU_QUERIES):
        response = client.get("/ecf/ctd/cgi-bin/")
    assert 'id="staff-link"' in response.content.decode()
    assert CIVIL_LINK not in response.content.decode()


def test_the_staff_role_of_another_court_shows_no_staff_link(client, court):
    clerk = AccountFactory(username="mclerk2")
    CourtRole.objects.create(account=clerk, court=CourtFactory(code="nyd"), role="staff")
    client.force_login(clerk)
    assert 'id="staff-link"' not in client.get("/ecf/ctd/cgi-bin/").content.decode()


def test_a_link_made_after_one_page_shows_on_the_next(client, court):
    filer = AccountFactory(username="mlater")
    client.force_login(filer)
    assert "/menu/civil/" not in client.get("/ecf/ctd/cgi-bin/").content.decode()
    FilerAccountFactory(court=court, account=filer, linked_at=timezone.now())
    assert CIVIL_LINK in client.get("/ecf/ctd/cgi-bin/").content.decode()


# The menu's text is rendered once per process for each court and set of rights
# (`{% once court.code menu %}` in court_base.html): whatever it depends on shows at once.


def menu_block(response) -> str:
    html = response.content.decode()
    start = html.index('<nav aria-label="', html.index("</header>"))
    return html[start : html.index("</nav>", start)]


def test_each_court_shows_its_own_menu_to_the_same_filer(client, court):
    filer = AccountFactory(username="mtwo")
    other = CourtFactory(code="nyd")
    for each in (court, other):
        FilerAccountFactory(court=each, account=filer, linked_at=timezone.now())
    client.force_login(filer)
    ctd, nyd = (menu_block(client.get(f"/ecf/{code}/cgi-bin/")) for code in ("ctd", "nyd"))
    assert 'aria-label="CTD CM/ECF menu"' in ctd and CIVIL_LINK in ctd and "/ecf/nyd/" not in ctd
    assert 'aria-label="NYD CM/ECF menu"' in nyd and "/ecf/nyd/cgi-bin/filing/menu/civil/" in nyd
    assert "/ecf/ctd/" not in nyd


def test_a_filer_and_a_pacer_only_viewer_of_one_court_see_their_own_menus(court):
    from django.test import Client

    filer, reader = AccountFactory(username="mfiler3"), AccountFactory(username="mreader3")
    FilerAccountFactory(court=court, account=filer, linked_at=timezone.now())
    pages = {}
    for account in (filer, reader, filer, reader):
        browser = Client()
        browser.force_login(account)
        pages.setdefault(account.username, []).append(menu_block(browser.get("/ecf/ctd/cgi-bin/")))
    assert all(CIVIL_LINK in menu for menu in pages["mfiler3"])
    assert all("/menu/civil/" not in menu for menu in pages["mreader3"])


def test_a_court_that_becomes_a_bankruptcy_court_shows_its_new_menus_at_once(client, court):
    filer = AccountFactory(username="mkind")
    FilerAccountFactory(court=court, account=filer, linked_at=timezone.now())
    client.force_login(filer)
    assert ">Civil<" in menu_block(client.get("/ecf/ctd/cgi-bin/"))
    court.kind = "bankruptcy"
    court.save(update_fields=["kind"])
    menu = menu_block(client.get("/ecf/ctd/cgi-bin/"))
    assert ">Bankruptcy<" in menu and ">Adversary<" in menu and ">Civil<" not in menu


def test_a_viewer_who_loses_the_right_to_file_loses_the_filing_menus_at_once(client, court):
    filer = AccountFactory(username="mdeact")
    FilerAccountFactory(court=court, account=filer, linked_at=timezone.now())
    client.force_login(filer)
    assert CIVIL_LINK in menu_block(client.get("/ecf/ctd/cgi-bin/"))
    filer.upgraded_at = None  # a legacy account may not file
    filer.save(update_fields=["upgraded_at"])
    assert "/menu/civil/" not in menu_block(client.get("/ecf/ctd/cgi-bin/"))


def test_the_staff_link_leads_to_each_courts_own_staff_pages_and_goes_with_the_role(client, court):
    clerk = AccountFactory(username="mclerk3")
    other = CourtFactory(code="nyd")
    roles = [
        CourtRole.objects.create(account=clerk, court=each, role=CourtRole.Role.STAFF)
        for each in (court, other)
    ]
    client.force_login(clerk)
    for code in ("ctd", "nyd"):
        html = client.get(f"/ecf/{code}/cgi-bin/").content.decode()
        assert f'id="staff-link" href="/ecf/{code}/staff/"' in html
    roles[0].delete()
    assert 'id="staff-link"' not in client.get("/ecf/ctd/cgi-bin/").content.decode()
    assert 'href="/ecf/nyd/staff/"' in client.get("/ecf/nyd/cgi-bin/").content.decode()
