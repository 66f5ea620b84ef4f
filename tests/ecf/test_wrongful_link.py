"""A wrongful link never hands the CM/ECF account to the wrongdoer: the court's own record
is kept under the link and restored by the unlink, and CM/ECF recovery writes only to
the court of record's address. Also: a double click on the final Submit shows success."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from nextgen.audit.models import Event
from nextgen.audit.services import SYSTEM
from nextgen.ecf.flows import linking, staff
from nextgen.ecf.flows.linking import PROOF
from nextgen.ecf.importing import import_filers
from nextgen.ecf.models import CourtRole, FilerAccount
from nextgen.signon.flows.maintenance import PERSONAL_DATA_LISTENERS
from tests.commits import run_on_commit
from tests.factories import ECF_PASSWORD, AccountFactory, CourtFactory, FilerAccountFactory
from tests.passcode import with_passcode

pytestmark = pytest.mark.django_db
LINK = "/ecf/vid/cgi-bin/link/"
CONFIRM = "/ecf/vid/cgi-bin/link/confirm/"
COURT_EMAIL = "maria.lopez@lopezlaw.example"
WRONGDOER_EMAIL = "walter@wrongdoer.example"


@pytest.fixture
def vid():
    return CourtFactory(
        code="vid", name="District Court of the Virgin Islands", go_live=dt.date(2022, 6, 6)
    )


@pytest.fixture
def maria(vid):
    """The court's CM/ECF account of Maria Lopez, not linked yet."""
    return FilerAccountFactory(
        court=vid,
        login="mlopez_vid",
        first_name="Maria",
        last_name="Lopez",
        email=COURT_EMAIL,
        phone="340-555-0199",
        firm="Lopez Law",
        city="Charlotte Amalie",
        bar_number="VI777",
    )


@pytest.fixture
def wrongdoer():
    return AccountFactory(
        username="wrong.doer",
        first_name="Walter",
        last_name="Wrong",
        email=WRONGDOER_EMAIL,
        phone="555-0000",
        firm="",
        city="Elsewhere",
    )


@pytest.fixture
def clerk(vid):
    account = AccountFactory(username="vid.clerk")
    CourtRole.objects.create(account=account, court=vid)
    return with_passcode(Client(), account)


def link_as(client: Client, login: str = "mlopez_vid") -> None:
    """Both steps of the link page, ticking "same person"."""
    assert client.post(LINK, {"login": login, "password": ECF_PASSWORD}).status_code == 302
    nonce = client.session[PROOF.key]["data"]["nonce"]
    done = client.post(CONFIRM, {"nonce": nonce, "same_person": "on"})
    assert done["Location"] == reverse("ecf:link_done", args=["vid"])


_browsers = itertools.count(1)


def _fresh_browser() -> Client:
    # Each from its own address: the recovery pages throttle per client.
    return Client(REMOTE_ADDR=f"192.0.2.{next(_browsers) % 250 + 1}")


def forgot_password(value: str) -> list[str]:
    """Submit Forgot CM/ECF password from a fresh browser; the addresses mailed."""
    before = len(mail.outbox)
    with run_on_commit():
        _fresh_browser().post("/ecf/vid/passreset/", {"login_or_email": value})
    return [address for message in mail.outbox[before:] for address in message.to]


def forgot_username(value: str) -> list[str]:
    before = len(mail.outbox)
    with run_on_commit():
        _fresh_browser().post("/ecf/vid/passreset/username/", {"bar_number_or_email": value})
    return [address for message in mail.outbox[before:] for address in message.to]


def test_a_wrongful_link_undone_by_staff_leaves_recovery_with_the_court(
    client, login, wrongdoer, maria, clerk
):
    # The wrongdoer knows Maria's CM/ECF password and links it to their own PACER account.
    login(wrongdoer)
    link_as(client)
    linked = FilerAccount.objects.get(pk=maria.pk)
    assert linked.account == wrongdoer
    assert linked.email == WRONGDOER_EMAIL  # PACER's data is forwarded while linked ...
    assert linked.email_of_record == COURT_EMAIL  # ... the court's own is kept beside it
    # While linked, recovery mail (telling to sign in with PACER) goes to the court's address.
    assert forgot_password("mlopez_vid") == [COURT_EMAIL]
    assert forgot_password(WRONGDOER_EMAIL) == []
    assert forgot_username(WRONGDOER_EMAIL) == []

    # Court staff find it by the address the court knows, and undo the link.
    found = clerk.get(reverse("ecf:staff_home", args=["vid"]), {"key": "email", "q": COURT_EMAIL})
    assert reverse("ecf:staff_filer", args=["vid", maria.pk]) in found.content.decode()
    response = clerk.post(
        reverse("ecf:staff_unlink", args=["vid", maria.pk]),
        {"unlink-reason": "Linked by someone who is not Maria Lopez"},
    )
    assert response.status_code == 302
    unlinked = FilerAccount.objects.get(pk=maria.pk)
    assert unlinked.account is None and unlinked.court_record is None
    assert (unlinked.first_name, unlinked.last_name, unlinked.email) == (
        "Maria",
        "Lopez",
        COURT_EMAIL,
    )
    assert (unlinked.phone, unlinked.firm, unlinked.city) == (
        "340-555-0199",
        "Lopez Law",
        "Charlotte Amalie",
    )
    assert Event.objects.get(action="unlink").details["court_record_restored"] is True

    # The court re-imports its file, which still holds the old password: the wrongdoer
    # still cannot link again (only a reset mailed to the court's address reopens it).
    import_filers(
        court=maria.court,
        acting=SYSTEM,
        rows=io.StringIO(
            "login,first_name,last_name,email,bar_number,password\n"
            f"mlopez_vid,Maria,Lopez,{COURT_EMAIL},VI777,{ECF_PASSWORD}\n"
        ),
    )
    again = client.post(LINK, {"login": "mlopez_vid", "password": ECF_PASSWORD})
    assert (
        again.status_code == 200 and "Invalid CM/ECF login or password." in again.content.decode()
    )
    assert FilerAccount.objects.get(pk=maria.pk).account is None

    # The staff-sent reset link and the attorney's own "Forgot CM/ECF password" both go
    # to the court of record's address, never to the wrongdoer's.
    before = len(mail.outbox)
    with run_on_commit():
        response = clerk.post(
            reverse("ecf:staff_reset", args=["vid", maria.pk]), {"reset-reason": "After unlink"}
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox[before:]] == [[COURT_EMAIL]]
    assert forgot_password("mlopez_vid") == [COURT_EMAIL]
    assert forgot_password(COURT_EMAIL) == [COURT_EMAIL]
    assert forgot_password(WRONGDOER_EMAIL) == []
    assert forgot_username("VI777") == [COURT_EMAIL]
    assert forgot_username(WRONGDOER_EMAIL) == []


def test_data_forwarded_during_the_link_is_not_left_behind_by_the_unlink(
    client, login, wrongdoer, maria
):
    login(wrongdoer)
    link_as(client)
    # A PACER change while linked is forwarded to the court's copy ...
    wrongdoer.email = "walter.new@wrongdoer.example"
    wrongdoer.save(update_fields=["email"])
    for listener in PERSONAL_DATA_LISTENERS:
        listener(wrongdoer, {"email": {"old": WRONGDOER_EMAIL, "new": wrongdoer.email}})
    assert FilerAccount.objects.get(pk=maria.pk).email == "walter.new@wrongdoer.example"
    # ... and the unlink still restores the court's record.
    staff.unlink_filer(acting=AccountFactory(), filer=maria, reason="wrong person", request=None)
    assert FilerAccount.objects.get(pk=maria.pk).email == COURT_EMAIL


def test_the_success_page_names_the_cmecf_account_as_the_court_has_it(
    client, login, wrongdoer, maria
):
    login(wrongdoer)
    link_as(client)
    html = client.get(reverse("ecf:link_done", args=["vid"])).content.decode()
    assert "The CM/ECF account for Maria Lopez is now linked to your CSO account." in html


# --- a double click on the final Submit ------------------------------------------------


@pytest.fixture
def john(vid):
    account = AccountFactory(username="jattorney", first_name="Maria", last_name="Lopez")
    return account


def _confirm_page_nonce(client: Client) -> str:
    html = client.get(CONFIRM).content.decode()
    return re.search(r'name="nonce" value="([^"]+)"', html).group(1)


def test_a_second_submit_after_the_first_finished_shows_the_success_page(
    client, login, john, maria
):
    login(john)
    client.post(LINK, {"login": "mlopez_vid", "password": ECF_PASSWORD})
    nonce = _confirm_page_nonce(client)
    first = client.post(CONFIRM, {"nonce": nonce})
    second = client.post(CONFIRM, {"nonce": nonce}, follow=True)
    assert first["Location"] == reverse("ecf:link_done", args=["vid"])
    html = second.content.decode()
    assert "The CM/ECF account for Maria Lopez is now linked to your CSO account." in html
    assert "already linked" not in html.lower()
    assert FilerAccount.objects.get(pk=maria.pk).account == john
    assert Event.objects.filter(action="link.confirm", outcome="success").count() == 1


def test_two_submits_racing_with_one_proof_both_show_success(client, login, john, maria):
    login(john)
    client.post(LINK, {"login": "mlopez_vid", "password": ECF_PASSWORD})
    nonce = _confirm_page_nonce(client)
    proof = client.session[PROOF.key]
    first = client.post(CONFIRM, {"nonce": nonce})
    assert first.status_code == 302
    # The second request read the session before the first one saved it: it still holds
    # the proof, and its conditional UPDATE finds the account linked.
    session = client.session
    session[PROOF.key] = proof
    session.pop(linking.LINKED.key, None)
    session.save()
    second = client.post(CONFIRM, {"nonce": nonce}, follow=True)
    assert "is now linked to your CSO account." in second.content.decode()
    assert Event.objects.filter(action="link.confirm", outcome="success").count() == 1


def test_another_sessions_nonce_does_not_pass_for_a_repeat(client, login, john, maria):
    login(john)
    client.post(LINK, {"login": "mlopez_vid", "password": ECF_PASSWORD})
    nonce = _confirm_page_nonce(client)
    client.post(CONFIRM, {"nonce": nonce})
    response = client.post(CONFIRM, {"nonce": "forged-" + nonce}, follow=True)
    assert "is now linked to your CSO account." not in response.content.decode()
