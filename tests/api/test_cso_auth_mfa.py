"""POST /services/cso-auth with multi-factor authentication: `otpCode`."""

import pytest
from django.test import Client

from nextgen.api import notices
from nextgen.api.models import ApiToken
from nextgen.audit.models import Event
from nextgen.signon.flows import mfa
from tests.factories import FilerAccountFactory
from tests.signon.test_mfa import code_for, enroll

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolled(account, time_machine):
    import datetime as dt

    time_machine.move_to(dt.datetime(2026, 11, 23, 12, 0, 0, tzinfo=dt.UTC), tick=False)
    codes = enroll(account)
    time_machine.shift(dt.timedelta(seconds=30))  # the set-up code is used up
    return codes


def body(account, password, **extra):
    return {"loginId": account.username, "password": password, "redactFlag": "1", **extra}


def test_a_right_otp_code_gets_a_token(cso_auth, account, password, enrolled):
    answer = cso_auth(body(account, password, otpCode=code_for(account))).json()
    assert answer["loginResult"] == "0" and answer["nextGenCSO"]
    assert answer["errorDescription"] == ""
    event = Event.objects.filter(action="login.otp").get()
    assert (event.outcome, event.details["via"]) == ("success", "api")


def test_a_backup_code_works_once(cso_auth, account, password, enrolled):
    assert cso_auth(body(account, password, otpCode=enrolled[0])).json()["loginResult"] == "0"
    assert cso_auth(body(account, password, otpCode=enrolled[0])).json()["loginResult"] == "13"


@pytest.mark.parametrize("otp", [None, "", "   "])
def test_a_missing_otp_code_is_result_13(cso_auth, account, password, enrolled, otp):
    extra = {} if otp is None else {"otpCode": otp}
    answer = cso_auth(body(account, password, **extra)).json()
    assert answer == {
        "nextGenCSO": "",
        "loginResult": "13",
        "errorDescription": notices.INVALID_LOGIN,
    }
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("otp", ["wrong", "12", "x" * 16, "１２３４５６"])
def test_a_wrong_otp_code_is_result_13(cso_auth, account, password, enrolled, otp):
    answer = cso_auth(body(account, password, otpCode=otp)).json()
    assert answer["loginResult"] == "13" and answer["nextGenCSO"] == ""


def test_a_totp_code_is_accepted_once(cso_auth, account, password, enrolled):
    code = code_for(account)
    assert cso_auth(body(account, password, otpCode=code)).json()["loginResult"] == "0"
    assert cso_auth(body(account, password, otpCode=code)).json()["loginResult"] == "13"


@pytest.mark.frozen_clock
def test_wrong_otp_codes_are_throttled(cso_auth, account, password, enrolled):
    right = code_for(account)
    for n in range(5):
        wrong = f"{(int(right) + 1 + n) % 1_000_000:06d}"
        cso_auth(body(account, password, otpCode=wrong))
    answer = cso_auth(body(account, password, otpCode=right)).json()
    assert answer["loginResult"] == "13"
    assert not ApiToken.objects.exists()
    # The wait is the account's: the login page's passcode step waits too.
    client = Client()
    client.get("/csologin/login/")
    client.post("/csologin/login/", {"username": account.username, "password": password})
    assert client.post("/csologin/login/passcode/", {"otp_code": right}).status_code == 429


def test_a_filer_due_to_enroll_gets_a_token_and_is_told(cso_auth, account, password):
    FilerAccountFactory(account=account)
    answer = cso_auth(body(account, password)).json()
    assert answer["loginResult"] == "0" and answer["nextGenCSO"]
    left = mfa.MFA_SKIPS_ALLOWED - 1
    assert answer["errorDescription"] == (
        f"{mfa.API_ENROLLMENT_DUE} {notices.mfa_skips_left(left)}"
    )
    assert "Multi-factor authentication is required for filers" in answer["errorDescription"]


def test_api_sign_ins_use_up_the_mfa_skips_and_then_stop(cso_auth, account, password):
    """The attack: a filer without MFA signed in through the API for ever, since only the
    login page's "Skip for now" counted. Each API sign-in now uses one skip."""
    FilerAccountFactory(account=account)
    for n in range(mfa.MFA_SKIPS_ALLOWED):
        answer = cso_auth(body(account, password)).json()
        assert answer["loginResult"] == "0", n
        assert mfa.skips_left(account) == mfa.MFA_SKIPS_ALLOWED - n - 1
    assert notices.mfa_skips_left(0) in answer["errorDescription"]
    refused = cso_auth(body(account, password)).json()
    assert refused == {
        "nextGenCSO": "",
        "loginResult": "13",
        "errorDescription": mfa.API_ENROLLMENT_REQUIRED,
    }
    assert ApiToken.objects.count() == mfa.MFA_SKIPS_ALLOWED
    skips = Event.objects.filter(action="mfa.skip", actor=account)
    assert [e.details["skips"] for e in skips.order_by("id")] == [1, 2, 3]


def test_the_api_and_the_login_page_share_the_skips(cso_auth, account, password, login, client):
    FilerAccountFactory(account=account)
    for _ in range(mfa.MFA_SKIPS_ALLOWED - 1):
        assert cso_auth(body(account, password)).json()["loginResult"] == "0"
    page = Client()
    page.get("/csologin/login/")
    page.post("/csologin/login/", {"username": account.username, "password": password})
    assert page.post("/csologin/login/mfa-setup/", {"skip": "1"}).status_code == 302
    assert mfa.skips_left(account) == 0
    answer = cso_auth(body(account, password)).json()
    assert answer["errorDescription"] == mfa.API_ENROLLMENT_REQUIRED


def test_an_account_that_needs_no_mfa_uses_no_skips(cso_auth, account, password):
    for _ in range(mfa.MFA_SKIPS_ALLOWED + 1):
        assert cso_auth(body(account, password)).json()["loginResult"] == "0"
    assert not Event.objects.filter(action="mfa.skip").exists()


def test_the_code_is_never_in_the_audit_log(cso_auth, account, password, enrolled):
    code = code_for(account)
    cso_auth(body(account, password, otpCode="000001"))
    cso_auth(body(account, password, otpCode=code))
    everything = str(list(Event.objects.values()))
    assert code not in everything and "000001" not in everything


@pytest.mark.parametrize("power", ["is_service_center", "court staff"])
def test_an_account_with_powers_without_mfa_gets_no_token(cso_auth, account, password, power):
    """Court staff, the Service Center and admins cannot put MFA off: through the API
    either, their password alone is refused (a filer gets three tokens, above)."""
    import datetime as dt

    from nextgen.ecf.models import CourtRole
    from tests.factories import CourtFactory

    if power == "court staff":
        CourtRole.objects.create(account=account, court=CourtFactory(go_live=dt.date(2020, 1, 1)))
    else:
        setattr(account, power, True)
        account.save(update_fields=[power])
    refused = cso_auth(body(account, password)).json()
    assert refused["loginResult"] == "13" and refused["nextGenCSO"] == ""
    assert refused["errorDescription"] == mfa.API_ENROLLMENT_REQUIRED
    assert not ApiToken.objects.exists()
    assert not Event.objects.filter(action="mfa.skip").exists()
