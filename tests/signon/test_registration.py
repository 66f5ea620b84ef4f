"""Need an Account?: registration through Person, Address and Security, then signed in."""

import datetime as dt

import pytest
from django.urls import reverse

from nextgen.audit.models import Event
from nextgen.signon import notices
from nextgen.signon.flows.registration import REGISTRATION
from nextgen.signon.models import Account
from tests.factories import AccountFactory
from tests.signon.wizard_input import ADDRESS, NEW_PASSWORD, PERSON, SECURITY, security

pytestmark = pytest.mark.django_db

PERSON_URL = reverse("signon:register")
ADDRESS_URL = reverse("signon:register_address")
SECURITY_URL = reverse("signon:register_security")
DONE_URL = reverse("signon:register_done")


def walk(client, *, through: str = "address", next_url: str | None = None):
    """Open the registration and complete the steps up to and including `through`."""
    client.get(PERSON_URL, {"next": next_url} if next_url else {})
    response = client.post(PERSON_URL, PERSON)
    assert response.status_code == 302, response.content.decode()
    if through == "address":
        response = client.post(ADDRESS_URL, ADDRESS)
        assert response.status_code == 302, response.content.decode()
    return response


def register(client, **changes):
    walk(client)
    return client.post(SECURITY_URL, security(**changes))


def errors_of(response) -> str:
    return response.content.decode()


class TestThePages:
    def test_the_person_step_asks_for_the_person_and_shows_the_three_steps(self, client):
        html = client.get(PERSON_URL).content.decode()
        for words in [
            "Register for a PACER Account",
            "usa-step-indicator",
            'segment-label">Person',
            'segment-label">Address',
            'segment-label">Security',
            "First Name *",
            "Last Name *",
            "Date of Birth *",
            "E-mail Address *",
            "User Type *",
            "Attorney",
            "Non-attorney filer",
            "Pro se filer",
            "Case search only",
            ">Next<",
        ]:
            assert words in html, words
        assert ">Back<" not in html
        assert ">Submit<" not in html

    def test_the_address_step_has_the_address_fields_and_a_back_button(self, client):
        walk(client, through="person")
        html = client.get(ADDRESS_URL).content.decode()
        for words in [
            "Firm Name",
            "Address *",
            "City *",
            "State *",
            "County",
            "Zip Code *",
            "Country *",
            "Primary Phone *",
            ">Back<",
            ">Next<",
        ]:
            assert words in html, words
        assert 'aria-current="step"' in html

    def test_the_security_step_asks_for_user_name_password_and_two_questions(self, client):
        walk(client)
        html = client.get(SECURITY_URL).content.decode()
        for words in [
            "Username *",
            "Password *",
            "Password again *",
            "Security Question 1 *",
            "Answer 1 *",
            "Security Question 2 *",
            "Answer 2 *",
            "What was the name of your first pet?",
            ">Back<",
            ">Submit<",
        ]:
            assert words in html, words
        # The password rules come from settings and are shown before the person types.
        assert "upper- &amp; lower-case letters" in html

    def test_the_nav_and_the_login_page_lead_to_registration(self, client):
        assert PERSON_URL in client.get(reverse("signon:login")).content.decode()


class TestRegistering:
    def test_the_three_steps_create_an_upgraded_account_and_sign_the_person_in(self, client):
        walk(client)
        before = client.session.session_key
        response = client.post(SECURITY_URL, SECURITY)
        assert response.status_code == 302
        assert response["Location"] == DONE_URL

        account = Account.objects.get(username="mrivera")
        assert not account.is_legacy
        assert account.upgraded_at is not None
        assert (account.first_name, account.last_name, account.email) == (
            "Maria",
            "Rivera",
            "maria.rivera@example.com",
        )
        assert account.date_of_birth == dt.date(1984, 2, 29)
        assert account.user_type == "attorney"
        assert (account.firm, account.city, account.zip_code, account.phone) == (
            "Rivera & Cruz LLP",
            "San Juan",
            "00918",
            "787-555-0142",
        )
        assert account.check_password(NEW_PASSWORD)
        assert client.session["_auth_user_id"] == str(account.pk)
        assert client.session.session_key != before  # a new session: no fixation

    def test_the_confirmation_shows_the_new_account_once(self, client):
        register(client)
        html = client.get(DONE_URL).content.decode()
        assert notices.REGISTERED in html
        assert "mrivera" in html
        assert '<dt>Account Type</dt><dd id="account-type">Upgraded PACER Account</dd>' in html
        assert f'href="{reverse("signon:manage")}"' in html
        assert client.get(DONE_URL)["Location"] == reverse("signon:manage")

    def test_security_answers_are_stored_hashed_and_checked_ignoring_case(self, client):
        register(client)
        account = Account.objects.get(username="mrivera")
        assert (account.security_question_1, account.security_question_2) == (
            "first_pet",
            "birth_city",
        )
        assert "Canela" not in account.security_answer_1
        assert "Ponce" not in account.security_answer_2
        assert account.check_security_answer(1, "  canela ")
        assert account.check_security_answer(2, "PONCE")

    def test_nothing_is_written_before_the_last_step_is_submitted(self, client):
        walk(client)
        assert not Account.objects.exists()
        assert not Event.objects.exists()

    def test_the_creation_is_audited_without_password_or_answers(self, client):
        register(client)
        account = Account.objects.get(username="mrivera")
        created = Event.objects.get(action="account.create")
        assert (created.actor, created.subject, created.outcome) == (account, account, "success")
        assert created.details["via"] == "registration"
        assert created.details["legacy"] is False
        everything = str(list(Event.objects.values()))
        for secret in (NEW_PASSWORD, "Canela", "Ponce"):
            assert secret not in everything

    def test_a_safe_return_url_is_carried_through_the_steps(self, client):
        walk(client, next_url="/csologin/account/")
        client.post(SECURITY_URL, SECURITY)
        html = client.get(DONE_URL).content.decode()
        assert 'href="/csologin/account/"' in html

    @pytest.mark.parametrize(
        "target",
        ["https://evil.example.com/", "//evil.example.com/", "/\\evil.example.com", "/nowhere/"],
    )
    def test_an_off_site_return_url_is_ignored(self, client, target):
        walk(client, next_url=target)
        client.post(SECURITY_URL, SECURITY)
        html = client.get(DONE_URL).content.decode()
        assert "evil.example.com" not in html
        assert "/nowhere/" not in html
        assert f'href="{reverse("signon:manage")}"' in html

    def test_a_signed_in_person_is_sent_to_their_account_instead(self, client, account, login):
        login(account)
        response = client.get(PERSON_URL, follow=True)
        assert response.redirect_chain[-1][0] == reverse("signon:manage")
        assert notices.REGISTER_SIGNED_IN in response.content.decode()

    def test_the_new_account_can_sign_in_again(self, client, login):
        register(client)
        client.post(reverse("signon:logout"))
        response = login(Account.objects.get(username="mrivera"), pw=NEW_PASSWORD)
        assert response.status_code == 302
        assert "_auth_user_id" in client.session


class TestStepOrder:
    def test_a_later_step_opened_first_leads_back_to_person(self, client):
        for url in (ADDRESS_URL, SECURITY_URL):
            response = client.get(url)
            assert response.status_code == 302
            assert response["Location"] == PERSON_URL

    def test_posting_the_last_step_without_the_others_creates_nothing(self, client):
        client.get(PERSON_URL)
        response = client.post(SECURITY_URL, SECURITY)
        assert response["Location"] == PERSON_URL
        assert not Account.objects.exists()

    def test_security_cannot_be_reached_by_skipping_address(self, client):
        walk(client, through="person")
        assert client.get(SECURITY_URL)["Location"] == ADDRESS_URL
        response = client.post(SECURITY_URL, SECURITY)
        assert response["Location"] == ADDRESS_URL
        assert not Account.objects.exists()

    def test_an_unknown_step_is_not_found(self, client):
        from django.http import Http404

        from nextgen.signon.views.registration import PAGES
        from nextgen.signon.views.wizard import step_page

        request = client.get(PERSON_URL).wsgi_request
        with pytest.raises(Http404):
            step_page(request, PAGES, "billing")

    def test_back_returns_to_an_earlier_step_with_what_was_typed(self, client):
        walk(client)
        html = client.get(PERSON_URL).content.decode()
        assert 'value="Maria"' in html
        assert 'value="1984-02-29"' in html
        html = client.get(ADDRESS_URL).content.decode()
        assert 'value="150 Carlos Chardon Street"' in html

    def test_changing_an_earlier_step_goes_on_where_the_person_was(self, client):
        walk(client)
        response = client.post(PERSON_URL, {**PERSON, "first_name": "Mariana"})
        assert response["Location"] == SECURITY_URL
        client.post(SECURITY_URL, SECURITY)
        assert Account.objects.get(username="mrivera").first_name == "Mariana"

    def test_a_finished_registration_cannot_be_replayed(self, client):
        register(client)
        replay = client.post(SECURITY_URL, security(username="mrivera2"))
        assert replay.status_code == 302
        assert Account.objects.count() == 1
        # Even signed out, the finished journey is gone: the replay starts from Person.
        client.post(reverse("signon:logout"))
        replay = client.post(SECURITY_URL, security(username="mrivera3"))
        assert replay["Location"] == PERSON_URL
        assert Account.objects.count() == 1

    def test_an_expired_registration_starts_again(self, client, time_machine):
        time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False)
        walk(client)
        time_machine.shift(dt.timedelta(minutes=31))
        response = client.post(SECURITY_URL, SECURITY, follow=True)
        assert response.redirect_chain[-1][0] == PERSON_URL
        html = response.content.decode()
        assert notices.WIZARD_EXPIRED in html
        assert 'value="Maria"' not in html
        assert not Account.objects.exists()
        assert client.get(ADDRESS_URL)["Location"] == PERSON_URL

    def test_each_completed_step_gives_another_thirty_minutes(self, client, time_machine):
        time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False)
        walk(client, through="person")
        time_machine.shift(dt.timedelta(minutes=25))
        assert client.post(ADDRESS_URL, ADDRESS)["Location"] == SECURITY_URL
        time_machine.shift(dt.timedelta(minutes=25))
        assert client.post(SECURITY_URL, SECURITY)["Location"] == DONE_URL

    def test_the_wizard_is_one_session_object_without_secrets(self, client):
        walk(client)
        client.post(SECURITY_URL, security(password2="Mismatch#999"))
        session = dict(client.session)
        keys = [k for k in session if k.startswith("nextgen_wizard")]
        assert keys == [REGISTRATION.wizard.session_key]
        stored = str(session[keys[0]])
        assert "Maria" in stored
        assert NEW_PASSWORD not in stored and "Canela" not in stored


class TestBadInput:
    def test_missing_person_fields_are_each_named(self, client):
        client.get(PERSON_URL)
        response = client.post(PERSON_URL, {})
        html = errors_of(response)
        assert response.status_code == 400
        for label in ("First Name", "Last Name", "Date of Birth", "E-mail Address", "User Type"):
            assert f"{label}</a>: This field is required." in html, label

    def test_bad_input_keeps_what_was_typed(self, client):
        client.get(PERSON_URL)
        html = errors_of(client.post(PERSON_URL, {**PERSON, "email": "maria@"}))
        assert "E-mail Address</a>: Enter a valid email address." in html
        assert 'value="Maria"' in html and 'value="maria@"' in html
        assert 'aria-invalid="true"' in html
        assert client.get(ADDRESS_URL)["Location"] == PERSON_URL

    @pytest.mark.parametrize(
        ("typed", "message"),
        [
            ("1984-02-30", "Enter a valid date."),
            ("2023-13-01", "Enter a valid date."),
            ("yesterday", "Enter a valid date."),
            ("99999-01-01", "Enter a valid date."),
            ("2999-01-01", "Date of Birth must be a date in the past."),
            ("1850-06-01", "Date of Birth must be after 01/01/1900."),
        ],
    )
    def test_the_date_of_birth_must_be_a_real_past_date(self, client, typed, message):
        client.get(PERSON_URL)
        response = client.post(PERSON_URL, {**PERSON, "date_of_birth": typed})
        assert response.status_code == 400
        assert f"Date of Birth</a>: {message}" in errors_of(response)

    def test_today_is_not_a_date_of_birth(self, client):
        from django.utils import timezone

        client.get(PERSON_URL)
        today = timezone.localdate().isoformat()
        response = client.post(PERSON_URL, {**PERSON, "date_of_birth": today})
        assert "Date of Birth</a>: Date of Birth must be a date in the past." in errors_of(response)

    def test_a_date_typed_the_american_way_is_understood(self, client):
        client.get(PERSON_URL)
        client.post(PERSON_URL, {**PERSON, "date_of_birth": "02/29/1984"})
        assert client.get(ADDRESS_URL).status_code == 200

    def test_an_unknown_user_type_is_refused(self, client):
        client.get(PERSON_URL)
        html = errors_of(client.post(PERSON_URL, {**PERSON, "user_type": "judge"}))
        assert "User Type</a>: Select a valid choice." in html

    def test_a_bad_phone_number_is_named(self, client):
        walk(client, through="person")
        response = client.post(ADDRESS_URL, {**ADDRESS, "phone": "call me"})
        assert response.status_code == 400
        html = errors_of(response)
        assert "Primary Phone</a>: Primary Phone must be a telephone number" in html
        assert 'value="150 Carlos Chardon Street"' in html

    def test_a_taken_user_name_is_refused_in_any_letter_case(self, client):
        AccountFactory(username="mrivera")
        response = register(client, username="MRivera")
        assert response.status_code == 400
        html = errors_of(response)
        assert f"Username</a>: {notices.USERNAME_TAKEN}" in html
        assert 'value="MRivera"' in html
        assert NEW_PASSWORD not in html
        assert Account.objects.count() == 1

    @pytest.mark.parametrize(
        ("weak", "rules"),
        [
            ("Ab1", ["Password must be at least 8 characters long."]),
            ("lowercase#only1", ["Password must include both upper- and lower-case letters."]),
            ("NoDigitsOrSpecials", ["Password must include a digit or a special character."]),
            ("MRivera#2026", ["Password must not contain your user name."]),
            ("Password1", ["This password is too common."]),
            (
                "abc",
                [
                    "Password must be at least 8 characters long.",
                    "Password must include both upper- and lower-case letters.",
                    "Password must include a digit or a special character.",
                ],
            ),
        ],
    )
    def test_each_broken_password_rule_is_named(self, client, weak, rules):
        response = register(client, password1=weak, password2=weak)
        assert response.status_code == 400
        html = errors_of(response)
        for rule in rules:
            assert f"Password</a>: {rule}" in html, rule
        assert weak not in html.replace('value="mrivera"', "")
        assert not Account.objects.exists()

    def test_the_two_passwords_must_match(self, client):
        response = register(client, password2="Bright#Meadow43")
        assert "Password again</a>: The two passwords do not match." in errors_of(response)
        assert not Account.objects.exists()

    def test_the_same_security_question_twice_is_refused(self, client):
        response = register(client, question_2="first_pet")
        html = errors_of(response)
        assert f"Security Question 2</a>: {notices.SECURITY_QUESTIONS_SAME}" in html
        assert not Account.objects.exists()

    def test_a_failed_security_step_keeps_the_user_name_and_answers_never_the_password(
        self, client
    ):
        html = errors_of(register(client, question_2="first_pet"))
        assert 'value="mrivera"' in html
        assert NEW_PASSWORD not in html

    @pytest.mark.parametrize(
        "username",
        ["ab", "has space", "semi;colon", "x" * 81, "ünïcode", "null\x00byte", "<script>"],
    )
    def test_an_unusable_user_name_is_named_not_a_server_error(self, client, username):
        response = register(client, username=username)
        assert response.status_code == 400
        assert "Username</a>:" in errors_of(response)
        assert not Account.objects.exists()

    @pytest.mark.parametrize(
        "field", ["first_name", "last_name", "email", "date_of_birth", "user_type"]
    )
    @pytest.mark.parametrize("value", ["x" * 5000, "\x00", "<b>&amp;</b>", "💥" * 10])
    def test_no_input_causes_a_server_error(self, client, field, value):
        client.get(PERSON_URL)
        response = client.post(PERSON_URL, {**PERSON, field: value})
        assert response.status_code in (302, 400)

    def test_hostile_security_input_causes_no_server_error(self, client):
        walk(client)
        for bad in (
            {"question_1": "not-a-question"},
            {"answer_1": "\x00"},
            {"password1": "x" * 5000, "password2": "x" * 5000},
            {"username": ["a", "b"]},
        ):
            response = client.post(SECURITY_URL, security(**bad))
            assert response.status_code == 400, bad
        assert not Account.objects.exists()


def test_a_user_name_taken_between_the_check_and_the_save_is_named(client, monkeypatch):
    # Two people submitting the same new name at once: the second is told, not a 500.
    from nextgen.signon.forms import person

    walk(client)
    monkeypatch.setattr(person, "username_taken", lambda *a, **k: False)
    AccountFactory(username="MRIVERA")
    response = client.post(SECURITY_URL, SECURITY)
    assert response.status_code == 400
    assert f"Username</a>: {notices.USERNAME_TAKEN}" in response.content.decode()
    assert Account.objects.count() == 1


@pytest.mark.frozen_clock
class TestUserNameProbes:
    """The Security step must say when a user name is taken; the attack was asking it
    about name after name, as fast as one client could post."""

    @pytest.mark.frozen_clock
    def test_user_name_checks_are_throttled_per_client(self, client):
        AccountFactory(username="target-name")
        walk(client)
        for n in range(10):
            response = client.post(SECURITY_URL, security(username=f"probe{n}", password2="x"))
            assert response.status_code == 400, n
        response = client.post(SECURITY_URL, security(username="target-name", password2="x"))
        html = errors_of(response)
        assert response.status_code == 429
        assert "Too many user names have been tried" in html
        assert notices.USERNAME_TAKEN not in html  # no answer while throttled
        assert 'value="target-name"' in html  # what was typed is kept
        refused = Event.objects.get(action="account.create", outcome="refused")
        assert refused.details == {"via": "registration", "reason": "throttled", "count": 1}

    def test_a_new_browser_session_does_not_reset_the_count(self, client):
        from django.test import Client

        walk(client)
        for n in range(10):
            client.post(SECURITY_URL, security(username=f"probe{n}", password2="x"))
        fresh = Client()
        walk(fresh)
        assert fresh.post(SECURITY_URL, security(username="probe-next")).status_code == 429
        assert not Account.objects.filter(username="probe-next").exists()

    def test_another_client_is_not_held_back(self, client):
        from django.test import Client

        walk(client)
        for n in range(10):
            client.post(SECURITY_URL, security(username=f"probe{n}", password2="x"))
        other = Client(REMOTE_ADDR="198.51.100.77")
        walk(other)
        assert other.post(SECURITY_URL, security(username="newperson")).status_code == 302
        assert Account.objects.filter(username="newperson").exists()


def test_the_security_answers_are_never_shown_back(client):
    AccountFactory(username="mrivera")
    response = register(client, answer_1="SecretPetRex", answer_2="SecretCityPonce")
    assert response.status_code == 400  # the user name is taken
    html = response.content.decode()
    assert "SecretPetRex" not in html and "SecretCityPonce" not in html
