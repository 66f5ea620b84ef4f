"""Upgrading a Legacy PACER Account: Manage My Account → Upgrade → Person → Address →
Security → Submit, all or nothing."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from nextgen.audit.models import Event
from nextgen.signon import notices
from nextgen.signon.flows.upgrade import AlreadyUpgraded, upgrade_account
from nextgen.signon.models import Account
from tests.factories import PASSWORD, AccountFactory
from tests.signon.wizard_input import NEW_PASSWORD
from tests.signon.wizard_input import security as typed_security

# The upgrade's Security step asks for the current password first.
SECURITY = typed_security(current_password=PASSWORD)


def security(**changes: str) -> dict[str, str]:
    return {**SECURITY, **changes}


pytestmark = pytest.mark.django_db

MANAGE_URL = reverse("signon:manage")
PERSON_URL = reverse("signon:upgrade")
ADDRESS_URL = reverse("signon:upgrade_address")
SECURITY_URL = reverse("signon:upgrade_security")

LINDA = {
    "first_name": "Linda",
    "last_name": "Legacy-Perez",
    "date_of_birth": "1980-05-17",
    "email": "linda@example.com",
    "user_type": "attorney",
}
LINDA_ADDRESS = {
    "firm": "Legacy Law",
    "address": "2 Elm Street",
    "city": "Hartford",
    "state": "CT",
    "county": "Hartford",
    "zip_code": "06103",
    "country": "United States",
    "phone": "860-555-0199",
}


@pytest.fixture
def signed_in(client, legacy_account, login):
    login(legacy_account)
    legacy_account.refresh_from_db()  # as it is once signed in (last_login)
    return legacy_account


def walk(client, *, through: str = "address"):
    client.get(PERSON_URL)
    assert client.post(PERSON_URL, LINDA)["Location"] == ADDRESS_URL
    if through == "address":
        assert client.post(ADDRESS_URL, LINDA_ADDRESS)["Location"] == SECURITY_URL


def upgrade(client, **changes):
    walk(client)
    return client.post(SECURITY_URL, security(**changes))


def html_of(response) -> str:
    return response.content.decode()


def unchanged(account: Account) -> bool:
    """Every column of the account is as it was in `account`."""
    fresh = Account.objects.get(pk=account.pk)
    fields = [f.attname for f in Account._meta.concrete_fields]
    return all(getattr(fresh, f) == getattr(account, f) for f in fields)


class TestManageMyAccount:
    def test_a_legacy_account_sees_its_type_and_an_upgrade_button(self, client, signed_in):
        html = html_of(client.get(MANAGE_URL))
        assert '<dt>Account Type</dt><dd id="account-type">Legacy PACER Account</dd>' in html
        assert f'<form method="get" action="{PERSON_URL}">' in html
        assert ">Upgrade</button>" in html
        assert notices.LEGACY_MUST_UPGRADE in html

    def test_an_upgraded_account_has_no_upgrade_button(self, client, account, login):
        login(account)
        html = html_of(client.get(MANAGE_URL))
        assert '<dt>Account Type</dt><dd id="account-type">Upgraded PACER Account</dd>' in html
        assert ">Upgrade</button>" not in html


class TestWhoMayUpgrade:
    def test_only_a_signed_in_account_may_upgrade(self, client, legacy_account):
        for url in (PERSON_URL, ADDRESS_URL, SECURITY_URL):
            response = client.get(url)
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("signon:login"))
        assert client.post(SECURITY_URL, SECURITY).status_code == 302
        assert unchanged(legacy_account)

    def test_an_upgraded_account_gets_a_message_instead_of_the_wizard(self, client, account, login):
        login(account)
        for url in (PERSON_URL, ADDRESS_URL, SECURITY_URL):
            response = client.get(url, follow=True)
            assert response.redirect_chain[-1][0] == MANAGE_URL
            assert notices.ALREADY_UPGRADED in html_of(response)


class TestTheSteps:
    def test_person_starts_from_what_the_account_holds(self, client, signed_in):
        html = html_of(client.get(PERSON_URL))
        for words in [
            "Upgrade Your PACER Account",
            "usa-step-indicator",
            'segment-label">Person',
            'segment-label">Address',
            'segment-label">Security',
            'value="Linda"',
            'value="Legacy"',
            'value="1980-05-17"',
            'value="llegacy@example.com"',
            '<option value="attorney" selected>Attorney</option>',
            ">Next<",
        ]:
            assert words in html, words

    def test_address_starts_from_what_the_account_holds(self, client, signed_in):
        walk(client, through="person")
        html = html_of(client.get(ADDRESS_URL))
        for words in ['value="1 Main Street"', 'value="Hartford"', 'value="06103"', ">Back<"]:
            assert words in html, words

    def test_security_asks_for_a_new_user_name_password_and_questions(self, client, signed_in):
        walk(client)
        html = html_of(client.get(SECURITY_URL))
        for words in ["Username *", "Password *", "Password again *", "Security Question 1 *"]:
            assert words in html, words
        assert ">Submit<" in html


class TestUpgrading:
    def test_submit_upgrades_the_account_and_replaces_its_credentials(self, client, signed_in):
        response = upgrade(client)
        assert response["Location"] == MANAGE_URL
        account = Account.objects.get(pk=signed_in.pk)
        assert not account.is_legacy
        assert account.username == "mrivera"
        assert account.check_password(NEW_PASSWORD)
        assert not account.check_password(PASSWORD)
        assert account.check_security_answer(1, "canela")
        assert account.check_security_answer(2, "Ponce")
        assert "Canela" not in account.security_answer_1
        assert (account.last_name, account.email, account.firm, account.phone) == (
            "Legacy-Perez",
            "linda@example.com",
            "Legacy Law",
            "860-555-0199",
        )
        assert account.created_at == signed_in.created_at

    def test_the_account_then_shows_as_upgraded_and_stays_signed_in(self, client, signed_in):
        response = upgrade(client)
        page = client.get(response["Location"])
        assert page.status_code == 200
        html = html_of(page)
        assert '<dt>Account Type</dt><dd id="account-type">Upgraded PACER Account</dd>' in html
        assert notices.UPGRADED in html
        assert notices.LEGACY_MUST_UPGRADE not in html
        assert ">Upgrade</button>" not in html

    def test_other_sessions_of_the_account_are_signed_out(self, client, signed_in):
        other = Client()
        other.get(reverse("signon:login"))
        other.post(reverse("signon:login"), {"username": "llegacy", "password": PASSWORD})
        assert other.get(MANAGE_URL).status_code == 200
        upgrade(client)
        assert other.get(MANAGE_URL).status_code == 302
        assert client.get(MANAGE_URL).status_code == 200

    def test_the_new_user_name_and_password_sign_in_and_the_old_ones_do_not(
        self, client, signed_in, login
    ):
        upgrade(client)
        client.post(reverse("signon:logout"))
        fresh = Client()
        fresh.get(reverse("signon:login"))
        old = fresh.post(reverse("signon:login"), {"username": "llegacy", "password": PASSWORD})
        assert notices.INVALID_LOGIN in html_of(old)
        new = fresh.post(reverse("signon:login"), {"username": "MRIVERA", "password": NEW_PASSWORD})
        assert new.status_code == 302
        assert fresh.session["_auth_user_id"] == str(signed_in.pk)

    def test_the_upgrade_is_audited_without_password_or_answers(self, client, signed_in):
        upgrade(client)
        event = Event.objects.get(action="account.upgrade")
        assert (event.actor_id, event.subject_id, event.outcome) == (
            signed_in.pk,
            signed_in.pk,
            "success",
        )
        assert event.details["old_username"] == "llegacy"
        assert event.details["new_username"] == "mrivera"
        assert set(event.details["changed"]) == {
            "last_name",
            "email",
            "firm",
            "address",
            "county",
            "phone",
        }
        everything = str(list(Event.objects.values()))
        for secret in (NEW_PASSWORD, "Canela", "Ponce"):
            assert secret not in everything

    def test_an_account_may_keep_its_own_user_name(self, client, signed_in):
        response = upgrade(client, username="LLegacy")
        assert response["Location"] == MANAGE_URL
        assert Account.objects.get(pk=signed_in.pk).username == "LLegacy"

    def test_a_wizard_left_in_the_session_by_another_account_is_not_used(self, client, signed_in):
        walk(client)
        session = client.session
        key = "nextgen_wizard:upgrade"
        session[key] = {**session[key], "owner": signed_in.pk + 1000}
        session.save()
        assert client.get(SECURITY_URL)["Location"] == PERSON_URL


class TestAttacks:
    def test_steps_cannot_be_skipped_or_reordered(self, client, signed_in):
        client.get(MANAGE_URL)
        assert client.get(ADDRESS_URL)["Location"] == PERSON_URL
        assert client.get(SECURITY_URL)["Location"] == PERSON_URL
        assert client.post(SECURITY_URL, SECURITY)["Location"] == PERSON_URL
        walk(client, through="person")
        assert client.get(SECURITY_URL)["Location"] == ADDRESS_URL
        assert client.post(SECURITY_URL, SECURITY)["Location"] == ADDRESS_URL
        assert unchanged(signed_in)
        assert not Event.objects.filter(action="account.upgrade").exists()

    def test_an_abandoned_upgrade_changes_nothing(self, client, signed_in):
        walk(client)
        client.post(SECURITY_URL, security(password2="Other#Pass777"))  # refused, then left
        client.get(MANAGE_URL)
        assert unchanged(signed_in)
        assert not Event.objects.filter(action="account.upgrade").exists()
        html = html_of(client.get(MANAGE_URL))
        assert '<dt>Account Type</dt><dd id="account-type">Legacy PACER Account</dd>' in html

    def test_a_finished_upgrade_cannot_be_replayed(self, client, signed_in):
        upgrade(client)
        replay = client.post(SECURITY_URL, security(username="someone-else"), follow=True)
        assert replay.redirect_chain[-1][0] == MANAGE_URL
        assert notices.ALREADY_UPGRADED in html_of(replay)
        assert Account.objects.get(pk=signed_in.pk).username == "mrivera"
        assert Event.objects.filter(action="account.upgrade").count() == 1

    def test_an_upgrade_finished_in_another_tab_is_not_applied_twice(self, client, signed_in):
        walk(client)
        other = Client()
        other.force_login(signed_in)
        upgrade(other)
        response = client.post(SECURITY_URL, security(username="second-try"))
        # The other tab's upgrade changed the password, so this session has ended.
        assert response.status_code == 302
        assert Account.objects.get(pk=signed_in.pk).username == "mrivera"
        assert Event.objects.filter(action="account.upgrade").count() == 1

    def test_the_flow_refuses_an_account_upgraded_meanwhile(self, signed_in):
        stale = Account.objects.get(pk=signed_in.pk)
        Account.objects.filter(pk=signed_in.pk).update(upgraded_at=dt.datetime.now(tz=dt.UTC))
        with pytest.raises(AlreadyUpgraded):
            upgrade_account(
                acting=stale,
                person=LINDA,
                address=LINDA_ADDRESS,
                username="mrivera",
                password=NEW_PASSWORD,
                security=("first_pet", "a", "birth_city", "b"),
            )
        assert Account.objects.get(pk=signed_in.pk).username == "llegacy"

    def test_an_expired_upgrade_starts_again_from_the_account(
        self, client, signed_in, time_machine
    ):
        time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False)
        walk(client)
        time_machine.shift(dt.timedelta(minutes=31))
        response = client.post(SECURITY_URL, SECURITY, follow=True)
        assert response.redirect_chain[-1][0] == PERSON_URL
        html = html_of(response)
        assert notices.WIZARD_EXPIRED in html
        assert 'value="Legacy"' in html  # what the account holds, not what was typed
        assert unchanged(signed_in)

    def test_a_taken_user_name_is_refused_in_any_letter_case(self, client, signed_in):
        AccountFactory(username="mrivera")
        response = upgrade(client, username="MRIVERA")
        assert response.status_code == 400
        assert f"Username</a>: {notices.USERNAME_TAKEN}" in html_of(response)
        assert unchanged(signed_in)

    @pytest.mark.parametrize(
        ("weak", "rule"),
        [
            ("Sh0rt!", "Password must be at least 8 characters long."),
            ("no-upper-case-1", "Password must include both upper- and lower-case letters."),
            ("NoDigitsOrSpecials", "Password must include a digit or a special character."),
            ("Xmrivera#2026", "Password must not contain your user name."),
            ("Password1", "This password is too common."),
        ],
    )
    def test_each_broken_password_rule_is_named(self, client, signed_in, weak, rule):
        response = upgrade(client, password1=weak, password2=weak)
        assert response.status_code == 400
        html = html_of(response)
        assert f"Password</a>: {rule}" in html
        assert weak not in html
        assert unchanged(signed_in)

    def test_the_password_rules_judge_the_new_user_name_not_the_old(self, client, signed_in):
        # "llegacy" is the old name: a password containing it is fine once the name changes.
        response = upgrade(client, password1="Llegacy#2026x", password2="Llegacy#2026x")
        assert response["Location"] == MANAGE_URL

    def test_the_same_security_question_twice_is_refused(self, client, signed_in):
        response = upgrade(client, question_2="first_pet")
        assert f"Security Question 2</a>: {notices.SECURITY_QUESTIONS_SAME}" in html_of(response)
        assert unchanged(signed_in)

    def test_bad_person_input_is_named_and_kept(self, client, signed_in):
        client.get(PERSON_URL)
        response = client.post(PERSON_URL, {**LINDA, "date_of_birth": "2031-01-01", "email": ""})
        assert response.status_code == 400
        html = html_of(response)
        assert "Date of Birth</a>: Date of Birth must be a date in the past." in html
        assert "E-mail Address</a>: This field is required." in html
        assert 'value="Legacy-Perez"' in html
        assert unchanged(signed_in)


def test_a_user_name_taken_between_the_check_and_the_save_is_named(client, signed_in, monkeypatch):
    from nextgen.signon.forms import person

    walk(client)
    monkeypatch.setattr(person, "username_taken", lambda *a, **k: False)
    AccountFactory(username="MRIVERA")
    response = client.post(SECURITY_URL, SECURITY)
    assert response.status_code == 400
    assert f"Username</a>: {notices.USERNAME_TAKEN}" in response.content.decode()
    assert unchanged(signed_in)


@pytest.mark.frozen_clock
def test_user_name_checks_on_upgrade_are_throttled_per_client_as_on_registration(client, signed_in):
    AccountFactory(username="target-name")
    walk(client)
    for n in range(10):
        response = client.post(SECURITY_URL, security(username=f"probe{n}", password2="x"))
        assert response.status_code == 400, n
    response = client.post(SECURITY_URL, security(username="target-name", password2="x"))
    assert response.status_code == 429
    assert notices.USERNAME_TAKEN not in html_of(response)
    refused = Event.objects.get(action="account.create", outcome="refused")
    assert refused.details["via"] == "upgrade"


def test_the_security_answers_are_never_shown_back(client, signed_in):
    response = upgrade(client, password2="x", answer_1="SecretPetRex", answer_2="SecretCity")
    assert response.status_code == 400
    assert "SecretPetRex" not in html_of(response) and "SecretCity" not in html_of(response)


def test_a_wrong_current_password_upgrades_nothing_and_names_the_field(client, signed_in):
    response = upgrade(client, current_password="Wrong#Guess1")
    assert response.status_code == 400
    html = html_of(response)
    assert notices.WRONG_CURRENT_PASSWORD in html.replace("&#x27;", "'")
    assert "Wrong#Guess1" not in html
    assert unchanged(signed_in)
    failed = Event.objects.get(action="account.upgrade", outcome="failure")
    assert failed.details == {"reason": "wrong current password"}


def test_an_upgrade_that_changes_the_email_tells_the_old_address(client, signed_in):
    from django.core import mail

    from tests.commits import run_on_commit

    old = signed_in.email
    with run_on_commit():
        assert upgrade(client).status_code == 302
    assert Account.objects.get(pk=signed_in.pk).email == LINDA["email"] != old
    assert [m.to for m in mail.outbox if "e-mail address" in m.subject] == [[old]]


def test_the_current_password_is_kept_out_of_error_reports(client, signed_in):
    from django.views.debug import SafeExceptionReporterFilter

    walk(client)
    response = client.post(SECURITY_URL, security(password2="mismatch"))
    assert response.status_code == 400
    shown = SafeExceptionReporterFilter().get_post_parameters(response.wsgi_request)
    assert shown["current_password"] != PASSWORD
