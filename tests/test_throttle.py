"""The throttle policy (docs/operations.md, "Throttling policy"): guessing stays slow, and
failures from other clients never keep out a client that proved itself (the owner's
known device, or a client with no failures of its own)."""

from __future__ import annotations

import threading
import time

import pytest
from django.test import Client

from nextgen import throttle
from nextgen.audit.models import Event
from nextgen.signon import devices
from nextgen.signon.flows import login as login_flow

# Throttle windows are fixed minutes: counting must not straddle a window boundary.
pytestmark = [pytest.mark.django_db, pytest.mark.frozen_clock]

LOGIN = "/csologin/login/"
WRONG = "Wrong#Guess1"


def attempt(client: Client, username: str, password: str):
    client.get(LOGIN)  # the page sets its test cookie
    return client.post(LOGIN, {"username": username, "password": password})


def flood(username: str, *, addresses: int, each: int = 5, first: int = 1) -> list[Client]:
    """Wrong passwords for `username` from many addresses: each address up to its own limit."""
    bots = [Client(REMOTE_ADDR=f"203.0.113.{first + n}") for n in range(addresses)]
    for bot in bots:
        bot.get(LOGIN)
        for _ in range(each):
            bot.post(LOGIN, {"username": username, "password": WRONG})
    return bots


@pytest.fixture
def bound_of_20(settings):
    """The account-wide bound cut from 100 to 20 failures, so floods stay short (one test
    below keeps the real 100)."""
    settings.NEXTGEN_THROTTLE = {**settings.NEXTGEN_THROTTLE, "per_username_any_client": ["20/d"]}


@pytest.mark.usefixtures("bound_of_20")
class TestTheOwnerIsNeverKeptOut:
    def test_many_addresses_failing_do_not_keep_a_clean_client_out(self, account, password):
        flood("jattorney", addresses=5)  # 25 failures: past the account's bound
        owner = Client(REMOTE_ADDR="198.51.100.7")
        assert attempt(owner, "jattorney", password).status_code == 302

    def test_the_owners_known_device_is_never_held_back(self, account, password):
        owner = Client(REMOTE_ADDR="198.51.100.7")
        assert attempt(owner, "jattorney", password).status_code == 302
        assert devices.COOKIE in owner.cookies
        owner.post("/csologin/logout/")
        # Guessing from everywhere, the owner's own address (a shared office) included.
        flood("jattorney", addresses=5)
        neighbour = Client(REMOTE_ADDR="198.51.100.7")
        for _ in range(5):
            attempt(neighbour, "jattorney", WRONG)
        assert attempt(neighbour, "jattorney", password).status_code == 429
        assert attempt(owner, "jattorney", password).status_code == 302

    def test_a_device_cookie_of_another_account_or_forged_does_not_count(self, account, password):
        from django.core import signing

        from tests.factories import AccountFactory

        AccountFactory(username="someone")
        browser = Client(REMOTE_ADDR="198.51.100.7")
        assert attempt(browser, "someone", password).status_code == 302
        browser.post("/csologin/logout/")
        flood("jattorney", addresses=5)
        for _ in range(5):
            attempt(Client(REMOTE_ADDR="198.51.100.7"), "jattorney", WRONG)
        # A known device of `someone` is not one of `jattorney`'s ...
        assert attempt(browser, "jattorney", password).status_code == 429
        # ... and a cookie not signed with the site's key names no one.
        forged = {"d": "made-up", "a": [account.pk]}
        browser.cookies[devices.COOKIE] = signing.dumps(forged, salt=devices.SALT, key="guess")
        assert attempt(browser, "jattorney", password).status_code == 429

    def test_a_right_password_clears_the_clients_own_failures(self, account, password):
        owner = Client(REMOTE_ADDR="198.51.100.7")
        for _ in range(4):
            attempt(owner, "jattorney", WRONG)
        assert attempt(owner, "jattorney", password).status_code == 302
        # The same address without the device cookie: four more mistakes are not the
        # fifth and beyond.
        again = Client(REMOTE_ADDR="198.51.100.7")
        for _ in range(4):
            assert attempt(again, "jattorney", WRONG).status_code == 200
        assert attempt(again, "jattorney", password).status_code == 302


class TestGuessingStaysSlow:
    def test_after_100_failures_no_guessing_client_is_checked_again(self, account, password):
        bots = flood("jattorney", addresses=25, each=4)  # each under its own limit of 5
        for bot in bots:
            assert attempt(bot, "jattorney", password).status_code == 429
        checked = Event.objects.filter(action="login", outcome="failure").count()
        assert checked == 100

    def test_past_the_bound_each_new_address_gets_one_check_and_no_more(self, account, bound_of_20):
        flood("jattorney", addresses=5, each=4)
        latecomers = [Client(REMOTE_ADDR=f"192.0.2.{n + 1}") for n in range(3)]
        for late in latecomers:
            assert attempt(late, "jattorney", WRONG).status_code == 200  # checked: wrong
            assert attempt(late, "jattorney", WRONG).status_code == 429  # and no more
        assert Event.objects.filter(action="login", outcome="failure").count() == 23

    def test_the_clients_own_limit_still_holds(self, account, password):
        owner = Client(REMOTE_ADDR="198.51.100.7")
        for _ in range(5):
            attempt(owner, "jattorney", WRONG)
        assert attempt(owner, "jattorney", password).status_code == 429


class TestThrottleCountsBeforeItChecks:
    def test_thirty_simultaneous_wrong_passwords_get_at_most_five_checked(self, rf, monkeypatch):
        checked = []
        lock = threading.Lock()

        def slow_wrong_check(named, password):
            with lock:
                checked.append(password)
            time.sleep(0.05)  # a password hash takes a while: others arrive meanwhile
            return None

        # The password check itself, slow and wrong; no account and no audit rows, so
        # the threads need no database (SQLite's in-memory test database refuses
        # writes from thirty threads at once).
        monkeypatch.setattr(login_flow, "_opened", slow_wrong_check)
        monkeypatch.setattr(login_flow, "_named_account", lambda key: None)
        monkeypatch.setattr(login_flow, "record_alone", lambda *args, **kwargs: None)
        start = threading.Barrier(30)
        results = []

        def one_try():
            request = rf.post(LOGIN, REMOTE_ADDR="203.0.113.9")
            start.wait(timeout=10)
            results.append(login_flow.verify_login(request, "jattorney", WRONG, acting=None).reason)

        threads = [threading.Thread(target=one_try) for _ in range(30)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        assert len(results) == 30
        assert 1 <= len(checked) <= 5
        assert results.count("throttled") >= 25

    def test_a_refused_attempt_is_given_back(self, rf):
        request = rf.post(LOGIN, REMOTE_ADDR="203.0.113.9")
        for _ in range(5):
            assert throttle.login_attempt(request, "jattorney").wait == 0
        for _ in range(50):  # hammering while refused does not lengthen anything
            assert throttle.login_attempt(request, "jattorney").wait
        counts = throttle.LOGIN_BY_USERNAME.hit("jattorney")
        assert [c.count for c in counts] == [6]  # 5 failures, plus this look
