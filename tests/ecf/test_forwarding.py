"""Personal data lives in PACER and is forwarded to every court where the account is linked
(seed 002: "Any changes made in PACER are automatically forwarded to our court")."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from nextgen.ecf.forwarding import FORWARDED_FIELDS, forward_personal_data
from nextgen.ecf.models import FilerAccount
from nextgen.signon.flows import maintenance
from nextgen.signon.flows.maintenance import PERSONAL_DATA_LISTENERS, update_personal_data
from tests.factories import PASSWORD, AccountFactory, CourtFactory, FilerAccountFactory

pytestmark = pytest.mark.django_db

NEW_DATA = {
    "first_name": "Johnny",
    "last_name": "Advocate",
    "email": "johnny@newfirm.example",
    "firm": "New Firm LLP",
    "address": "250 Calle Fortaleza",
    "city": "San Juan",
    "state": "PR",
    "zip_code": "00901",
    "phone": "787-555-0199",
}


def change_everything(account) -> None:
    """NEW_DATA as the account holder saves it (a new e-mail needs the password)."""
    update_personal_data(
        acting=account,
        changes=NEW_DATA,
        request=RequestFactory().post("/"),
        current_password=PASSWORD,
    )


def link_in_courts(account, count: int) -> list[FilerAccount]:
    return [
        FilerAccountFactory(
            court=CourtFactory(code=f"k{n}"), account=account, firm="Old Firm", phone="000"
        )
        for n in range(count)
    ]


def queries_for_a_change(account, value: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        update_personal_data(acting=account, changes={"firm": value}, request=None)
    return len(captured)


def test_the_court_side_listener_is_registered_once():
    assert PERSONAL_DATA_LISTENERS.count(forward_personal_data) == 1


def test_a_central_change_reaches_every_linked_court(account):
    filers = link_in_courts(account, 3)
    change_everything(account)
    for filer in filers:
        filer.refresh_from_db()
        assert {name: getattr(filer, name) for name in NEW_DATA} == NEW_DATA


def test_an_unlinked_cmecf_account_and_another_persons_are_untouched(account):
    link_in_courts(account, 1)
    unlinked = FilerAccountFactory(court=CourtFactory(code="u1"), firm="Old Firm")
    someone_else = FilerAccountFactory(
        court=CourtFactory(code="u2"), account=AccountFactory(), firm="Old Firm"
    )
    update_personal_data(acting=account, changes={"firm": "New Firm LLP"}, request=None)
    for other in (unlinked, someone_else):
        other.refresh_from_db()
        assert other.firm == "Old Firm"


def test_a_change_of_county_only_forwards_nothing(account):
    (filer,) = link_in_courts(account, 1)
    before = FilerAccount.objects.get(pk=filer.pk).updated_at
    update_personal_data(acting=account, changes={"county": "Hartford County"}, request=None)
    assert FilerAccount.objects.get(pk=filer.pk).updated_at == before


def test_every_forwarded_field_is_a_field_of_both_sides():
    from nextgen.signon.models import Account

    for name in FORWARDED_FIELDS:
        Account._meta.get_field(name)
        FilerAccount._meta.get_field(name)


class TestInTheSameTransaction:
    def test_a_failing_forwarder_rolls_the_central_change_back(self, account, monkeypatch):
        (filer,) = link_in_courts(account, 1)

        def broken_court(account, changes):
            raise RuntimeError("a court could not take the update")

        # Runs after ours: the courts' copies were already written when it fails.
        monkeypatch.setattr(
            maintenance, "PERSONAL_DATA_LISTENERS", [forward_personal_data, broken_court]
        )
        with pytest.raises(RuntimeError):
            update_personal_data(acting=account, changes={"firm": "New Firm LLP"}, request=None)
        account.refresh_from_db()
        filer.refresh_from_db()
        assert account.firm == "" and filer.firm == "Old Firm"

    def test_the_forwarded_rows_are_written_before_the_change_commits(self, account, monkeypatch):
        (filer,) = link_in_courts(account, 1)
        seen: list[str] = []

        def look(account, changes):
            seen.append(FilerAccount.objects.get(pk=filer.pk).firm)

        monkeypatch.setattr(maintenance, "PERSONAL_DATA_LISTENERS", [forward_personal_data, look])
        update_personal_data(acting=account, changes={"firm": "New Firm LLP"}, request=None)
        assert seen == ["New Firm LLP"]


class TestConstantCost:
    def test_one_linked_court_and_fifty_cost_the_same_queries(self):
        one, fifty = AccountFactory(), AccountFactory()
        link_in_courts(one, 1)
        for n in range(50):
            FilerAccountFactory(court=CourtFactory(code=f"f{n}"), account=fifty)
        # Warm up: the audit log's chain head is created by the very first event.
        queries_for_a_change(one, "Warm-up Firm")
        assert queries_for_a_change(one, "Firm A") == queries_for_a_change(fifty, "Firm A")
        assert FilerAccount.objects.filter(account=fifty, firm="Firm A").count() == 50

    def test_forwarding_is_one_update(self, account):
        link_in_courts(account, 5)
        with CaptureQueriesContext(connection) as captured:
            assert forward_personal_data(account, {"firm": {"old": "", "new": "x"}}) == 5
        (query,) = captured.captured_queries
        assert query["sql"].startswith("UPDATE")


# --- the court pages ---------------------------------------------------------------------------
def test_maintain_your_account_shows_the_forwarded_data_and_where_to_change_it(client, account):
    (filer,) = link_in_courts(account, 1)
    change_everything(account)
    client.force_login(account)
    html = client.get(f"/ecf/{filer.court.code}/cgi-bin/account/").content.decode()
    for value in NEW_DATA.values():
        assert value in html
    assert "kept in your PACER account and forwarded to this court" in html
    assert ">Personal Information</a>" in html and ">Update Address Information</a>" in html


def test_an_unlinked_courts_account_page_does_not_claim_the_data_was_forwarded(client, account):
    court = CourtFactory(code="vid")
    client.force_login(account)
    html = client.get(f"/ecf/{court.code}/cgi-bin/account/").content.decode()
    assert "forwarded to this court" not in html
    assert "This court receives it only once you link your CM/ECF account here" in html


def test_linking_copies_the_pacer_data_to_the_cmecf_account(client, account, login):
    import re

    court = CourtFactory(code="vid")
    filer = FilerAccountFactory(court=court, login="jattorney_vid", firm="Old Firm", phone="000")
    login(account)
    client.post("/ecf/vid/cgi-bin/link/", {"login": "jattorney_vid", "password": "Ecf#Pass2020"})
    confirm = client.get("/ecf/vid/cgi-bin/link/confirm/").content.decode()
    nonce = re.search(r'name="nonce" value="([^"]+)"', confirm).group(1)
    client.post("/ecf/vid/cgi-bin/link/confirm/", {"nonce": nonce})
    filer.refresh_from_db()
    assert filer.account == account
    assert (filer.email, filer.firm, filer.phone, filer.city) == (
        account.email,
        account.firm,
        account.phone,
        account.city,
    )


def test_the_audit_chain_head_is_locked_only_after_the_forwarding_writes(account):
    """record() locks the chain head until COMMIT and every audited write waits for it:
    forwarding to the courts runs first, so the lock is held for the event alone."""
    link_in_courts(account, 2)
    with CaptureQueriesContext(connection) as captured:
        update_personal_data(acting=account, changes={"firm": "Late Lock LLP"}, request=None)
    sql = [q["sql"] for q in captured]
    forwarding = max(i for i, s in enumerate(sql) if s.startswith('UPDATE "ecf_fileraccount"'))
    head_lock = next(i for i, s in enumerate(sql) if '"audit_chainhead"' in s)
    if connection.features.has_select_for_update:  # PostgreSQL; SQLite locks the file
        assert "FOR UPDATE" in sql[head_lock]
    assert forwarding < head_lock
    assert FilerAccount.objects.filter(account=account, firm="Late Lock LLP").count() == 2
