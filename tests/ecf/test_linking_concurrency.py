"""Two simultaneous link confirmations: exactly one link, the other a plain refusal.

Real concurrent requests, each thread with its own database connection, released
together by a barrier. Runs on PostgreSQL (CI); SQLite serialises writers anyway.
"""

import datetime as dt
import re
import threading

import pytest
from django.db import connection
from django.test import Client
from django.utils.html import escape

from nextgen.ecf import notices
from nextgen.ecf.models import FilerAccount
from tests.factories import (
    ECF_PASSWORD,
    PASSWORD,
    AccountFactory,
    CourtFactory,
    FilerAccountFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]
ROUNDS = 5


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL (CI sets DATABASE_URL)")


def proposed(account, login: str) -> tuple[Client, str]:
    """A signed-in client that has passed step one for `login`; returns it and the nonce."""
    client = Client()
    client.get("/csologin/login/")
    client.post("/csologin/login/", {"username": account.username, "password": PASSWORD})
    response = client.post("/ecf/vid/cgi-bin/link/", {"login": login, "password": ECF_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    page = client.get("/ecf/vid/cgi-bin/link/confirm/").content.decode()
    return client, re.search(r'name="nonce" value="([^"]+)"', page).group(1)


def confirm_together(attempts: list[tuple[Client, str]]) -> list:
    barrier = threading.Barrier(len(attempts))
    results: list = [None] * len(attempts)

    def run(i: int, client: Client, nonce: str) -> None:
        try:
            barrier.wait()
            results[i] = client.post(
                "/ecf/vid/cgi-bin/link/confirm/", {"nonce": nonce}, follow=True
            )
        except Exception as exc:  # surfaced by the assertions below
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, *a)) for i, a in enumerate(attempts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def outcome(response) -> str:
    assert not isinstance(response, Exception), repr(response)
    assert response.status_code == 200
    html = response.content.decode()
    if "is now linked to your CSO account" in html:
        return "linked"
    for reason in ("filer_linked", "account_linked_here"):
        if escape(notices.REFUSALS[reason]) in html:
            return reason
    raise AssertionError(html[:2000])


def test_two_pacer_accounts_linking_one_cmecf_account_at_once():
    CourtFactory(code="vid", go_live=dt.date(2022, 6, 6))
    for round_ in range(ROUNDS):
        filer = FilerAccountFactory(court__code="vid", login=f"shared{round_}")
        a, b = AccountFactory(), AccountFactory()
        results = confirm_together([proposed(a, filer.login), proposed(b, filer.login)])
        assert sorted(map(outcome, results)) == ["filer_linked", "linked"]
        filer.refresh_from_db()
        assert filer.account in (a, b)


def test_one_pacer_account_linking_two_cmecf_accounts_in_one_court_at_once():
    CourtFactory(code="vid", go_live=dt.date(2022, 6, 6))
    for round_ in range(ROUNDS):
        one, two = (FilerAccountFactory(court__code="vid", login=f"r{round_}-{n}") for n in (1, 2))
        attorney = AccountFactory()
        results = confirm_together([proposed(attorney, one.login), proposed(attorney, two.login)])
        assert sorted(map(outcome, results)) == ["account_linked_here", "linked"]
        assert FilerAccount.objects.filter(account=attorney).count() == 1
