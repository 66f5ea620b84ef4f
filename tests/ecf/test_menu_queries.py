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
