"""Forgot CM/ECF user name and Forgot CM/ECF password at a court (seed 002, "Do you know
your current CM/ECF username and password?"), the CM/ECF password rules, and the
attacks: enumeration, floods, replayed and expired links, tokens leaking in a Referer."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlparse

import pytest
from django.contrib.auth.hashers import check_password
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from nextgen.audit.models import Event
from nextgen.ecf import notices
from nextgen.ecf.flows import recovery
from nextgen.ecf.models import FilerAccount
from nextgen.ecf.passwords import validate_cmecf_password
from tests.commits import run_on_commit
from tests.factories import ECF_PASSWORD, AccountFactory, CourtFactory, FilerAccountFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Fresh#Start42"
LINK_RE = re.compile(r"https?://\S+/ecf/prd/passreset/[^/\s]+/[^/\s]+/")
FORGOT_USERNAME = "/ecf/prd/passreset/username/"
FORGOT_PASSWORD = "/ecf/prd/passreset/"


@pytest.fixture
def prd():
    return CourtFactory(
        code="prd", name="United States District Court for the District of Puerto Rico"
    )


@pytest.fixture
def filer(prd):
    return FilerAccountFactory(
        court=prd,
        login="maria_prd",
        first_name="María",
        last_name="Abogada",
        email="maria@lawpr.example",
        bar_number="USDCPR 123456",
    )


def _without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def reset_link() -> str:
    found = LINK_RE.search(mail.outbox[-1].body)
    assert found, mail.outbox[-1].body
    return found.group(0)


def request_link(client: Client, value: str = "maria_prd") -> str:
    """Ask for a reset link through the page; return the link it mailed."""
    with run_on_commit():
        response = client.post(FORGOT_PASSWORD, {"login_or_email": value})
    assert response.status_code == 200
    return reset_link()


def open_link(client: Client, link: str):
    return client.get(urlparse(link).path)


def set_password(client: Client, url: str, new: str = NEW_PASSWORD, again: str | None = None):
    return client.post(url, {"new_password": new, "confirm_password": again or new})


# --- the way in --------------------------------------------------------------------------
def test_the_court_home_page_links_to_both_recovery_pages(client, prd):
    html = client.get("/ecf/prd/").content.decode()
    assert f'href="{FORGOT_USERNAME}">Forgot CM/ECF user name?</a>' in html
    assert f'href="{FORGOT_PASSWORD}">Forgot CM/ECF password?</a>' in html


def test_the_link_page_points_there_when_the_information_is_not_known(client, prd, login):
    login(AccountFactory())
    html = client.get(reverse("ecf:link", args=["prd"])).content.decode()
    assert "If you do not know the information" in html
    assert f'href="{FORGOT_USERNAME}"' in html and f'href="{FORGOT_PASSWORD}"' in html


def test_both_pages_are_public_and_ask_in_the_seeds_words(client, prd):
    username_page = client.get(FORGOT_USERNAME).content.decode()
    assert "Federal Bar Number or primary e-mail address" in username_page
    password_page = client.get(FORGOT_PASSWORD).content.decode()
    assert "CM/ECF user name or primary e-mail address" in password_page
    assert ">Submit</button>" in username_page and ">Submit</button>" in password_page


def test_an_unknown_court_is_not_found(client):
    assert client.get("/ecf/nowhere/passreset/").status_code == 404


# --- Forgot CM/ECF user name -----------------------------------------------------------------
class TestForgotCmecfUserName:
    def test_the_user_name_goes_to_the_primary_e_mail_by_bar_number(self, client, filer):
        with run_on_commit():
            response = client.post(FORGOT_USERNAME, {"bar_number_or_email": " usdcpr 123456 "})
        assert response.status_code == 200
        assert notices.CMECF_USERNAME_SENT in response.content.decode()
        (message,) = mail.outbox
        assert message.to == ["maria@lawpr.example"]
        assert "Your CM/ECF user name is: maria_prd" in message.body
        assert "http://testserver/ecf/prd/cgi-bin/link/" in message.body

    def test_the_user_name_goes_to_the_primary_e_mail_by_that_e_mail(self, client, filer):
        with run_on_commit():
            client.post(FORGOT_USERNAME, {"bar_number_or_email": "MARIA@lawpr.example"})
        (message,) = mail.outbox
        assert message.to == ["maria@lawpr.example"]
        assert "maria_prd" in message.body

    def test_another_courts_account_is_not_found_here(self, client, prd, filer):
        other = CourtFactory(code="vid")
        FilerAccountFactory(court=other, login="maria_vid", email="elsewhere@example.com")
        with run_on_commit():
            client.post(FORGOT_USERNAME, {"bar_number_or_email": "elsewhere@example.com"})
        assert mail.outbox == []

    def test_an_empty_form_names_the_field_and_changes_nothing(self, client, filer):
        with run_on_commit():
            response = client.post(FORGOT_USERNAME, {"bar_number_or_email": ""})
        assert response.status_code == 400
        html = response.content.decode()
        assert "Federal Bar Number or primary e-mail address</a>: This field is required." in html
        assert mail.outbox == []


# --- Forgot CM/ECF password ------------------------------------------------------------------
class TestForgotCmecfPassword:
    @pytest.mark.parametrize("value", ["maria_prd", " MARIA_PRD ", "maria@lawpr.example"])
    def test_a_link_goes_to_the_primary_e_mail_by_user_name_or_e_mail(self, client, filer, value):
        with run_on_commit():
            response = client.post(FORGOT_PASSWORD, {"login_or_email": value})
        assert notices.CMECF_PASSWORD_SENT in response.content.decode()
        (message,) = mail.outbox
        assert message.to == ["maria@lawpr.example"]
        assert "maria_prd" in message.body
        assert "expires in 60 minutes" in message.body
        assert "At least one special character: # ? ! / *" in message.body
        assert LINK_RE.search(message.body)

    def test_a_long_value_is_named_and_kept(self, client, filer):
        typed = "x" * 300
        response = client.post(FORGOT_PASSWORD, {"login_or_email": typed})
        assert response.status_code == 400
        html = response.content.decode()
        assert "CM/ECF user name or primary e-mail address</a>:" in html
        assert f'value="{typed}"' in html


# --- no enumeration --------------------------------------------------------------------------
class TestTheSameAnswerForAMatchAndAMiss:
    @pytest.mark.parametrize(
        "url, field, real, fake",
        [
            (FORGOT_USERNAME, "bar_number_or_email", "USDCPR 123456", "USDCPR 999999"),
            (FORGOT_USERNAME, "bar_number_or_email", "maria@lawpr.example", "no@lawpr.example"),
            (FORGOT_PASSWORD, "login_or_email", "maria_prd", "nobody_prd"),
            (FORGOT_PASSWORD, "login_or_email", "maria@lawpr.example", "no@lawpr.example"),
        ],
    )
    def test_the_page_answers_a_real_and_a_fake_account_alike(
        self, client, filer, url, field, real, fake
    ):
        with run_on_commit():
            hit = client.post(url, {field: real})
            miss = client.post(url, {field: fake})
        assert hit.status_code == miss.status_code == 200
        assert _without_csrf(hit.content.decode()) == _without_csrf(miss.content.decode())
        assert len(mail.outbox) == 1  # only the real one got mail

    @pytest.mark.parametrize(
        "url, field",
        [(FORGOT_USERNAME, "bar_number_or_email"), (FORGOT_PASSWORD, "login_or_email")],
    )
    def test_a_linked_account_looks_the_same_on_screen_and_is_told_by_mail(
        self, client, prd, filer, url, field
    ):
        unlinked = client.post(url, {field: "maria@lawpr.example"}).content.decode()
        FilerAccount.objects.filter(pk=filer.pk).update(account=AccountFactory())
        with run_on_commit():
            linked = client.post(url, {field: "maria@lawpr.example"}).content.decode()
        assert _without_csrf(linked) == _without_csrf(unlinked)
        message = mail.outbox[-1]
        assert message.to == ["maria@lawpr.example"]
        assert "linked to an individual PACER account" in message.body
        assert "log in to the court's CM/ECF with your PACER user name and password" in (
            message.body
        )
        # Neither the old user name nor a link to change the old password.
        assert "maria_prd" not in message.body
        assert not LINK_RE.search(message.body)

    def test_a_mail_server_failure_does_not_give_an_account_away(
        self, client, filer, settings, monkeypatch
    ):
        def broken(*args, **kwargs):
            raise OSError("mail server down")

        monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
        with run_on_commit():
            hit = client.post(FORGOT_PASSWORD, {"login_or_email": "maria_prd"})
            miss = client.post(FORGOT_PASSWORD, {"login_or_email": "nobody"})
        assert hit.status_code == miss.status_code == 200
        assert _without_csrf(hit.content.decode()) == _without_csrf(miss.content.decode())


# --- throttling ------------------------------------------------------------------------------
@pytest.mark.frozen_clock
class TestThrottling:
    @pytest.fixture(autouse=True)
    def _still_clock(self, time_machine):
        # Throttle windows are fixed minutes: a minute boundary mid-test would reset them.
        time_machine.move_to(dt.datetime(2026, 11, 23, 12, 0, 5, tzinfo=dt.UTC), tick=False)

    @pytest.mark.parametrize(
        "url, field",
        [(FORGOT_USERNAME, "bar_number_or_email"), (FORGOT_PASSWORD, "login_or_email")],
    )
    def test_one_client_is_slowed_down_whatever_it_sends(self, client, filer, url, field):
        for n in range(5):
            assert client.post(url, {field: f"guess{n}"}).status_code == 200
        response = client.post(url, {field: "maria_prd"})
        assert response.status_code == 429
        assert "Please wait 1 minute" in response.content.decode()

    def test_invalid_submissions_count_too(self, client, prd):
        for _ in range(5):
            assert client.post(FORGOT_PASSWORD, {"login_or_email": ""}).status_code == 400
        assert client.post(FORGOT_PASSWORD, {"login_or_email": "x"}).status_code == 429

    def test_one_target_is_slowed_down_from_many_clients(self, filer):
        with run_on_commit():
            for n in range(5):
                Client(REMOTE_ADDR=f"10.0.0.{n}").post(
                    FORGOT_PASSWORD, {"login_or_email": "maria_prd"}
                )
            fresh = Client(REMOTE_ADDR="10.0.0.99")
            assert fresh.post(FORGOT_PASSWORD, {"login_or_email": "MARIA_PRD"}).status_code == 429
        assert len(mail.outbox) == 5

    def test_a_throttled_real_and_fake_account_look_alike(self, client, filer):
        for n in range(5):
            client.post(FORGOT_USERNAME, {"bar_number_or_email": f"guess{n}"})
        hit = client.post(FORGOT_USERNAME, {"bar_number_or_email": "USDCPR 123456"})
        miss = client.post(FORGOT_USERNAME, {"bar_number_or_email": "USDCPR 000000"})
        assert hit.status_code == miss.status_code == 429
        html = _without_csrf(hit.content.decode()).replace("USDCPR 123456", "TYPED")
        assert html == _without_csrf(miss.content.decode()).replace("USDCPR 000000", "TYPED")

    def test_the_wait_ends(self, client, filer, time_machine):
        for n in range(5):
            client.post(FORGOT_PASSWORD, {"login_or_email": f"guess{n}"})
        assert client.post(FORGOT_PASSWORD, {"login_or_email": "maria_prd"}).status_code == 429
        time_machine.shift(dt.timedelta(minutes=2))
        assert client.post(FORGOT_PASSWORD, {"login_or_email": "maria_prd"}).status_code == 200


# --- the link --------------------------------------------------------------------------------
class TestTheResetLink:
    def test_the_link_moves_the_token_into_the_session_and_off_the_url(self, client, filer):
        link = request_link(client)
        token = urlparse(link).path.rstrip("/").rsplit("/", 1)[1]
        response = open_link(client, link)
        assert response.status_code == 302
        assert response["Referrer-Policy"] == "no-referrer"
        assert token not in response["Location"]
        assert response["Location"].endswith("/set-password/")
        page = client.get(response["Location"])
        assert page.status_code == 200
        assert token not in page.content.decode()
        assert page["Referrer-Policy"] == "same-origin"
        assert "Cache-Control" in page and "no-store" in page["Cache-Control"]

    def test_a_new_password_is_set_and_the_old_one_no_longer_works(self, client, filer):
        set_url = open_link(client, request_link(client))["Location"]
        done = set_password(client, set_url)
        assert done.status_code == 302
        page = client.get(done["Location"])
        assert page["Referrer-Policy"] == "no-referrer"
        assert escape(notices.CMECF_PASSWORD_SET) in page.content.decode()
        filer.refresh_from_db()
        assert check_password(NEW_PASSWORD, filer.password)
        assert not check_password(ECF_PASSWORD, filer.password)

    def test_the_link_is_single_use(self, client, filer):
        link = request_link(client)
        set_password(client, open_link(client, link)["Location"])
        replay = open_link(Client(), link)
        assert replay.status_code == 200
        assert escape(notices.CMECF_RESET_LINK_INVALID) in replay.content.decode()

    def test_a_second_submit_in_the_same_session_is_refused(self, client, filer):
        set_url = open_link(client, request_link(client))["Location"]
        set_password(client, set_url)
        again = set_password(client, set_url, "Other#Pass77")
        assert escape(notices.CMECF_RESET_LINK_INVALID) in again.content.decode()
        filer.refresh_from_db()
        assert check_password(NEW_PASSWORD, filer.password)

    def test_using_one_link_kills_every_older_link(self, client, filer):
        older = request_link(client)
        newer = request_link(client)
        set_password(client, open_link(client, newer)["Location"])
        assert (
            escape(notices.CMECF_RESET_LINK_INVALID) in open_link(Client(), older).content.decode()
        )

    def test_a_link_older_than_the_reset_timeout_is_refused(self, client, filer, time_machine):
        time_machine.move_to(dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC), tick=False)
        link = request_link(client)
        time_machine.shift(dt.timedelta(minutes=61))
        response = open_link(client, link)
        assert escape(notices.CMECF_RESET_LINK_INVALID) in response.content.decode()

    def test_a_link_that_expires_while_the_form_is_open_is_refused(
        self, client, filer, time_machine
    ):
        time_machine.move_to(dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC), tick=False)
        set_url = open_link(client, request_link(client))["Location"]
        time_machine.shift(dt.timedelta(minutes=61))
        response = set_password(client, set_url)
        assert escape(notices.CMECF_RESET_LINK_INVALID) in response.content.decode()
        filer.refresh_from_db()
        assert check_password(ECF_PASSWORD, filer.password)

    def test_the_token_free_page_belongs_only_to_the_session_that_opened_the_link(
        self, client, filer
    ):
        set_url = open_link(client, request_link(client))["Location"]
        stranger = Client()
        response = set_password(stranger, set_url)
        assert escape(notices.CMECF_RESET_LINK_INVALID) in response.content.decode()

    def test_an_account_linked_after_the_mail_cannot_use_its_link(self, client, filer):
        link = request_link(client)
        FilerAccount.objects.filter(pk=filer.pk).update(account=AccountFactory())
        response = open_link(client, link)
        assert escape(notices.CMECF_RESET_LINK_INVALID) in response.content.decode()

    def test_an_account_linked_while_the_form_is_open_keeps_its_password(self, client, filer):
        set_url = open_link(client, request_link(client))["Location"]
        FilerAccount.objects.filter(pk=filer.pk).update(account=AccountFactory())
        set_password(client, set_url)
        filer.refresh_from_db()
        assert check_password(ECF_PASSWORD, filer.password)

    def test_a_link_works_only_at_its_own_court(self, client, filer):
        CourtFactory(code="vid")
        path = urlparse(request_link(client)).path.replace("/ecf/prd/", "/ecf/vid/")
        assert escape(notices.CMECF_RESET_LINK_INVALID) in client.get(path).content.decode()

    @pytest.mark.parametrize(
        "path",
        [
            "/ecf/prd/passreset/%%%/abc/",
            "/ecf/prd/passreset/MTIzNDU2Nzg5MDEyMzQ1Njc4OTA/abc-def/",
            "/ecf/prd/passreset/bm90LWEtbnVtYmVy/abc-def/",
            "/ecf/prd/passreset/MQ/set-password/",
        ],
    )
    def test_a_malformed_link_is_refused_without_a_server_error(self, client, filer, path):
        response = client.get(path)
        assert response.status_code == 200
        assert escape(notices.CMECF_RESET_LINK_INVALID) in response.content.decode()

    def test_a_token_signed_for_another_purpose_is_refused(self, client, filer):
        from django.contrib.auth.tokens import PasswordResetTokenGenerator
        from django.utils.encoding import force_bytes
        from django.utils.http import urlsafe_base64_encode

        from nextgen.ecf.tokens import FilerPasswordResetTokenGenerator

        class PacerSalt(FilerPasswordResetTokenGenerator):
            key_salt = PasswordResetTokenGenerator.key_salt

        token = PacerSalt().make_token(filer)
        uid = urlsafe_base64_encode(force_bytes(filer.pk))
        response = client.get(f"/ecf/prd/passreset/{uid}/{token}/")
        assert escape(notices.CMECF_RESET_LINK_INVALID) in response.content.decode()

    def test_every_step_is_audited_without_a_token_or_password(self, client, filer):
        link = request_link(client)
        token = urlparse(link).path.rstrip("/").rsplit("/", 1)[1]
        set_password(client, open_link(client, link)["Location"])
        actions = list(
            Event.objects.filter(court_code="prd").values_list("action", "outcome", "details")
        )
        assert [(a, o) for a, o, _ in actions] == [
            (recovery.ACTION_PASSWORD, "success"),
            (recovery.ACTION_RESET_LINK, "success"),
            (recovery.ACTION_RESET, "success"),
        ]
        dumped = repr(actions)
        assert token not in dumped and NEW_PASSWORD not in dumped


# --- the CM/ECF password rules ---------------------------------------------------------------
class TestCmecfPasswordRules:
    @pytest.mark.parametrize(
        "password, broken",
        [
            ("Ab1#", ["at least 8 characters long"]),
            ("Abcdefg#", ["letters and numbers"]),
            ("12345678#", ["letters and numbers", "uppercase and lowercase"]),
            ("abcdefg1#", ["uppercase and lowercase"]),
            ("Abcdefg12", ["special character: # ? ! / *"]),
            ("Abcdefg1@", ["special character: # ? ! / *"]),
            (
                "abc",
                [
                    "at least 8 characters long",
                    "letters and numbers",
                    "uppercase and lowercase",
                    "special character",
                ],
            ),
        ],
    )
    def test_each_failed_rule_is_named(self, password, broken):
        with pytest.raises(Exception) as refused:
            validate_cmecf_password(password)
        messages = refused.value.messages
        assert len(messages) == len(broken)
        for words, message in zip(broken, messages, strict=True):
            assert words in message

    @pytest.mark.parametrize(
        "password", ["Abcdefg1#", "Zz9?zzzz", "Pass/word1", "Ab*12345", "aB!34567"]
    )
    def test_a_password_keeping_every_rule_passes(self, password):
        validate_cmecf_password(password)

    def test_the_rules_are_shown_before_typing(self, client, filer):
        page = client.get(open_link(client, request_link(client))["Location"]).content.decode()
        for rule in [
            "At least 8 characters long.",
            "Include letters and numbers.",
            "Include uppercase and lowercase letters.",
            "At least one special character: # ? ! / *",
        ]:
            assert rule in page

    def test_a_refused_password_names_each_rule_keeps_nothing_typed_and_changes_nothing(
        self, client, filer
    ):
        set_url = open_link(client, request_link(client))["Location"]
        response = set_password(client, set_url, "abcdefgh")
        assert response.status_code == 400
        html = response.content.decode()
        assert "New CM/ECF password</a>: The CM/ECF password must include letters and numbers." in (
            html
        )
        assert "uppercase and lowercase letters" in html and "special character" in html
        assert "abcdefgh" not in html
        filer.refresh_from_db()
        assert check_password(ECF_PASSWORD, filer.password)
        # The link still works after a refused password.
        assert set_password(client, set_url).status_code == 302

    def test_the_two_entries_must_match(self, client, filer):
        set_url = open_link(client, request_link(client))["Location"]
        response = set_password(client, set_url, NEW_PASSWORD, "Fresh#Start43")
        assert "The two passwords do not match." in response.content.decode()
        filer.refresh_from_db()
        assert check_password(ECF_PASSWORD, filer.password)


# --- after a reset, the account links -----------------------------------------------------------
def test_an_account_unlinked_by_staff_is_reset_and_linked_again(client, prd, filer, login):
    first = AccountFactory(first_name="María", last_name="Abogada")
    FilerAccount.objects.filter(pk=filer.pk).update(
        account=first, linked_at=dt.datetime.now(dt.UTC)
    )
    # Court staff unlink it (the wrong PACER account was linked).
    FilerAccount.objects.filter(pk=filer.pk).update(account=None, linked_at=None)

    set_url = open_link(client, request_link(client, "maria@lawpr.example"))["Location"]
    assert set_password(client, set_url).status_code == 302

    right = AccountFactory(username="mabogada", first_name="María", last_name="Abogada")
    login(right)
    link_url = reverse("ecf:link", args=["prd"])
    refused = client.post(link_url, {"login": "maria_prd", "password": ECF_PASSWORD})
    assert notices.REFUSALS["invalid"] in refused.content.decode()
    proposed = client.post(link_url, {"login": "maria_prd", "password": NEW_PASSWORD})
    assert proposed.status_code == 302
    confirm = client.get(proposed["Location"]).content.decode()
    nonce = re.search(r'name="nonce" value="([^"]+)"', confirm).group(1)
    done = client.post(proposed["Location"], {"nonce": nonce}, follow=True)
    assert "is now linked to your CSO account." in done.content.decode()
    filer.refresh_from_db()
    assert filer.account == right
