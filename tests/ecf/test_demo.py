"""`nextgen demo` loads the demo courts and CM/ECF accounts, and re-running it is safe."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.utils import timezone

from nextgen.ecf.demo import DEMO_ECF_PASSWORD
from nextgen.ecf.models import Court, CourtKind, FilerAccount, LinkMenu
from nextgen.signon.models import Account

pytestmark = pytest.mark.django_db

CODES = {"vid", "vib", "ctd", "prd", "cacb", "gub", "nyed"}


def counts() -> tuple[int, int, int]:
    return Account.objects.count(), Court.objects.count(), FilerAccount.objects.count()


def test_demo_loads_the_seed_courts_and_one_not_yet_live(capsys):
    call_command("demo")
    assert set(Court.objects.values_list("code", flat=True)) == CODES
    vid = Court.objects.get(code="vid")
    assert vid.kind == CourtKind.DISTRICT and vid.go_live == dt.date(2022, 6, 6)
    assert vid.welcome_line == (
        "Welcome to the District Court of the Virgin Islands for the District of the Virgin Islands"
    )
    vib = Court.objects.get(code="vib")
    assert vib.kind == CourtKind.BANKRUPTCY
    assert vib.filing_menus == ["Bankruptcy", "Adversary"]
    assert Court.objects.get(code="ctd").go_live == dt.date(2017, 12, 11)
    for code in ("cacb", "gub"):
        assert Court.objects.get(code=code).link_menu == LinkMenu.RELEASE_1_1
    prd = Court.objects.get(code="prd")
    for name, ext in [("Kim Kalife", 3085), ("José Aponte", 3079),
                      ("Diana Villavicencio", 3024), ("Julio Dávila", 3087)]:  # fmt: skip
        assert name in prd.help_contact and str(ext) in prd.help_contact
    assert "1-800-676-6856" in prd.help_contact
    assert not Court.objects.get(code="nyed").is_live(dt.date(2026, 1, 1))
    assert all(c.help_contact for c in Court.objects.all())


def test_demo_gives_john_attorney_a_cmecf_account_in_every_court(capsys):
    call_command("demo")
    for code in CODES:
        filer = FilerAccount.objects.get(court__code=code, login=f"jattorney_{code}")
        assert filer.full_name == "John Attorney"
        assert filer.email == "john.attorney@example.com"
        assert check_password(DEMO_ECF_PASSWORD, filer.password)
        assert not filer.is_linked
    other = FilerAccount.objects.get(court__code="ctd", login="jattorny")
    assert other.full_name == "Jon Attorny"
    out = capsys.readouterr().out
    assert "Demo CM/ECF accounts" in out
    assert "jattorney_ctd" in out and "jattorny" in out and DEMO_ECF_PASSWORD in out


def test_demo_twice_duplicates_nothing_and_keeps_links(capsys):
    call_command("demo")
    first = counts()
    john = Account.objects.get(username="jattorney")
    linked_at = timezone.now()
    FilerAccount.objects.filter(login="jattorney_ctd").update(account=john, linked_at=linked_at)
    Court.objects.filter(code="nyed").update(go_live=dt.date(2026, 3, 1))  # staff moved it

    call_command("demo")
    assert counts() == first
    filer = FilerAccount.objects.get(login="jattorney_ctd")
    assert (filer.account, filer.linked_at) == (john, linked_at)
    assert Court.objects.get(code="nyed").go_live == dt.date(2026, 3, 1)
