"""A real PACER client: juriscraper's PacerSession signs in to a live NextGen through
/services/cso-auth and is then seen as signed in on a court page."""

import asyncio
import datetime as dt

import pytest
from juriscraper.lib.exceptions import PacerLoginException
from juriscraper.pacer.http import PacerSession, check_if_logged_in_page

from nextgen.api.models import ApiToken
from tests.factories import AccountFactory, CourtFactory, FilerAccountFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def filer(password):
    court = CourtFactory(
        code="vid", name="District Court of the Virgin Islands", go_live=dt.date(2022, 6, 6)
    )
    account = AccountFactory(username="jattorney")
    FilerAccountFactory(court=court, account=account)
    return account


def session_for(live_server, username: str, password: str, **kwargs) -> PacerSession:
    session = PacerSession(username=username, password=password, **kwargs)
    # Juriscraper signs in at PACER's address; point it at this server instead.
    session.LOGIN_URL = f"{live_server.url}/services/cso-auth"
    return session


def cookie(session: PacerSession, name: str) -> str | None:
    """Juriscraper scopes its cookies to .uscourts.gov; read them from its jar."""
    return next((c.value for c in session.cookies.jar if c.name == name), None)


def test_juriscraper_signs_in_and_a_court_page_sees_it_signed_in(live_server, filer, password):
    async def run():
        async with session_for(
            live_server, "jattorney", password, client_code="matter-7"
        ) as session:
            await session.login()
            token = cookie(session, "NextGenCSO")
            assert token and cookie(session, "PacerSession") == token
            assert cookie(session, "PacerClientCode") == "matter-7"
            page = f"{live_server.url}/ecf/vid/cgi-bin/"
            # As a browser would send juriscraper's cookies to this host.
            by_cookie = await session.get(
                page,
                headers={"Cookie": f"NextGenCSO={token}; PacerClientCode=matter-7"},
                auto_login=False,
            )
            by_header = await session.get(page, headers={"X-NEXT-GEN-CSO": token})
            return token, by_cookie, by_header

    token, by_cookie, by_header = asyncio.run(run())
    for response in (by_cookie, by_header):
        assert response.status_code == 200
        assert check_if_logged_in_page(response.content)  # juriscraper's own test
        html = response.text
        assert 'href="/ecf/vid/cgi-bin/login.pl?logout"' in html
        assert ">Civil</a>" in html and ">Criminal</a>" in html
    # Juriscraper re-signs in when a page looks signed out; it never needed to.
    assert ApiToken.objects.count() == 1
    assert ApiToken.objects.get().client_code == "matter-7"
    assert token not in str(list(ApiToken.objects.values()))


def test_juriscraper_raises_its_own_exception_for_bad_credentials(live_server, filer):
    async def run():
        async with session_for(live_server, "jattorney", "Wrong#Guess1") as session:
            await session.login()

    with pytest.raises(PacerLoginException):
        asyncio.run(run())
    assert not ApiToken.objects.exists()


def test_juriscraper_without_a_valid_token_is_seen_signed_out(live_server, filer):
    async def run():
        async with PacerSession() as session:  # no credentials: it cannot sign in again
            return await session.get(
                f"{live_server.url}/ecf/vid/cgi-bin/",
                headers={"X-NEXT-GEN-CSO": "made-up"},
                auto_login=False,
            )

    response = asyncio.run(run())
    assert not check_if_logged_in_page(response.content)
    assert "/csologin/login/" in str(response.url)
