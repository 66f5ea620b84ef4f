"""Utilities → Maintain Your Account → Email information: secondary e-mail addresses in one
court (seed 002, "How do I update secondary e-mail addresses in CM/ECF NextGen?")."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from nextgen.audit.models import Event
from nextgen.ecf import notices
from nextgen.ecf.flows import emails
from nextgen.ecf.models import SecondaryEmail
from tests.factories import AccountFactory, CourtFactory, FilerAccountFactory

pytestmark = pytest.mark.django_db

EMAILS = "/ecf/prd/cgi-bin/account/email/"
MAINTAIN = "/ecf/prd/cgi-bin/account/"


@pytest.fixture
def prd():
    return CourtFactory(code="prd", name="District of Puerto Rico")


@pytest.fixture
def filer(prd, account):
    return FilerAccountFactory(
        court=prd, login="jattorney_prd", account=account, email=account.email
    )


@pytest.fixture
def signed_in(client, account, filer):
    # Signed in directly: the login page itself (and its MFA prompt for filers) is
    # tested elsewhere; these tests are about the court's e-mail page.
    client.force_login(account)
    return client


def add(client, email: str, action: str = "add"):
    return client.post(EMAILS, {"action": action, "email": email})


def kept(filer) -> list[str]:
    return list(filer.secondary_emails.values_list("email", flat=True))


# --- the way there ----------------------------------------------------------------------------
def test_maintain_your_account_links_to_email_information(signed_in):
    html = signed_in.get(MAINTAIN).content.decode()
    assert f'href="{EMAILS}">Email information...</a>' in html


def test_the_page_has_the_seeds_words(signed_in, filer):
    html = signed_in.get(EMAILS).content.decode()
    for words in [
        "<h1>Email information</h1>",
        "Secondary e-mail addresses",
        "add new e-mail address",
        ">Return to Person Information Screen</button>",
        ">Submit</button>",
        filer.email,
    ]:
        assert words in html, words


def test_the_page_needs_a_signed_in_account(client, prd):
    response = client.get(EMAILS)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("signon:login"))


# --- add and remove ---------------------------------------------------------------------------
def test_an_added_address_is_listed_on_both_pages(signed_in, filer):
    response = add(signed_in, "Clerk.Notices@LawPR.Example")
    assert response.status_code == 302 and response["Location"] == EMAILS
    html = signed_in.get(EMAILS).content.decode()
    assert "Clerk.Notices@lawpr.example" in html  # the domain is case-insensitive
    assert escape(notices.secondary_email_added("Clerk.Notices@lawpr.example")) in html
    assert "Clerk.Notices@lawpr.example" in signed_in.get(MAINTAIN).content.decode()
    assert kept(filer) == ["Clerk.Notices@lawpr.example"]


def test_return_to_person_information_screen_keeps_what_was_typed(signed_in, filer):
    response = add(signed_in, "paralegal@lawpr.example", action="return")
    assert response["Location"] == MAINTAIN
    assert kept(filer) == ["paralegal@lawpr.example"]


def test_return_with_nothing_typed_just_goes_back(signed_in, filer):
    response = add(signed_in, "", action="return")
    assert response["Location"] == MAINTAIN
    assert kept(filer) == []
    assert not Event.objects.filter(action=emails.ACTION_ADD).exists()


def test_an_address_is_removed(signed_in, filer):
    item = SecondaryEmail.objects.create(filer=filer, email="old@lawpr.example")
    SecondaryEmail.objects.create(filer=filer, email="keep@lawpr.example")
    response = signed_in.post(EMAILS, {"action": "remove", "email_id": item.pk})
    assert response["Location"] == EMAILS
    assert kept(filer) == ["keep@lawpr.example"]
    html = signed_in.get(EMAILS).content.decode()
    assert escape(notices.secondary_email_removed("old@lawpr.example")) in html


def test_removing_twice_says_it_is_gone_and_changes_nothing(signed_in, filer):
    item = SecondaryEmail.objects.create(filer=filer, email="old@lawpr.example")
    signed_in.post(EMAILS, {"action": "remove", "email_id": item.pk})
    again = signed_in.post(EMAILS, {"action": "remove", "email_id": item.pk}, follow=True)
    assert notices.SECONDARY_EMAIL_GONE in again.content.decode()
    assert Event.objects.filter(action=emails.ACTION_REMOVE).count() == 1


@pytest.mark.parametrize("email_id", ["", "abc", "-1", "99999999999999999999"])
def test_a_malformed_remove_is_refused_without_a_server_error(signed_in, filer, email_id):
    SecondaryEmail.objects.create(filer=filer, email="keep@lawpr.example")
    response = signed_in.post(EMAILS, {"action": "remove", "email_id": email_id}, follow=True)
    assert response.status_code == 200
    assert kept(filer) == ["keep@lawpr.example"]


# --- validation -------------------------------------------------------------------------------
class TestValidation:
    def test_a_malformed_address_is_named_and_kept(self, signed_in, filer):
        response = add(signed_in, "not-an-address")
        assert response.status_code == 400
        html = response.content.decode()
        assert "Secondary e-mail address</a>: Enter a valid email address." in html
        assert 'value="not-an-address"' in html
        assert '<details class="ng-disclosure" open>' in html  # the field stays open
        assert kept(filer) == []

    def test_submit_with_nothing_typed_names_the_field(self, signed_in, filer):
        response = add(signed_in, "  ")
        assert response.status_code == 400
        assert "Secondary e-mail address</a>: Type the secondary e-mail address to add." in (
            response.content.decode()
        )

    def test_a_duplicate_is_refused_whatever_its_case(self, signed_in, filer):
        add(signed_in, "clerk@lawpr.example")
        response = add(signed_in, "CLERK@LAWPR.EXAMPLE")
        assert response.status_code == 400
        html = response.content.decode()
        assert notices.SECONDARY_EMAIL_DUPLICATE in html
        assert 'value="CLERK@LAWPR.EXAMPLE"' in html
        assert kept(filer) == ["clerk@lawpr.example"]

    def test_the_primary_address_is_refused(self, signed_in, filer):
        response = add(signed_in, filer.email.upper())
        assert response.status_code == 400
        assert notices.SECONDARY_EMAIL_IS_PRIMARY in response.content.decode()
        assert kept(filer) == []

    def test_the_number_of_addresses_is_capped(self, signed_in, filer):
        for n in range(emails.MAX_SECONDARY_EMAILS):
            assert add(signed_in, f"a{n}@lawpr.example").status_code == 302
        response = add(signed_in, "one-too-many@lawpr.example")
        assert response.status_code == 400
        assert notices.secondary_email_limit(emails.MAX_SECONDARY_EMAILS) in (
            response.content.decode()
        )
        assert len(kept(filer)) == emails.MAX_SECONDARY_EMAILS

    def test_a_too_long_address_is_named(self, signed_in, filer):
        typed = "a" * 250 + "@lawpr.example"
        response = add(signed_in, typed)
        assert response.status_code == 400
        assert "Secondary e-mail address</a>:" in response.content.decode()
        assert kept(filer) == []


# --- only a linked filer of this court ---------------------------------------------------------
class TestOnlyLinkedFilersOfThisCourt:
    def test_an_account_not_linked_here_is_told_plainly_and_sees_no_data(self, client, prd):
        stranger = AccountFactory()
        other_court = CourtFactory(code="vid")
        elsewhere = FilerAccountFactory(court=other_court, account=stranger)
        SecondaryEmail.objects.create(filer=elsewhere, email="vid-only@example.com")
        client.force_login(stranger)
        html = client.get(EMAILS).content.decode()
        assert notices.EMAIL_INFO_ONLY_LINKED in html
        assert "vid-only@example.com" not in html
        assert "add new e-mail address" not in html

    def test_an_account_not_linked_here_cannot_add_or_remove(self, client, prd, filer):
        item = SecondaryEmail.objects.create(filer=filer, email="victim@lawpr.example")
        client.force_login(AccountFactory())
        refused_add = add(client, "attacker@example.com")
        assert refused_add.status_code == 403
        refused_remove = client.post(EMAILS, {"action": "remove", "email_id": item.pk})
        assert refused_remove.status_code == 403
        assert kept(filer) == ["victim@lawpr.example"]

    def test_one_filer_cannot_remove_anothers_address(self, signed_in, prd):
        other = FilerAccountFactory(court=prd, account=AccountFactory())
        theirs = SecondaryEmail.objects.create(filer=other, email="theirs@lawpr.example")
        signed_in.post(EMAILS, {"action": "remove", "email_id": theirs.pk})
        assert SecondaryEmail.objects.filter(pk=theirs.pk).exists()

    def test_addresses_stay_in_their_court(self, signed_in, account, filer):
        vid = CourtFactory(code="vid")
        at_vid = FilerAccountFactory(court=vid, account=account)
        SecondaryEmail.objects.create(filer=at_vid, email="vid-only@example.com")
        add(signed_in, "prd-only@example.com")
        assert "vid-only@example.com" not in signed_in.get(EMAILS).content.decode()
        assert kept(at_vid) == ["vid-only@example.com"]
        assert kept(filer) == ["prd-only@example.com"]


# --- audit ------------------------------------------------------------------------------------
def test_each_add_and_remove_is_audited_with_the_court(signed_in, account, filer):
    add(signed_in, "clerk@lawpr.example")
    item = filer.secondary_emails.get()
    signed_in.post(EMAILS, {"action": "remove", "email_id": item.pk})
    events = list(Event.objects.filter(action__startswith="ecf.secondary_email").order_by("id"))
    assert [(e.action, e.court_code, e.actor_id) for e in events] == [
        (emails.ACTION_ADD, "prd", account.pk),
        (emails.ACTION_REMOVE, "prd", account.pk),
    ]
    assert all(
        e.details == {"cmecf_login": "jattorney_prd", "email": "clerk@lawpr.example"}
        for e in events
    )


def test_a_refused_add_writes_nothing(signed_in, filer):
    add(signed_in, filer.email)
    assert not Event.objects.filter(action=emails.ACTION_ADD).exists()
    assert kept(filer) == []


def test_an_address_that_lower_casing_lengthens_past_the_column_is_refused_naming_the_field(
    signed_in, filer
):
    domain = "@x\u0130.com"  # "İ" lower-cased is two letters: the stored address grows
    address = "a" * (254 - len(domain)) + domain
    signed_in.raise_request_exception = False
    response = add(signed_in, address)
    assert response.status_code == 400
    assert escape(notices.EMAIL_INVALID) in response.content.decode()
    assert kept(filer) == []
