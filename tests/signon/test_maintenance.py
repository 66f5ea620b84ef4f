"""Manage My Account → Maintenance and settings: personal data, address, password, security
questions, client code (exemptions and billing history: tests/fees). Seed 002 ("How do I
update my personal information") and seed 000's Utilities "Your Account" list."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from nextgen.audit.models import Event
from nextgen.signon import notices
from nextgen.signon.flows import maintenance as flow
from nextgen.signon.models import Account
from tests.commits import run_on_commit

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Brand#New2026"
PAGES = [
    ("personal_info", "Personal Information"),
    ("address_info", "Update Address Information"),
    ("change_password", "Change Password"),
    ("security_questions", "Update Security Questions"),
    ("client_code", "Change Client Code"),
]
ADDRESS = {
    "firm": "Attorney & Associates",
    "address": "1 Main Street",
    "city": "Hartford",
    "state": "CT",
    "county": "Hartford",
    "zip_code": "06103",
    "country": "United States",
    "phone": "860-555-0100",
}


def url(name: str, **query: str) -> str:
    from urllib.parse import urlencode

    base = reverse(f"signon:{name}")
    return f"{base}?{urlencode(query)}" if query else base


@pytest.fixture
def signed_in(client, account, login):
    login(account)
    return client


def fresh(account: Account) -> Account:
    return Account.objects.get(pk=account.pk)


def personal(**overrides: str) -> dict[str, str]:
    """The Personal Information form as the `account` fixture fills it (same e-mail)."""
    return {
        "first_name": "John",
        "last_name": "Attorney",
        "email": "jattorney@example.com",
        **overrides,
    }


# --- every page --------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "title"), PAGES)
def test_every_page_needs_a_signed_in_account(client, db, name, title):
    response = client.get(url(name))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('signon:login')}?next={reverse(f'signon:{name}')}"


@pytest.mark.parametrize(("name", "title"), PAGES)
def test_every_page_is_titled_with_its_link_label(signed_in, name, title):
    response = signed_in.get(url(name))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"<title>{title} | NextGen PACER</title>" in html
    assert f"<h1>{title}</h1>" in html
    assert response["Cache-Control"].startswith("max-age=0")


def test_manage_my_account_links_every_page(signed_in):
    html = signed_in.get(reverse("signon:manage")).content.decode()
    for name, title in PAGES:
        assert f'href="{reverse(f"signon:{name}")}">{title}</a>' in html


@pytest.mark.parametrize(
    "target",
    ["https://evil.example.com/", "//evil.example.com/", "/\\evil.example.com", "/no/such/page/"],
)
def test_an_off_site_next_is_ignored(signed_in, target):
    response = signed_in.post(
        url("address_info"), {**ADDRESS, "phone": "860-555-0199", "next": target}
    )
    assert response["Location"] == url("address_info", done="1")
    html = signed_in.get(response["Location"]).content.decode()
    assert f'href="{reverse("signon:manage")}">Return</a>' in html
    assert "evil" not in html


# --- Personal Information -------------------------------------------------------------


def test_personal_information_shows_the_current_data_and_user_type(signed_in, account):
    html = signed_in.get(url("personal_info")).content.decode()
    assert f'value="{account.email}"' in html
    assert 'value="John"' in html and 'value="Attorney"' in html
    assert "Primary E-mail Address *" in html
    assert '<dd id="user-type">Attorney</dd>' in html


def test_changing_the_e_mail_saves_audits_and_confirms(signed_in, account, password):
    old_email = account.email
    response = signed_in.post(
        url("personal_info"), personal(email="new@example.com", current_password=password)
    )
    assert response.status_code == 302
    assert fresh(account).email == "new@example.com"
    event = Event.objects.get(action="account.personal_info")
    assert event.actor == account and event.subject == account
    assert event.details == {"changes": {"email": {"old": old_email, "new": "new@example.com"}}}
    html = signed_in.get(response["Location"]).content.decode()
    assert notices.PERSONAL_INFO_UPDATED in html
    assert notices.EMAIL_CHANGED in html
    assert f'href="{reverse("signon:manage")}">Return</a>' in html


def test_a_stolen_session_cannot_change_the_e_mail_without_the_password(signed_in, account):
    """The attack: a session alone changes the address, then "Forgot Your Password?"
    mails the thief a reset link. Without the current password nothing changes."""
    with run_on_commit():
        response = signed_in.post(url("personal_info"), personal(email="thief@evil.example"))
    html = response.content.decode()
    assert response.status_code == 400
    assert f"Current Password</a>: {escape(notices.EMAIL_CHANGE_NEEDS_PASSWORD)}" in html
    assert 'value="thief@evil.example"' in html  # what was typed is kept
    assert fresh(account).email == "jattorney@example.com"
    assert not Event.objects.filter(action="account.personal_info").exists()
    assert not mail.outbox


def test_a_wrong_password_does_not_change_the_e_mail_and_counts_as_a_guess(signed_in, account):
    response = signed_in.post(
        url("personal_info"), personal(email="thief@evil.example", current_password="Guess#1234")
    )
    assert response.status_code == 400
    assert escape(notices.WRONG_CURRENT_PASSWORD) in response.content.decode()
    assert fresh(account).email == "jattorney@example.com"
    failure = Event.objects.get(action="account.email_change")
    assert failure.outcome == "failure" and failure.actor == account


@pytest.mark.frozen_clock
def test_wrong_passwords_for_an_e_mail_change_are_throttled(signed_in, account):
    for _ in range(5):
        signed_in.post(
            url("personal_info"),
            personal(email="thief@evil.example", current_password="Guess#1234"),
        )
    response = signed_in.post(
        url("personal_info"), personal(email="thief@evil.example", current_password="Guess#1234")
    )
    assert response.status_code == 429
    assert fresh(account).email == "jattorney@example.com"


def test_the_old_address_is_told_of_an_e_mail_change_with_a_way_to_report_it(
    signed_in, account, password
):
    with run_on_commit():
        signed_in.post(
            url("personal_info"), personal(email="new@example.com", current_password=password)
        )
    event = Event.objects.get(action="account.personal_info")
    assert [m.to for m in mail.outbox] == [["jattorney@example.com"]]
    notice = mail.outbox[0]
    assert notice.subject == "PACER: the e-mail address of your account was changed"
    assert "new@example.com" in notice.body
    assert "If this wasn't you" in notice.body
    assert settings.NEXTGEN_SERVICE_CENTER["phone"] in notice.body
    assert f"reference NG-{event.pk}" in notice.body


def test_other_changes_need_no_password_and_send_no_notice(signed_in, account):
    with run_on_commit():
        response = signed_in.post(url("personal_info"), personal(first_name="Jonathan"))
    assert response.status_code == 302
    assert fresh(account).first_name == "Jonathan"
    assert not mail.outbox


def test_the_password_is_never_shown_again(signed_in, account, password):
    response = signed_in.post(
        url("personal_info"), personal(email="bad-address", current_password=password)
    )
    assert response.status_code == 400
    assert password not in response.content.decode()


def test_the_confirmation_is_shown_once(signed_in):
    done = signed_in.post(url("personal_info"), personal(first_name="Jon"))["Location"]
    assert notices.PERSONAL_INFO_UPDATED in signed_in.get(done).content.decode()
    again = signed_in.get(done).content.decode()
    assert notices.PERSONAL_INFO_UPDATED not in again
    assert 'name="first_name"' in again


def test_a_court_page_gets_its_user_back(signed_in, account):
    court_page = reverse("signon:manage") + "?from=court"
    response = signed_in.post(url("personal_info"), personal(first_name="Jon", next=court_page))
    assert response["Location"] == url("personal_info", done="1", next=court_page)
    html = signed_in.get(response["Location"]).content.decode()
    assert 'href="/csologin/account/?from=court">Return</a>' in html


def test_the_return_url_is_carried_through_the_form(signed_in):
    html = signed_in.get(url("personal_info", next="/csologin/account/")).content.decode()
    assert '<input type="hidden" name="next" value="/csologin/account/">' in html


def test_an_invalid_e_mail_names_the_field_keeps_the_typing_and_changes_nothing(signed_in, account):
    before = fresh(account)
    response = signed_in.post(
        url("personal_info"), personal(first_name="Jonathan", email="not-an-address")
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Primary E-mail Address</a>: Enter a valid email address." in html
    assert 'value="Jonathan"' in html and 'value="not-an-address"' in html
    assert 'aria-invalid="true"' in html
    after = fresh(account)
    assert (after.first_name, after.email) == (before.first_name, before.email)
    assert not Event.objects.filter(action="account.personal_info").exists()


def test_an_empty_name_is_refused(signed_in, account):
    response = signed_in.post(url("personal_info"), personal(first_name="  "))
    assert response.status_code == 400
    assert "First Name</a>: This field is required." in response.content.decode()
    assert fresh(account).first_name == "John"


def test_submitting_unchanged_data_changes_nothing(signed_in, account):
    response = signed_in.post(
        url("personal_info"), personal(email=account.email, first_name="John")
    )
    assert notices.NOTHING_CHANGED in signed_in.get(response["Location"]).content.decode()
    assert not Event.objects.filter(action="account.personal_info").exists()


@pytest.mark.parametrize(
    "data",
    [
        {"first_name": "x" * 5000, "last_name": "A", "email": "a@example.com"},
        {"first_name": "a\x00b", "last_name": "A", "email": "a@example.com"},
        {"first_name": "A", "last_name": "A", "email": ["a@example.com", "<x>"]},
        {},
    ],
)
def test_odd_input_never_causes_a_server_error(signed_in, account, data):
    assert signed_in.post(url("personal_info"), data).status_code == 400
    assert fresh(account).first_name == "John"


# --- Update Address Information ------------------------------------------------------------


def test_changing_the_phone_saves_only_that_field_and_audits_it(signed_in, account):
    account.firm, account.county, account.country = (
        "Attorney & Associates",
        "Hartford",
        "United States",
    )
    account.save()
    response = signed_in.post(url("address_info"), {**ADDRESS, "phone": "(860) 555-0199"})
    assert response.status_code == 302
    assert fresh(account).phone == "(860) 555-0199"
    event = Event.objects.get(action="account.address")
    assert event.details == {"changes": {"phone": {"old": "860-555-0100", "new": "(860) 555-0199"}}}
    assert notices.ADDRESS_UPDATED in signed_in.get(response["Location"]).content.decode()


def test_a_us_address_needs_state_and_a_real_zip_code(signed_in, account):
    response = signed_in.post(
        url("address_info"), {**ADDRESS, "state": "", "zip_code": "ABC", "city": "New Haven"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "State</a>: Enter the state." in html
    assert "Zip Code</a>: Enter a zip code like 12345 or 12345-6789." in html
    assert 'value="New Haven"' in html
    assert fresh(account).city == "Hartford"


def test_an_address_abroad_needs_no_us_state_or_zip(signed_in, account):
    data = {**ADDRESS, "state": "", "zip_code": "", "country": "Canada", "phone": "+1 416 555 0100"}
    assert signed_in.post(url("address_info"), data).status_code == 302
    assert fresh(account).country == "Canada"


def test_a_phone_number_must_look_like_one(signed_in, account):
    response = signed_in.post(url("address_info"), {**ADDRESS, "phone": "call me"})
    assert "Primary Phone</a>: Enter a phone number" in response.content.decode()
    assert fresh(account).phone == "860-555-0100"


# --- the personal-data service and its listeners -------------------------------------------


def test_listeners_get_the_changes_inside_the_same_transaction(account, monkeypatch):
    seen = []

    def listener(changed: Account, changes: dict) -> None:
        # Inside the transaction: the row and the audit row are already written.
        seen.append(
            (
                changed.pk,
                changes,
                Account.objects.get(pk=changed.pk).phone,
                Event.objects.filter(action="account.address").count(),
            )
        )

    monkeypatch.setattr(flow, "PERSONAL_DATA_LISTENERS", [listener])
    changed = flow.update_personal_data(
        account=account, changes={"phone": "860-555-0111", "city": "Hartford"}, request=None
    )
    assert changed == ["phone"]
    assert seen == [
        (account.pk, {"phone": {"old": "860-555-0100", "new": "860-555-0111"}}, "860-555-0111", 1)
    ]
    assert account.phone == "860-555-0111"


def test_a_listener_that_raises_rolls_the_change_back(account, monkeypatch):
    def broken(changed: Account, changes: dict) -> None:
        raise RuntimeError("court unreachable")

    monkeypatch.setattr(flow, "PERSONAL_DATA_LISTENERS", [broken])
    with pytest.raises(RuntimeError):
        flow.update_personal_data(account=account, changes={"first_name": "Jon"}, request=None)
    assert fresh(account).first_name == "John"
    assert account.first_name == "John"
    assert not Event.objects.filter(action="account.personal_info").exists()


def test_no_change_calls_no_listener(account, monkeypatch):
    calls = []
    monkeypatch.setattr(flow, "PERSONAL_DATA_LISTENERS", [lambda a, c: calls.append(c)])
    assert (
        flow.update_personal_data(account=account, changes={"city": "Hartford"}, request=None) == []
    )
    assert calls == []


def test_the_service_refuses_what_is_not_personal_data(account):
    with pytest.raises(ValueError, match="password"):
        flow.update_personal_data(account=account, changes={"password": "x"}, request=None)


def test_the_service_checks_the_model_rules_for_other_callers(account):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        flow.update_personal_data(account=account, changes={"email": "nope"}, request=None)
    assert "email" in exc.value.message_dict
    assert fresh(account).email != "nope"


# --- Change Password ---------------------------------------------------------------------


def change(client: Client, current: str, new: str = NEW_PASSWORD, again: str | None = None):
    """Submit Change Password; a change tells the account holder by mail."""
    with run_on_commit():
        return client.post(
            url("change_password"),
            {"current_password": current, "new_password1": new, "new_password2": again or new},
        )


def test_changing_the_password_keeps_this_session_and_ends_the_others(
    client, account, login, password
):
    other = Client()
    other.get(reverse("signon:login"))
    other.post(reverse("signon:login"), {"username": account.username, "password": password})
    assert other.get(reverse("signon:manage")).status_code == 200
    login(account)

    response = change(client, password)
    assert response.status_code == 302
    assert fresh(account).check_password(NEW_PASSWORD)
    assert notices.PASSWORD_CHANGED in client.get(response["Location"]).content.decode()
    assert client.get(reverse("signon:manage")).status_code == 200
    assert other.get(reverse("signon:manage")).status_code == 302
    event = Event.objects.get(action="account.password_change")
    assert event.outcome == "success"
    everything = str(list(Event.objects.values()))
    assert NEW_PASSWORD not in everything and password not in everything


def test_a_password_change_tells_the_account_holder(signed_in, account, password):
    change(signed_in, password)
    event = Event.objects.get(action="account.password_change", outcome="success")
    (notice,) = mail.outbox
    assert notice.to == [account.email]
    assert notice.subject == "PACER: your password was changed"
    assert f"reference NG-{event.pk}" in notice.body
    assert NEW_PASSWORD not in notice.body and password not in notice.body


def test_the_new_password_works_at_the_login_page(client, signed_in, account, password):
    change(signed_in, password)
    signed_in.post(reverse("signon:logout"))
    signed_in.get(reverse("signon:login"))
    response = signed_in.post(
        reverse("signon:login"), {"username": account.username, "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert signed_in.session["_auth_user_id"] == str(account.pk)


def test_a_wrong_current_password_changes_nothing_and_says_so(signed_in, account):
    stamp = fresh(account).security_stamp
    response = change(signed_in, "Wrong#Guess1")
    html = response.content.decode()
    assert response.status_code == 400
    assert f"Current Password</a>: {notices.WRONG_CURRENT_PASSWORD}" in html
    assert "Wrong#Guess1" not in html and NEW_PASSWORD not in html
    after = fresh(account)
    assert not after.check_password(NEW_PASSWORD) and after.security_stamp == stamp
    event = Event.objects.get(action="account.password_change")
    assert (event.outcome, event.details) == ("failure", {"reason": "wrong current password"})


@pytest.mark.frozen_clock
def test_wrong_current_passwords_are_throttled_like_logins(signed_in, account, password):
    for _ in range(5):
        change(signed_in, "Wrong#Guess1")
    # Now even the right password waits: guessing through a stolen session is no faster.
    response = change(signed_in, password)
    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()
    assert not fresh(account).check_password(NEW_PASSWORD)
    # The same counter guards the login page in this browser.
    signed_in.post(reverse("signon:logout"))
    signed_in.get(reverse("signon:login"))
    login = signed_in.post(
        reverse("signon:login"), {"username": account.username, "password": password}
    )
    assert login.status_code == 429


def test_a_weak_new_password_names_every_failing_rule(signed_in, account, password):
    response = change(signed_in, password, new="short")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Password must be at least 8 characters long." in html
    assert "Password must include both upper- and lower-case letters." in html
    assert "Password must include a digit or a special character." in html
    assert "minimum 8; upper- &amp; lower-case letters" in html  # the hint
    assert fresh(account).check_password(password)


def test_a_new_password_with_the_user_name_is_refused(signed_in, account, password):
    html = change(signed_in, password, new="Jattorney#2026").content.decode()
    assert "Password must not contain your user name." in html


def test_the_two_new_passwords_must_match(signed_in, account, password):
    response = change(signed_in, password, again="Other#Pass2026")
    assert f"Confirm New Password</a>: {notices.NEW_PASSWORDS_DIFFER}" in response.content.decode()
    assert fresh(account).check_password(password)


def test_the_new_password_must_differ_from_the_current(signed_in, password):
    response = change(signed_in, password, new=password)
    assert notices.NEW_PASSWORD_SAME in response.content.decode()


# --- Update Security Questions -----------------------------------------------------------


def questions(current: str, **overrides: str) -> dict[str, str]:
    return {
        "current_password": current,
        "security_question_1": "first_school",
        "security_answer_1": "Lincoln Elementary",
        "security_question_2": "first_car",
        "security_answer_2": "Volvo",
        **overrides,
    }


def test_updating_security_questions_hashes_the_answers_and_audits_the_questions(
    signed_in, account, password
):
    response = signed_in.post(url("security_questions"), questions(password))
    assert response.status_code == 302
    after = fresh(account)
    assert (after.security_question_1, after.security_question_2) == ("first_school", "first_car")
    assert after.check_security_answer(1, "lincoln  elementary")
    assert after.check_security_answer(2, "VOLVO")
    assert "Volvo" not in after.security_answer_2
    event = Event.objects.get(action="account.security_questions")
    assert event.details == {
        "questions": {"old": ["first_pet", "birth_city"], "new": ["first_school", "first_car"]}
    }
    assert "Volvo" not in str(list(Event.objects.values()))
    assert (
        notices.SECURITY_QUESTIONS_UPDATED in signed_in.get(response["Location"]).content.decode()
    )


def test_security_questions_need_the_current_password(signed_in, account):
    response = signed_in.post(url("security_questions"), questions("Wrong#Guess1"))
    html = response.content.decode()
    assert notices.WRONG_CURRENT_PASSWORD in html
    assert "Volvo" not in html  # answers are credentials: never echoed
    assert 'value="first_car" selected' in html  # the chosen questions are kept
    assert fresh(account).security_question_1 == "first_pet"


def test_the_two_questions_must_differ(signed_in, account, password):
    response = signed_in.post(
        url("security_questions"), questions(password, security_question_2="first_school")
    )
    assert notices.SECURITY_QUESTIONS_SAME in response.content.decode()
    assert fresh(account).security_question_1 == "first_pet"


def test_an_unknown_question_is_refused(signed_in, account, password):
    response = signed_in.post(
        url("security_questions"), questions(password, security_question_1="evil")
    )
    assert response.status_code == 400
    assert "First Security Question</a>: Select a valid choice." in response.content.decode()


# --- Change Client Code ------------------------------------------------------------------


def test_the_client_code_page_shows_the_code_given_at_login(client, account, login):
    login(account, client_code="matter-42")
    html = client.get(url("client_code")).content.decode()
    assert "Current client code: <strong>matter-42</strong>" in html


def test_setting_and_clearing_the_client_code(signed_in, account):
    response = signed_in.post(url("client_code"), {"client_code": "  Smith v. Jones_2 "})
    assert response.status_code == 302
    assert signed_in.session["nextgen_client_code"] == "Smith v. Jones_2"
    assert (
        notices.client_code_set("Smith v. Jones_2")
        in signed_in.get(response["Location"]).content.decode()
    )
    assert (
        "Client Code</dt><dd>Smith v. Jones_2"
        in signed_in.get(reverse("signon:manage")).content.decode()
    )

    response = signed_in.post(url("client_code"), {"client_code": ""})
    assert signed_in.session["nextgen_client_code"] == ""
    assert notices.CLIENT_CODE_CLEARED in signed_in.get(response["Location"]).content.decode()
    old, new = Event.objects.filter(action="account.client_code").order_by("id")
    assert old.details == {"old": "", "new": "Smith v. Jones_2"}
    assert new.details == {"old": "Smith v. Jones_2", "new": ""}


@pytest.mark.parametrize("code", ["<script>", "x" * 33, "a;b", "ünïcode"])
def test_a_bad_client_code_is_refused_and_kept(signed_in, code):
    response = signed_in.post(url("client_code"), {"client_code": code})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Client Code</a>:" in html
    assert f'value="{escape(code)}"' in html  # kept, and escaped
    assert signed_in.session.get("nextgen_client_code", "") == ""
