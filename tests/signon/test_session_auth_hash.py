"""The session auth hash is made once per account instance and request (Django's
get_user() and the Signed-in Sessions row both ask for it), and anew whenever what it is
made from changes: the password, the security stamp, or the secret key."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse
from django.test import override_settings
from django.urls import path

from nextgen.signon.models import Account
from nextgen.urls import urlpatterns as nextgen_urlpatterns
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def test_the_hash_follows_the_password_the_stamp_and_the_key():
    account = AccountFactory(username="hashes")
    first = account.get_session_auth_hash()
    assert account.get_session_auth_hash() == first

    account.set_password("Another#Pass2026")
    after_password = account.get_session_auth_hash()
    assert after_password != first

    account.rotate_security_stamp()
    after_stamp = account.get_session_auth_hash()
    assert after_stamp not in (first, after_password)

    with override_settings(SECRET_KEY="another-secret-key-" + "k" * 40):
        under_new_key = account.get_session_auth_hash()
    assert under_new_key != after_stamp
    assert account.get_session_auth_hash() == after_stamp
    # Each is what a fresh instance, which has kept nothing, makes.
    fresh = Account.objects.get(pk=account.pk)
    fresh.password, fresh.security_stamp = account.password, account.security_stamp
    assert fresh.get_session_auth_hash() == after_stamp


def test_a_stamp_changed_elsewhere_still_ends_the_session(client):
    account = AccountFactory(username="stamped")
    client.force_login(account)
    assert client.get("/csologin/account/").status_code == 200
    account.rotate_security_stamp()
    account.save(update_fields=["security_stamp"])
    assert client.get("/csologin/account/").status_code == 302  # to the login page
    assert SESSION_KEY not in client.session


def seen(request: HttpRequest) -> HttpResponse:
    return HttpResponse(type(request.user).__name__)


urlpatterns = [path("seen/", seen), *nextgen_urlpatterns]


@override_settings(ROOT_URLCONF=__name__)
def test_a_view_gets_the_account_itself_or_the_anonymous_user(client):
    """AuthenticationMiddleware (nextgen's) reads the user before the view: no lazy
    stand-in, the same object Django's lazy user would have given."""
    assert client.get("/seen/").content == b"AnonymousUser"
    client.force_login(AccountFactory(username="eager"))
    assert client.get("/seen/").content == b"Account"


def test_an_account_never_carries_the_secret_key():
    import pickle

    from django.conf import settings

    account = AccountFactory(username="keyless")
    account.get_session_auth_hash()
    assert settings.SECRET_KEY.encode() not in pickle.dumps(account)
