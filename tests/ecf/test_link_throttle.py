"""Linking under attack: free PACER accounts guessing an attorney's CM/ECF password slow
themselves down and cannot keep the attorney from linking (docs/operations.md,
"Throttling policy")."""

import pytest
from django.test import Client

from nextgen.audit.models import Event
from tests.ecf.test_linking import CONFIRM, filer, start, vid  # noqa: F401 (fixtures)
from tests.factories import PASSWORD, AccountFactory

# Throttle windows are fixed minutes: counting must not straddle a window boundary.
pytestmark = [pytest.mark.django_db, pytest.mark.frozen_clock]
LOGIN = "/csologin/login/"


@pytest.fixture(autouse=True)
def bound_of_20(settings):
    """The CM/ECF login's bound across clients cut from 100 to 20 failures: short floods."""
    settings.NEXTGEN_THROTTLE = {**settings.NEXTGEN_THROTTLE, "per_username_any_client": ["20/d"]}


def signed_in_from(address: str, account) -> Client:
    browser = Client(REMOTE_ADDR=address)
    browser.get(LOGIN)
    assert browser.post(LOGIN, {"username": account.username, "password": PASSWORD}).status_code
    return browser


def test_free_accounts_guessing_a_cmecf_password_do_not_keep_the_attorney_out(
    vid,  # noqa: F811
    filer,  # noqa: F811
    account,
):
    guessers = [
        signed_in_from(f"203.0.113.{n + 1}", AccountFactory()) for n in range(5)
    ]  # five free PACER accounts, five addresses
    for guesser in guessers:
        for _ in range(5):
            start(guesser, password="Nope#1234")
    # Checked: 20 up to the CM/ECF login's bound, then one for the last guesser (no failures
    # of its own yet) and no more.
    assert Event.objects.filter(action="link.verify", details__reason="invalid").count() == 21
    # Every guesser waits now, right password or not,
    assert all(start(g).status_code == 429 for g in guessers)
    # and so does a new free account at a guessing address;
    assert start(signed_in_from("203.0.113.1", AccountFactory())).status_code == 429
    # the attorney, who has not failed, is checked and goes on to the confirmation.
    attorney = signed_in_from("198.51.100.7", account)
    response = start(attorney)
    assert response.status_code == 302 and response["Location"] == CONFIRM
