"""POST /services/cso-auth under attack: a thief who knows the password and sends wrong
`otpCode`s slows only themselves; the owner's right password and code still sign in."""

import datetime as dt
import json

import pytest
from django.test import Client

from nextgen.audit.models import Event
from tests.signon.test_mfa import code_for, enroll

from .conftest import AUTH

# Throttle windows are fixed minutes: counting must not straddle a window boundary.
pytestmark = [pytest.mark.django_db, pytest.mark.frozen_clock]


@pytest.fixture
def enrolled(account, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 23, 12, 0, 0, tzinfo=dt.UTC), tick=False)
    codes = enroll(account)
    time_machine.shift(dt.timedelta(seconds=30))  # the set-up code is used up
    return codes


def last_otp_event() -> Event:
    return Event.objects.filter(action="login.otp").order_by("-pk").first()


def sign_in(client: Client, account, password: str, otp: str) -> dict:
    body = {"loginId": account.username, "password": password, "redactFlag": "1", "otpCode": otp}
    return client.post(AUTH, json.dumps(body), content_type="application/json").json()


def test_wrong_otp_codes_from_a_thief_do_not_keep_the_owner_out(account, password, enrolled):
    right = code_for(account)
    thief = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(6):
        wrong = f"{(int(right) + 1 + n) % 1_000_000:06d}"
        assert sign_in(thief, account, password, wrong)["loginResult"] == "13"
    # The thief's own wait: even the right code is not checked for them now.
    assert sign_in(thief, account, password, right)["loginResult"] == "13"
    assert last_otp_event().details["reason"] == "throttled"
    owner = Client(REMOTE_ADDR="198.51.100.7")
    answer = sign_in(owner, account, password, right)
    assert answer["loginResult"] == "0" and answer["nextGenCSO"]


def test_otp_guessing_from_many_addresses_meets_the_accounts_bound(
    account, password, enrolled, settings
):
    settings.NEXTGEN_THROTTLE = {**settings.NEXTGEN_THROTTLE, "per_username_any_client": ["20/d"]}
    right = code_for(account)
    thieves = [Client(REMOTE_ADDR=f"203.0.113.{n + 1}") for n in range(5)]
    for n, thief in enumerate(thieves):
        for k in range(4):
            wrong = f"{(int(right) + 1 + 4 * n + k) % 1_000_000:06d}"
            sign_in(thief, account, password, wrong)
    # 20 wrong codes: every client that guessed waits, even with the right code.
    for thief in thieves:
        assert sign_in(thief, account, password, right)["loginResult"] == "13"
        assert last_otp_event().details["reason"] == "throttled"
