"""PACER Service Center pages: find any account, deactivate (ending its sessions),
reactivate, read its audit trail; 404 to everyone else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from nextgen.api.models import ApiToken
from nextgen.api.tokens import issue_token
from nextgen.audit.models import Action, Event
from nextgen.ecf.models import CourtRole
from tests.factories import PASSWORD, AccountFactory, CourtFactory, audit_event
from tests.passcode import with_passcode

pytestmark = pytest.mark.django_db


@pytest.fixture
def psc():
    return AccountFactory(username="psc.staff", is_service_center=True)


@pytest.fixture
def psc_client(psc):
    return with_passcode(Client(), psc)


@pytest.fixture
def mary():
    return AccountFactory(
        username="mlawyer", first_name="Mary", last_name="Lawyer", email="Mary.L@example.com"
    )


def account_url(name: str, account) -> str:
    return reverse(f"signon:{name}", kwargs={"pk": account.pk})


@pytest.mark.parametrize("q", ["MLAW", "lawyer", "Mary Law", "mary.l@EXAMPLE.com"])
def test_find_an_account_by_user_name_name_or_email(psc_client, mary, q):
    AccountFactory(username="someone", first_name="Sam", last_name="Else")
    html = psc_client.get(reverse("signon:service_center"), {"q": q}).content.decode()
    results = html[html.index('id="results"') :]
    assert account_url("sc_account", mary) in results
    assert "someone" not in results


def test_an_empty_search_names_the_field(psc_client):
    response = psc_client.get(reverse("signon:service_center"), {"q": " "})
    assert response.status_code == 400
    assert 'href="#id_q">User name, name or e-mail</a>' in response.content.decode()


def test_deactivation_ends_the_accounts_sessions_and_tokens(psc_client, psc, mary):
    victim = Client()
    victim.force_login(mary)
    assert victim.get(reverse("signon:manage")).status_code == 200
    request = RequestFactory().get("/")
    issue_token(acting=None, account=mary, request=request)
    response = psc_client.post(
        account_url("sc_deactivate", mary), {"reason": "Reported compromised"}
    )
    assert response.status_code == 302
    mary.refresh_from_db()
    assert not mary.is_active and mary.deactivation_reason == "Reported compromised"
    # Signed out on its very next request.
    response = victim.get(reverse("signon:manage"))
    assert response.status_code == 302 and response["Location"].startswith("/csologin/login/")
    assert not ApiToken.objects.filter(account=mary, revoked_at__isnull=True).exists()
    # And cannot sign in again.
    fresh = Client()
    fresh.get("/csologin/login/")
    fresh.post("/csologin/login/", {"username": "mlawyer", "password": PASSWORD})
    assert "_auth_user_id" not in fresh.session
    event = Event.objects.get(action="account.deactivate")
    assert event.actor == psc and event.subject == mary
    assert event.details["reason"] == "Reported compromised"


def test_deactivation_needs_a_reason_and_keeps_what_was_typed(psc_client, mary):
    response = psc_client.post(account_url("sc_deactivate", mary), {"reason": ""})
    assert response.status_code == 400
    assert 'href="#id_reason">Reason</a>' in response.content.decode()
    mary.refresh_from_db()
    assert mary.is_active
    long = "x" * 400
    response = psc_client.post(account_url("sc_deactivate", mary), {"reason": long})
    assert response.status_code == 400 and long in response.content.decode()


def test_service_center_staff_cannot_deactivate_themselves(psc_client, psc):
    response = psc_client.post(account_url("sc_deactivate", psc), {"reason": "oops"})
    assert response.status_code == 302
    psc.refresh_from_db()
    assert psc.is_active


def test_reactivation_lets_the_account_sign_in_again(psc_client, psc, mary):
    psc_client.post(account_url("sc_deactivate", mary), {"reason": "Unpaid balance"})
    response = psc_client.post(account_url("sc_reactivate", mary), {"reason": "Balance paid"})
    assert response.status_code == 302
    mary.refresh_from_db()
    assert mary.is_active and mary.deactivation_reason == ""
    client = Client()
    client.get("/csologin/login/")
    client.post("/csologin/login/", {"username": "mlawyer", "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(mary.pk)
    event = Event.objects.get(action="account.reactivate")
    assert event.actor == psc and event.subject == mary
    assert event.details == {"reason": "Balance paid", "deactivation_reason": "Unpaid balance"}


def test_reactivating_an_active_account_changes_nothing(psc_client, mary):
    response = psc_client.post(account_url("sc_reactivate", mary), {"reason": "why"})
    assert response.status_code == 302
    assert not Event.objects.filter(action="account.reactivate").exists()


def test_the_audit_trail_is_newest_first_and_paginated(psc_client, psc, mary):
    other = AccountFactory()
    for i in range(55):
        audit_event(Action.LOGIN, actor=mary, details={"n": i})
    audit_event(Action.ACCOUNT_DEACTIVATE, actor=psc, subject=mary, details={"reason": "by staff"})
    audit_event(Action.LOGIN, actor=other)  # not Mary's
    html = psc_client.get(account_url("sc_account", mary)).content.decode()
    trail = html[html.index('id="audit-trail"') :]
    assert trail.index("reason: by staff") < trail.index("n: 54") < trail.index("n: 53")
    assert "Page 1 of 2" in trail
    second = psc_client.get(account_url("sc_account", mary), {"page": 2}).content.decode()
    assert "n: 0" in second and "n: 54" not in second
    assert psc_client.get(account_url("sc_account", mary), {"page": "x"}).status_code == 200


def signed_in_without_the_role(who: str) -> Client:
    """A client signed in as an attorney or as court staff: no Service Center role."""
    someone = AccountFactory()
    if who == "court staff":
        CourtRole.objects.create(account=someone, court=CourtFactory(go_live=dt.date(2020, 1, 1)))
    return with_passcode(Client(), someone)


@pytest.mark.parametrize("who", ["attorney", "court staff"])
def test_everything_is_404_for_non_service_center_accounts(who, mary):
    client = signed_in_without_the_role(who)
    assert client.get(reverse("signon:service_center"), {"q": "mary"}).status_code == 404
    assert client.get(account_url("sc_account", mary)).status_code == 404
    assert client.post(account_url("sc_deactivate", mary), {"reason": "x"}).status_code == 404
    assert client.post(account_url("sc_reactivate", mary), {"reason": "x"}).status_code == 404
    assert client.get(reverse("signon:sc_account", kwargs={"pk": 999999})).status_code == 404
    mary.refresh_from_db()
    assert mary.is_active
    assert not Event.objects.filter(action__startswith="account.").exists()


def test_signed_out_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("signon:service_center"))
    assert response.status_code == 302 and response["Location"].startswith("/csologin/login/")


def test_changes_need_post_and_a_csrf_token(psc, mary):
    client = with_passcode(Client(enforce_csrf_checks=True), psc)
    assert client.get(account_url("sc_deactivate", mary)).status_code == 405
    assert client.post(account_url("sc_deactivate", mary), {"reason": "x"}).status_code == 403
    mary.refresh_from_db()
    assert mary.is_active


@pytest.mark.frozen_clock
def test_the_trail_shows_failed_and_throttled_sign_ins_by_name_and_how_they_came(psc_client, mary):
    """The login NOTICE says every access attempt is logged: the account's trail shows
    the failed and throttled ones too, told apart from API sign-ins, in plain words."""
    page = Client(REMOTE_ADDR="203.0.113.5")
    page.get("/csologin/login/")
    for _ in range(5):
        page.post("/csologin/login/", {"username": "mlawyer", "password": "Wrong#Guess1"})
    page.post("/csologin/login/", {"username": "mlawyer", "password": PASSWORD})  # throttled
    api = Client(REMOTE_ADDR="198.51.100.9")
    api.post(
        "/services/cso-auth",
        {"loginId": "mlawyer", "password": "Wrong#Guess2"},
        content_type="application/json",
    )
    api.post(
        "/services/cso-auth",
        {"loginId": "mlawyer", "password": PASSWORD},
        content_type="application/json",
    )
    html = psc_client.get(account_url("sc_account", mary)).content.decode()
    trail = html[html.index('id="audit-trail"') :]
    rows = [
        [cell.strip() for cell in row.split("<td>")[1:5]]
        for row in trail.split("<tr>")[2:]  # the header row first
    ]
    plain = [[c.removesuffix("</td>").strip() for c in row] for row in rows]
    assert [(r[1], r[2], r[3]) for r in plain] == [
        ("Signed in", "Success", "PACER Authentication API"),
        ("Sign-in failed (wrong password)", "Failure", "PACER Authentication API"),
        ("Sign-in throttled", "Refused", "Login page"),
        *[("Sign-in failed (wrong password)", "Failure", "Login page")] * 5,
    ]
    vias = Event.objects.filter(action__in=["login", "api.login"]).values_list(
        "details__via", flat=True
    )
    assert set(vias) == {"page", "api"}


# --- a holder who lost the authenticator app and the backup codes ---------------------


@pytest.fixture
def mary_with_mfa(mary):
    from tests.signon.test_mfa import enroll

    enroll(mary)
    return mary


def test_the_service_center_turns_off_mfa_for_a_holder_who_lost_the_app_and_codes(
    psc_client, psc, mary_with_mfa
):
    """The login's MFA help sends a holder who lost both to the Service Center, which
    had no way to help. Now: the app and codes stop working, every session and API
    token ends, the holder is told by e-mail, the reason is in the audit log."""
    from django.core import mail
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from nextgen.signon.models.mfa import BackupCode
    from tests.commits import run_on_commit

    mary = mary_with_mfa
    victim = Client()
    victim.force_login(mary)
    issue_token(acting=None, account=mary, request=RequestFactory().get("/"))
    page = psc_client.get(account_url("sc_account", mary)).content.decode()
    assert "Turn off multi-factor authentication" in page
    with run_on_commit():
        response = psc_client.post(
            account_url("sc_mfa_reset", mary), {"mfa-reason": "Called; verified date of birth"}
        )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=mary).exists()
    assert not BackupCode.objects.filter(account=mary).exists()
    assert victim.get(reverse("signon:manage")).status_code == 302  # signed out
    assert not ApiToken.objects.filter(account=mary, revoked_at__isnull=True).exists()
    event = Event.objects.get(action=Action.MFA_RESET)
    assert event.actor == psc and event.subject == mary
    assert event.details["reason"] == "Called; verified date of birth"
    told = [m for m in mail.outbox if mary.email in m.to]
    assert told and "PACER Service Center turned multi-factor authentication off" in told[-1].body
    page = psc_client.get(account_url("sc_account", mary)).content.decode()
    assert "is turned off; its sessions have ended" in page
    assert "MFA turned off by the Service Center" in page  # on the audit trail
    assert 'action="' + account_url("sc_mfa_reset", mary) not in page  # nothing left to reset


def test_turning_off_mfa_needs_a_reason_and_changes_nothing_without_one(psc_client, mary_with_mfa):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    response = psc_client.post(account_url("sc_mfa_reset", mary_with_mfa), {"mfa-reason": " "})
    assert response.status_code == 400
    assert 'href="#id_mfa-reason">Reason</a>' in response.content.decode()
    assert TOTPDevice.objects.filter(user=mary_with_mfa).exists()
    assert not Event.objects.filter(action=Action.MFA_RESET).exists()


def test_an_account_without_mfa_or_the_staff_members_own_is_refused(psc_client, psc, mary):
    from tests.signon.test_mfa import enroll

    response = psc_client.post(account_url("sc_mfa_reset", mary), {"mfa-reason": "x"}, follow=True)
    assert "not turned on for this account; nothing was changed" in response.content.decode()
    enroll(psc)
    with_passcode(psc_client, psc)  # enrolling ended the staff member's other sessions
    response = psc_client.post(account_url("sc_mfa_reset", psc), {"mfa-reason": "x"}, follow=True)
    assert "your own account" in response.content.decode()
    assert not Event.objects.filter(action=Action.MFA_RESET).exists()


@pytest.mark.parametrize("who", ["attorney", "court staff"])
def test_only_the_service_center_turns_off_someone_elses_mfa(who, mary_with_mfa):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = signed_in_without_the_role(who)
    url = account_url("sc_mfa_reset", mary_with_mfa)
    assert client.post(url, {"mfa-reason": "x"}).status_code == 404
    assert TOTPDevice.objects.filter(user=mary_with_mfa).exists()


def test_after_the_reset_the_holder_signs_in_with_the_password_alone(psc_client, mary_with_mfa):
    holder = Client()
    holder.get("/csologin/login/")
    before = holder.post("/csologin/login/", {"username": "mlawyer", "password": PASSWORD})
    assert "_auth_user_id" not in holder.session  # a passcode is asked first
    assert before["Location"] == reverse("signon:login_otp")
    psc_client.post(account_url("sc_mfa_reset", mary_with_mfa), {"mfa-reason": "Verified"})
    holder = Client()
    holder.get("/csologin/login/")
    response = holder.post("/csologin/login/", {"username": "mlawyer", "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in holder.session


def test_a_password_only_service_center_session_opens_nothing(psc, mary_with_mfa):
    """Attack: a Service Center member who put off MFA set-up (or whose password was
    phished) signs in with the password alone and turns off an account's MFA. The
    Service Center pages, like the administration's, need the passcode."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(psc)  # no second factor in this session
    page = client.get(account_url("sc_account", mary_with_mfa))
    assert page.status_code == 403 and "one-time passcode" in page.content.decode()
    for name in ("sc_mfa_reset", "sc_deactivate"):
        assert (
            client.post(
                account_url(name, mary_with_mfa), {"mfa-reason": "x", "reason": "x"}
            ).status_code
            == 403
        )
    assert client.get(reverse("signon:service_center"), {"q": "mary"}).status_code == 403
    assert TOTPDevice.objects.filter(user=mary_with_mfa).exists()
    mary_with_mfa.refresh_from_db()
    assert mary_with_mfa.is_active


@pytest.mark.parametrize("power", ["is_superuser", "is_staff", "is_service_center"])
def test_an_account_with_powers_over_others_keeps_its_mfa(psc_client, power):
    """Attack: a Service Center session turns off an administrator's or a peer's MFA,
    and whoever has that password sets up their own authenticator at the next sign-in."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.signon.test_mfa import enroll

    powerful = AccountFactory(username="powerful", **{power: True})
    enroll(powerful)
    response = psc_client.post(
        account_url("sc_mfa_reset", powerful), {"mfa-reason": "Says they lost it"}, follow=True
    )
    assert "Ask the system&#x27;s operators" in response.content.decode()
    assert TOTPDevice.objects.filter(user=powerful).exists()
    assert not Event.objects.filter(action=Action.MFA_RESET).exists()


def test_a_filer_sets_mfa_up_again_at_the_next_sign_in(psc_client, mary_with_mfa):
    """A filer must use MFA: after the reset, the next sign-in goes to set-up at once,
    with no skips (one who never skipped had three password-only sign-ins)."""
    from tests.factories import FilerAccountFactory

    FilerAccountFactory(account=mary_with_mfa, court=CourtFactory(go_live=dt.date(2020, 1, 1)))
    psc_client.post(account_url("sc_mfa_reset", mary_with_mfa), {"mfa-reason": "Verified"})
    holder = Client()
    holder.get("/csologin/login/")
    response = holder.post("/csologin/login/", {"username": "mlawyer", "password": PASSWORD})
    assert response["Location"] == reverse("signon:login_mfa_setup")
    assert "_auth_user_id" not in holder.session
    setup = holder.get(reverse("signon:login_mfa_setup")).content.decode()
    assert "You may put this off" not in setup


def test_a_reason_left_out_is_named_by_the_mfa_form_and_what_was_typed_elsewhere_kept(
    psc_client, mary_with_mfa
):
    html = psc_client.post(
        account_url("sc_mfa_reset", mary_with_mfa), {"mfa-reason": " "}
    ).content.decode()
    mfa_section = html[html.index('id="mfa-heading"') :]
    assert 'href="#id_mfa-reason">Reason</a>' in mfa_section
    assert 'aria-describedby="id_mfa-reason_error id_mfa-reason_hint"' in mfa_section
    deactivate_section = html[: html.index('id="mfa-heading"')]
    assert "id_mfa-reason" not in deactivate_section


def test_the_reset_needs_a_post(psc_client, mary_with_mfa, client):
    assert psc_client.get(account_url("sc_mfa_reset", mary_with_mfa)).status_code == 405
    response = client.post(account_url("sc_mfa_reset", mary_with_mfa), {"mfa-reason": "x"})
    assert response.status_code == 302 and response["Location"].startswith("/csologin/login/")


def test_a_staff_members_own_page_offers_no_reset(psc_client, psc):
    from tests.signon.test_mfa import enroll

    enroll(psc)
    with_passcode(psc_client, psc)
    page = psc_client.get(account_url("sc_account", psc)).content.decode()
    assert account_url("sc_mfa_reset", psc) not in page


@pytest.mark.parametrize("power", ["is_superuser", "is_service_center"])
def test_an_account_with_powers_over_others_is_not_deactivated_or_reactivated_here(
    psc_client, power
):
    powerful = AccountFactory(username="powerful", **{power: True})
    response = psc_client.post(account_url("sc_deactivate", powerful), {"reason": "because"})
    powerful.refresh_from_db()
    assert powerful.is_active and response.status_code == 302  # back, with the refusal
    powerful.is_active = False
    powerful.save(update_fields=["is_active"])  # an administrator deactivated it
    psc_client.post(account_url("sc_reactivate", powerful), {"reason": "because"})
    powerful.refresh_from_db()
    assert not powerful.is_active
