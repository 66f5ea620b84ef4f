"""The hash an unknown CM/ECF login is checked against (nextgen/ecf/unknown_logins.py):
of the court's own scheme and cost, read from its stored hashes once and kept in the
shared cache until an import of the court's accounts or PROFILE_TTL."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, identify_hasher, make_password
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nextgen.audit.services import SYSTEM
from nextgen.ecf.hashers import SaltedSHA256Hasher, cost_profile
from nextgen.ecf.importing import import_filers
from nextgen.ecf.unknown_logins import dummy_hash_for
from tests.factories import ECF_PASSWORD, CourtFactory, FilerAccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def vid():
    return CourtFactory(code="vid", go_live=dt.date(2022, 6, 6))


def _sha256(password: str) -> str:
    return SaltedSHA256Hasher().encode(password, "abcd")


def _pbkdf2(password: str) -> str:
    return PBKDF2PasswordHasher().encode(password, "saltsalt", iterations=12_345)


def _hash_sample_reads(queries) -> list[str]:
    """The queries that read a sample of the court's stored hashes."""
    sample = 'SELECT "ecf_fileraccount"."password" AS "password" FROM "ecf_fileraccount"'
    return [q["sql"] for q in queries if q["sql"].startswith(sample)]


def test_a_court_without_imported_hashes_checks_unknown_logins_with_the_default_hasher(vid):
    dummy = dummy_hash_for(vid)
    assert identify_hasher(dummy).algorithm == "argon2"
    assert cost_profile(dummy) == cost_profile(make_password("anything"))


def test_the_courts_hashes_are_read_once_for_many_link_attempts(client, account, login, vid):
    """The sample of stored hashes (a quarter of a link attempt's time) is read by the
    first attempt; the next ones, known login or not, take the kept scheme and cost."""
    for n in range(3):
        FilerAccountFactory(court=vid, login=f"usual{n}", password=_sha256(ECF_PASSWORD))
    login(account)
    with CaptureQueriesContext(connection) as first:
        client.post("/ecf/vid/cgi-bin/link/", {"login": "usual0", "password": "Wrong#Pass1"})
    with CaptureQueriesContext(connection) as later:
        client.post("/ecf/vid/cgi-bin/link/", {"login": "usual1", "password": "Wrong#Pass1"})
        client.post("/ecf/vid/cgi-bin/link/", {"login": "nobody", "password": "Wrong#Pass1"})
    assert len(_hash_sample_reads(first)) == 1
    assert _hash_sample_reads(later) == []


def test_after_an_import_unknown_logins_are_checked_with_the_new_scheme(vid):
    """Attack: time unknown logins right after a court's accounts were imported with
    another scheme. The import forgets the kept scheme and cost."""
    FilerAccountFactory(court=vid, login="early", password=_sha256(ECF_PASSWORD))
    assert cost_profile(dummy_hash_for(vid))[0] == "sha256"
    rows = "login,first_name,last_name,email,bar_number,password_hash\n" + "".join(
        f"late{n},Pat,Late,late{n}@court.example,VI{n},{_pbkdf2(ECF_PASSWORD)}\n" for n in range(3)
    )
    import_filers(court=vid, rows=io.StringIO(rows), acting=SYSTEM, source="test")
    assert cost_profile(dummy_hash_for(vid)) == ("pbkdf2_sha256", 12_345)


def test_a_kept_scheme_expires(vid, monkeypatch):
    """A change no import made (password resets write today's hashes) is seen once the
    kept entry expires."""
    FilerAccountFactory(court=vid, login="early", password=_sha256(ECF_PASSWORD))
    assert cost_profile(dummy_hash_for(vid))[0] == "sha256"
    from nextgen.ecf.models import FilerAccount

    FilerAccount.objects.filter(court=vid).update(password=_pbkdf2(ECF_PASSWORD))
    assert cost_profile(dummy_hash_for(vid))[0] == "sha256"  # kept
    cache.delete(f"ecf:unknown-login-profile:{vid.pk}")  # what PROFILE_TTL does
    assert cost_profile(dummy_hash_for(vid))[0] == "pbkdf2_sha256"


def test_without_the_cache_the_scheme_is_read_from_the_database(vid, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    FilerAccountFactory(court=vid, login="early", password=_pbkdf2(ECF_PASSWORD))
    monkeypatch.setattr(cache, "get", down)
    monkeypatch.setattr(cache, "set", down)
    assert cost_profile(dummy_hash_for(vid)) == ("pbkdf2_sha256", 12_345)
