"""PACER Administrative Account (PAA), seed 002: a firm's billing group."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from nextgen.audit.models import Event, Outcome
from nextgen.signon import notices
from nextgen.signon.flows import paa as flow
from nextgen.signon.models import Paa, PaaMembership
from tests.commits import run_on_commit
from tests.factories import AccountFactory, LegacyAccountFactory

pytestmark = pytest.mark.django_db
FIRM_BILLING = "/csologin/account/paa/"
CREATE = "/csologin/account/paa/create/"


def signed_in(account) -> Client:
    """A client with `account` signed in (the login page is tested elsewhere)."""
    client = Client()
    client.force_login(account)
    return client


def detail_url(paa: Paa) -> str:
    return f"/csologin/account/paa/{paa.pk}/"


def invite_url(paa: Paa) -> str:
    return f"/csologin/account/paa/{paa.pk}/invite/"


def respond_url(membership: PaaMembership) -> str:
    return f"/csologin/account/paa/invitations/{membership.pk}/respond/"


def end_url(membership: PaaMembership) -> str:
    return f"/csologin/account/paa/memberships/{membership.pk}/end/"


@pytest.fixture
def admin():
    return AccountFactory(username="fadmin", first_name="Fiona", last_name="Admin")


@pytest.fixture
def attorney():
    return AccountFactory(username="aassociate", first_name="Alan", last_name="Associate")


@pytest.fixture
def paa(admin):
    return Paa.objects.create(
        firm_name="Smith & Jones LLP",
        billing_contact="Bill Payer",
        billing_email="billing@smithjones.example",
        administrator=admin,
    )


def invite(paa: Paa, account) -> PaaMembership:
    return PaaMembership.objects.create(paa=paa, account=account)


def member(paa: Paa, account) -> PaaMembership:
    return PaaMembership.objects.create(
        paa=paa, account=account, status="active", responded_at=timezone.now()
    )


# --- create ------------------------------------------------------------------------------


def test_firm_billing_is_reachable_from_manage_my_account(admin):
    client = signed_in(admin)
    assert f'href="{FIRM_BILLING}"' in client.get("/csologin/account/").content.decode()
    page = client.get(FIRM_BILLING).content.decode()
    assert escape(notices.PAA_INTRO) in page
    assert "Create a PACER Administrative Account" in page


def test_an_administrator_creates_a_paa_and_it_is_audited(admin):
    client = signed_in(admin)
    response = client.post(
        CREATE,
        {
            "firm_name": "Smith & Jones LLP",
            "billing_contact": "Bill Payer",
            "billing_email": "billing@smithjones.example",
        },
    )
    paa = Paa.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(paa)
    assert (paa.administrator, paa.firm_name) == (admin, "Smith & Jones LLP")
    page = client.get(detail_url(paa)).content.decode()
    assert escape(notices.PAA_CREATED) in page
    assert "no case access of its own" in page
    event = Event.objects.get(action="paa.create")
    assert (event.actor, event.details["paa_id"]) == (admin, paa.pk)


@pytest.mark.parametrize(
    "data, field",
    [
        ({"firm_name": "", "billing_contact": "B", "billing_email": "b@x.example"}, "Firm name"),
        (
            {"firm_name": "F", "billing_contact": "B", "billing_email": "not-mail"},
            "Billing contact e-mail",
        ),
        (
            {"firm_name": "F" * 500, "billing_contact": "B", "billing_email": "b@x.example"},
            "Firm name",
        ),
        ({"firm_name": "   ", "billing_contact": "B", "billing_email": "b@x.example"}, "Firm name"),
    ],
)
def test_bad_input_names_the_field_keeps_the_rest_and_creates_nothing(admin, data, field):
    response = signed_in(admin).post(CREATE, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert f">{field}</a>:" in html
    assert f'value="{data["billing_contact"]}"' in html
    assert not Paa.objects.exists()


def test_the_paa_has_no_login_and_no_case_access():
    # A billing group only: no password, no user name, no link to any court.
    names = {f.name for f in Paa._meta.get_fields()}
    assert not names & {"password", "username", "filer_accounts", "court_roles"}


# --- invite, without revealing user names -------------------------------------------------


def test_invitation_by_user_name_e_mails_the_invitee(admin, paa, attorney):
    client = signed_in(admin)
    with run_on_commit():
        response = client.post(invite_url(paa), {"username": "  AASSOCIATE "})
    assert response.status_code == 302
    page = client.get(detail_url(paa)).content.decode()
    assert escape(notices.PAA_INVITE_SENT) in page
    assert re.search(r'id="paa-invitations".*aassociate', page, re.S)
    membership = PaaMembership.objects.get(paa=paa, account=attorney)
    assert membership.status == "invited"
    assert [m.to for m in mail.outbox] == [["aassociate@example.com"]]
    assert "Smith & Jones LLP" in mail.outbox[0].body
    event = Event.objects.get(action="paa.invite", outcome=Outcome.SUCCESS)
    assert (event.actor, event.subject, event.details["paa_id"]) == (admin, attorney, paa.pk)


def test_an_unknown_user_name_gets_the_same_answer_as_a_known_one(admin, paa, attorney):
    client = signed_in(admin)
    known = client.post(invite_url(paa), {"username": "aassociate"}, follow=True)
    unknown = client.post(invite_url(paa), {"username": "nobody-here"}, follow=True)
    for response in (known, unknown):
        assert response.status_code == 200
        assert escape(notices.PAA_INVITE_SENT) in response.content.decode()
    assert PaaMembership.objects.count() == 1
    event = Event.objects.get(action="paa.invite", outcome=Outcome.FAILURE)
    assert event.username_tried == "nobody-here"


def _answer(client: Client, paa: Paa, username: str) -> str:
    """The page an invitation ends on, without what differs by nature (CSRF token)."""
    response = client.post(invite_url(paa), {"username": username}, follow=True)
    assert response.status_code == 200
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def test_every_user_name_gets_the_same_answer(admin, paa, attorney):
    """The attack: the answer told unknown names from shared, legacy, already-invited and
    individual accounts, so an inviter could map user names and shared accounts."""
    AccountFactory(username="firmshared", is_shared=True)
    LegacyAccountFactory(username="llegacy")
    AccountFactory(username="gone", is_active=False)
    client = signed_in(admin)
    invite(paa, AccountFactory(username="already"))
    answers = {
        name: _answer(client, paa, name)
        for name in ("nobody-here", "firmshared", "llegacy", "gone", "already")
    }
    answers["aassociate"] = _answer(client, paa, "aassociate")
    # The real invitation now shows in the list of invitations; nothing else differs.
    listed = answers.pop("aassociate")
    assert escape(notices.PAA_INVITE_SENT) in listed
    assert len(set(answers.values())) == 1, "the answers differ"
    assert escape(notices.PAA_INVITE_SENT) in answers["nobody-here"]
    assert set(PaaMembership.objects.values_list("account__username", flat=True)) == {
        "already",
        "aassociate",
    }
    reasons = Event.objects.filter(action="paa.invite").exclude(outcome=Outcome.SUCCESS)
    assert sorted(e.details["reason"] for e in reasons) == [
        "already open",
        "legacy",
        "shared",
        "unknown or inactive",
        "unknown or inactive",
    ]


@pytest.mark.frozen_clock
def test_invitations_are_throttled_per_administrator(admin, paa):
    client = signed_in(admin)
    for n in range(10):
        assert client.post(invite_url(paa), {"username": f"probe{n}"}).status_code == 302
    response = client.post(invite_url(paa), {"username": "probe-too-many"})
    assert response.status_code == 429
    assert "Please wait" in response.content.decode()
    assert 'value="probe-too-many"' in response.content.decode()
    refused = Event.objects.get(action="paa.invite", details__reason="throttled")
    assert refused.actor == admin


@pytest.mark.frozen_clock
def test_invite_and_withdraw_cannot_flood_a_mailbox(admin, paa, attorney):
    """The attack: invite, withdraw, invite again: one mail each, without end."""
    client = signed_in(admin)
    for _ in range(6):
        with run_on_commit():
            client.post(invite_url(paa), {"username": "aassociate"})
        membership = PaaMembership.objects.get(paa=paa, account=attorney, status="invited")
        client.post(end_url(membership))
    assert len(mail.outbox) == 3
    # Past the limit the invitation is still made and shown to the invitee, unmailed.
    with run_on_commit():
        client.post(invite_url(paa), {"username": "aassociate"})
    assert PaaMembership.objects.filter(account=attorney, status="invited").count() == 1
    assert len(mail.outbox) == 3
    assert Event.objects.filter(action="paa.invite", details__mailed=False).count() == 4


def test_the_invitation_subject_is_fixed(admin, attorney):
    client = signed_in(admin)
    client.post(
        CREATE,
        {
            "firm_name": "URGENT: your PACER account is suspended, call 555-0100",
            "billing_contact": "B",
            "billing_email": "b@x.example",
        },
    )
    paa = Paa.objects.get()
    with run_on_commit():
        client.post(invite_url(paa), {"username": "aassociate"})
    (message,) = mail.outbox
    assert message.subject == flow.INVITATION_SUBJECT
    assert "URGENT" not in message.subject


def test_a_shared_firm_account_cannot_create_a_paa():
    shared = AccountFactory(username="firmshared", is_shared=True)
    client = signed_in(shared)
    page = client.get(FIRM_BILLING).content.decode()
    assert escape(notices.PAA_SHARED_CANNOT_CREATE) in page
    assert f'action="{CREATE}"' not in page
    response = client.post(
        CREATE, {"firm_name": "F", "billing_contact": "B", "billing_email": "b@x.example"}
    )
    assert response.status_code == 400
    assert not Paa.objects.exists()
    assert Event.objects.get(action="paa.create").outcome == Outcome.REFUSED


def test_an_empty_user_name_is_named(admin, paa):
    response = signed_in(admin).post(invite_url(paa), {"username": ""})
    assert response.status_code == 400
    assert ">User name</a>:" in response.content.decode()


# --- accept, decline, end -------------------------------------------------------------------


def test_the_attorney_accepts_and_sees_who_pays(paa, attorney):
    membership = invite(paa, attorney)
    client = signed_in(attorney)
    page = client.get(FIRM_BILLING).content.decode()
    assert "Smith &amp; Jones LLP</strong> invites your account" in page
    response = client.post(respond_url(membership), {"decision": "accept"}, follow=True)
    html = response.content.decode()
    assert escape(notices.PAA_ACCEPTED) in html
    assert "paid by the PAA of <strong>Smith &amp; Jones LLP</strong>" in html
    membership.refresh_from_db()
    assert membership.status == "active" and membership.responded_at
    # Review Billing History says it too.
    billing = client.get(reverse("fees:billing")).content.decode()
    assert re.search(r'id="paid-by">These charges are paid by the PAA of <strong>Smith', billing)
    event = Event.objects.get(action="paa.accept")
    assert (event.actor, event.details["paa_id"]) == (attorney, paa.pk)


def test_the_attorney_declines(paa, attorney):
    membership = invite(paa, attorney)
    client = signed_in(attorney)
    response = client.post(respond_url(membership), {"decision": "decline"}, follow=True)
    assert escape(notices.PAA_DECLINED) in response.content.decode()
    membership.refresh_from_db()
    assert membership.status == "declined"
    assert Event.objects.filter(action="paa.decline", actor=attorney).exists()
    # Declined is closed: it cannot be accepted afterwards.
    response = client.post(respond_url(membership), {"decision": "accept"}, follow=True)
    assert escape(notices.PAA_INVITATION_CLOSED) in response.content.decode()
    membership.refresh_from_db()
    assert membership.status == "declined"
    # ...but the firm may invite again.
    assert invite(paa, attorney).status == "invited"


def test_only_the_invitee_can_respond(paa, attorney, admin):
    membership = invite(paa, attorney)
    for other in (admin, AccountFactory(username="stranger")):
        assert (
            signed_in(other).post(respond_url(membership), {"decision": "accept"}).status_code
            == 404
        )
    response = signed_in(attorney).post(respond_url(membership), {"decision": "maybe"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.status == "invited"


def test_the_member_ends_the_membership(paa, attorney):
    membership = member(paa, attorney)
    client = signed_in(attorney)
    response = client.post(end_url(membership), follow=True)
    assert escape(notices.PAA_MEMBERSHIP_ENDED) in response.content.decode()
    assert "no PAA pays for your account" in response.content.decode()
    membership.refresh_from_db()
    assert membership.status == "ended" and membership.ended_at
    event = Event.objects.get(action="paa.end", outcome=Outcome.SUCCESS)
    assert (event.actor, event.subject, event.details["by"]) == (attorney, attorney, "member")


def test_the_administrator_ends_the_membership_or_withdraws_an_invitation(admin, paa, attorney):
    membership = member(paa, attorney)
    other = AccountFactory(username="other")
    invitation = invite(paa, other)
    client = signed_in(admin)
    response = client.post(end_url(membership))
    assert response["Location"] == detail_url(paa)
    response = client.post(end_url(invitation), follow=True)
    assert escape(notices.PAA_INVITATION_CANCELLED) in response.content.decode()
    assert set(PaaMembership.objects.values_list("status", flat=True)) == {"ended"}
    event = Event.objects.filter(action="paa.end").first()
    assert (event.actor, event.subject, event.details["by"]) == (admin, attorney, "administrator")
    # Ending what has ended is refused, and changes nothing.
    response = client.post(end_url(membership), follow=True)
    assert escape(notices.PAA_INVITATION_CLOSED) in response.content.decode()


def test_a_stranger_cannot_end_a_membership(paa, attorney):
    membership = member(paa, attorney)
    assert signed_in(AccountFactory(username="x")).post(end_url(membership)).status_code == 404
    membership.refresh_from_db()
    assert membership.status == "active"


def test_one_active_paa_per_account(paa, attorney):
    other_firm = Paa.objects.create(
        firm_name="Other Firm",
        billing_contact="O",
        billing_email="o@other.example",
        administrator=AccountFactory(username="otheradmin"),
    )
    member(paa, attorney)
    invitation = invite(other_firm, attorney)
    response = signed_in(attorney).post(
        respond_url(invitation), {"decision": "accept"}, follow=True
    )
    assert escape(notices.PAA_ALREADY_PAID) in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == "invited"
    assert Event.objects.get(action="paa.accept").outcome == Outcome.REFUSED
    # The database holds the rule even against code that skips the check.
    invitation.status = "active"
    with pytest.raises(IntegrityError), transaction.atomic():
        invitation.save(update_fields=["status"])


def test_two_acceptances_at_once_cannot_both_succeed(paa, attorney, monkeypatch):
    other_firm = Paa.objects.create(
        firm_name="Other Firm",
        billing_contact="O",
        billing_email="o@other.example",
        administrator=AccountFactory(username="otheradmin"),
    )
    first, second = invite(paa, attorney), invite(other_firm, attorney)
    flow.respond_to_invitation(account=attorney, membership_id=first.pk, accept=True, request=None)
    # As if the second request had checked before the first committed: the constraint decides.
    real_filter = PaaMembership.objects.filter

    def blind_filter(*args, **kwargs):
        if kwargs.get("status") == "active" and "pk" not in kwargs:
            return PaaMembership.objects.none()
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(PaaMembership.objects, "filter", blind_filter)
    with pytest.raises(ValidationError) as refused:
        flow.respond_to_invitation(
            account=attorney, membership_id=second.pk, accept=True, request=None
        )
    assert notices.PAA_ALREADY_PAID in str(refused.value)
    monkeypatch.undo()
    second.refresh_from_db()
    assert second.status == "invited"


# --- the PAA's page ---------------------------------------------------------------------------


def test_the_paa_page_lists_members_and_invitations_and_links_to_their_charges(
    admin, paa, attorney
):
    colleague = AccountFactory(username="ccolleague", first_name="Cara", last_name="Colleague")
    outsider = AccountFactory(username="outsider")
    member(paa, attorney)
    member(paa, colleague)
    invite(paa, outsider)
    html = signed_in(admin).get(detail_url(paa)).content.decode()
    members = re.search(r'id="paa-members".*?</table>', html, re.S).group(0)
    assert "Alan Associate" in members and "Cara Colleague" in members
    assert "outsider" in re.search(r'id="paa-invitations".*?</table>', html, re.S).group(0)
    # The members' charges are the fees app's page (tests/fees/test_paa_billing.py).
    assert reverse("fees:paa_billing", args=[paa.pk]) in html


def test_only_the_administrator_sees_the_paa_page(paa, attorney):
    member(paa, attorney)
    for other in (attorney, AccountFactory(username="stranger")):
        client = signed_in(other)
        assert client.get(detail_url(paa)).status_code == 404
        assert client.post(invite_url(paa), {"username": "x"}).status_code == 404
    assert Client().get(detail_url(paa)).status_code == 302  # to the login page
    assert signed_in(attorney).get("/csologin/account/paa/999999/").status_code == 404


def test_changes_are_post_only(admin, paa, attorney):
    membership = invite(paa, attorney)
    assert signed_in(admin).get(invite_url(paa)).status_code == 405
    assert signed_in(attorney).get(respond_url(membership)).status_code == 405
    assert signed_in(attorney).get(end_url(membership)).status_code == 405
    assert signed_in(admin).get(CREATE).status_code == 405
