"""The MFA set-up key belongs to the session that shows it: someone holding only the
password cannot read the key the owner's app will use, nor confirm set-up with theirs."""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from nextgen.signon.flows import mfa
from tests.factories import FilerAccountFactory
from tests.signon.test_mfa import (
    OTP,
    SETUP,
    clock,  # noqa: F401 (a fixture)
    code_for,
    code_for_key,
    password_step,
    secret_on,
    signed_in,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def filer_account(account):
    """A filer: sign-in goes on to the MFA set-up step."""
    FilerAccountFactory(account=account)
    return account


def setup_page(client: Client, account) -> bytes:
    assert password_step(client, account)["Location"] == SETUP
    return secret_on(client.get(SETUP).content.decode())


def test_two_sessions_at_set_up_get_different_keys(filer_account, clock):  # noqa: F811
    owner, intruder = Client(), Client()
    owner_key = setup_page(owner, filer_account)
    intruder_key = setup_page(intruder, filer_account)
    assert owner_key != intruder_key
    # A reload is the same attempt: same key.
    assert secret_on(owner.get(SETUP).content.decode()) == owner_key
    # The pending key is stored nowhere another session could read it.
    assert not TOTPDevice.objects.filter(user=filer_account).exists()


def test_a_key_from_another_session_does_not_confirm(filer_account, clock):  # noqa: F811
    owner, intruder = Client(), Client()
    owner_key = setup_page(owner, filer_account)
    intruder_key = setup_page(intruder, filer_account)
    # The intruder's code confirms nothing in the owner's session ...
    response = owner.post(SETUP, {"otp_code": code_for_key(intruder_key)})
    assert response.status_code == 400
    assert not mfa.is_enrolled(filer_account)
    # ... and the owner's code confirms the owner's key, not the intruder's.
    clock.next_step()
    response = owner.post(SETUP, {"otp_code": code_for_key(owner_key)})
    assert response.status_code == 200
    assert signed_in(owner)
    device = TOTPDevice.objects.get(user=filer_account)
    assert device.confirmed and device.bin_key == owner_key
    # The intruder's key is worth nothing at the passcode step.
    clock.next_step()
    assert password_step(intruder, filer_account)["Location"] == OTP
    assert intruder.post(OTP, {"otp_code": code_for_key(intruder_key)}).status_code == 400
    assert not signed_in(intruder)
    assert code_for(filer_account) == code_for_key(owner_key)
