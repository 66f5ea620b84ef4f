"""Maintain Your E-mail (Utilities → Maintain Your Account → Email information): per address
each filing or Daily Summary Report, HTML or text; "Send notices in these additional
cases", added by case number and removed. Bad input names the field, keeps what was
typed and changes nothing; every change is audited."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from nextgen.audit.models import Event
from nextgen.dockets import staff as staff_actions
from nextgen.dockets.models import CaseType
from nextgen.ecf.flows import emails
from nextgen.ecf.models import SecondaryEmail
from nextgen.noticing import notices, preferences
from nextgen.noticing.models import EmailPreference, FollowedCase
from tests.dockets.factories import civil_case, district_court, filer, staff

pytestmark = pytest.mark.django_db

PAGE = "/ecf/ctd/cgi-bin/account/email/"


@pytest.fixture
def ctd():
    return district_court("ctd")


@pytest.fixture
def counsel(ctd):
    """The signed-in attorney's CM/ECF account, with one secondary address."""
    account = filer(ctd, email="lead@firm.example")
    SecondaryEmail.objects.create(filer=account, email="Paralegal@Firm.example")
    return account


@pytest.fixture
def other_counsel(ctd):
    return filer(ctd, email="other@elsewhere.example")


@pytest.fixture
def signed_in(client, counsel):
    client.force_login(counsel.account)
    return client


def save(client, index: int, address: str, delivery: str, fmt: str):
    p = f"a{index}"
    return client.post(
        reverse("noticing:email_preference", args=["ctd"]),
        {"prefix": p, f"{p}-address": address, f"{p}-delivery": delivery, f"{p}-format": fmt},
    )


def follow(client, number: str):
    return client.post(reverse("noticing:follow_case", args=["ctd"]), {"case_number": number})


def stored(counsel) -> dict[str, tuple[str, str]]:
    return {p.address: (p.delivery, p.format) for p in counsel.email_preferences.all()}


# --- per address ------------------------------------------------------------------------------
def test_the_page_shows_each_address_with_its_choices(signed_in):
    html = signed_in.get(PAGE).content.decode()
    for words in [
        notices.PREFS_HEADING,
        "lead@firm.example",
        "Paralegal@Firm.example",
        "Send a notice for each filing",
        "Send a Daily Summary Report",
        "HTML",
        "Text",
        "Send notices in these additional cases",
    ]:
        assert escape(words) in html, words
    # No row yet: each filing, HTML, for both addresses.
    assert html.count('value="each" checked') == 2 and html.count('value="html" checked') == 2


def test_a_secondary_address_changes_to_the_daily_summary_in_text(signed_in, counsel):
    response = save(signed_in, 1, "Paralegal@Firm.example", "summary", "text")
    assert response.status_code == 302 and response["Location"].endswith("#notices")
    assert stored(counsel) == {"paralegal@firm.example": ("summary", "text")}
    html = signed_in.get(PAGE).content.decode()
    assert "Notices to Paralegal@Firm.example: Send a Daily Summary Report, Text." in html
    assert 'value="summary" checked' in html and 'value="text" checked' in html
    event = Event.objects.get(action=preferences.ACTION_PREFERENCE)
    assert event.actor == counsel.account and event.court_code == "ctd"
    assert event.details["before"] == {"delivery": "each", "format": "html"}
    assert event.details["after"] == {"delivery": "summary", "format": "text"}
    # And back: one row per address, changed in place.
    save(signed_in, 1, "paralegal@firm.example", "each", "html")
    assert stored(counsel) == {"paralegal@firm.example": ("each", "html")}


@pytest.mark.parametrize(
    ("address", "delivery", "fmt", "field"),
    [
        ("lead@firm.example", "weekly", "html", "delivery"),
        ("lead@firm.example", "each", "pdf", "format"),
        ("other@elsewhere.example", "summary", "text", "address"),  # another filer's
        ("", "summary", "text", "address"),
    ],
)
def test_bad_input_names_the_field_keeps_the_choice_and_changes_nothing(
    signed_in, counsel, other_counsel, address, delivery, fmt, field
):
    response = save(signed_in, 0, address, delivery, fmt)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please correct the following" in html
    assert f'href="#id_a0-{field}"' in html
    assert stored(counsel) == {} and stored(other_counsel) == {}
    assert not Event.objects.filter(action=preferences.ACTION_PREFERENCE).exists()
    if field != "address":
        # The radio buttons come back as chosen, the valid one still checked.
        kept = fmt if field == "delivery" else delivery
        assert f'value="{kept}" checked' in html


def test_a_removed_secondary_address_takes_its_preference_with_it(signed_in, counsel):
    save(signed_in, 1, "paralegal@firm.example", "summary", "text")
    address = counsel.secondary_emails.get()
    emails.remove_secondary_email(
        request=None, acting=counsel.account, court=counsel.court, email_id=address.pk
    )
    assert stored(counsel) == {}


def test_a_signed_in_account_without_a_link_here_changes_nothing(client, ctd, counsel):
    stranger = filer(district_court("vid")).account
    client.force_login(stranger)
    response = save(client, 0, "lead@firm.example", "summary", "text")
    assert response.status_code == 403
    assert follow(client, "3:26-cv-1").status_code == 403
    assert not EmailPreference.objects.exists() and not FollowedCase.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(client, counsel):
    response = save(client, 0, "lead@firm.example", "summary", "text")
    assert response.status_code == 302 and "/csologin/login/" in response["Location"]
    assert not EmailPreference.objects.exists()


def test_the_forms_need_csrf(counsel, ctd):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(counsel.account)
    assert save(strict, 0, "lead@firm.example", "summary", "text").status_code == 403
    assert follow(strict, "3:26-cv-1").status_code == 403
    assert not EmailPreference.objects.exists()


# --- additional cases ---------------------------------------------------------------------------
def test_a_case_added_by_its_short_number_is_followed_and_removed(
    signed_in, ctd, counsel, other_counsel
):
    case = civil_case(ctd, other_counsel, title="Roe v. Widget Co.")
    response = follow(signed_in, f"{case.year}-{case.sequence}")
    assert response.status_code == 302
    [followed] = FollowedCase.objects.filter(filer=counsel)
    assert followed.case == case
    html = signed_in.get(PAGE).content.decode()
    assert f"You will get notices in {case.number} Roe v. Widget Co." in html
    assert f"{case.number} Roe v. Widget Co.</span>" in html
    event = Event.objects.get(action=preferences.ACTION_FOLLOW)
    assert event.details["case"] == case.number and event.actor == counsel.account

    response = signed_in.post(
        reverse("noticing:unfollow_case", args=["ctd"]), {"follow_id": followed.pk}
    )
    assert response.status_code == 302
    assert not FollowedCase.objects.exists()
    assert Event.objects.filter(action=preferences.ACTION_UNFOLLOW).count() == 1


def _error_for(response) -> str:
    assert response.status_code == 400
    return response.content.decode()


def test_case_numbers_that_name_no_single_public_case_are_refused_by_name(
    signed_in, ctd, counsel, other_counsel
):
    clerk = staff(ctd)
    civil = civil_case(ctd, other_counsel, title="Roe v. Widget Co.")
    sealed = civil_case(ctd, other_counsel, title="Hidden v. Secret")
    staff_actions.set_case_sealed(acting=clerk, case=sealed, sealed=True, request=None)
    criminal, _ = staff_actions.open_criminal_case(
        acting=clerk,
        court=ctd,
        office=civil.office,
        title="USA v. Someone",
        defendants=["Someone"],
        **_criminal_event(ctd),
        request=None,
    )
    own = civil_case(ctd, counsel, title="Mine v. Theirs")
    assert criminal.sequence == civil.sequence and criminal.case_type == CaseType.CRIMINAL
    cases = [
        ("", notices.FOLLOW_NUMBER_REQUIRED),
        ("not a number", notices.FOLLOW_NOT_A_NUMBER),
        ("3:26-cv-99999", notices.FOLLOW_NO_SUCH_CASE),
        (sealed.number, notices.FOLLOW_NO_SUCH_CASE),  # as if it did not exist
        (f"{civil.year}-{civil.sequence}", "This number fits several cases"),
        (own.number, notices.FOLLOW_OF_RECORD),
    ]
    for typed, message in cases:
        html = _error_for(follow(signed_in, typed))
        assert escape(message) in html, typed
        assert 'href="#id_case_number"' in html
        assert f'value="{escape(typed)}"' in html or not typed
    assert escape(civil.number) in _error_for(follow(signed_in, f"{civil.year}-{civil.sequence}"))
    assert follow(signed_in, civil.number).status_code == 302
    assert escape(notices.FOLLOW_ALREADY) in _error_for(follow(signed_in, civil.number))
    assert list(FollowedCase.objects.values_list("case", flat=True)) == [civil.pk]


def _criminal_event(court):
    from nextgen.dockets.events import event
    from nextgen.dockets.models import Menu
    from tests.dockets.factories import stored

    return {
        "event": event(court, Menu.CRIMINAL, "indictment"),
        "documents": stored(court, "Indictment"),
    }


def test_another_filers_follow_cannot_be_removed(signed_in, ctd, counsel, other_counsel):
    case = civil_case(ctd, counsel)
    theirs = FollowedCase.objects.create(filer=other_counsel, case=case)
    response = signed_in.post(
        reverse("noticing:unfollow_case", args=["ctd"]), {"follow_id": theirs.pk}, follow=True
    )
    assert escape(notices.FOLLOW_GONE) in response.content.decode()
    assert FollowedCase.objects.filter(pk=theirs.pk).exists()
    for nonsense in ("", "abc", "-1", "99999999999999999999"):
        response = signed_in.post(
            reverse("noticing:unfollow_case", args=["ctd"]), {"follow_id": nonsense}
        )
        assert response.status_code == 302
    assert not Event.objects.filter(action=preferences.ACTION_UNFOLLOW).exists()
