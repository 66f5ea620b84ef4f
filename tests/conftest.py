import datetime as dt

import pytest
import time_machine
from django.core.cache import cache

from tests.factories import PASSWORD, AccountFactory, LegacyAccountFactory

MFA_SETUP = "/csologin/login/mfa-setup/"
OTP = "/csologin/login/passcode/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttling counters live in the cache: every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _frozen_clock(request):
    """Throttle windows are fixed minutes: a test that counts failures must not straddle
    a window boundary, so every test marked `frozen_clock` (the throttling tests) runs on
    a stopped clock (tests that need time to pass move it with the `time_machine` fixture)."""
    if request.node.get_closest_marker("frozen_clock"):
        with time_machine.travel(dt.datetime(2026, 11, 23, 12, 0, 5, tzinfo=dt.UTC), tick=False):
            yield
    else:
        yield


@pytest.fixture(autouse=True)
def _fast_hasher(settings, request):
    """Argon2 at OWASP cost is slow by design; most tests only need a correct one.
    Tests marked `real_hasher` keep the configured parameters."""
    if "real_hasher" not in request.keywords:
        settings.ARGON2_TIME_COST = 1
        settings.ARGON2_MEMORY_COST = 256


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def account(db):
    return AccountFactory(username="jattorney", first_name="John", last_name="Attorney")


@pytest.fixture
def legacy_account(db):
    return LegacyAccountFactory(username="llegacy", first_name="Linda", last_name="Legacy")


@pytest.fixture
def login(client, password):
    """Sign `account` in through the real login page."""

    def _login(account, *, pw: str | None = None, **extra):
        client.get("/csologin/login/")
        response = client.post(
            "/csologin/login/", {"username": account.username, "password": pw or password, **extra}
        )
        if response.status_code == 302 and response["Location"] == MFA_SETUP:
            from nextgen.signon.flows import mfa

            if mfa.has_powers(account):
                # Court staff, the Service Center, admins cannot put it off: set it up,
                # as the page asks (the scanned key, then a code from it).
                return _set_mfa_up(client)
            # A filer without MFA is asked to set it up (tests/signon/test_mfa.py pins that
            # down); elsewhere the filer puts it off, as often as the test signs in.
            from nextgen.signon.models.mfa import MfaPrompt

            MfaPrompt.objects.filter(account=account).delete()
            response = client.post(MFA_SETUP, {"skip": "1"})
        elif response.status_code == 302 and response["Location"] == OTP and _has_powers(account):
            # Staff set it up at an earlier sign-in of this test: the code of the moment.
            from tests.signon.test_mfa import code_for

            response = client.post(OTP, {"otp_code": code_for(account)})
        return response

    return _login


def _has_powers(account) -> bool:
    from nextgen.signon.flows import mfa

    return mfa.has_powers(account)


def _set_mfa_up(client):
    from tests.signon.test_mfa import code_for_key, secret_on

    key = secret_on(client.get(MFA_SETUP).content.decode())
    return client.post(MFA_SETUP, {"otp_code": code_for_key(key)})


@pytest.fixture(autouse=True, scope="session")
def _flushable_audit_log():
    """The audit table refuses DELETE and TRUNCATE; Django's flush between transactional
    tests gets past that, inside the flush's own transaction (tests/audit/maintenance.py)."""
    from tests.audit.maintenance import flushable_audit_log

    with flushable_audit_log():
        yield


@pytest.fixture(autouse=True)
def _audit_anchors_in_tmp(settings, tmp_path):
    """`nextgen audit verify` checks the anchor file: each test gets its own, empty (one
    left in var/ by a demo would name events of another database)."""
    settings.NEXTGEN_AUDIT_ANCHOR_FILE = tmp_path / "audit-anchors.jsonl"


@pytest.fixture(autouse=True)
def documents_dir(settings, tmp_path):
    """Filed documents (nextgen.dockets) go to each test's own folder, never to var/."""
    location = tmp_path / "documents"
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location), "base_url": None},
        },
    }
    return location
