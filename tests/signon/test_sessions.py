"""Manage My Account → Signed-in Sessions (each browser's device, address and last seen;
"Sign out the other sessions") and the e-mail on a sign-in from a new device."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.test import Client, RequestFactory
from django.urls import reverse

from nextgen.api import tokens
from nextgen.audit.models import Event
from nextgen.signon import notices
from nextgen.signon.flows import sessions
from nextgen.signon.models.sessions import KnownDevice, SignedInSession
from tests.commits import run_on_commit
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("signon:login")
MANAGE = reverse("signon:manage")
SESSIONS = reverse("signon:sessions")
SIGN_OUT_OTHERS = reverse("signon:sessions_sign_out_others")
FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1"
)


def browser(user_agent: str = FIREFOX_LINUX, address: str = "198.51.100.7") -> Client:
    return Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)


def sign_in(client: Client, account, password: str = PASSWORD) -> None:
    """Sign in through the login page; a sign-in from a new device is told by mail."""
    client.get(LOGIN)
    with run_on_commit():
        response = client.post(LOGIN, {"username": account.username, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]


@pytest.fixture
def cso_auth_client():
    """Sign `account` in through POST /services/cso-auth as a program would; its token."""

    def _sign_in(account, *, user_agent: str, address: str) -> str:
        program = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)
        body = {"loginId": account.username, "password": PASSWORD, "redactFlag": "1"}
        with run_on_commit():
            answer = program.post("/services/cso-auth", body, content_type="application/json")
        assert answer.json()["loginResult"] == "0", answer.json()
        return answer.json()["nextGenCSO"]

    return _sign_in


def new_device_mails() -> list:
    return [m for m in mail.outbox if m.subject == "PACER: new sign-in to your account"]


# --- the page ---------------------------------------------------------------------------


def test_manage_my_account_links_to_the_page(account):
    client = browser()
    sign_in(client, account)
    assert f'href="{SESSIONS}">Signed-in Sessions</a>' in client.get(MANAGE).content.decode()


def test_the_page_needs_a_signed_in_account():
    response = Client().get(SESSIONS)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_each_session_shows_its_device_address_and_times(account):
    office = browser(CHROME_WINDOWS, "203.0.113.10")
    phone = browser(SAFARI_IPHONE, "198.51.100.20")
    sign_in(office, account)
    sign_in(phone, account)

    html = office.get(SESSIONS).content.decode()
    assert "Chrome on Windows" in html and "203.0.113.10" in html
    assert "Mobile Safari on iOS (iPhone)" in html and "198.51.100.20" in html
    assert "(this session)" in html
    this_row = html.split('id="this-session"')[1].split("</tr>")[0]
    assert "Chrome on Windows" in this_row
    assert "Sign out the other sessions" in html


def test_last_seen_follows_use_at_most_once_a_minute(account, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC), tick=False)
    client = browser()
    sign_in(client, account)
    row = SignedInSession.objects.get(account=account)
    assert row.last_seen_at == dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)

    time_machine.shift(dt.timedelta(seconds=20))
    client.get(MANAGE)
    row.refresh_from_db()
    assert row.last_seen_at == dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)

    time_machine.shift(dt.timedelta(minutes=30))
    client.get(MANAGE)
    row.refresh_from_db()
    assert row.last_seen_at == dt.datetime(2026, 11, 23, 9, 30, 20, tzinfo=dt.UTC)


def test_a_signed_out_session_is_no_longer_listed(account):
    first, second = browser(), browser(CHROME_WINDOWS)
    sign_in(first, account)
    sign_in(second, account)
    second.post(reverse("signon:logout"))
    assert len(sessions.live_sessions(account)) == 1
    assert "Chrome on Windows" not in first.get(SESSIONS).content.decode()


def test_a_session_ended_by_a_password_change_elsewhere_is_not_listed(account):
    stale, current = browser(), browser(CHROME_WINDOWS)
    sign_in(stale, account)
    sign_in(current, account)
    current.post(
        reverse("signon:change_password"),
        {
            "current_password": PASSWORD,
            "new_password1": "Brand#New2026",
            "new_password2": "Brand#New2026",
        },
    )
    account.refresh_from_db()
    listed = sessions.live_sessions(account)
    assert [s.device for s in listed] == ["Chrome on Windows"]


def test_programs_signed_in_through_the_api_are_listed(account, cso_auth_client):
    browser_client = browser()
    sign_in(browser_client, account)
    key = cso_auth_client(account, user_agent="curl/8.5.0", address="203.0.113.50")

    html = browser_client.get(SESSIONS).content.decode()
    table = html.split('id="program-sessions"')[1].split("</table>")[0]
    assert "curl" in table and "203.0.113.50" in table
    tokens.revoke_token(acting=None, key=key)
    assert 'id="program-sessions"' not in browser_client.get(SESSIONS).content.decode()


def test_ended_sessions_do_not_pile_up(account):
    client = browser()
    for _ in range(5):
        sign_in(client, account)
        client.post(reverse("signon:logout"))
    sign_in(client, account)
    assert SignedInSession.objects.filter(account=account).count() == 1


# --- signing the others out --------------------------------------------------------------


def test_sign_out_the_other_sessions_ends_them_and_their_api_tokens(account):
    """A thief's session (and their API token) ends; the owner's stays signed in."""
    owner, thief = browser(CHROME_WINDOWS), browser(FIREFOX_LINUX, "192.0.2.66")
    sign_in(owner, account)
    sign_in(thief, account)
    key, _ = tokens.issue_token(acting=None, account=account, request=RequestFactory().post("/"))
    assert len(sessions.program_sessions(account)) == 1

    response = owner.post(SIGN_OUT_OTHERS)
    assert response.status_code == 302 and response["Location"] == SESSIONS
    assert notices.sessions_signed_out(1) in owner.get(SESSIONS).content.decode()

    assert owner.get(MANAGE).status_code == 200
    assert thief.get(MANAGE).status_code == 302
    assert tokens.authenticate_token(key) is None
    account.refresh_from_db()
    assert [s.device for s in sessions.live_sessions(account)] == ["Chrome on Windows"]
    assert sessions.program_sessions(account) == []
    event = Event.objects.get(action="account.sessions_ended")
    assert event.actor == account
    assert event.details == {"sessions_ended": 1, "api_sessions_ended": 1}


def test_signing_the_others_out_needs_a_post_with_the_csrf_token(account):
    owner = Client(enforce_csrf_checks=True, HTTP_USER_AGENT=FIREFOX_LINUX)
    other = browser(CHROME_WINDOWS)
    owner.force_login(account)
    sign_in(other, account)
    assert owner.get(SIGN_OUT_OTHERS).status_code == 405
    assert owner.post(SIGN_OUT_OTHERS).status_code == 403
    assert other.get(MANAGE).status_code == 200


def test_every_page_of_a_signed_in_person_is_not_stored(account):
    client = browser()
    sign_in(client, account)
    for page in (MANAGE, SESSIONS, reverse("signon:personal_info"), reverse("signon:paa")):
        response = client.get(page)
        assert "no-store" in response["Cache-Control"], page
        assert "private" in response["Cache-Control"], page


def test_the_account_page_is_not_stored_by_the_browser(account):
    """The attack: /csologin/account/ had no Cache-Control, so Back after Log Out on a
    shared computer, or a shared proxy, could show it again."""
    client = browser()
    sign_in(client, account)
    response = client.get(MANAGE)
    assert "no-store" in response["Cache-Control"]


# --- the new-device e-mail ----------------------------------------------------------------


def test_the_first_device_is_learned_without_a_mail(account):
    sign_in(browser(), account)
    assert not new_device_mails()
    assert KnownDevice.objects.filter(account=account).count() == 1


def test_a_sign_in_from_a_new_device_is_told_by_mail(account):
    sign_in(browser(CHROME_WINDOWS, "203.0.113.10"), account)
    thief = browser(FIREFOX_LINUX, "192.0.2.66")
    sign_in(thief, account)

    (notice,) = new_device_mails()
    assert notice.to == [account.email]
    assert "Firefox on Linux" in notice.body and "192.0.2.66" in notice.body
    assert "Signed-in Sessions" in notice.body and "If this wasn't you" in notice.body
    login = Event.objects.filter(action="login", actor=account).latest("id")
    assert f"reference NG-{login.pk}" in notice.body


def test_a_known_device_signs_in_again_without_a_mail(account):
    sign_in(browser(CHROME_WINDOWS), account)
    laptop = browser()
    sign_in(laptop, account)
    assert len(new_device_mails()) == 1
    laptop.post(reverse("signon:logout"))
    sign_in(laptop, account)
    assert len(new_device_mails()) == 1


def test_the_device_cookie_is_long_lived_http_only_and_same_site(account):
    client = browser()
    client.get(LOGIN)
    response = client.post(LOGIN, {"username": account.username, "password": PASSWORD})
    cookie = response.cookies[sessions.DEVICE_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == sessions.DEVICE_COOKIE_AGE
    stored = KnownDevice.objects.get(account=account)
    assert cookie.value not in stored.token_hash  # only its hash is kept


def test_a_forged_or_oversized_device_cookie_counts_as_a_new_device(account):
    sign_in(browser(CHROME_WINDOWS), account)
    for value in ("not-a-known-device", "x" * 5000):
        client = browser()
        client.cookies[sessions.DEVICE_COOKIE] = value
        sign_in(client, account)
    assert len(new_device_mails()) == 2


def test_a_wrong_password_teaches_no_device_and_sends_no_mail(account):
    sign_in(browser(CHROME_WINDOWS), account)
    client = browser()
    client.get(LOGIN)
    with run_on_commit():
        client.post(LOGIN, {"username": account.username, "password": "Wrong#Guess1"})
    assert not new_device_mails()
    assert KnownDevice.objects.filter(account=account).count() == 1


def test_a_program_new_to_the_account_is_told_by_mail_once(account, cso_auth_client):
    """A thief with the password (and no MFA on the account) signs in through the API."""
    sign_in(browser(CHROME_WINDOWS), account)
    cso_auth_client(account, user_agent="python-requests/2.32.3", address="192.0.2.66")
    (notice,) = new_device_mails()
    assert "Python Requests" in notice.body and "192.0.2.66" in notice.body
    cso_auth_client(account, user_agent="python-requests/2.32.3", address="192.0.2.66")
    assert len(new_device_mails()) == 1


@pytest.mark.parametrize(
    ("user_agent", "words"),
    [
        ("", "Unknown device"),
        ("curl/8.5.0", "curl"),
        (CHROME_WINDOWS, "Chrome on Windows"),
        ("\x00" + "A" * 1000, "Unknown device"),
    ],
)
def test_devices_are_described_in_plain_words(user_agent, words):
    assert sessions.describe_device(user_agent).startswith(words)
