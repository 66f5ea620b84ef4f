"""The PACER login page: the seeds' words, return URLs, sessions, throttling, audit."""

import pytest
from django.urls import reverse

from nextgen.audit.models import Action, Event
from nextgen.signon import notices

pytestmark = pytest.mark.django_db
LOGIN = "/csologin/login/"


def test_the_login_page_shows_the_seeds_words(client):
    html = client.get(LOGIN).content.decode()
    for words in [
        "Username *",
        "Password *",
        "Client Code",
        ">Login<",
        ">Clear<",
        ">Cancel<",
        "Need an Account?",
        "Forgot Your Password?",
        "Forgot User Name?",
        "* Required Information",
        notices.LOGIN_NOTICE,
        notices.COOKIES_REQUIRED,
    ]:
        assert words in html, words


def test_a_right_password_signs_in_and_rotates_the_session(client, account, password):
    client.get(LOGIN)
    before = client.session.session_key
    response = client.post(
        LOGIN, {"username": "JATTORNEY", "password": password, "client_code": "matter-42"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(account.pk)
    assert client.session.session_key != before
    assert client.session["nextgen_client_code"] == "matter-42"


def test_a_wrong_password_says_the_same_as_an_unknown_user_name(client, account):
    client.get(LOGIN)
    wrong = client.post(LOGIN, {"username": "jattorney", "password": "Nope#12345"})
    unknown = client.post(LOGIN, {"username": "nobody-here", "password": "Nope#12345"})
    assert notices.INVALID_LOGIN in wrong.content.decode()
    assert notices.INVALID_LOGIN in unknown.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_failed_login_keeps_the_user_name_but_never_the_password(client, account):
    client.get(LOGIN)
    html = client.post(
        LOGIN, {"username": "jattorney", "password": "Secret#Typed1"}
    ).content.decode()
    assert 'value="jattorney"' in html
    assert "Secret#Typed1" not in html


@pytest.mark.parametrize("code", ["\u200b", "\x01", "matter/7"])
def test_a_client_code_the_client_code_rule_refuses_is_named_and_nobody_signs_in(
    client, account, password, code
):
    client.get(LOGIN)
    response = client.post(
        LOGIN, {"username": "jattorney", "password": password, "client_code": code}
    )
    html = response.content.decode()
    assert response.status_code in (200, 400) and "_auth_user_id" not in client.session
    assert notices.CLIENT_CODE_RULE in html
    assert 'value="jattorney"' in html and password not in html


def test_an_empty_form_names_the_missing_fields(client):
    client.get(LOGIN)
    response = client.post(LOGIN, {"username": "", "password": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Username</a>: This field is required." in html
    assert "Password</a>: This field is required." in html


def test_login_returns_to_the_court_page_that_sent_the_user(client, account, password):
    client.get(LOGIN)
    response = client.post(
        LOGIN, {"username": "jattorney", "password": password, "next": "/csologin/account/"}
    )
    assert response["Location"] == "/csologin/account/"


@pytest.mark.parametrize(
    "came_from, cancel_to",
    [
        ("/ecf/vid/cgi-bin/", "/ecf/vid/"),
        ("/ecf/vid/cgi-bin/login.pl", "/ecf/vid/"),
        ("/ecf/vid/cgi-bin/link/", "/ecf/vid/"),
        ("/csologin/account/", "/"),
        (None, "/"),
    ],
)
def test_cancel_goes_back_to_the_court_site_not_round_to_the_login_page(
    client, came_from, cancel_to
):
    """Cancel used to go to the page that asked for the sign-in, which sent the user
    straight back to the login page."""
    from tests.factories import CourtFactory

    CourtFactory(code="vid")
    query = {"next": came_from} if came_from else {}
    html = client.get(reverse("signon:login"), query).content.decode()
    assert f'<a class="usa-button usa-button--unstyled" href="{cancel_to}">Cancel</a>' in html
    # And where Cancel leads does not ask for a sign-in again.
    assert client.get(cancel_to).status_code == 200


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example.com/",
        "//evil.example.com/",
        "/\\evil.example.com",
        "http://testserver.evil.com/",
        "javascript:alert(1)",
        "/no/such/page/",
    ],
)
def test_login_never_redirects_off_site(client, account, password, target):
    client.get(LOGIN)
    response = client.post(LOGIN, {"username": "jattorney", "password": password, "next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("signon:manage")


def test_a_browser_that_refuses_cookies_is_told_so(client, account, password):
    # No GET first: the test cookie was never set, as with a browser that drops cookies.
    response = client.post(LOGIN, {"username": "jattorney", "password": password})
    assert response.status_code == 400
    assert notices.COOKIES_REFUSED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_visiting_the_login_page_creates_no_session(client):
    """Bots fetch the login page by the thousand: no session row before a sign-in needs
    one, nor for a failed try."""
    from django.contrib.sessions.models import Session

    response = client.get(LOGIN)
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    client.post(LOGIN, {"username": "nobody-here", "password": "Wrong#Guess1"})
    assert Session.objects.count() == 0


def test_the_login_page_sets_the_csrf_cookie_its_form_posts_back(account, password):
    from django.conf import settings
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    page = strict.get(LOGIN)
    assert settings.CSRF_COOKIE_NAME in page.cookies
    token = page.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = strict.post(
        LOGIN, {"username": "jattorney", "password": password, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_a_post_without_the_csrf_cookie_explains_cookies(account, password):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(LOGIN, {"username": "jattorney", "password": password})
    assert response.status_code == 403
    assert "accept cookies" in response.content.decode()


def test_logout_ends_the_session(client, account, login):
    login(account)
    session_key = client.session.session_key
    client.post(reverse("signon:logout"))
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=session_key).exists()
    assert client.get(reverse("signon:manage")).status_code == 302


def test_a_deactivated_account_is_told_to_contact_the_service_center(client, account, login):
    account.is_active = False
    account.save(update_fields=["is_active"])
    html = login(account).content.decode()
    assert "deactivated" in html
    assert "PACER Service Center" in html
    assert "_auth_user_id" not in client.session


def test_deactivating_an_account_ends_its_sessions(client, account, login):
    login(account)
    assert client.get(reverse("signon:manage")).status_code == 200
    account.is_active = False
    account.save(update_fields=["is_active"])
    assert client.get(reverse("signon:manage")).status_code == 302


def test_every_attempt_is_audited_without_the_password(client, account, password):
    client.get(LOGIN)
    client.post(
        LOGIN, {"username": "jattorney", "password": "Wrong#Guess1"}, HTTP_USER_AGENT="pytest-agent"
    )
    client.post(LOGIN, {"username": "jattorney", "password": password})
    failure, success = Event.objects.filter(action="login").order_by("id")
    # The failure is about the account named (its trail shows it), done by no one known.
    assert (failure.outcome, failure.username_tried, failure.subject, failure.actor) == (
        "failure",
        "jattorney",
        account,
        None,
    )
    assert failure.client_ip == "127.0.0.1" and failure.user_agent == "pytest-agent"
    assert (success.outcome, success.actor) == ("success", account)
    everything = str(list(Event.objects.values()))
    assert "Wrong#Guess1" not in everything and password not in everything


@pytest.mark.frozen_clock
class TestThrottling:
    def test_repeated_wrong_passwords_slow_the_user_name_down(self, client, account, password):
        client.get(LOGIN)
        for _ in range(5):
            client.post(LOGIN, {"username": "jattorney", "password": "Wrong#Guess1"})
        response = client.post(LOGIN, {"username": "jattorney", "password": password})
        assert response.status_code == 429
        assert "Too many failed attempts" in response.content.decode()
        assert "_auth_user_id" not in client.session

    def test_an_unknown_user_name_is_throttled_exactly_like_a_real_one(self, client, account):
        client.get(LOGIN)
        for name in ("jattorney", "nobody-here"):
            for _ in range(5):
                client.post(LOGIN, {"username": name, "password": "Wrong#Guess1"})
        real = client.post(LOGIN, {"username": "jattorney", "password": "Wrong#Guess1"})
        fake = client.post(LOGIN, {"username": "nobody-here", "password": "Wrong#Guess1"})
        assert real.status_code == fake.status_code == 429
        assert notices.throttled("1 minute") in real.content.decode()
        assert notices.throttled("1 minute") in fake.content.decode()

    def test_the_wait_ends_so_the_owner_is_never_locked_out_for_good(
        self, client, account, password, time_machine
    ):
        import datetime as dt

        time_machine.move_to(dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC), tick=False)
        client.get(LOGIN)
        for _ in range(5):
            client.post(LOGIN, {"username": "jattorney", "password": "Wrong#Guess1"})
        assert (
            client.post(LOGIN, {"username": "jattorney", "password": password}).status_code == 429
        )
        time_machine.shift(dt.timedelta(minutes=2))
        assert (
            client.post(LOGIN, {"username": "jattorney", "password": password}).status_code == 302
        )

    def test_one_client_trying_many_user_names_is_slowed_down(self, client, db):
        client.get(LOGIN)
        for n in range(20):
            client.post(LOGIN, {"username": f"guess{n}", "password": "Wrong#Guess1"})
        assert (
            client.post(LOGIN, {"username": "guess-new", "password": "Wrong#Guess1"}).status_code
            == 429
        )

    def test_an_attacker_elsewhere_does_not_lock_the_owner_out(self, account, password):
        """Wrong guesses from one client slow that client, not the owner's own browser."""
        from django.test import Client

        attacker = Client(REMOTE_ADDR="203.0.113.9")
        attacker.get(LOGIN)
        for _ in range(6):
            attacker.post(LOGIN, {"username": "jattorney", "password": "Wrong#Guess1"})
        assert (
            attacker.post(LOGIN, {"username": "jattorney", "password": "Wrong#Guess1"}).status_code
            == 429
        )
        owner = Client(REMOTE_ADDR="198.51.100.7")
        owner.get(LOGIN)
        assert owner.post(LOGIN, {"username": "jattorney", "password": password}).status_code == 302

    def test_a_guessing_campaign_from_many_clients_is_slowed_per_user_name(self, account, password):
        from django.test import Client

        bots = []
        for n in range(25):  # 100 guesses from 25 clients, 4 each: under every client tier
            bot = Client(REMOTE_ADDR=f"203.0.113.{n + 1}")
            bot.get(LOGIN)
            for _ in range(4):
                bot.post(LOGIN, {"username": "jattorney", "password": "Wrong#Guess1"})
            bots.append(bot)
        # The account's 100 consecutive failures are used up: no guessing client is
        # checked again today (not even with the right password); clean clients still are
        # (tests/signon/test_throttle.py).
        for bot in bots:
            right = bot.post(LOGIN, {"username": "jattorney", "password": password})
            assert right.status_code == 429


@pytest.mark.parametrize(
    "meta, proxies, expected",
    [
        ({"REMOTE_ADDR": "198.51.100.7"}, 0, "198.51.100.7"),
        (
            {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.7"},
            0,
            "10.0.0.1",
        ),
        (
            {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.7"},
            1,
            "198.51.100.7",
        ),
        ({"REMOTE_ADDR": "2001:db8:1:2:3:4:5:6"}, 0, "2001:db8:1:2::/64"),
    ],
)
@pytest.mark.frozen_clock
def test_the_client_address_for_throttling(rf, settings, meta, proxies, expected):
    from nextgen.throttle import client_key

    settings.NEXTGEN_PROXY_COUNT = proxies
    assert client_key(rf.get("/", **meta)) == expected


@pytest.mark.frozen_clock
def test_behind_a_trusted_proxy_the_audit_and_the_throttle_name_the_same_client(settings, account):
    """The audit log once recorded the proxy's address while the throttle counted the
    forwarded one: both now read nextgen.network.client_address."""
    from django.test import Client

    from nextgen.throttle import client_key

    settings.NEXTGEN_PROXY_COUNT = 1
    behind_proxy = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.7"}
    client = Client(**behind_proxy)
    client.get(LOGIN)
    client.post(LOGIN, {"username": "jattorney", "password": "Wrong#Guess1"})
    event = Event.objects.get(action="login")
    assert event.client_ip == "198.51.100.7"
    response = client.post(LOGIN, {"username": "jattorney", "password": "Wrong#Guess1"})
    assert client_key(response.wsgi_request) == event.client_ip
    assert Event.objects.filter(action="login").last().client_ip == "198.51.100.7"


def test_an_ipv4_client_on_an_ipv6_socket_is_that_ipv4_client(rf):
    from nextgen.audit.services import client_ip
    from nextgen.throttle import client_key

    request = rf.get("/", REMOTE_ADDR="::ffff:192.0.2.1")
    assert client_ip(request) == client_key(request) == "192.0.2.1"


@pytest.mark.frozen_clock
class TestThrottledFloods:
    """The audit log cannot be pruned: a client hammering the login page while throttled
    writes a handful of rows a minute, each with the count so far, never one per try."""

    def test_a_throttled_flood_from_one_client_writes_a_few_counted_events(
        self, account, time_machine
    ):
        import datetime as dt

        from django.test import Client

        time_machine.move_to(dt.datetime(2026, 11, 23, 12, 0, 1, tzinfo=dt.UTC), tick=False)
        bot = Client(REMOTE_ADDR="203.0.113.66")
        bot.get(LOGIN)
        for _ in range(5):
            bot.post(LOGIN, {"username": "jattorney", "password": "Wrong#Guess1"})
        for _ in range(120):
            response = bot.post(LOGIN, {"username": "jattorney", "password": "Wrong#Guess1"})
            assert response.status_code == 429
        refused = Event.objects.filter(action="login", outcome="refused")
        assert [e.details["count"] for e in refused] == [1, 10, 100]
        assert {e.client_ip for e in refused} == {"203.0.113.66"}
        # The failures before the throttle stay one row each.
        assert Event.objects.filter(action="login", outcome="failure").count() == 5
        # Another client, and the next minute, start counting afresh.
        other = Client(REMOTE_ADDR="203.0.113.67")
        other.get(LOGIN)
        for _ in range(6):
            other.post(LOGIN, {"username": "jattorney", "password": "Wrong#Guess1"})
        time_machine.shift(dt.timedelta(seconds=60))
        for _ in range(6):  # five more failures are let through, then throttled again
            bot.post(LOGIN, {"username": "jattorney", "password": "Wrong#Guess1"})
        latest = list(refused.order_by("id"))[-2:]
        assert [(e.client_ip, e.details["count"]) for e in latest] == [
            ("203.0.113.67", 1),
            ("203.0.113.66", 1),
        ]

    def test_without_the_cache_every_throttled_refusal_is_still_recorded(self, rf, monkeypatch):
        from django.core.cache import cache

        from tests.factories import audit_event

        def down(*args, **kwargs):
            raise ConnectionError("cache down")

        monkeypatch.setattr(cache, "incr", down)
        request = rf.get("/", REMOTE_ADDR="203.0.113.66")
        for _ in range(3):
            audit_event(
                Action.LOGIN, outcome="refused", request=request, details={"reason": "throttled"}
            )
        assert Event.objects.filter(outcome="refused").count() == 3


def test_a_sign_in_the_form_refuses_is_audited_without_the_password(client, account, password):
    client.get(LOGIN)
    response = client.post(
        LOGIN, {"username": "jattorney", "password": password, "client_code": "bad<code>"}
    )
    assert response.status_code == 400
    event = Event.objects.get(action=Action.LOGIN)
    assert event.outcome == "failure" and event.username_tried == "jattorney"
    assert event.details == {"reason": "invalid input", "fields": ["client_code"], "via": "page"}
    assert password not in str(event.details)


@pytest.mark.frozen_clock
def test_a_flood_of_refused_forms_is_throttled_and_its_audit_rows_limited(account, time_machine):
    import datetime as dt

    from django.test import Client

    time_machine.move_to(dt.datetime(2026, 11, 23, 12, 0, 1, tzinfo=dt.UTC), tick=False)
    bot = Client(REMOTE_ADDR="203.0.113.66")
    bot.get(LOGIN)
    before = Event.objects.filter(action="login").count()
    for _ in range(120):
        bot.post(LOGIN, {"username": "jattorney"})  # the password left out: no hash to pay
    written = Event.objects.filter(action="login").count() - before
    assert written <= 10, f"{written} audit rows for 120 refused forms from one client"
