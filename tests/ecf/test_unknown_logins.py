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


def test_a_kept_scheme_is_kept_for_profile_ttl_seconds(vid, monkeypatch):
    """A change no import made (password resets write today's hashes) is seen once the
    kept entry expires, PROFILE_TTL seconds after it was read."""
    from nextgen.ecf import unknown_logins
    from nextgen.ecf.models import FilerAccount

    timeouts = []
    real_set = cache.set
    monkeypatch.setattr(
        cache,
        "set",
        lambda key, value, timeout: timeouts.append(timeout) or real_set(key, value, timeout),
    )
    FilerAccountFactory(court=vid, login="early", password=_sha256(ECF_PASSWORD))
    assert cost_profile(dummy_hash_for(vid))[0] == "sha256"
    assert timeouts == [unknown_logins.PROFILE_TTL] == [300]
    FilerAccount.objects.filter(court=vid).update(password=_pbkdf2(ECF_PASSWORD))
    assert cost_profile(dummy_hash_for(vid))[0] == "sha256"  # kept
    cache.delete(f"ecf:unknown-login-profile:v1:{vid.pk}")  # what the expiry does
    assert cost_profile(dummy_hash_for(vid))[0] == "pbkdf2_sha256"


def test_a_sample_read_before_an_import_finished_is_not_kept_past_it(vid, monkeypatch):
    """An attempt that read the sample just before an import finished, and kept it just
    after, must not leave the old scheme in use: it is kept under the old generation."""
    from nextgen.ecf import unknown_logins
    from nextgen.ecf.models import FilerAccount

    FilerAccountFactory(court=vid, login="early", password=_sha256(ECF_PASSWORD))
    real_read = unknown_logins._read_profile
    reads = []

    def read_then_import_finishes(court):
        profile = real_read(court)
        reads.append(profile)
        if len(reads) == 1:
            FilerAccount.objects.filter(court=court).update(password=_pbkdf2(ECF_PASSWORD))
            unknown_logins.forget_profile(court)  # what import_filers does at its end
        return profile

    monkeypatch.setattr(unknown_logins, "_read_profile", read_then_import_finishes)
    assert cost_profile(dummy_hash_for(vid))[0] == "sha256"  # read before the import
    assert cost_profile(dummy_hash_for(vid)) == ("pbkdf2_sha256", 12_345)
    assert len(reads) == 2


def test_an_import_that_fails_part_way_still_forgets_the_scheme(vid, monkeypatch):
    from nextgen.ecf import importing

    FilerAccountFactory(court=vid, login="early", password=_sha256(ECF_PASSWORD))
    assert cost_profile(dummy_hash_for(vid))[0] == "sha256"
    real_write = importing._write_chunk

    def write_then_fail(*args, **kwargs):
        real_write(*args, **kwargs)
        raise RuntimeError("the import's process dies")

    monkeypatch.setattr(importing, "_write_chunk", write_then_fail)
    rows = "login,first_name,last_name,email,bar_number,password_hash\n" + "".join(
        f"late{n},Pat,Late,late{n}@court.example,VI{n},{_pbkdf2(ECF_PASSWORD)}\n" for n in range(3)
    )
    with pytest.raises(RuntimeError):
        import_filers(court=vid, rows=io.StringIO(rows), acting=SYSTEM, source="test")
    assert cost_profile(dummy_hash_for(vid)) == ("pbkdf2_sha256", 12_345)


def test_a_kept_value_of_another_shape_is_read_again(vid):
    FilerAccountFactory(court=vid, login="early", password=_pbkdf2(ECF_PASSWORD))
    for garbage in ("garbage", [0, "garbage"], [0, ["md5"]], [0, ["sha256", 1.5]], [7, "none"]):
        cache.set(f"ecf:unknown-login-profile:v1:{vid.pk}", garbage, 300)
        assert cost_profile(dummy_hash_for(vid)) == ("pbkdf2_sha256", 12_345), garbage


@pytest.mark.parametrize("broken", ["get_many", "set"])
def test_without_the_cache_the_scheme_is_read_from_the_database(vid, monkeypatch, broken):
    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    FilerAccountFactory(court=vid, login="early", password=_pbkdf2(ECF_PASSWORD))
    monkeypatch.setattr(cache, broken, down)
    assert cost_profile(dummy_hash_for(vid)) == ("pbkdf2_sha256", 12_345)
    assert cost_profile(dummy_hash_for(vid)) == ("pbkdf2_sha256", 12_345)


def test_an_import_succeeds_without_the_cache(vid, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "incr", down)
    monkeypatch.setattr(cache, "add", down)
    rows = "login,first_name,last_name,email,bar_number,password_hash\n" + (
        f"late0,Pat,Late,late0@court.example,VI0,{_pbkdf2(ECF_PASSWORD)}\n"
    )
    report = import_filers(court=vid, rows=io.StringIO(rows), acting=SYSTEM, source="test")
    assert report.errors == []
