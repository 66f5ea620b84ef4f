"""The Django admin is no side door: it opens only to a staff session that passed NextGen's
sign-in with a passcode, it has no login page of its own, and every change in it is an
audit event; links are never made or undone in it."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import pytest
from django.urls import reverse

from nextgen.audit.models import Event
from nextgen.ecf.models import FilerAccount
from nextgen.signon import notices
from tests.factories import PASSWORD, AccountFactory, CourtFactory, FilerAccountFactory
from tests.signon.test_mfa import OTP, code_for, enroll, password_step, signed_in

pytestmark = pytest.mark.django_db
ADMIN = reverse("admin:index")
ADMIN_LOGIN = reverse("admin:login")


@pytest.fixture
def superuser(db):
    return AccountFactory(username="root.admin", is_staff=True, is_superuser=True)


@pytest.fixture
def with_mfa(superuser, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC), tick=False)
    enroll(superuser)
    time_machine.shift(dt.timedelta(seconds=30))  # the code that confirmed set-up is used up
    return superuser


def full_sign_in(client, account) -> None:
    """Password, then the one-time passcode: NextGen's own sign-in."""
    assert password_step(client, account)["Location"] == OTP
    response = client.post(OTP, {"otp_code": code_for(account)})
    assert response.status_code == 302
    assert signed_in(client)


def test_the_admin_login_page_takes_no_password(client, superuser):
    client.get(ADMIN_LOGIN)
    response = client.post(
        ADMIN_LOGIN, {"username": superuser.username, "password": PASSWORD, "next": ADMIN}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('signon:login')}?next={quote(ADMIN, safe='')}"
    assert not signed_in(client)
    assert client.get(ADMIN)["Location"].startswith(ADMIN_LOGIN)
    assert client.get(reverse("signon:manage")).status_code == 302  # no central page either
    assert not Event.objects.filter(action="login", outcome="success").exists()


def test_the_admin_login_page_sends_the_browser_to_nextgens_login(client):
    response = client.get(ADMIN, follow=True)
    assert (
        response.redirect_chain[-1][0] == f"{reverse('signon:login')}?next={quote(ADMIN, safe='')}"
    )
    assert "Username" in response.content.decode()


def test_a_session_waiting_for_its_passcode_cannot_reach_the_admin(client, with_mfa):
    assert password_step(client, with_mfa)["Location"] == OTP
    response = client.get(ADMIN)
    assert response.status_code == 302 and response["Location"].startswith(ADMIN_LOGIN)
    assert client.get(response["Location"])["Location"].startswith(reverse("signon:login"))


@pytest.mark.parametrize("power", ["is_superuser", "is_service_center", "court staff"])
def test_an_account_with_powers_over_others_cannot_put_mfa_set_up_off(client, power):
    """Attack: a phished password of a staff member who has not set MFA up yet. Putting
    set-up off would start a session on the password alone; for them it is not offered
    and a skip sent anyway is refused."""
    from nextgen.ecf.models import CourtRole
    from nextgen.signon.flows.mfa import NO_SKIPS_LEFT

    staff = AccountFactory(username="staffer", **({} if power == "court staff" else {power: True}))
    if power == "court staff":
        CourtRole.objects.create(account=staff, court=CourtFactory(go_live=dt.date(2020, 1, 1)))
    setup = reverse("signon:login_mfa_setup")
    assert password_step(client, staff)["Location"] == setup
    assert "You may put this off" not in client.get(setup).content.decode()
    refused = client.post(setup, {"skip": "1"})
    assert NO_SKIPS_LEFT in refused.content.decode()
    assert not signed_in(client)


def test_a_password_only_session_is_kept_out(client, superuser):
    # A session without the passcode (begun before staff had to set MFA up first).
    client.force_login(superuser)
    assert signed_in(client)
    response = client.get(ADMIN, follow=True)
    assert response.status_code == 403
    assert notices.ADMIN_NEEDS_PASSCODE in response.content.decode()
    assert client.get(reverse("admin:signon_account_changelist")).status_code == 302


def test_a_staff_session_with_its_passcode_opens_the_admin(client, with_mfa):
    full_sign_in(client, with_mfa)
    assert client.get(ADMIN).status_code == 200


def test_setting_mfa_up_during_sign_in_opens_the_admin(client, superuser):
    import base64
    import re

    from tests.signon.test_mfa import SETUP, code_for_key

    assert password_step(client, superuser)["Location"] == SETUP
    html = client.get(SETUP).content.decode()
    grouped = re.search(r'<code id="mfa-secret">([A-Z2-7 ]+)</code>', html).group(1)
    key = base64.b32decode(grouped.replace(" ", ""))
    assert client.post(SETUP, {"otp_code": code_for_key(key)}).status_code == 200
    assert client.get(ADMIN).status_code == 200


def test_an_e_mail_change_in_the_admin_is_audited_with_old_and_new(client, with_mfa):
    attorney = AccountFactory(username="jattorney", email="john@example.com")
    full_sign_in(client, with_mfa)
    url = reverse("admin:signon_account_change", args=[attorney.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if name in form.fields and value is not None
    }
    data.update(
        {
            "email": "thief@example.net",
            "date_of_birth": attorney.date_of_birth.isoformat(),
            "upgraded_at_0": attorney.upgraded_at.date().isoformat(),
            "upgraded_at_1": attorney.upgraded_at.strftime("%H:%M:%S"),
        }
    )
    for name in ("is_active", "is_shared", "is_staff", "is_superuser", "is_service_center"):
        if not data.get(name):
            data.pop(name, None)
    data.pop("upgraded_at", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    attorney.refresh_from_db()
    assert attorney.email == "thief@example.net"
    event = Event.objects.get(action="admin.change")
    assert event.actor == with_mfa and event.subject == attorney
    assert event.details["changes"]["email"] == {
        "old": "john@example.com",
        "new": "thief@example.net",
    }


def test_a_password_set_in_the_admin_is_audited_without_the_password(client, with_mfa):
    attorney = AccountFactory(username="jattorney")
    full_sign_in(client, with_mfa)
    url = reverse("admin:auth_user_password_change", args=[attorney.pk])
    response = client.post(
        url,
        {"password1": "Brand#New2026pw", "password2": "Brand#New2026pw", "usable_password": "true"},
    )
    assert response.status_code == 302
    event = Event.objects.get(action="admin.change")
    assert event.subject == attorney
    assert "Brand#New2026pw" not in str(event.details)


def test_a_link_cannot_be_made_or_moved_in_the_admin(client, with_mfa):
    court = CourtFactory(code="vid")
    victim = AccountFactory(username="jattorney")
    wrongdoer = AccountFactory(username="wrong.doer")
    filer = FilerAccountFactory(court=court, login="jattorney_vid", account=victim)
    full_sign_in(client, with_mfa)
    url = reverse("admin:ecf_fileraccount_change", args=[filer.pk])
    form = client.get(url).context["adminform"].form
    assert "account" not in form.fields
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update({"account": str(wrongdoer.pk), "first_name": "Jonathan"})
    assert client.post(url, data).status_code == 302
    filer = FilerAccount.objects.get(pk=filer.pk)
    assert filer.account == victim
    event = Event.objects.get(action="admin.change")
    assert event.court_code == "vid" and event.subject == victim
    assert set(event.details["changes"]) == {"first_name"}


def test_a_deletion_in_the_admin_is_audited(client, with_mfa):
    court = CourtFactory(code="vid")
    filer = FilerAccountFactory(court=court, login="stale_login")
    full_sign_in(client, with_mfa)
    url = reverse("admin:ecf_fileraccount_delete", args=[filer.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not FilerAccount.objects.filter(pk=filer.pk).exists()
    event = Event.objects.get(action="admin.delete")
    assert event.details["object"] == "vid:stale_login"


def test_authenticator_secrets_are_not_in_the_admin(client, with_mfa):
    full_sign_in(client, with_mfa)
    assert "otp_totp" not in client.get(ADMIN).content.decode()


def test_the_admins_logout_is_nextgens(client, with_mfa):
    full_sign_in(client, with_mfa)
    response = client.post(reverse("admin:logout"))
    assert response["Location"] == reverse("signon:login")
    assert not signed_in(client)
    assert Event.objects.filter(action="logout", actor=with_mfa).exists()
