"""POST /services/cso-auth and /services/cso-logout: every answer, throttling, audit,
and the life of a token (hashed at rest, expiring, ended by logout, password change,
a rotated security stamp and deactivation)."""

import datetime as dt
import hashlib
import http.client
import json

import pytest
from django.test import Client

from nextgen.api import notices
from nextgen.api.models import ApiToken
from nextgen.audit.models import Event
from nextgen.signon import notices as signon_notices
from tests.factories import AccountFactory, FilerAccountFactory

from .conftest import AUTH, LOGOUT

pytestmark = pytest.mark.django_db
WRONG = "Wrong#Guess1"
MAIN = "/ecf/vid/cgi-bin/"


def signed_in(token: str) -> bool:
    """Does a court page, called with this token alone, see a signed-in account?"""
    response = Client().get(MAIN, HTTP_COOKIE=f"NextGenCSO={token}")
    return response.status_code == 200


class TestAnswers:
    def test_good_credentials_get_a_token(self, cso_auth, account, password):
        response = cso_auth({"loginId": account.username, "password": password})
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert "no-store" in response["Cache-Control"]
        answer = response.json()
        assert answer == {
            "nextGenCSO": answer["nextGenCSO"],
            "loginResult": "0",
            "errorDescription": "",
        }
        assert len(answer["nextGenCSO"]) >= 43  # token_urlsafe(32): 256 bits

    def test_each_sign_in_gets_its_own_token(self, token_for, account):
        assert token_for(account) != token_for(account)

    def test_a_wrong_password_is_result_13_without_a_token(self, cso_auth, account):
        response = cso_auth({"loginId": account.username, "password": WRONG, "redactFlag": "1"})
        assert response.status_code == 200
        assert response.json() == {
            "nextGenCSO": "",
            "loginResult": "13",
            "errorDescription": "Invalid username, password, or one-time passcode.",
        }

    def test_an_unknown_user_name_answers_exactly_like_a_wrong_password(self, cso_auth, account):
        real = cso_auth({"loginId": account.username, "password": WRONG}).json()
        fake = cso_auth({"loginId": "nobody-here", "password": WRONG}).json()
        assert real == fake

    def test_a_filer_without_redact_flag_is_refused_with_the_redaction_rules(
        self, cso_auth, account, password, vid
    ):
        FilerAccountFactory(court=vid, account=account)
        answer = cso_auth({"loginId": account.username, "password": password}).json()
        assert answer["loginResult"] == "1"
        assert answer["nextGenCSO"] == ""
        assert answer["errorDescription"].startswith("All filers must redact")
        assert "Fed. R. Civ. P. 5.2" in answer["errorDescription"]
        assert not ApiToken.objects.exists()

    def test_a_filer_who_acknowledges_redaction_gets_a_token(self, token_for, account, vid):
        FilerAccountFactory(court=vid, account=account)
        assert token_for(account, redactFlag="1")

    @pytest.mark.parametrize("flag", ["0", "", "yes"])
    def test_only_redact_flag_1_acknowledges(self, cso_auth, account, password, vid, flag):
        FilerAccountFactory(court=vid, account=account)
        body = {"loginId": account.username, "password": password, "redactFlag": flag}
        assert cso_auth(body).json()["loginResult"] == "1"

    def test_a_wrong_password_never_tells_whether_the_account_files(self, cso_auth, account, vid):
        FilerAccountFactory(court=vid, account=account)
        answer = cso_auth({"loginId": account.username, "password": WRONG}).json()
        assert answer["loginResult"] == "13"

    def test_a_pacer_only_user_needs_no_redact_flag(self, cso_auth, account, password):
        answer = cso_auth({"loginId": account.username, "password": password}).json()
        assert answer["loginResult"] == "0" and answer["nextGenCSO"]

    def test_a_legacy_account_signs_in_and_is_told_to_upgrade(
        self, cso_auth, legacy_account, password
    ):
        answer = cso_auth({"loginId": legacy_account.username, "password": password}).json()
        assert answer["loginResult"] == "0"
        assert answer["nextGenCSO"]
        assert answer["errorDescription"] == signon_notices.LEGACY_MUST_UPGRADE

    def test_a_deactivated_account_is_told_to_call_the_service_center(self, cso_auth, password):
        gone = AccountFactory(is_active=False)
        answer = cso_auth({"loginId": gone.username, "password": password}).json()
        assert answer["loginResult"] == "13"
        assert answer["nextGenCSO"] == ""
        assert answer["errorDescription"] == signon_notices.deactivated()
        assert "PACER Service Center" in answer["errorDescription"]

    def test_a_deactivated_account_with_a_wrong_password_is_just_invalid(self, cso_auth):
        gone = AccountFactory(is_active=False)
        answer = cso_auth({"loginId": gone.username, "password": WRONG}).json()
        assert answer["errorDescription"] == notices.INVALID_LOGIN

    def test_the_client_code_is_kept_with_the_token(self, token_for, account):
        token_for(account, clientCode=" firm-42 ")
        assert ApiToken.objects.get().client_code == "firm-42"

    @pytest.mark.parametrize("code", ["\u200b", "\x01", "=cmd|' /C calc'!A0", "matter/7"])
    def test_a_client_code_the_client_code_rule_refuses_refuses_the_login(
        self, cso_auth, account, password, code
    ):
        body = {"loginId": account.username, "password": password, "clientCode": code}
        answer = cso_auth(body).json()
        assert answer["loginResult"] == "1" and answer["nextGenCSO"] == ""
        assert answer["errorDescription"] == signon_notices.CLIENT_CODE_RULE
        assert not ApiToken.objects.exists()
        refused = Event.objects.get(action="api.login", outcome="refused")
        assert refused.details["reason"] == "client code refused"

    def test_unknown_members_are_ignored(self, cso_auth, account, password):
        body = {"loginId": account.username, "password": password, "appVersion": 3}
        assert cso_auth(body).json()["loginResult"] == "0"

    def test_an_otp_code_is_accepted_while_accounts_have_no_second_factor(
        self, cso_auth, account, password
    ):
        body = {"loginId": account.username, "password": password, "otpCode": "123456"}
        assert cso_auth(body).json()["loginResult"] == "0"


class TestBadRequests:
    @pytest.mark.parametrize(
        "raw",
        [
            "not json",
            "",
            "[1, 2]",
            '"loginId"',
            "null",
            '{"password": "x"}',
            '{"loginId": "x"}',
            '{"loginId": "", "password": "x"}',
            '{"loginId": 5, "password": "x"}',
            '{"loginId": "x", "password": null}',
            '{"loginId": "x", "password": "y", "clientCode": 7}',
            '{"loginId": "' + "x" * 81 + '", "password": "y"}',
            "[" * 100_000,
        ],
    )
    def test_a_body_that_is_not_a_login_request_is_400_with_result_1(self, cso_auth, raw):
        response = cso_auth(raw=raw)
        assert response.status_code == 400
        assert response["Content-Type"] == "application/json"
        answer = response.json()
        assert answer["loginResult"] == "1" and answer["nextGenCSO"] == ""
        assert answer["errorDescription"]

    def test_a_missing_member_is_named(self, cso_auth):
        answer = cso_auth({"loginId": "jattorney"}).json()
        assert answer["errorDescription"] == "password is required."

    def test_a_form_post_is_400(self, client, account, password):
        response = client.post(AUTH, {"loginId": account.username, "password": password})
        assert response.status_code == 400
        assert response.json()["errorDescription"] == notices.NOT_JSON

    @pytest.mark.parametrize(
        "content_type", ["Application/JSON", "application/json; charset=UTF-8"]
    )
    def test_the_media_type_is_read_case_insensitively(
        self, cso_auth, account, password, content_type
    ):
        body = {"loginId": account.username, "password": password}
        assert cso_auth(body, content_type=content_type).json()["loginResult"] == "0"

    @pytest.mark.parametrize("path", [AUTH, LOGOUT])
    @pytest.mark.parametrize("method", ["get", "put", "delete"])
    def test_other_methods_are_405_in_json(self, client, path, method):
        response = getattr(client, method)(path)
        assert response.status_code == 405
        assert response["Allow"] == "POST"
        assert response.json()["loginResult"] == "1"

    def test_no_csrf_token_or_cookie_is_needed(self, account, password):
        client = Client(enforce_csrf_checks=True)
        body = json.dumps({"loginId": account.username, "password": password})
        response = client.post(AUTH, body, content_type="application/json")
        assert response.json()["loginResult"] == "0"
        assert "sessionid" not in response.cookies


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("header", ["content-type", "Content-type", "CONTENT-TYPE"])
def test_the_content_type_header_name_is_matched_case_insensitively(
    live_server, account, password, header
):
    """Over a real socket, as clients send it (juriscraper writes "Content-type")."""
    host, port = live_server.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    body = json.dumps({"loginId": account.username, "password": password})
    connection.putrequest("POST", AUTH)
    connection.putheader(header, "application/json")
    connection.putheader("Content-Length", str(len(body)))
    connection.endheaders(body.encode())
    response = connection.getresponse()
    assert response.status == 200
    assert json.loads(response.read())["loginResult"] == "0"
    connection.close()


@pytest.mark.frozen_clock
class TestThrottling:
    def test_five_wrong_api_logins_throttle_the_api(self, cso_auth, account, password):
        for _ in range(5):
            cso_auth({"loginId": account.username, "password": WRONG})
        answer = cso_auth({"loginId": account.username, "password": password}).json()
        assert answer["loginResult"] == "13" and answer["nextGenCSO"] == ""
        assert answer["errorDescription"] == signon_notices.throttled("1 minute")

    def test_wrong_api_logins_throttle_the_login_page_too(
        self, cso_auth, client, account, password
    ):
        for _ in range(5):
            cso_auth({"loginId": account.username, "password": WRONG})
        client.get("/csologin/login/")
        page = client.post("/csologin/login/", {"username": account.username, "password": password})
        assert page.status_code == 429

    def test_wrong_login_page_attempts_throttle_the_api_too(
        self, cso_auth, client, account, password
    ):
        client.get("/csologin/login/")
        for _ in range(5):
            client.post("/csologin/login/", {"username": account.username, "password": WRONG})
        answer = cso_auth({"loginId": account.username, "password": password}).json()
        assert answer["loginResult"] == "13"

    def test_the_wait_ends(self, cso_auth, account, password, time_machine):
        time_machine.move_to(dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC), tick=False)
        for _ in range(5):
            cso_auth({"loginId": account.username, "password": WRONG})
        time_machine.shift(dt.timedelta(minutes=2))
        answer = cso_auth({"loginId": account.username, "password": password}).json()
        assert answer["loginResult"] == "0"


class TestAudit:
    def test_a_token_issue_is_audited_without_the_token_or_password(
        self, cso_auth, account, password
    ):
        body = {"loginId": account.username, "password": password, "clientCode": "c-1"}
        token = cso_auth(body, HTTP_USER_AGENT="Juriscraper").json()["nextGenCSO"]
        event = Event.objects.get(action="api.login")
        assert event.outcome == "success" and event.actor == account
        assert event.user_agent == "Juriscraper"
        assert event.details["api_session"] == ApiToken.objects.get().pk
        assert event.details["client_code"] == "c-1"
        every_row = json.dumps(list(Event.objects.values()), default=str)
        assert token not in every_row and password not in every_row

    def test_a_failure_is_audited_by_the_shared_login_check(self, cso_auth, account):
        cso_auth({"loginId": account.username, "password": WRONG})
        event = Event.objects.get()
        assert (event.action, event.outcome, event.username_tried) == (
            "login",
            "failure",
            account.username,
        )
        assert WRONG not in json.dumps(event.details)

    def test_a_redaction_refusal_is_audited(self, cso_auth, account, password, vid):
        FilerAccountFactory(court=vid, account=account)
        cso_auth({"loginId": account.username, "password": password})
        event = Event.objects.get(action="api.login")
        assert event.outcome == "refused" and event.subject == account

    def test_a_logout_is_audited(self, token_for, cso_logout, account):
        token = token_for(account)
        cso_logout({"nextGenCSO": token})
        event = Event.objects.get(action="api.logout")
        assert event.actor == account and event.details["via"] == "cso-logout"
        assert token not in json.dumps(event.details)


class TestTokens:
    def test_only_the_hash_of_a_token_is_stored(self, token_for, account):
        token = token_for(account)
        row = ApiToken.objects.get()
        assert row.key_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in json.dumps(list(ApiToken.objects.values()), default=str)

    def test_a_token_opens_court_pages(self, token_for, account, vid):
        assert signed_in(token_for(account))

    def test_a_token_ends_at_its_maximum_age_even_when_used(
        self, token_for, account, vid, time_machine
    ):
        time_machine.move_to(dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC), tick=False)
        token = token_for(account)
        for _ in range(23):
            time_machine.shift(dt.timedelta(hours=1))
            assert signed_in(token)
        time_machine.shift(dt.timedelta(minutes=59, seconds=59))
        assert signed_in(token)
        time_machine.shift(dt.timedelta(seconds=1))
        assert not signed_in(token)

    def test_the_maximum_age_is_a_setting(self, token_for, account, vid, time_machine, settings):
        settings.NEXTGEN_TOKEN_MAX_AGE = 60 * 60
        time_machine.move_to(dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC), tick=False)
        token = token_for(account)
        time_machine.shift(dt.timedelta(hours=1))
        assert not signed_in(token)

    def test_a_token_unused_for_the_idle_limit_ends(self, token_for, account, vid, time_machine):
        time_machine.move_to(dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC), tick=False)
        token = token_for(account)
        time_machine.shift(dt.timedelta(hours=1, minutes=59))
        assert signed_in(token)  # use restarts the idle clock
        time_machine.shift(dt.timedelta(hours=1, minutes=59))
        assert signed_in(token)
        time_machine.shift(dt.timedelta(hours=2))
        assert not signed_in(token)

    def test_use_is_noted_at_most_once_a_minute(self, token_for, account, vid, time_machine):
        time_machine.move_to(dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC), tick=False)
        token = token_for(account)
        time_machine.shift(dt.timedelta(seconds=30))
        signed_in(token)
        assert ApiToken.objects.get().last_used_at == dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)
        time_machine.shift(dt.timedelta(seconds=30))
        signed_in(token)
        assert ApiToken.objects.get().last_used_at == dt.datetime(2026, 11, 23, 8, 1, tzinfo=dt.UTC)

    def test_logout_ends_the_token(self, token_for, cso_logout, account, vid):
        token = token_for(account)
        response = cso_logout({"nextGenCSO": token})
        assert response.status_code == 200
        assert response.json() == {"loginResult": "0", "errorDescription": ""}
        assert not signed_in(token)
        assert ApiToken.objects.get().revoked_at is not None

    def test_logout_ends_only_that_token(self, token_for, cso_logout, account, vid):
        first, second = token_for(account), token_for(account)
        cso_logout({"nextGenCSO": first})
        assert signed_in(second)

    def test_logout_is_idempotent_and_an_unknown_token_is_also_0(
        self, token_for, cso_logout, account
    ):
        token = token_for(account)
        for body in ({"nextGenCSO": token}, {"nextGenCSO": token}, {"nextGenCSO": "made-up"}):
            assert cso_logout(body).json() == {"loginResult": "0", "errorDescription": ""}
        assert Event.objects.filter(action="api.logout").count() == 1

    @pytest.mark.parametrize("raw", ["nope", "[]", "{}", '{"nextGenCSO": 1}'])
    def test_a_bad_logout_body_is_400_with_result_1(self, cso_logout, raw):
        response = cso_logout(raw=raw)
        assert response.status_code == 400
        answer = response.json()
        assert set(answer) == {"loginResult", "errorDescription"}
        assert answer["loginResult"] == "1"

    def test_a_password_change_ends_every_token(self, token_for, account, vid):
        token = token_for(account)
        account.set_password("Another#Pass7")
        account.save(update_fields=["password"])
        assert not signed_in(token)

    def test_a_rotated_security_stamp_ends_every_token(self, token_for, account, vid):
        token = token_for(account)
        account.rotate_security_stamp()
        account.save(update_fields=["security_stamp"])
        assert not signed_in(token)

    def test_deactivation_ends_every_token(self, token_for, account, vid):
        token = token_for(account)
        account.is_active = False
        account.save(update_fields=["is_active"])
        assert not signed_in(token)

    def test_revoke_all_for_ends_every_token_of_the_account(self, token_for, account, vid):
        from nextgen.api.tokens import revoke_all_for

        tokens = [token_for(account), token_for(account)]
        other = AccountFactory()
        others = token_for(other)
        assert revoke_all_for(account) == 2
        assert not any(signed_in(t) for t in tokens)
        assert signed_in(others)


def test_a_nul_character_in_a_field_is_a_bad_request_not_a_server_error(client):
    for field in ("loginId", "password", "clientCode"):
        body = {"loginId": "jattorney", "password": "Correct#Horse9", "redactFlag": "1"}
        body[field] = "a\x00b"
        response = client.post("/services/cso-auth", body, content_type="application/json")
        assert response.status_code == 400
        assert response.json()["loginResult"] == "1"


class TestLoneSurrogates:
    """JSON may carry "\\ud800", which decodes to a lone surrogate: text no hash, cache key
    or database can encode. It is a bad request named by its field, never a 500."""

    @pytest.mark.parametrize("field", ["loginId", "password", "clientCode", "otpCode"])
    def test_a_lone_surrogate_in_a_login_field_is_a_bad_request(self, client, account, field):
        body = {"loginId": account.username, "password": WRONG, "redactFlag": "1"}
        body[field] = "a\ud800b"
        response = client.post(AUTH, json.dumps(body), content_type="application/json")
        assert response.status_code == 400
        answer = response.json()
        assert answer["loginResult"] == "1" and answer["nextGenCSO"] == ""
        assert answer["errorDescription"].startswith(f"{field} must be a string of text")

    def test_the_malformed_attempt_is_audited_under_the_name_tried(self, client, account):
        body = {"loginId": account.username, "password": "\ud800"}
        client.post(AUTH, json.dumps(body), content_type="application/json")
        event = Event.objects.get(action="api.login")
        assert event.outcome == "refused"
        assert event.username_tried == account.username
        assert event.details["reason"] == "malformed request"

    def test_a_surrogate_in_the_user_name_is_audited_readably(self, client):
        body = {"loginId": "jatt\udfffrney", "password": WRONG}
        client.post(AUTH, json.dumps(body), content_type="application/json")
        assert Event.objects.get(action="api.login").username_tried == "jatt?rney"

    def test_a_lone_surrogate_as_logout_token_is_a_bad_request(self, client):
        body = json.dumps({"nextGenCSO": "\ud800"})
        response = client.post(LOGOUT, body, content_type="application/json")
        assert response.status_code == 400
        assert response.json()["loginResult"] == "1"
