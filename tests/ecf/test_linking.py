"""Linking a CM/ECF account to a PACER account: seeds 000, 001, 003, 004."""

import datetime as dt
import re

import bcrypt
import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.test import Client
from django.utils.html import escape

from nextgen.audit.models import Event
from nextgen.ecf import notices
from nextgen.ecf.flows.linking import PROOF, names_match
from nextgen.ecf.hashers import SaltedSHA256Hasher
from nextgen.ecf.models import FilerAccount
from tests.factories import (
    ECF_PASSWORD,
    AccountFactory,
    CourtFactory,
    FilerAccountFactory,
    LegacyAccountFactory,
)

pytestmark = pytest.mark.django_db
LINK = "/ecf/vid/cgi-bin/link/"
CONFIRM = "/ecf/vid/cgi-bin/link/confirm/"


@pytest.fixture
def vid():
    return CourtFactory(
        code="vid", name="District Court of the Virgin Islands", go_live=dt.date(2022, 6, 6)
    )


@pytest.fixture
def filer(vid):
    return FilerAccountFactory(court=vid, login="jattorney_vid")


@pytest.fixture
def signed_in(client, account, login):
    login(account)
    return client


def nonce_of(response) -> str:
    return re.search(r'name="nonce" value="([^"]+)"', response.content.decode()).group(1)


def start(client, login="jattorney_vid", password=ECF_PASSWORD, court="vid"):
    return client.post(f"/ecf/{court}/cgi-bin/link/", {"login": login, "password": password})


def test_the_link_page_explains_in_seed_003s_words(signed_in, vid):
    html = signed_in.get(LINK).content.decode()
    for words in [
        *map(escape, notices.LINK_INTRO),
        "CM/ECF login:",
        "CM/ECF password:",
        ">Submit<",
    ]:
        assert words in html, words


def test_an_attorney_links_and_sees_the_full_menu_at_once(signed_in, vid, filer, account):
    response = start(signed_in)
    assert response["Location"] == CONFIRM
    confirm = signed_in.get(CONFIRM)
    html = confirm.content.decode()
    assert "Do you want to link these accounts?" in html
    assert re.search(r"CM/ECF</th><td[^>]*><strong>John Attorney", html)
    assert re.search(r"PACER</th><td[^>]*><strong>John Attorney", html)
    assert notices.CONFIRM_WARNING in html
    done = signed_in.post(CONFIRM, {"nonce": nonce_of(confirm)}, follow=True)
    html = done.content.decode()
    assert "The CM/ECF account for John Attorney is now linked to your CSO account." in html
    assert ">Civil</a>" in html and ">Criminal</a>" in html
    filer.refresh_from_db()
    assert filer.account == account and filer.linked_at is not None


def test_the_cmecf_password_is_never_accepted_again(signed_in, vid, filer, account):
    FilerAccount.objects.filter(pk=filer.pk).update(account=AccountFactory())
    other = AccountFactory()
    signed_in.post("/csologin/logout/")
    signed_in.get("/csologin/login/")
    signed_in.post("/csologin/login/", {"username": other.username, "password": "Correct#Horse9"})
    html = start(signed_in).content.decode()
    assert notices.REFUSALS["filer_linked"] in html


@pytest.mark.parametrize(
    "make, reason",
    [
        (lambda: LegacyAccountFactory(), "legacy"),
        (lambda: AccountFactory(is_shared=True), "shared"),
    ],
)
def test_legacy_and_shared_accounts_are_refused(client, vid, filer, login, make, reason):
    login(make())
    assert escape(notices.REFUSALS[reason]) in client.get(LINK).content.decode()
    html = start(client).content.decode()
    assert escape(notices.REFUSALS[reason]) in html
    filer.refresh_from_db()
    assert filer.account is None


def test_a_deactivated_account_cannot_link(rf, vid, filer):
    from nextgen.ecf.flows.linking import LinkRefused, propose_link

    inactive = AccountFactory(is_active=False)
    request = rf.post(LINK)
    request.session = {}
    with pytest.raises(LinkRefused) as refused:
        propose_link(
            request=request, acting=inactive, court=vid, login=filer.login, password=ECF_PASSWORD
        )
    assert refused.value.reason == "inactive"


def test_a_court_not_yet_live_refuses_linking(signed_in):
    court = CourtFactory(code="nyed", go_live=dt.date(2099, 6, 1))
    FilerAccountFactory(court=court, login="jattorney_nyed")
    html = start(signed_in, login="jattorney_nyed", court="nyed").content.decode()
    assert "June 1, 2099" in html
    assert not FilerAccount.objects.filter(account__isnull=False).exists()


def test_an_account_already_linked_in_this_court_is_refused(signed_in, vid, account):
    FilerAccountFactory(court=vid, account=account)
    FilerAccountFactory(court=vid, login="second")
    html = start(signed_in, login="second").content.decode()
    assert notices.REFUSALS["account_linked_here"] in html


def test_wrong_login_and_wrong_password_say_the_same(signed_in, vid, filer):
    wrong_password = start(signed_in, password="Nope#1234").content.decode()
    wrong_login = start(signed_in, login="nobody").content.decode()
    assert notices.REFUSALS["invalid"] in wrong_password
    assert notices.REFUSALS["invalid"] in wrong_login
    assert 'value="jattorney_vid"' in wrong_password and "Nope#1234" not in wrong_password


@pytest.mark.frozen_clock
def test_cmecf_guessing_is_throttled_per_cmecf_login(client, vid, filer, login):
    guessers = [AccountFactory() for _ in range(6)]
    for guesser in guessers[:5]:
        client.post("/csologin/logout/")
        login(guesser)
        start(client, password="Nope#1234")
    client.post("/csologin/logout/")
    login(guessers[5])
    response = start(client)  # even the right password waits now
    assert response.status_code == 429


@pytest.mark.frozen_clock
def test_cmecf_guessing_is_throttled_per_pacer_account(signed_in, vid):
    for n in range(5):
        FilerAccountFactory(court=vid, login=f"l{n}")
        start(signed_in, login=f"l{n}", password="Nope#1234")
    FilerAccountFactory(court=vid, login="fresh")
    assert start(signed_in, login="fresh").status_code == 429


@pytest.mark.frozen_clock
def test_the_throttle_wait_ends(signed_in, vid, filer, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC), tick=False)
    for _ in range(5):
        start(signed_in, password="Nope#1234")
    assert start(signed_in).status_code == 429
    time_machine.shift(dt.timedelta(minutes=2))
    assert start(signed_in).status_code == 302


class TestTheConfirmationStep:
    def test_cannot_be_reached_without_the_first_step(self, signed_in, vid, filer):
        html = signed_in.get(CONFIRM).content.decode()
        assert notices.REFUSALS["expired"] in html
        signed_in.post(CONFIRM, {"nonce": "guess"})
        filer.refresh_from_db()
        assert filer.account is None

    def test_a_forged_nonce_is_refused_and_uses_up_the_proof(self, signed_in, vid, filer):
        start(signed_in)
        signed_in.post(CONFIRM, {"nonce": "forged"})
        assert PROOF.key not in signed_in.session
        filer.refresh_from_db()
        assert filer.account is None

    def test_a_replayed_confirmation_links_nothing_more(self, signed_in, vid, filer):
        start(signed_in)
        nonce = nonce_of(signed_in.get(CONFIRM))
        signed_in.post(CONFIRM, {"nonce": nonce})
        # The same session submitting again (a double click) is shown the success page
        # (tests/ecf/test_wrongful_link.py), but nothing more is linked.
        again = signed_in.post(CONFIRM, {"nonce": nonce})
        assert again["Location"] == "/ecf/vid/cgi-bin/link/done/"
        assert Event.objects.filter(action="link.confirm", outcome="success").count() == 1
        # Another session replaying the same form gets the refusal.
        other = Client()
        other.force_login(FilerAccount.objects.get(pk=filer.pk).account)
        replayed = other.post(CONFIRM, {"nonce": nonce}).content.decode()
        assert notices.REFUSALS["expired"] in replayed

    def test_the_proof_expires_within_minutes(self, signed_in, vid, filer, time_machine):
        time_machine.move_to(dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC), tick=False)
        start(signed_in)
        nonce = nonce_of(signed_in.get(CONFIRM))
        time_machine.shift(dt.timedelta(minutes=6))
        signed_in.post(CONFIRM, {"nonce": nonce})
        filer.refresh_from_db()
        assert filer.account is None

    def test_the_proof_is_bound_to_the_court(self, signed_in, vid, filer):
        CourtFactory(code="vib", kind="bankruptcy")
        start(signed_in)
        nonce = nonce_of(signed_in.get(CONFIRM))
        signed_in.post("/ecf/vib/cgi-bin/link/confirm/", {"nonce": nonce})
        filer.refresh_from_db()
        assert filer.account is None

    def test_the_proof_is_bound_to_the_pacer_account(self, client, vid, filer, account, login):
        login(account)
        start(client)
        proof = client.session[PROOF.key]
        other = AccountFactory()
        client.post("/csologin/logout/")
        login(other)
        session = client.session
        session[PROOF.key] = proof  # a stolen proof planted in another session
        session.save()
        client.post(CONFIRM, {"nonce": proof["data"]["nonce"]})
        filer.refresh_from_db()
        assert filer.account is None

    def test_different_names_need_the_same_person_tick(self, client, vid, login):
        FilerAccountFactory(court=vid, login="jattorny", first_name="Jon", last_name="Attorny")
        person = AccountFactory(first_name="John", last_name="Attorney")
        login(person)
        start(client, login="jattorny")
        page = client.get(CONFIRM)
        assert escape(notices.NAMES_DIFFER) in page.content.decode()
        nonce = nonce_of(page)
        refused = client.post(CONFIRM, {"nonce": nonce}).content.decode()
        assert notices.SAME_PERSON_REQUIRED in refused
        assert not FilerAccount.objects.filter(account=person).exists()
        done = client.post(CONFIRM, {"nonce": nonce, "same_person": "on"}, follow=True)
        assert FilerAccount.objects.filter(account=person).exists()
        # The confirmation names the CM/ECF account as it was before PACER's data was copied.
        assert notices.linked("Jon Attorny") in done.content.decode()


@pytest.mark.parametrize(
    "a, b",
    [
        ("José Aponte", "jose aponte"),
        ("John  Attorney", " John Attorney "),
        ("Attorney, John Q.", "attorney john q"),
        ("Julio Dávila", "JULIO DAVILA"),
    ],
)
def test_names_compare_ignoring_case_accents_punctuation_and_spaces(a, b):
    assert names_match(a, b)


def test_different_names_do_not_match():
    assert not names_match("Jon Attorny", "John Attorney")


def test_linking_at_vid_does_nothing_at_vib(signed_in, vid, filer, account):
    vib = CourtFactory(code="vib", kind="bankruptcy")
    FilerAccountFactory(court=vib, login="jattorney_vib")
    start(signed_in)
    signed_in.post(CONFIRM, {"nonce": nonce_of(signed_in.get(CONFIRM))})
    assert FilerAccount.objects.get(court=vid, login="jattorney_vid").account == account
    assert FilerAccount.objects.get(court=vib).account is None
    assert "Bankruptcy" not in signed_in.get("/ecf/vib/cgi-bin/").content.decode()


def test_every_step_is_audited_with_court_and_cmecf_login(signed_in, vid, filer):
    start(signed_in, password="Nope#1234")
    start(signed_in)
    signed_in.post(CONFIRM, {"nonce": nonce_of(signed_in.get(CONFIRM))})
    rows = list(
        Event.objects.filter(action__startswith="link.").values_list(
            "action", "outcome", "court_code", "details"
        )
    )
    assert [(a, o, c) for a, o, c, _ in rows] == [
        ("link.verify", "refused", "vid"),
        ("link.verify", "success", "vid"),
        ("link.confirm", "success", "vid"),
    ]
    assert all(d["cmecf_login"] == "jattorney_vid" for *_, d in rows)
    assert ECF_PASSWORD not in str(rows) and "Nope#1234" not in str(rows)


def test_a_failed_audit_write_rolls_the_link_back(signed_in, vid, filer, monkeypatch):
    start(signed_in)
    nonce = nonce_of(signed_in.get(CONFIRM))
    import nextgen.ecf.flows.linking as linking

    real = linking.record

    def failing(action, **kw):
        if action == "link.confirm" and kw.get("outcome", "success") == "success":
            raise RuntimeError("audit down")
        return real(action, **kw)

    monkeypatch.setattr(linking, "record", failing)
    with pytest.raises(RuntimeError):
        signed_in.post(CONFIRM, {"nonce": nonce})
    filer.refresh_from_db()
    assert filer.account is None


@pytest.mark.parametrize("stored", ["", "!unusable-hash"])
def test_a_cmecf_account_without_a_usable_password_can_never_be_linked(signed_in, vid, stored):
    FilerAccountFactory(court=vid, login="nopass", password=stored)
    for guess in ["", "nextgen-dummy-password", ECF_PASSWORD]:
        html = start(signed_in, login="nopass", password=guess or "x").content.decode()
        assert notices.REFUSALS["invalid"] in html
    assert not FilerAccount.objects.filter(account__isnull=False).exists()


def test_the_dummy_password_with_an_unknown_login_is_a_plain_refusal(signed_in, vid):
    response = start(signed_in, login="nobody", password="nextgen-dummy-password")
    assert response.status_code == 200
    assert notices.REFUSALS["invalid"] in response.content.decode()


# --- hashes that would break or stall a link attempt, and the unknown login's cost -----


@pytest.mark.parametrize(
    "stored",
    [
        "pbkdf2_sha256$x",  # what an import accepted before hashes were checked in full
        "bcrypt$$2b$",
        "argon2$argon2id$garbage",
        "pbkdf2_sha256$5000000$salt$" + "A" * 43 + "=",  # seconds per attempt
        "bcrypt$$2b$31$" + "a" * 53,  # forever per attempt
    ],
    ids=["pbkdf2-malformed", "bcrypt-prefix-only", "argon2-garbage", "pbkdf2-5M", "bcrypt-31"],
)
def test_a_stored_hash_that_is_malformed_or_too_costly_is_a_plain_refusal(
    signed_in, vid, stored, monkeypatch
):
    """Such hashes are refused on import; one stored before that is never checked (it
    would raise a 500, or take seconds to forever), and matches nothing."""
    from django.contrib.auth import hashers as django_hashers

    checked: list[str] = []
    real = django_hashers.check_password
    monkeypatch.setattr(
        "nextgen.ecf.hashers.check_password",
        lambda password, encoded, *a, **k: checked.append(encoded) or real(password, encoded),
    )
    FilerAccountFactory(court=vid, login="oddhash", password=stored)
    response = start(signed_in, login="oddhash", password=ECF_PASSWORD)
    assert response.status_code == 200
    assert notices.REFUSALS["invalid"] in response.content.decode()
    assert stored not in checked and len(checked) == 1  # one dummy hash instead


def _scheme_and_cost(encoded: str):
    from nextgen.ecf.hashers import cost_profile

    return cost_profile(encoded)


@pytest.mark.parametrize(
    "make_hash",
    [
        lambda pw: SaltedSHA256Hasher().encode(pw, "abcd"),
        lambda pw: PBKDF2PasswordHasher().encode(pw, "saltsalt", iterations=12_345),
        lambda pw: "bcrypt$" + bcrypt.hashpw(pw.encode(), bcrypt.gensalt(5)).decode(),
    ],
    ids=["salted-sha256", "pbkdf2-12345", "bcrypt-5"],
)
def test_an_unknown_login_is_checked_with_the_scheme_and_cost_most_of_the_court_uses(
    signed_in, vid, make_hash, monkeypatch
):
    """Attack: time the answer to tell unknown CM/ECF logins from known ones. The dummy
    hash an unknown login is checked against must be of the court's own scheme and cost."""
    for n in range(3):
        FilerAccountFactory(court=vid, login=f"usual{n}", password=make_hash(ECF_PASSWORD))
    FilerAccountFactory(court=vid, login="reset", password=make_password(ECF_PASSWORD))
    checked: list[str] = []
    from django.contrib.auth import hashers as django_hashers

    real = django_hashers.check_password
    monkeypatch.setattr(
        "nextgen.ecf.hashers.check_password",
        lambda password, encoded, *a, **k: checked.append(encoded) or real(password, encoded),
    )
    start(signed_in, login="usual0", password="Wrong#Pass1")
    start(signed_in, login="nobody-here", password="Wrong#Pass1")
    known, unknown = checked
    assert known != unknown
    assert _scheme_and_cost(unknown) == _scheme_and_cost(known) is not None


def test_the_link_step_reads_the_viewers_link_with_the_court(signed_in, vid, filer):
    """The link page and its POST (which changes no link) read whether the viewer is
    linked here with the court (menus.court_for_viewer), not in a query of its own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    asked = []
    for send in (lambda: signed_in.get(LINK), lambda: start(signed_in)):
        with CaptureQueriesContext(connection) as queries:
            send()
        asked += [q["sql"] for q in queries]
    own = [sql for sql in asked if sql.startswith('SELECT 1 AS "a" FROM "ecf_fileraccount"')]
    assert own == []
    assert PROOF.key in signed_in.session  # the POST did its work


def test_a_confirmation_answers_with_the_row_as_stored(rf, vid, filer, account):
    """confirm_link hands back the CM/ECF account as linked without reading it again: the
    locked row with what its UPDATE wrote, every column as the database now has it."""
    from nextgen.ecf.flows.linking import confirm_link, propose_link

    request = rf.post(LINK)
    request.session = {}
    propose_link(
        request=request, acting=account, court=vid, login=filer.login, password=ECF_PASSWORD
    )
    nonce = PROOF.peek(request, owner=(account.pk, vid.code))["nonce"]
    linked = confirm_link(request=request, acting=account, court=vid, nonce=nonce, same_person=True)
    stored = FilerAccount.objects.get(pk=filer.pk)
    for field in FilerAccount._meta.concrete_fields:
        assert getattr(linked, field.attname) == getattr(stored, field.attname), field.name
    assert linked.cmecf_name == stored.name_of_record == "John Attorney"
    assert linked.court == vid


def _bcrypt_hash_of_first_72_bytes(password: str) -> str:
    # What the systems that made these hashes stored: bcrypt read 72 bytes and no more.
    return "bcrypt$" + bcrypt.hashpw(password.encode()[:72], bcrypt.gensalt(4)).decode()


def test_a_password_past_bcrypts_72_bytes_links_as_it_always_did(signed_in, vid, account):
    long_password = "Ecf#Pass2020-" + "é" * 60  # 133 bytes; a two-byte letter at byte 72
    FilerAccountFactory(
        court=vid, login="longpw", password=_bcrypt_hash_of_first_72_bytes(long_password)
    )
    signed_in.raise_request_exception = False
    wrong = signed_in.post(LINK, {"login": "longpw", "password": "x" * 73})
    assert wrong.status_code == 200 and notices.REFUSALS["invalid"] in wrong.content.decode()
    right = signed_in.post(LINK, {"login": "longpw", "password": long_password})
    assert right.status_code == 302


def test_a_long_password_for_an_unknown_login_at_a_bcrypt_court_is_a_plain_refusal(signed_in, vid):
    for n in range(3):  # most of the court's hashes bcrypt: the unknown login's dummy too
        FilerAccountFactory(
            court=vid, login=f"b{n}", password=_bcrypt_hash_of_first_72_bytes(ECF_PASSWORD)
        )
    signed_in.raise_request_exception = False
    response = signed_in.post(LINK, {"login": "nobody_here", "password": "x" * 200})
    assert response.status_code == 200
    assert notices.REFUSALS["invalid"] in response.content.decode()
