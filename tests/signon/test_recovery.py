"""Forgot User Name and Forgot Your Password? on the central side: the seeds' steps, the
e-mails, the single-use one-hour reset link, and the attacks (enumeration, replay,
expiry, token leaks through the Referer, floods)."""

from __future__ import annotations

import datetime as dt
import email
import re
import socket
from urllib.parse import urlparse

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse

from nextgen.audit.models import Event
from nextgen.signon import notices
from nextgen.signon.flows import recovery, service_center
from tests.commits import run_on_commit
from tests.factories import PASSWORD, AccountFactory

pytestmark = pytest.mark.django_db

FORGOT_USERNAME = reverse("signon:forgot_username")
FORGOT_PASSWORD = reverse("signon:forgot_password")
NEW_PASSWORD = "Fresh#Start42"
LINK_RE = re.compile(r"https?://\S+/csologin/reset/[^/\s]+/[^/\s]+/")


def _without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def reset_link(message: mail.EmailMessage | None = None) -> str:
    """The absolute reset link in the (last) e-mail sent."""
    message = message or mail.outbox[-1]
    found = LINK_RE.search(message.body)
    assert found, message.body
    return found.group(0)


def request_reset(client: Client, account, **overrides) -> str:
    """Ask for a reset of `account` through the page; return the link it mailed."""
    data = {"email": account.email, "username": account.username, **overrides}
    with run_on_commit():
        response = client.post(FORGOT_PASSWORD, data)
    assert response.status_code == 200
    return reset_link()


def open_link(client: Client, link: str):
    """Follow the mailed link as a browser would: only its path goes to the test server."""
    return client.get(urlparse(link).path)


def set_password(client: Client, set_url: str, new: str = NEW_PASSWORD, again: str | None = None):
    """Submit the new password; a reset tells the account holder by mail."""
    with run_on_commit():
        return client.post(set_url, {"new_password": new, "confirm_password": again or new})


# --- the way in ---------------------------------------------------------------------
def test_the_login_page_links_to_both_recovery_pages(client):
    html = client.get(reverse("signon:login")).content.decode()
    assert f'href="{FORGOT_PASSWORD}">Forgot Your Password?</a>' in html
    assert f'href="{FORGOT_USERNAME}">Forgot User Name?</a>' in html


# --- Forgot User Name ----------------------------------------------------------------
class TestForgotUsername:
    def test_the_user_name_is_mailed_to_the_accounts_address(self, client, account):
        with run_on_commit():
            response = client.post(FORGOT_USERNAME, {"email": "JAttorney@Example.com"})
        assert response.status_code == 200
        assert notices.RECOVERY_SENT_USERNAME in response.content.decode()
        (message,) = mail.outbox
        assert message.to == [account.email]
        assert "Your PACER user name is: jattorney" in message.body
        assert "http://testserver/csologin/login/" in message.body

    def test_each_account_sharing_an_address_gets_its_own_user_name(self, client):
        first = AccountFactory(username="first-one", email="shared@example.com")
        second = AccountFactory(username="second-one", email="shared@example.com")
        AccountFactory(username="someone-else", email="other@example.com")
        with run_on_commit():
            client.post(FORGOT_USERNAME, {"email": "shared@example.com"})
        sent = {m.to[0] + ":" + m.body.split("user name is: ")[1].split()[0] for m in mail.outbox}
        assert sent == {
            f"{first.email}:first-one",
            f"{second.email}:second-one",
        }

    def test_more_options_are_hidden_behind_a_link_that_works_without_javascript(self, client):
        html = client.get(FORGOT_USERNAME).content.decode()
        assert f'href="{FORGOT_USERNAME}?more=1"' in html
        assert ">Click here for more options</a>" in html
        assert '<div id="more-options" hidden>' in html
        more = client.get(FORGOT_USERNAME + "?more=1").content.decode()
        assert '<div id="more-options">' in more
        assert "Click here for more options" not in more
        for label in ("First Name", "Last Name", "Date of Birth"):
            assert f">{label}</label>" in more

    @pytest.mark.parametrize("born", ["05/17/1980", "1980-05-17"])
    def test_first_name_last_name_and_birth_date_find_the_account(self, client, account, born):
        with run_on_commit():
            response = client.post(
                FORGOT_USERNAME + "?more=1",
                {"first_name": " john ", "last_name": "ATTORNEY", "date_of_birth": born},
            )
        assert response.status_code == 200
        assert notices.RECOVERY_SENT_USERNAME in response.content.decode()
        (message,) = mail.outbox
        assert message.to == [account.email]
        assert "jattorney" in message.body

    def test_e_mail_and_person_together_reach_both_matches(self, client, account):
        other = AccountFactory(username="moved-on", email="old@example.com")
        with run_on_commit():
            client.post(
                FORGOT_USERNAME,
                {
                    "email": account.email,
                    "first_name": other.first_name,
                    "last_name": other.last_name,
                    "date_of_birth": "05/17/1980",
                },
            )
        # The factory gives both the same name and birth date; each address gets its own name.
        assert sorted(m.to[0] for m in mail.outbox) == sorted([account.email, other.email])

    def test_a_deactivated_owner_learns_the_name_and_whom_to_call(self, client, account):
        account.is_active = False
        account.save(update_fields=["is_active"])
        with run_on_commit():
            client.post(FORGOT_USERNAME, {"email": account.email})
        (message,) = mail.outbox
        assert "jattorney" in message.body
        assert "deactivated" in message.body and "1-800-676-6856" in message.body

    def test_an_empty_form_names_the_e_mail_field(self, client, account):
        with run_on_commit():
            response = client.post(FORGOT_USERNAME, {"email": ""})
        html = response.content.decode()
        assert response.status_code == 400
        assert "E-mail address</a>: Enter your e-mail address, or click here" in html
        assert mail.outbox == []

    def test_part_of_a_person_names_the_missing_fields_and_keeps_the_rest(self, client, account):
        with run_on_commit():
            response = client.post(FORGOT_USERNAME, {"first_name": "John"})
        html = response.content.decode()
        assert response.status_code == 400
        assert "Last Name</a>: Enter first name, last name and date of birth together." in html
        assert "Date of Birth</a>: Enter first name, last name and date of birth together." in html
        assert 'value="John"' in html
        assert '<div id="more-options">' in html  # the typed fields stay shown
        assert mail.outbox == []

    @pytest.mark.parametrize(
        "born",
        ["02/30/1980", "not a date", "99999999999999999999", "01/01/0001", "12/31/2999", "1/2"],
    )
    def test_a_bad_birth_date_is_named_and_kept(self, client, account, born):
        with run_on_commit():
            response = client.post(
                FORGOT_USERNAME,
                {"first_name": "John", "last_name": "Attorney", "date_of_birth": born},
            )
        html = response.content.decode()
        assert response.status_code == 400
        assert 'href="#id_date_of_birth">Date of Birth</a>:' in html
        assert f'value="{born}"' in html
        assert mail.outbox == []

    def test_a_malformed_e_mail_is_named_and_kept(self, client, account):
        response = client.post(FORGOT_USERNAME, {"email": "not-an-address"})
        assert response.status_code == 400
        assert "E-mail address</a>: Enter a valid email address." in response.content.decode()
        assert 'value="not-an-address"' in response.content.decode()


# --- Forgot Your Password? --------------------------------------------------------------
class TestForgotPassword:
    def test_a_matching_request_mails_an_absolute_single_use_link(self, client, account):
        with run_on_commit():
            response = client.post(
                FORGOT_PASSWORD, {"email": "JATTORNEY@example.com", "username": "JAttorney"}
            )
        assert response.status_code == 200
        assert notices.RECOVERY_SENT_PASSWORD in response.content.decode()
        (message,) = mail.outbox
        assert message.to == [account.email]
        link = reset_link(message)
        assert link.startswith("http://testserver/csologin/reset/")
        assert "expires in 60 minutes" in message.body

    @pytest.mark.parametrize(
        "data",
        [
            {"email": "jattorney@example.com", "username": "someone-else"},
            {"email": "someone@example.com", "username": "jattorney"},
            {"email": "nobody@example.com", "username": "nobody"},
        ],
    )
    def test_a_near_miss_mails_nothing(self, client, account, data):
        AccountFactory(username="someone-else", email="someone@example.com")
        with run_on_commit():
            response = client.post(FORGOT_PASSWORD, data)
        assert response.status_code == 200
        assert notices.RECOVERY_SENT_PASSWORD in response.content.decode()
        assert mail.outbox == []

    def test_a_deactivated_account_gets_no_reset_mail_and_the_same_answer(self, client, account):
        fake = client.post(FORGOT_PASSWORD, {"email": "x@example.com", "username": "nobody"})
        account.is_active = False
        account.save(update_fields=["is_active"])
        with run_on_commit():
            real = client.post(FORGOT_PASSWORD, {"email": account.email, "username": "jattorney"})
        assert mail.outbox == []
        assert real.status_code == fake.status_code == 200
        assert _without_csrf(real.content.decode()) == _without_csrf(fake.content.decode())
        event = Event.objects.filter(action="recovery.password", subject=account).get()
        assert event.details["reason"] == "deactivated"

    def test_missing_fields_are_named_and_what_was_typed_is_kept(self, client):
        response = client.post(FORGOT_PASSWORD, {"email": "jattorney@example.com"})
        html = response.content.decode()
        assert response.status_code == 400
        assert "Username</a>: This field is required." in html
        assert 'value="jattorney@example.com"' in html


# --- enumeration --------------------------------------------------------------------------
class TestNoEnumeration:
    def test_forgot_user_name_answers_a_real_and_a_fake_address_alike(self, client, account):
        with run_on_commit():
            real = client.post(FORGOT_USERNAME, {"email": account.email})
            fake = client.post(FORGOT_USERNAME, {"email": "nobody@example.com"})
        assert real.status_code == fake.status_code == 200
        assert _without_csrf(real.content.decode()) == _without_csrf(fake.content.decode())
        assert notices.RECOVERY_SENT_USERNAME in fake.content.decode()
        assert len(mail.outbox) == 1

    def test_forgot_user_name_answers_a_real_and_a_fake_person_alike(self, client, account):
        person = {"first_name": "John", "last_name": "Attorney"}
        with run_on_commit():
            real = client.post(FORGOT_USERNAME, {**person, "date_of_birth": "05/17/1980"})
            fake = client.post(FORGOT_USERNAME, {**person, "date_of_birth": "05/18/1980"})
        assert real.status_code == fake.status_code == 200
        assert _without_csrf(real.content.decode()) == _without_csrf(fake.content.decode())
        assert len(mail.outbox) == 1

    def test_forgot_password_answers_a_real_and_a_fake_account_alike(self, client, account):
        with run_on_commit():
            real = client.post(FORGOT_PASSWORD, {"email": account.email, "username": "jattorney"})
            fake = client.post(
                FORGOT_PASSWORD, {"email": "nobody@example.com", "username": "nobody"}
            )
        assert real.status_code == fake.status_code == 200
        assert _without_csrf(real.content.decode()) == _without_csrf(fake.content.decode())
        assert notices.RECOVERY_SENT_PASSWORD in fake.content.decode()
        assert len(mail.outbox) == 1

    def test_a_mail_server_failure_does_not_give_a_real_account_away(
        self, client, account, settings
    ):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _free_port()  # nobody listens
        settings.EMAIL_TIMEOUT = 2
        with run_on_commit():
            real = client.post(FORGOT_PASSWORD, {"email": account.email, "username": "jattorney"})
            fake = client.post(
                FORGOT_PASSWORD, {"email": "nobody@example.com", "username": "nobody"}
            )
        assert real.status_code == fake.status_code == 200
        assert _without_csrf(real.content.decode()) == _without_csrf(fake.content.decode())
        event = Event.objects.filter(action="recovery.password", subject=account).get()
        # Queued, not sent: the answer never waits on (or tells of) the mail server.
        assert event.details["mail_queued"] is True


# --- the reset link --------------------------------------------------------------------------
class TestResetLink:
    def test_the_link_moves_the_token_into_the_session_and_off_the_url(self, client, account):
        link = request_reset(client, account)
        token = urlparse(link).path.rstrip("/").rsplit("/", 1)[1]
        response = open_link(client, link)
        assert response.status_code == 302
        assert response["Referrer-Policy"] == "no-referrer"
        set_url = response["Location"]
        assert token not in set_url
        assert set_url.endswith("/set-password/")
        page = client.get(set_url)
        assert page.status_code == 200
        # Not no-referrer here: that policy makes the browser post "Origin: null", which
        # fails the CSRF check. The URL holds no token, and the Referer stays on this site.
        assert page["Referrer-Policy"] == "same-origin"
        assert token not in page.content.decode()
        assert "Set a new password" in page.content.decode()
        assert "jattorney" in page.content.decode()

    def test_setting_a_new_password_ends_with_a_way_to_log_in(self, client, account):
        set_url = open_link(client, request_reset(client, account))["Location"]
        response = set_password(client, set_url)
        assert response.status_code == 302
        assert response["Location"] == reverse("signon:password_reset_done")
        done = client.get(response["Location"])
        assert done["Referrer-Policy"] == "no-referrer"
        assert f'href="{reverse("signon:login")}"' in done.content.decode()
        account.refresh_from_db()
        assert account.check_password(NEW_PASSWORD)
        assert not account.check_password(PASSWORD)
        assert recovery.RESET.session.key not in client.session

    def test_the_new_password_signs_in_and_the_old_one_no_longer_does(self, client, account):
        set_password(client, open_link(client, request_reset(client, account))["Location"])
        login = reverse("signon:login")
        client.get(login)
        old = client.post(login, {"username": "jattorney", "password": PASSWORD})
        assert notices.INVALID_LOGIN in old.content.decode()
        new = client.post(login, {"username": "jattorney", "password": NEW_PASSWORD})
        assert new.status_code == 302
        assert client.session[SESSION_KEY] == str(account.pk)

    def test_a_reset_ends_every_other_session_of_the_account(self, client, account, login):
        login(account)
        assert client.get(reverse("signon:manage")).status_code == 200
        stamp = account.security_stamp

        other = Client()
        set_password(other, open_link(other, request_reset(other, account))["Location"])

        account.refresh_from_db()
        assert account.security_stamp != stamp
        response = client.get(reverse("signon:manage"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("signon:login"))
        assert SESSION_KEY not in client.session

    def test_a_replayed_link_is_refused_and_changes_nothing(self, client, account):
        link = request_reset(client, account)
        set_password(client, open_link(client, link)["Location"])
        account.refresh_from_db()
        after_reset = account.password

        replay = Client()
        response = open_link(replay, link)
        assert response.status_code == 200
        assert notices.RESET_LINK_INVALID in response.content.decode()
        assert response["Referrer-Policy"] == "no-referrer"
        # Even straight at the token-free page, with no token in that session.
        set_url = reverse("signon:password_reset_set", kwargs={"uidb64": link.split("/")[-3]})
        again = set_password(replay, set_url, "Another#Try77")
        assert notices.RESET_LINK_INVALID in again.content.decode()
        account.refresh_from_db()
        assert account.password == after_reset

    def test_a_second_submit_in_the_same_session_is_refused(self, client, account):
        set_url = open_link(client, request_reset(client, account))["Location"]
        set_password(client, set_url)
        response = set_password(client, set_url, "Another#Try77")
        assert notices.RESET_LINK_INVALID in response.content.decode()
        account.refresh_from_db()
        assert account.check_password(NEW_PASSWORD)

    def test_resetting_with_one_link_kills_every_older_link(self, client, account):
        first = request_reset(client, account)
        second = request_reset(client, account)
        set_password(client, open_link(client, second)["Location"])
        assert notices.RESET_LINK_INVALID in open_link(Client(), first).content.decode()

    def test_a_link_older_than_an_hour_is_refused(self, client, account, time_machine):
        time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False)
        link = request_reset(client, account)
        time_machine.shift(dt.timedelta(minutes=59))
        assert open_link(Client(), link).status_code == 302  # still good just inside the hour
        time_machine.shift(dt.timedelta(minutes=2))
        response = open_link(client, link)
        assert notices.RESET_LINK_INVALID in response.content.decode()
        account.refresh_from_db()
        assert account.check_password(PASSWORD)

    def test_a_link_that_expires_while_the_form_is_open_is_refused(
        self, client, account, time_machine
    ):
        time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False)
        set_url = open_link(client, request_reset(client, account))["Location"]
        time_machine.shift(dt.timedelta(minutes=61))
        response = set_password(client, set_url)
        assert notices.RESET_LINK_INVALID in response.content.decode()
        account.refresh_from_db()
        assert account.check_password(PASSWORD)

    def test_the_token_free_page_belongs_only_to_the_session_that_opened_the_link(
        self, client, account
    ):
        set_url = open_link(client, request_reset(client, account))["Location"]
        stranger = Client()
        response = set_password(stranger, set_url)
        assert notices.RESET_LINK_INVALID in response.content.decode()
        account.refresh_from_db()
        assert account.check_password(PASSWORD)

    def test_an_account_deactivated_after_the_mail_cannot_use_its_link(self, client, account):
        link = request_reset(client, account)
        account.is_active = False
        account.save(update_fields=["is_active"])
        assert notices.RESET_LINK_INVALID in open_link(client, link).content.decode()

    def test_a_link_mailed_before_deactivation_is_dead_after_reactivation(self, client, account):
        """The attack: a link sent before the Service Center deactivated the account held
        again once it was reactivated (nothing the token covered had changed)."""
        staff = AccountFactory(username="psc-staff", is_service_center=True)
        link = request_reset(client, account)
        service_center.deactivate_account(
            acting=staff, account=account, reason="Reported stolen", request=None
        )
        service_center.reactivate_account(
            acting=staff, account=account, reason="Owner verified", request=None
        )
        response = open_link(Client(), link)
        assert notices.RESET_LINK_INVALID in response.content.decode()
        account.refresh_from_db()
        assert account.check_password(PASSWORD)

    def test_a_reset_tells_the_account_holder(self, client, account):
        set_password(client, open_link(client, request_reset(client, account))["Location"])
        notice = mail.outbox[-1]
        assert notice.to == [account.email]
        assert notice.subject == "PACER: your password was reset"
        event = Event.objects.get(action="password.reset", outcome="success")
        assert "If this wasn't you" in notice.body
        assert f"reference NG-{event.pk}" in notice.body
        assert NEW_PASSWORD not in notice.body

    @pytest.mark.parametrize(
        "path",
        [
            "/csologin/reset/!!!/abc/",
            "/csologin/reset/ZZZZ/abc-def/",
            "/csologin/reset/OTk5OTk5/abc-def/",  # pk 999999: no such account
            "/csologin/reset/OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5/abc-def/",  # overflows
            "/csologin/reset/%C3%A9/abc/",
            "/csologin/reset/_w/abc/",  # decodes to bytes that are not UTF-8
            "/csologin/reset/!!!/set-password/",
        ],
    )
    def test_a_malformed_link_is_refused_without_a_server_error(self, client, account, path):
        response = client.get(path)
        assert response.status_code == 200
        assert notices.RESET_LINK_INVALID in response.content.decode()

    def test_a_forged_token_is_refused(self, client, account):
        link = request_reset(client, account)
        forged = link.rsplit("/", 2)[0] + "/cafe-0123456789abcdef0123456789abcdef/"
        assert notices.RESET_LINK_INVALID in open_link(client, forged).content.decode()


# --- the password rules on the reset page -------------------------------------------------------
class TestNewPasswordRules:
    @pytest.fixture
    def set_url(self, client, account):
        return open_link(client, request_reset(client, account))["Location"]

    def test_each_failed_rule_is_named_and_nothing_changes(self, client, account, set_url):
        response = set_password(client, set_url, "short")
        html = response.content.decode()
        assert response.status_code == 400
        assert "Password must be at least 8 characters long." in html
        assert "Password must include both upper- and lower-case letters." in html
        assert 'href="#id_new_password">New password</a>' in html
        assert 'aria-invalid="true"' in html
        assert 'value="short"' not in html
        account.refresh_from_db()
        assert account.check_password(PASSWORD)

    def test_a_password_holding_the_user_name_is_refused(self, client, account, set_url):
        html = set_password(client, set_url, "Jattorney#2026").content.decode()
        assert "Password must not contain your user name." in html

    def test_a_common_password_is_refused(self, client, account, set_url):
        html = set_password(client, set_url, "Password1").content.decode()
        assert "This password is too common." in html

    def test_the_two_entries_must_match(self, client, account, set_url):
        response = set_password(client, set_url, NEW_PASSWORD, "Fresh#Start43")
        assert response.status_code == 400
        assert "The two passwords do not match." in response.content.decode()
        account.refresh_from_db()
        assert account.check_password(PASSWORD)

    def test_after_a_refused_password_the_link_still_works(self, client, account, set_url):
        set_password(client, set_url, "short")
        assert set_password(client, set_url).status_code == 302
        account.refresh_from_db()
        assert account.check_password(NEW_PASSWORD)

    def test_the_rules_are_shown_before_typing(self, client, set_url):
        html = client.get(set_url).content.decode()
        assert "minimum 8; upper- &amp; lower-case letters" in html


# --- throttling --------------------------------------------------------------------------------
@pytest.mark.frozen_clock
class TestThrottling:
    @pytest.mark.parametrize(
        ("url", "data"),
        [
            (FORGOT_USERNAME, lambda n: {"email": f"guess{n}@example.com"}),
            (FORGOT_PASSWORD, lambda n: {"email": f"guess{n}@example.com", "username": f"g{n}"}),
        ],
    )
    def test_one_client_is_slowed_down_whatever_it_sends(self, client, account, url, data):
        with run_on_commit():
            for n in range(5):
                assert client.post(url, data(n)).status_code == 200
            for attempt in [data(99), {}, {"email": account.email, "username": account.username}]:
                response = client.post(url, attempt)
                assert response.status_code == 429
                assert notices.throttled("1 minute") in response.content.decode()
        assert len(mail.outbox) == 0

    def test_invalid_submissions_count_too(self, client):
        for _ in range(5):
            assert client.post(FORGOT_USERNAME, {"email": "not-an-address"}).status_code == 400
        assert client.post(FORGOT_USERNAME, {"email": "a@example.com"}).status_code == 429

    def test_one_address_is_slowed_down_from_many_clients(self, account):
        with run_on_commit():
            for n in range(5):
                Client(REMOTE_ADDR=f"10.0.0.{n}").post(FORGOT_USERNAME, {"email": account.email})
            response = Client(REMOTE_ADDR="10.0.0.99").post(
                FORGOT_USERNAME, {"email": account.email}
            )
        assert response.status_code == 429
        assert len(mail.outbox) == 5

    def test_one_user_name_is_slowed_down_from_many_clients_and_addresses(self, account):
        with run_on_commit():
            for n in range(5):
                Client(REMOTE_ADDR=f"10.0.0.{n}").post(
                    FORGOT_PASSWORD, {"email": f"x{n}@example.com", "username": "jattorney"}
                )
            response = Client(REMOTE_ADDR="10.0.0.99").post(
                FORGOT_PASSWORD, {"email": account.email, "username": "JATTORNEY"}
            )
        assert response.status_code == 429
        assert mail.outbox == []

    def test_a_throttled_real_account_and_fake_one_look_alike(self, client, account):
        for n in range(5):
            client.post(FORGOT_PASSWORD, {"email": f"g{n}@example.com", "username": f"g{n}"})
        real = client.post(FORGOT_PASSWORD, {"email": account.email, "username": "jattorney"})
        fake = client.post(FORGOT_PASSWORD, {"email": "zz@example.com", "username": "jattorney"})
        assert real.status_code == fake.status_code == 429
        assert notices.throttled("1 minute") in fake.content.decode()

    def test_the_wait_ends(self, client, account, time_machine):
        time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False)
        for n in range(5):
            client.post(FORGOT_USERNAME, {"email": f"g{n}@example.com"})
        assert client.post(FORGOT_USERNAME, {"email": account.email}).status_code == 429
        time_machine.shift(dt.timedelta(minutes=2))
        with run_on_commit():
            assert client.post(FORGOT_USERNAME, {"email": account.email}).status_code == 200
        assert len(mail.outbox) == 1


# --- audit -------------------------------------------------------------------------------------
def test_every_request_is_audited_without_a_token_or_password(client, account):
    with run_on_commit():
        client.post(FORGOT_USERNAME, {"email": account.email})
    client.post(FORGOT_USERNAME, {"email": "bad"})
    client.post(FORGOT_PASSWORD, {"email": "nobody@example.com", "username": "nobody"})
    link = request_reset(client, account)
    token = link.rstrip("/").rsplit("/", 1)[1]
    set_url = open_link(client, link)["Location"]
    set_password(client, set_url, "short")
    set_password(client, set_url)
    open_link(client, link)  # replayed

    events = list(Event.objects.order_by("id").values_list("action", "outcome"))
    assert events == [
        ("recovery.username", "success"),
        ("recovery.username", "failure"),
        ("recovery.password", "success"),
        ("recovery.password", "success"),
        ("password.reset.link", "success"),
        ("password.reset", "success"),
        ("password.reset", "failure"),
    ]
    reset = Event.objects.get(action="password.reset", outcome="success")
    assert reset.actor == account and reset.subject == account
    everything = str(list(Event.objects.values()))
    for secret in (token, NEW_PASSWORD, "short", PASSWORD):
        assert secret not in everything


@pytest.mark.frozen_clock
def test_a_throttled_request_is_audited_as_refused(client):
    for n in range(6):
        client.post(FORGOT_PASSWORD, {"email": f"g{n}@example.com", "username": f"g{n}"})
    refused = Event.objects.filter(action="recovery.password", outcome="refused").get()
    # The first throttled request of the client's minute: a flood is counted, not listed.
    assert refused.details == {"reason": "throttled", "count": 1}


# --- real SMTP -----------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Inbox:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    # aiosmtpd calls handlers by this exact name.
    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_inbox(settings):
    from aiosmtpd.controller import Controller

    inbox = _Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    try:
        yield inbox
    finally:
        controller.stop()


def test_the_reset_mail_arrives_over_smtp_with_a_working_link(client, account, smtp_inbox):
    with run_on_commit():
        response = client.post(FORGOT_PASSWORD, {"email": account.email, "username": "jattorney"})
    assert response.status_code == 200
    assert mail.outbox == []  # it really went out over SMTP
    ((recipients, raw),) = smtp_inbox.messages
    assert recipients == [account.email]
    message = email.message_from_bytes(raw)
    assert message["Subject"] == "Reset your PACER password"
    body = message.get_payload(decode=True).decode()
    link = LINK_RE.search(body).group(0)

    set_url = client.get(urlparse(link).path)["Location"]
    assert set_password(client, set_url).status_code == 302
    account.refresh_from_db()
    assert account.check_password(NEW_PASSWORD)


@pytest.mark.frozen_clock
def test_a_flood_of_bad_reset_links_adds_a_few_audit_rows_not_one_each(client, account):
    """Attack: request bad reset links in a loop. Each refusal wrote an audit row, and
    the audit log is never pruned. Past the client's limit (settings: bad_reset_links)
    the refusals are audited as throttled: a few rows a minute, each with its count."""
    path = urlparse(request_reset(client, account)).path
    bad = path.rsplit("/", 2)[0] + "/0-not-a-token/"
    for _ in range(60):
        assert notices.RESET_LINK_INVALID in client.get(bad).content.decode()
    refusals = Event.objects.filter(action="password.reset").order_by("id")
    failed = [e for e in refusals if e.outcome == "failure"]
    throttled = [e for e in refusals if e.outcome == "refused"]
    assert len(failed) == 10  # the limit: each audited in full
    assert all(e.details["reason"] == "invalid link" for e in failed)
    assert 1 <= len(throttled) <= 3  # 50 more: the 1st and 10th of the minute
    assert throttled[0].details["reason"] == "throttled"
    assert throttled[0].details["refused"] == "invalid link"
    # Another client's bad link is audited in full.
    Client(REMOTE_ADDR="198.51.100.7").get(bad)
    assert Event.objects.filter(action="password.reset", outcome="failure").count() == 11
