"""Rotating NEXTGEN_SECRET_KEY (docs/operations.md, "Rotating the secret key"): with the old
key in NEXTGEN_SECRET_KEY_FALLBACKS, sessions, pending logins, MFA backup codes, API tokens
and reset links made under it keep working; without it they all end."""

from __future__ import annotations

import importlib
import os

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from nextgen.api import tokens
from nextgen.api.models import ApiToken
from nextgen.signon.flows import mfa, recovery
from nextgen.signon.models.mfa import BackupCode

pytestmark = pytest.mark.django_db

OLD_KEY = "old-secret-key-" + "o" * 40
NEW_KEY = "new-secret-key-" + "n" * 40
BACKUP = "ABCDEFGH23"
MANAGE = reverse("signon:manage")


@pytest.fixture
def old_key(settings):
    settings.SECRET_KEY = OLD_KEY
    settings.SECRET_KEY_FALLBACKS = []
    return settings


def rotate(settings, *, keep_old: bool) -> None:
    settings.SECRET_KEY = NEW_KEY
    settings.SECRET_KEY_FALLBACKS = [OLD_KEY] if keep_old else []


@pytest.fixture
def made_under_old_key(old_key, client, account, login):
    """A signed-in browser, an API token and a backup code, all made under the old key."""
    login(account)
    assert client.get(MANAGE).status_code == 200
    BackupCode.for_code(account, BACKUP).save()
    key, _ = tokens.issue_token(acting=None, account=account, request=RequestFactory().post("/"))
    return client, key


def test_after_a_rotation_with_the_old_key_as_fallback_everything_survives(
    settings, made_under_old_key, account
):
    browser, key = made_under_old_key
    rotate(settings, keep_old=True)

    assert browser.get(MANAGE).status_code == 200
    assert tokens.authenticate_token(key) is not None
    check = mfa.verify_code(
        acting=None, account=account, code=BACKUP, request=RequestFactory().post("/")
    )
    assert check.ok and check.method == "backup"


def test_a_session_and_a_token_move_to_the_new_key_and_outlive_the_fallback(
    settings, made_under_old_key
):
    browser, key = made_under_old_key
    rotate(settings, keep_old=True)
    assert browser.get(MANAGE).status_code == 200
    assert tokens.authenticate_token(key) is not None

    settings.SECRET_KEY_FALLBACKS = []  # the old key is retired for good
    assert browser.get(MANAGE).status_code == 200
    assert tokens.authenticate_token(key) is not None


def test_without_the_fallback_a_rotation_ends_them_all(settings, made_under_old_key, account):
    """What the fallbacks are for: a bare rotation signs everyone out and voids codes."""
    browser, key = made_under_old_key
    rotate(settings, keep_old=False)

    assert browser.get(MANAGE).status_code == 302
    assert tokens.authenticate_token(key) is None
    check = mfa.verify_code(
        acting=None, account=account, code=BACKUP, request=RequestFactory().post("/")
    )
    assert not check.ok
    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 1  # not ended: unusable


def test_a_reset_link_mailed_before_the_rotation_still_works(settings, old_key, account):
    link = recovery.RESET.reset_url(RequestFactory().get("/"), account)
    rotate(settings, keep_old=True)
    response = Client().get(link.replace("http://testserver", ""))
    assert response.status_code == 302
    assert response["Location"].endswith("/set-password/")


def test_the_fallbacks_are_read_from_the_environment(monkeypatch):
    import nextgen.settings as nextgen_settings

    monkeypatch.setenv("NEXTGEN_SECRET_KEY_FALLBACKS", f" {OLD_KEY} ,, second-old-key ")
    try:
        reloaded = importlib.reload(nextgen_settings)
        assert reloaded.SECRET_KEY_FALLBACKS == [OLD_KEY, "second-old-key"]
    finally:
        monkeypatch.delenv("NEXTGEN_SECRET_KEY_FALLBACKS")
        importlib.reload(nextgen_settings)
    assert "NEXTGEN_SECRET_KEY_FALLBACKS" not in os.environ
