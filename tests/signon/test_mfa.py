"""Multi-factor authentication: set-up, the passcode step of the login, backup codes,
filers who must enroll, turning it off, and the attacks (skipped, replayed and
cross-session steps, expired pending logins, guessing)."""

import base64
import datetime as dt
import re
import time

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from django.test import Client, RequestFactory
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from nextgen.audit.models import Event
from nextgen.signon.flows import login as login_flow
from nextgen.signon.flows import mfa
from nextgen.signon.models import UserType
from nextgen.signon.models.mfa import BackupCode
from tests.commits import run_on_commit
from tests.factories import PASSWORD, AccountFactory, FilerAccountFactory

pytestmark = pytest.mark.django_db
LOGIN = "/csologin/login/"
OTP = reverse("signon:login_otp")
SETUP = reverse("signon:login_mfa_setup")
MANAGE = reverse("signon:manage")
FIELD_ERROR = "One-Time Passcode</a>:"


# --- helpers -------------------------------------------------------------------


def code_for_key(key: bytes, *, step_offset: int = 0) -> str:
    """The 6-digit code an authenticator app with this key shows now (RFC 6238)."""
    totp = TOTP(key, step=30, t0=0, digits=6, drift=0)
    totp.time = time.time() + 30 * step_offset
    return f"{totp.token():06d}"


def code_for(account, *, step_offset: int = 0) -> str:
    device = TOTPDevice.objects.get(user=account, confirmed=True)
    return code_for_key(device.bin_key, step_offset=step_offset)


def secret_on(html: str) -> bytes:
    """The setup key as the page shows it, decoded as an app would."""
    grouped = re.search(r'<code id="mfa-secret">([A-Z2-7 ]+)</code>', html).group(1)
    return base64.b32decode(grouped.replace(" ", ""))


def backup_codes_on(html: str) -> list[str]:
    return re.findall(r"<li><code>([A-Z0-9]{5}-[A-Z0-9]{5})</code></li>", html)


def enroll(account) -> list[str]:
    """Turn MFA on for `account` straight through the flow; returns its backup codes."""
    request = RequestFactory().post("/")
    request.session = SessionStore()
    enrollment = mfa.enroll_start(account, request=request)
    key = base64.b32decode(enrollment.secret.replace(" ", ""))
    return mfa.enroll_confirm(acting=account, code=code_for_key(key), request=request)


@pytest.fixture
def clock(time_machine):
    """A fixed clock: codes are deterministic; `clock.next_step()` moves on 30 s."""
    time_machine.move_to(dt.datetime(2026, 11, 23, 12, 0, 0, tzinfo=dt.UTC), tick=False)

    class Clock:
        @staticmethod
        def shift(**delta):
            time_machine.shift(dt.timedelta(**delta))

        @staticmethod
        def next_step():
            time_machine.shift(dt.timedelta(seconds=30))

    return Clock()


@pytest.fixture
def enrolled(account, clock):
    codes = enroll(account)
    clock.next_step()  # the code that confirmed set-up is used up
    return codes


def password_step(client, account, **extra):
    client.get(LOGIN)
    return client.post(LOGIN, {"username": account.username, "password": PASSWORD, **extra})


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- set-up from Manage My Account ---------------------------------------------------


class TestEnrollment:
    def test_manage_my_account_links_to_multi_factor_authentication(self, client, account, login):
        login(account)
        html = client.get(MANAGE).content.decode()
        assert f'href="{reverse("signon:mfa")}">Multi-Factor Authentication<' in html
        page = client.get(reverse("signon:mfa")).content.decode()
        assert "Multi-factor authentication is <strong>off</strong>" in page
        assert "optional for your account" in page

    def test_set_up_shows_a_qr_code_and_the_secret_and_needs_a_right_code(
        self, client, account, login, clock
    ):
        login(account)
        html = client.get(reverse("signon:mfa_enroll")).content.decode()
        assert 'src="data:image/svg+xml;base64,' in html
        key = secret_on(html)
        assert len(key) == 20
        # The page can be reloaded without changing the secret.
        assert secret_on(client.get(reverse("signon:mfa_enroll")).content.decode()) == key

        right = code_for_key(key)
        wrong = f"{(int(right) + 1) % 1_000_000:06d}"
        with run_on_commit():
            response = client.post(
                reverse("signon:mfa_enroll"), {"current_password": PASSWORD, "otp_code": wrong}
            )
        assert response.status_code == 400
        assert FIELD_ERROR in response.content.decode()
        assert not mfa.is_enrolled(account)
        # A stolen session cannot tie the account to another authenticator.
        with run_on_commit():
            response = client.post(
                reverse("signon:mfa_enroll"),
                {"current_password": "Wrong#Pass99", "otp_code": right},
            )
        assert response.status_code == 400
        assert not mfa.is_enrolled(account)
        assert not mail.outbox

        with run_on_commit():
            response = client.post(
                reverse("signon:mfa_enroll"), {"current_password": PASSWORD, "otp_code": right}
            )
        assert response.status_code == 200
        html = response.content.decode()
        codes = backup_codes_on(html)
        assert len(codes) == 10 and len(set(codes)) == 10
        assert mfa.is_enrolled(account)
        assert signed_in(client)  # this session is kept
        assert [m.to for m in mail.outbox] == [[account.email]]
        assert "turned on" in mail.outbox[0].body
        assert Event.objects.filter(action="mfa.enroll", outcome="success").count() == 1

    @pytest.mark.parametrize(
        "typed", ["", "abc", "12345", "1234567", "１２３４５６", "x" * 5000, "<script>", "\x00"]
    )
    def test_bad_input_names_the_field(self, client, account, login, typed):
        login(account)
        response = client.post(reverse("signon:mfa_enroll"), {"otp_code": typed})
        assert response.status_code == 400
        assert FIELD_ERROR in response.content.decode()

    def test_backup_codes_are_stored_hashed_only(self, account, clock):
        codes = enroll(account)
        rows = list(BackupCode.objects.filter(account=account).values())
        assert len(rows) == 10
        stored = str(rows)
        for code in codes:
            assert code not in stored and code.replace("-", "") not in stored
        assert len({row["salt"] for row in rows}) == 10  # a salt per code

    def test_an_enrolled_account_is_not_offered_a_second_set_up(
        self, client, account, login, enrolled
    ):
        client.get(LOGIN)
        password_step(client, account)
        client.post(OTP, {"otp_code": code_for(account)})
        response = client.get(reverse("signon:mfa_enroll"))
        assert response.status_code == 302
        assert response["Location"] == reverse("signon:mfa")


# --- the login's second step ------------------------------------------------------------


class TestLogin:
    def test_an_account_without_mfa_signs_in_with_the_password_alone(self, client, account):
        response = password_step(client, account)
        assert response["Location"] == MANAGE
        assert signed_in(client)

    def test_an_enrolled_account_is_asked_for_the_passcode_before_any_session(
        self, client, account, enrolled
    ):
        client.get(LOGIN)
        before = client.session.session_key
        response = client.post(
            LOGIN,
            {
                "username": account.username,
                "password": PASSWORD,
                "client_code": "matter-7",
                "next": "/csologin/account/mfa/",
            },
        )
        assert response["Location"] == OTP
        assert not signed_in(client)
        # Rotated at the password step (no planted cookie shares the pending login) ...
        middle = client.session.session_key
        assert middle != before
        page = client.get(OTP)
        assert "One-Time Passcode *" in page.content.decode()

        response = client.post(OTP, {"otp_code": code_for(account)})
        assert response["Location"] == "/csologin/account/mfa/"
        assert client.session["_auth_user_id"] == str(account.pk)
        assert client.session.session_key not in (before, middle)  # ... and again at login
        assert client.session["nextgen_client_code"] == "matter-7"

    def test_a_wrong_passcode_does_not_sign_in(self, client, account, enrolled):
        password_step(client, account)
        right = code_for(account)
        wrong = f"{(int(right) + 7) % 1_000_000:06d}"
        response = client.post(OTP, {"otp_code": wrong})
        assert response.status_code == 400
        assert mfa.CODE_WRONG in response.content.decode()
        assert wrong not in response.content.decode()
        assert not signed_in(client)
        # The pending login survives a typo.
        assert client.post(OTP, {"otp_code": right})["Location"] == MANAGE

    @pytest.mark.parametrize("typed", ["", "12 34", "ABCDE", "0" * 40, "１２３４５６", "\x00"])
    def test_bad_input_names_the_field(self, client, account, enrolled, typed):
        password_step(client, account)
        response = client.post(OTP, {"otp_code": typed})
        assert response.status_code == 400
        assert FIELD_ERROR in response.content.decode()
        assert not signed_in(client)

    def test_a_totp_code_is_accepted_once(self, client, account, enrolled, clock):
        code = code_for(account)
        password_step(client, account)
        assert client.post(OTP, {"otp_code": code})["Location"] == MANAGE
        client.post(reverse("signon:logout"))

        password_step(client, account)
        replay = client.post(OTP, {"otp_code": code})
        assert replay.status_code == 400
        assert mfa.CODE_WRONG in replay.content.decode()
        assert not signed_in(client)
        clock.next_step()
        assert client.post(OTP, {"otp_code": code_for(account)})["Location"] == MANAGE

    def test_a_backup_code_signs_in_once(self, client, account, enrolled):
        code = enrolled[3]
        password_step(client, account)
        assert client.post(OTP, {"otp_code": code.lower()})["Location"] == MANAGE
        assert BackupCode.objects.filter(account=account, used_at__isnull=False).count() == 1
        client.post(reverse("signon:logout"))

        password_step(client, account)
        again = client.post(OTP, {"otp_code": code})
        assert again.status_code == 400 and not signed_in(client)
        assert client.post(OTP, {"otp_code": enrolled[4]})["Location"] == MANAGE

    def test_the_passcode_step_cannot_be_reached_without_the_password_step(
        self, client, account, enrolled
    ):
        client.get(LOGIN)
        for response in (client.get(OTP), client.post(OTP, {"otp_code": code_for(account)})):
            assert response.status_code == 302
            assert response["Location"] == reverse("signon:login")
        assert not signed_in(client)

    def test_the_password_step_of_another_session_does_not_count(self, client, account, enrolled):
        password_step(client, account)
        other = Client()
        other.get(LOGIN)
        response = other.post(OTP, {"otp_code": code_for(account)})
        assert response["Location"] == reverse("signon:login")
        assert "_auth_user_id" not in other.session

    def test_the_passcode_step_cannot_be_replayed(self, client, account, enrolled, clock):
        password_step(client, account)
        pending_cookie = client.cookies["sessionid"].value
        assert client.post(OTP, {"otp_code": code_for(account)})["Location"] == MANAGE
        clock.next_step()
        # The same browser: the pending login is used up.
        assert client.post(OTP, {"otp_code": code_for(account)})["Location"] == reverse(
            "signon:login"
        )
        # A copy of the cookie from before the step: that session no longer exists.
        thief = Client()
        thief.cookies["sessionid"] = pending_cookie
        response = thief.post(OTP, {"otp_code": code_for(account, step_offset=1)})
        assert response["Location"] == reverse("signon:login")
        assert "_auth_user_id" not in thief.session

    def test_an_expired_pending_login_is_refused(self, client, account, enrolled, clock):
        password_step(client, account)
        clock.shift(minutes=6)
        response = client.post(OTP, {"otp_code": code_for(account)}, follow=True)
        assert response.redirect_chain[-1][0] == reverse("signon:login")
        assert login_flow.PENDING_EXPIRED in response.content.decode()
        assert not signed_in(client)

    def test_signing_in_as_someone_else_meanwhile_voids_a_pending_login(
        self, client, account, enrolled
    ):
        password_step(client, account)
        other = AccountFactory()
        client.force_login(other)  # another tab of the same browser
        response = client.post(OTP, {"otp_code": code_for(account)})
        assert response["Location"] == reverse("signon:login")
        assert client.session["_auth_user_id"] == str(other.pk)

    def test_a_password_change_voids_a_pending_login(self, client, account, enrolled):
        password_step(client, account)
        account.set_password("Another#Pass77")
        account.save(update_fields=["password"])
        response = client.post(OTP, {"otp_code": code_for(account)})
        assert response["Location"] == reverse("signon:login")
        assert not signed_in(client)

    @pytest.mark.frozen_clock
    def test_wrong_codes_are_throttled_and_the_wait_ends(self, client, account, enrolled, clock):
        password_step(client, account)
        right = code_for(account)
        for n in range(5):
            wrong = f"{(int(right) + 1 + n) % 1_000_000:06d}"
            assert client.post(OTP, {"otp_code": wrong}).status_code == 400
        throttled = client.post(OTP, {"otp_code": right})
        assert throttled.status_code == 429
        assert "Too many failed attempts" in throttled.content.decode()
        assert not signed_in(client)
        # The wait is this client's: another browser with no failures of its own, such as
        # the owner's, is not held back by them (tests/signon/test_throttle.py).
        other = Client(REMOTE_ADDR="10.0.0.9")
        password_step(other, account)
        assert other.post(OTP, {"otp_code": right})["Location"] == MANAGE
        clock.shift(minutes=2)
        assert client.post(OTP, {"otp_code": code_for(account)})["Location"] == MANAGE

    def test_every_attempt_is_audited_without_the_code(self, client, account, enrolled):
        password_step(client, account)
        right = code_for(account)
        wrong = f"{(int(right) + 3) % 1_000_000:06d}"
        client.post(OTP, {"otp_code": wrong})
        client.post(OTP, {"otp_code": right})
        client.post(reverse("signon:logout"))
        password_step(client, account)
        client.post(OTP, {"otp_code": enrolled[0]})
        events = list(Event.objects.filter(action="login.otp").order_by("id"))
        assert [(e.outcome, e.details.get("method")) for e in events] == [
            ("failure", "totp"),
            ("success", "totp"),
            ("success", "backup"),
        ]
        assert all(e.actor == account for e in events)
        everything = str(list(Event.objects.values()))
        for secret in (right, wrong, *enrolled, *(c.replace("-", "") for c in enrolled)):
            assert secret not in everything
        device_key = TOTPDevice.objects.get(user=account).key
        assert device_key not in everything


# --- filers must enroll ------------------------------------------------------------------


class TestFilersMustEnroll:
    @pytest.fixture
    def filer(self, account):
        FilerAccountFactory(account=account)
        return account

    def test_a_filer_may_skip_three_times_then_user_update_required(self, client, filer):
        for left in (3, 2, 1):
            response = password_step(client, filer, next="/csologin/account/")
            assert response["Location"] == SETUP
            assert not signed_in(client)
            html = client.get(SETUP).content.decode()
            assert "<h1>Set Up Multi-Factor Authentication</h1>" in html
            assert f"put this off {left} more time" in html
            assert 'id="mfa-secret"' in html
            response = client.post(SETUP, {"skip": "1"})
            assert response["Location"] == "/csologin/account/"
            assert signed_in(client)
            client.post(reverse("signon:logout"))

        password_step(client, filer)
        html = client.get(SETUP).content.decode()
        assert "<title>User Update Required" in html
        assert "<h1>User Update Required</h1>" in html
        assert "Skip for Now" not in html and ">Log Out</button>" in html
        refused = client.post(SETUP, {"skip": "1"})
        assert refused.status_code == 400
        assert mfa.NO_SKIPS_LEFT in refused.content.decode()
        assert not signed_in(client)
        # Sign-in stops here: no other page is open to this browser.
        assert client.get(MANAGE).status_code == 302
        # Logging out ends the pending login.
        client.post(reverse("signon:logout"))
        assert client.get(SETUP)["Location"] == reverse("signon:login")
        assert Event.objects.filter(action="mfa.skip").count() == 3

    def test_a_filer_enrolls_from_user_update_required_and_is_signed_in(self, client, filer, clock):
        from nextgen.signon.models.mfa import MfaPrompt

        MfaPrompt.objects.create(account=filer, skips=3)
        password_step(client, filer, next="/csologin/account/")
        key = secret_on(client.get(SETUP).content.decode())
        bad = client.post(SETUP, {"otp_code": "12"})
        assert bad.status_code == 400 and FIELD_ERROR in bad.content.decode()
        response = client.post(SETUP, {"otp_code": code_for_key(key)})
        assert response.status_code == 200
        html = response.content.decode()
        assert len(backup_codes_on(html)) == 10
        assert 'href="/csologin/account/">Continue<' in html
        assert signed_in(client)
        client.post(reverse("signon:logout"))
        clock.next_step()
        assert password_step(client, filer)["Location"] == OTP

    def test_an_enrolled_filer_just_gives_the_passcode(self, client, filer, enrolled):
        assert password_step(client, filer)["Location"] == OTP

    def test_a_search_only_account_is_never_prompted(self, client, db):
        searcher = AccountFactory(user_type=UserType.SEARCH_ONLY)
        assert password_step(client, searcher)["Location"] == MANAGE
        assert signed_in(client)
        assert not mfa.must_enroll(searcher)


# --- turning it off, new backup codes ----------------------------------------------------


class TestChanges:
    @pytest.fixture
    def two_sessions(self, client, account, enrolled, clock):
        """`client` and a second browser, both signed in with MFA."""
        other = Client()
        password_step(other, account)
        assert other.post(OTP, {"otp_code": enrolled[9]})["Location"] == MANAGE
        password_step(client, account)
        assert client.post(OTP, {"otp_code": code_for(account)})["Location"] == MANAGE
        clock.next_step()
        mail.outbox.clear()
        return client, other

    def test_turning_mfa_off_needs_the_password_and_a_code(self, two_sessions, account, enrolled):
        from nextgen.api.models import ApiToken

        client, other = two_sessions
        token = ApiToken.objects.create(
            account=account,
            key_hash="a" * 64,
            auth_hash="x",
            expires_at=dt.datetime(2027, 1, 1, tzinfo=dt.UTC),
        )
        url = reverse("signon:mfa_disable")
        right = code_for(account)
        wrong = f"{(int(right) + 5) % 1_000_000:06d}"
        refused = [
            {"current_password": "Wrong#Guess1", "otp_code": right},
            {"current_password": PASSWORD, "otp_code": wrong},
            {"current_password": PASSWORD, "otp_code": ""},
        ]
        with run_on_commit():
            responses = [client.post(url, data) for data in refused]
        assert [r.status_code for r in responses] == [400, 400, 400]
        assert "Current Password</a>:" in responses[0].content.decode()
        assert FIELD_ERROR in responses[1].content.decode()
        assert FIELD_ERROR in responses[2].content.decode()
        assert mfa.is_enrolled(account) and not mail.outbox

        with run_on_commit():
            response = client.post(url, {"current_password": PASSWORD, "otp_code": right})
        assert response["Location"] == reverse("signon:mfa")
        assert not mfa.is_enrolled(account)
        assert not BackupCode.objects.filter(account=account).exists()
        assert [m.to for m in mail.outbox] == [[account.email]]
        assert "turned off" in mail.outbox[0].body
        assert client.get(MANAGE).status_code == 200  # this session stays
        assert other.get(MANAGE).status_code == 302  # the other one ended
        token.refresh_from_db()
        assert token.revoked_at is not None
        client.post(reverse("signon:logout"))
        assert password_step(client, account)["Location"] == MANAGE

    def test_new_backup_codes_need_the_password_and_a_code(self, two_sessions, account, enrolled):
        client, other = two_sessions
        url = reverse("signon:mfa_backup_codes")
        assert client.get(url).status_code == 200
        response = client.post(url, {"current_password": PASSWORD, "otp_code": "000000"})
        assert response.status_code == 400 and FIELD_ERROR in response.content.decode()
        response = client.post(url, {"current_password": "", "otp_code": enrolled[1]})
        assert response.status_code == 400 and "Current Password</a>:" in response.content.decode()

        with run_on_commit():
            response = client.post(url, {"current_password": PASSWORD, "otp_code": enrolled[1]})
        assert response.status_code == 200
        fresh = backup_codes_on(response.content.decode())
        assert len(fresh) == 10 and not set(fresh) & set(enrolled)
        assert "backup codes" in mail.outbox[0].subject
        assert other.get(MANAGE).status_code == 302
        assert client.get(MANAGE).status_code == 200
        client.post(reverse("signon:logout"))
        password_step(client, account)
        assert client.post(OTP, {"otp_code": enrolled[2]}).status_code == 400
        assert client.post(OTP, {"otp_code": fresh[0]})["Location"] == MANAGE

    def test_changes_are_refused_when_mfa_is_off(self, client, account, login):
        login(account)
        response = client.get(reverse("signon:mfa_disable"), follow=True)
        assert mfa.NOT_ENROLLED in response.content.decode()

    def test_pages_need_a_signed_in_account(self, client):
        for name in ("mfa", "mfa_enroll", "mfa_disable", "mfa_backup_codes"):
            response = client.get(reverse(f"signon:{name}"))
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("signon:login"))


def test_a_backup_code_typed_with_a_wrong_password_is_never_shown_back(account, enrolled):
    client = Client()
    client.force_login(account)
    for name in ("signon:mfa_disable", "signon:mfa_backup_codes"):
        response = client.post(
            reverse(name), {"current_password": "Wrong#Guess1", "otp_code": enrolled[0]}
        )
        assert response.status_code == 400
        assert enrolled[0] not in response.content.decode()


def test_a_malformed_passcode_is_counted_and_audited_like_a_wrong_one(client, account, enrolled):
    password_step(client, account)
    before = Event.objects.filter(action="login.otp").count()
    response = client.post(reverse("signon:login_otp"), {"otp_code": "12345"})
    assert response.status_code == 400
    assert mfa.CODE_FORMAT in response.content.decode().replace("&#x27;", "'")
    assert Event.objects.filter(action="login.otp", outcome="failure").count() == before + 1
