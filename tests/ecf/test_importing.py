"""Importing a court's CM/ECF accounts from its old system's CSV export."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import bcrypt
import pytest
from django.contrib.auth.hashers import BCryptSHA256PasswordHasher, check_password, make_password
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from django.db import connection, connections
from django.utils import timezone

from nextgen.audit.models import Event
from nextgen.audit.services import SYSTEM
from nextgen.ecf.hashers import SaltedSHA256Hasher
from nextgen.ecf.importing import HeaderError, import_filers
from nextgen.ecf.models import FilerAccount
from tests.factories import AccountFactory, CourtFactory, FilerAccountFactory

pytestmark = pytest.mark.django_db

HEADER = ["login", "first_name", "last_name", "email", "bar_number", "password"]
HASH_HEADER = [*HEADER[:-1], "password_hash"]
OLD = "Old#Pass2019"


class CheapBCryptSHA256(BCryptSHA256PasswordHasher):
    rounds = 4  # the cost is stored in the hash, so checking it stays cheap too


def bcrypt_raw(password: str, prefix: str = "$2b$") -> str:
    h = bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=4)).decode()
    return prefix + h[4:]


def to_csv(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return out.getvalue()


def load(court, header, rows, **kw):
    return import_filers(
        court=court, rows=io.StringIO(to_csv(header, rows)), **{"acting": SYSTEM, **kw}
    )


def row(login="jattorney", pw=OLD, email=None, first="John", last="Attorney", bar="CT12345"):
    return [login, first, last, email if email is not None else f"{login}@example.com", bar, pw]


@pytest.fixture(autouse=True)
def _keep_test_connection(monkeypatch):
    """run_from_argv closes every connection when a command ends, as a process exiting
    would; under pytest that would close the test's transaction on PostgreSQL."""
    monkeypatch.setattr(connections, "close_all", lambda: None)


def run(*args: str) -> int:
    """Run as from a shell (argv parsing, exit status); the status, 0 when it returns."""
    try:
        execute_from_command_line(["nextgen", *args])
    except SystemExit as exc:
        return exc.code
    return 0


@pytest.fixture
def court():
    return CourtFactory(code="ctd")


# --- passwords -------------------------------------------------------------------


def test_a_plain_password_is_hashed_with_the_current_hasher(court):
    report = load(court, HEADER, [row()])
    assert (report.created, report.errors) == (1, [])
    filer = FilerAccount.objects.get(court=court, login="jattorney")
    assert filer.password.startswith("argon2$")
    assert check_password(OLD, filer.password)
    assert not check_password("Wrong#Pass2019", filer.password)


@pytest.mark.parametrize(
    ("make_hash", "stored_prefix"),
    [
        (lambda pw: bcrypt_raw(pw, "$2b$"), "bcrypt$$2b$"),
        (lambda pw: bcrypt_raw(pw, "$2a$"), "bcrypt$$2a$"),
        (lambda pw: bcrypt_raw(pw, "$2y$"), "bcrypt$$2y$"),
        (lambda pw: SaltedSHA256Hasher().encode(pw, "a1b2c3d4"), "sha256$a1b2c3d4$"),
        (lambda pw: make_password(pw, hasher="pbkdf2_sha256"), "pbkdf2_sha256$"),
        (lambda pw: make_password(pw, hasher="argon2"), "argon2$"),
        (lambda pw: "bcrypt$" + bcrypt_raw(pw), "bcrypt$$2b$"),
        (lambda pw: CheapBCryptSHA256().encode(pw, CheapBCryptSHA256().salt()), "bcrypt_sha256$"),
    ],
    ids=["2b", "2a", "2y", "sha256", "pbkdf2", "argon2", "django-bcrypt", "bcrypt_sha256"],
)
def test_an_old_systems_hash_is_kept_and_checks_the_old_password(court, make_hash, stored_prefix):
    report = load(court, HASH_HEADER, [row(pw=make_hash(OLD))])
    assert (report.created, report.errors) == (1, [])
    stored = FilerAccount.objects.get(court=court).password
    assert stored.startswith(stored_prefix)
    assert check_password(OLD, stored)
    assert not check_password("Other#Pass2019", stored)


@pytest.mark.parametrize("bad", ["md5$x$y", "plaintext", "$1$abc$def", "{SSHA}abcd", "!"])
def test_an_unknown_hash_format_is_reported(court, bad):
    report = load(court, HASH_HEADER, [row(pw=bad)])
    assert report.errors == [(2, "unknown password hash format")]
    assert not FilerAccount.objects.exists()


def test_the_reason_never_echoes_a_password_or_hash(court):
    report = load(court, HASH_HEADER, [row(pw="secret$hash$value")])
    assert "secret" not in report.errors[0][1]


# --- idempotency ---------------------------------------------------------------


def test_importing_twice_changes_nothing_the_second_time(court):
    rows = [row(f"filer{n}", pw=SaltedSHA256Hasher().encode(OLD, f"s{n}")) for n in range(5)]
    first = load(court, HASH_HEADER, rows)
    before = list(FilerAccount.objects.values_list("id", "password", "updated_at"))
    second = load(court, HASH_HEADER, rows)
    assert (first.created, first.updated, first.unchanged) == (5, 0, 0)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 5)
    assert FilerAccount.objects.count() == 5
    assert list(FilerAccount.objects.values_list("id", "password", "updated_at")) == before


def test_a_plain_password_file_reimported_keeps_the_hash(court):
    load(court, HEADER, [row()])
    before = FilerAccount.objects.get().password
    report = load(court, HEADER, [row()])
    assert report.unchanged == 1
    assert FilerAccount.objects.get().password == before


def test_a_corrected_file_updates_only_the_changed_rows(court):
    load(court, HEADER, [row("a"), row("b"), row("c")])
    report = load(
        court,
        HEADER,
        [
            row("a"),
            row("B", email="b.new@example.com", last="Newname"),
            row("c", pw="New#Pass2020"),
        ],
    )
    assert (report.created, report.updated, report.unchanged) == (0, 2, 1)
    b = FilerAccount.objects.get(court=court, login_key="b")
    assert (b.login, b.email, b.last_name) == ("B", "b.new@example.com", "Newname")
    c = FilerAccount.objects.get(court=court, login_key="c")
    assert check_password("New#Pass2020", c.password)
    assert FilerAccount.objects.count() == 3


def test_login_key_is_set_on_the_bulk_path_and_matches_ignoring_case(court):
    load(court, HEADER, [row("  JAttorney ", email="john@example.com")])
    filer = FilerAccount.objects.get()
    assert (filer.login, filer.login_key) == ("JAttorney", "jattorney")
    report = load(court, HEADER, [row("jattorney", email="john@example.com")])
    assert report.updated == 1  # only the shown login's case changed
    assert FilerAccount.objects.count() == 1


def test_the_same_login_in_another_court_is_another_account(court):
    other = CourtFactory(code="prd")
    load(court, HEADER, [row()])
    load(other, HEADER, [row()])
    assert FilerAccount.objects.filter(login_key="jattorney").count() == 2


def test_linked_rows_keep_their_link_and_hash(court):
    pacer = AccountFactory(username="jattorney")
    old_hash = SaltedSHA256Hasher().encode(OLD, "abcd")
    load(court, HASH_HEADER, [row(pw=old_hash)])
    linked_at = timezone.now()
    FilerAccount.objects.filter(login_key="jattorney").update(account=pacer, linked_at=linked_at)

    new_hash = SaltedSHA256Hasher().encode("New#Pass2020", "efgh")
    changed = row(pw=new_hash, email="john.new@example.com", bar="CT99999")
    report = load(court, HASH_HEADER, [changed])
    assert report.updated == 1
    filer = FilerAccount.objects.get()
    assert filer.account == pacer
    assert filer.linked_at == linked_at
    assert filer.password == old_hash
    assert filer.bar_number == "CT99999"  # the court's own details still follow the file
    # The person data of a linked row is PACER's: the file does not overwrite it
    # (tests/ecf/test_import_and_link.py).
    assert filer.email == "jattorney@example.com"
    # A file that differs only in the password or forwarded data leaves it untouched.
    again = load(court, HASH_HEADER, [changed])
    assert again.unchanged == 1


def test_linked_rows_with_plain_passwords_are_not_rehashed(court):
    pacer = AccountFactory(username="jattorney")
    filer = FilerAccountFactory(
        court=court,
        login="jattorney",
        bar_number="CT12345",
        account=pacer,
        linked_at=timezone.now(),
        # The court's record as a link keeps it (test_import_and_link.py).
        court_record={
            "first_name": "John",
            "last_name": "Attorney",
            "email": "jattorney@example.com",
        },
    )
    before = filer.password
    report = load(court, HEADER, [row(pw="Another#Pass1")])
    assert report.unchanged == 1
    filer.refresh_from_db()
    assert filer.password == before and filer.account == pacer


# --- bad rows ------------------------------------------------------------------


def test_a_login_that_case_folding_lengthens_past_the_column_is_a_bad_row_not_a_failed_import(
    court,
):
    rows = [row("good1"), row("\u00df" * 41, email="eve@example.com"), row("good2")]  # ß: ss
    report = load(court, HEADER, rows)
    assert report.errors == [(3, "login longer than 80 characters once case-folded")]
    assert set(FilerAccount.objects.values_list("login", flat=True)) == {"good1", "good2"}


def test_bad_rows_are_reported_by_line_and_the_good_ones_load(court):
    rows = [
        row("good1"),  # line 2
        row("", email="x@example.com"),  # 3
        row("bademail", email="not-an-address"),  # 4
        row("nopass", pw=""),  # 5
        row("GOOD1"),  # 6: same login as line 2, other case
        row("good2"),  # 7
    ]
    report = load(court, HEADER, rows)
    assert report.errors == [
        (3, "missing login"),
        (4, "bad e-mail address 'not-an-address'"),
        (5, "missing password"),
        (6, "duplicate login 'GOOD1' (first on line 2)"),
    ]
    assert report.created == 2
    assert set(FilerAccount.objects.values_list("login", flat=True)) == {"good1", "good2"}


def test_duplicates_are_found_across_chunks(court):
    rows = [row(f"f{n}") for n in range(5)] + [row("F1")]
    report = load(court, HEADER, rows, chunk_size=2)
    assert report.errors == [(7, "duplicate login 'F1' (first on line 3)")]
    assert report.created == 5


def test_too_long_values_and_extra_fields_are_rejected(court):
    text = to_csv(HEADER, [row("x" * 81), row("ok")])
    text += "extra,a,b,c@example.com,d,Pw#12345,surplus\n"
    report = import_filers(court=court, rows=io.StringIO(text), acting=SYSTEM)
    assert report.errors == [
        (2, "login longer than 80 characters"),
        (4, "more fields than the header has columns"),
    ]
    assert report.created == 1


def test_an_empty_email_is_allowed(court):
    assert load(court, HEADER, [row(email="")]).created == 1


# --- columns -------------------------------------------------------------------


def test_optional_columns_are_loaded_and_unknown_ones_ignored(court):
    header = [*HEADER, "phone", "firm", "address", "city", "state", "zip_code", "fax"]
    values = ["787-555-0100", "Firm LLC", "1 Calle Sol", "San Juan", "PR", "00901", "n/a"]
    report = load(court, header, [row() + values])
    assert report.ignored_columns == ["fax"]
    filer = FilerAccount.objects.get()
    assert (filer.phone, filer.firm, filer.address) == ("787-555-0100", "Firm LLC", "1 Calle Sol")
    assert (filer.city, filer.state, filer.zip_code) == ("San Juan", "PR", "00901")
    # A later file without those columns does not blank them.
    load(court, HEADER, [row(last="Changed")])
    filer.refresh_from_db()
    assert (filer.last_name, filer.phone) == ("Changed", "787-555-0100")


def test_header_names_are_matched_ignoring_case_spaces_and_bom(court):
    text = "\ufeff Login ,First_Name,LAST_NAME,email,bar_number,Password\n" + ",".join(row()) + "\n"
    report = import_filers(court=court, rows=io.BytesIO(text.encode("utf-8")), acting=SYSTEM)
    assert report.created == 1


def test_a_binary_upload_is_read_as_utf8(court):
    text = to_csv(HEADER, [row(first="José", last="Dávila")])
    import_filers(court=court, rows=io.BytesIO(text.encode("utf-8")), acting=SYSTEM)
    assert FilerAccount.objects.get().full_name == "José Dávila"


def test_an_iterable_of_dicts_works_too(court):
    rows = [dict(zip(HEADER, row(f"d{n}"), strict=True)) for n in range(3)]
    rows[1]["email"] = "bad"
    report = import_filers(court=court, rows=rows, acting=SYSTEM)
    assert report.created == 2
    assert report.errors == [(3, "bad e-mail address 'bad'")]


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        (["login", "first_name", "last_name", "email", "bar_number"], "password (or"),
        (["user", "first_name", "last_name", "email", "bar_number", "password"], "login"),
        (["login", "name", "email", "password"], "first_name, last_name, bar_number"),
    ],
)
def test_a_bad_header_names_the_missing_columns_and_writes_nothing(court, header, missing):
    with pytest.raises(HeaderError) as exc:
        load(court, header, [["x"] * len(header)])
    assert f"lacks the column(s) {missing}" in str(exc.value)
    assert not FilerAccount.objects.exists()
    assert not Event.objects.filter(action="filers.import").exists()


# --- audit and progress --------------------------------------------------------


def test_one_audit_event_records_the_counts(court):
    load(court, HEADER, [row("a"), row("b", email="bad")], chunk_size=1, source="ctd.csv")
    event = Event.objects.get(action="filers.import")
    assert event.court_code == "ctd"
    assert event.details == {
        "rows": 2,
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "errors": 1,
        "source": "ctd.csv",
    }


def test_progress_is_reported_after_each_chunk(court):
    seen = []
    load(court, HEADER, [row(f"p{n}") for n in range(5)], chunk_size=2, progress=seen.append)
    assert seen == [2, 4, 5]


# --- the command ---------------------------------------------------------------


def write(tmp_path: Path, header, rows) -> str:
    path = tmp_path / "filers.csv"
    path.write_text(to_csv(header, rows), encoding="utf-8")
    return str(path)


def test_command_imports_and_prints_a_summary(court, tmp_path, capsys):
    path = write(tmp_path, HASH_HEADER, [row(f"c{n}", pw=bcrypt_raw(OLD)) for n in range(3)])
    call_command("filers", "import", "ctd", path)
    assert "ctd: 3 created, 0 updated, 0 unchanged, 0 errors" in capsys.readouterr().out
    call_command("filers", "import", "ctd", path)
    assert "0 created, 0 updated, 3 unchanged, 0 errors" in capsys.readouterr().out


def test_command_lists_bad_rows_and_exits_1(court, tmp_path, capsys):
    path = write(tmp_path, HEADER, [row("ok"), row("bad", email="nope")])
    assert run("filers", "import", "ctd", path) == 1
    captured = capsys.readouterr()
    assert "filers.csv:3: bad e-mail address 'nope'" in captured.err
    assert "1 created, 0 updated, 0 unchanged, 1 errors" in captured.out
    assert "\r" not in captured.out  # no progress bar when stdout is not a terminal
    assert FilerAccount.objects.filter(login="ok").exists()


def test_command_bad_header_exits_2(court, tmp_path, capsys):
    path = write(tmp_path, ["login", "email"], [["a", "a@example.com"]])
    assert run("filers", "import", "ctd", path) == 2
    assert "lacks the column(s) first_name, last_name, bar_number" in capsys.readouterr().err


def test_command_unknown_court_or_missing_file_exits_2(court, tmp_path, capsys):
    path = write(tmp_path, HEADER, [row()])
    assert run("filers", "import", "nowhere", path) == 2
    assert "Unknown court 'nowhere'" in capsys.readouterr().err
    assert run("filers", "import", "ctd", str(tmp_path / "missing.csv")) == 2
    assert "No such file" in capsys.readouterr().err
    with pytest.raises(CommandError) as exc:
        call_command("filers", "import", "ctd", str(tmp_path / "missing.csv"))
    assert exc.value.returncode == 2


def test_command_rejects_a_file_that_is_not_utf8(court, tmp_path, capsys):
    path = tmp_path / "latin1.csv"
    path.write_bytes(to_csv(HEADER, [row(first="José")]).encode("latin-1"))
    assert run("filers", "import", "ctd", str(path)) == 2
    assert "not UTF-8" in capsys.readouterr().err


@pytest.mark.parametrize("kind", ["hash", "plain"])
def test_a_link_made_after_the_chunk_read_its_rows_still_keeps_the_hash(court, kind):
    """The database decides, at write time, whether a row's hash may change: a link made
    after the chunk read its rows (SQLite, plain passwords on PostgreSQL) or filled its
    temporary table (PostgreSQL, hashes), just before the one statement that writes them,
    still freezes the hash. Every path and backend runs it (CI runs PostgreSQL)."""
    old_hash = SaltedSHA256Hasher().encode(OLD, "abcd")
    load(court, HASH_HEADER, [row(pw=old_hash)])
    pacer = AccountFactory(username="racer")
    linked_first = []

    def link_before_the_write(execute, sql, params, many, context):
        if not linked_first and sql.lstrip().startswith(("INSERT INTO", "WITH written AS")):
            linked_first.append(sql)  # before the update below runs its own statement
            FilerAccount.objects.filter(court=court).update(account=pacer, linked_at=timezone.now())
        return execute(sql, params, many, context)

    with connection.execute_wrapper(link_before_the_write):
        if kind == "hash":
            load(court, HASH_HEADER, [row(pw=SaltedSHA256Hasher().encode("New#Pass2020", "efgh"))])
        else:
            load(court, HEADER, [row(pw="New#Pass2020")])
    assert linked_first, "the import wrote no row"
    filer = FilerAccount.objects.get()
    assert filer.is_linked and filer.password == old_hash


# --- the bulk write paths (COPY + one upsert on PostgreSQL, executemany elsewhere) ---


def test_one_chunk_mixing_new_changed_unchanged_and_linked_rows_is_counted_right(court):
    hashes = {n: SaltedSHA256Hasher().encode(OLD, f"salt{n}") for n in range(6)}
    load(court, HASH_HEADER, [row(f"f{n}", pw=hashes[n]) for n in range(4)])
    pacer = AccountFactory(username="linked")
    linked_at = timezone.now()
    kept = {"first_name": "John", "last_name": "Attorney", "email": "f3@example.com"}
    FilerAccount.objects.filter(login_key="f3").update(
        account=pacer, linked_at=linked_at, court_record=kept
    )
    new = SaltedSHA256Hasher().encode("New#Pass2020", "fresh")
    report = load(
        court,
        HASH_HEADER,
        [
            row("f0", pw=hashes[0]),  # unchanged
            row("f1", pw=hashes[1], last="Renamed"),  # updated: a detail
            row("f2", pw=new),  # updated: the hash (not linked)
            row("f3", pw=new),  # unchanged: linked, only the hash differs
            row("f4", pw=hashes[4]),  # created
            row("f5", pw=hashes[5]),  # created
        ],
    )
    assert (report.created, report.updated, report.unchanged, report.errors) == (2, 2, 2, [])
    stored = dict(FilerAccount.objects.values_list("login_key", "password"))
    assert stored == {**{f"f{n}": h for n, h in hashes.items()}, "f2": new}
    f3 = FilerAccount.objects.get(login_key="f3")
    assert (f3.account, f3.linked_at) == (pacer, linked_at)


def test_a_linked_rows_hash_survives_a_changed_row_in_the_bulk_write(court):
    old_hash = SaltedSHA256Hasher().encode(OLD, "abcd")
    load(court, HASH_HEADER, [row(pw=old_hash)])
    pacer = AccountFactory(username="jattorney")
    FilerAccount.objects.update(account=pacer, linked_at=timezone.now())
    report = load(
        court, HASH_HEADER, [row(pw=bcrypt_raw("New#Pass2020"), first="Jonathan", bar="CT999")]
    )
    assert report.updated == 1
    filer = FilerAccount.objects.get()
    # The court's bar number follows the file; the linked row's hash and forwarded name
    # (PACER's) do not.
    assert (filer.first_name, filer.bar_number, filer.password) == ("John", "CT999", old_hash)
    assert filer.account == pacer


def test_updated_at_moves_only_on_rows_that_changed(court):
    load(court, HEADER, [row("a"), row("b")])
    before = dict(FilerAccount.objects.values_list("login_key", "updated_at"))
    load(court, HEADER, [row("a"), row("b", email="b2@example.com")])
    after = dict(FilerAccount.objects.values_list("login_key", "updated_at"))
    assert after["a"] == before["a"]
    assert after["b"] > before["b"]


def test_the_database_work_is_per_chunk_not_per_row(court):
    from django.test.utils import CaptureQueriesContext

    def statements(n: int, offset: int) -> int:
        rows = [row(f"q{offset + i}", pw=SaltedSHA256Hasher().encode(OLD, "s")) for i in range(n)]
        with CaptureQueriesContext(connection) as ctx:
            load(court, HASH_HEADER, rows)
        return len(ctx.captured_queries)

    statements(1, 1000)  # first-use look-ups (audit, content types) out of the way
    assert statements(3, 0) == statements(60, 100)  # all new
    assert statements(3, 0) == statements(60, 100)  # all unchanged


def test_the_postgresql_path_copies_new_rows_straight_in_and_others_via_a_temporary_table(
    court,
):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    from django.test.utils import CaptureQueriesContext

    rows = [row(f"c{n}", pw=bcrypt_raw(OLD)) for n in range(3)]
    with CaptureQueriesContext(connection) as ctx:
        report = load(court, HASH_HEADER, rows)
    assert report.created == 3
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "CREATE TEMP TABLE" not in sql  # a court's first load: COPY into the table
    rows[0][1] = "Jane"
    with CaptureQueriesContext(connection) as ctx:
        report = load(court, HASH_HEADER, [*rows, row("c3", pw=bcrypt_raw(OLD))])
    assert (report.created, report.updated, report.unchanged) == (1, 1, 2)
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "CREATE TEMP TABLE ecf_filer_import" in sql and "RETURNING" in sql
    with connection.cursor() as cursor:  # dropped again on commit; emptied per chunk
        cursor.execute("SELECT to_regclass('pg_temp.ecf_filer_import') IS NOT NULL")
        assert cursor.fetchone() == (True,)  # still there: the test's transaction is open


def test_odd_values_travel_through_the_bulk_write_unchanged(court):
    # What COPY's text format escapes (tab, backslash, \N for NULL) and CSV quoting.
    odd = 'Tab\there "quoted", back\\slash \\N'
    header = [*HEADER, "firm"]
    values = row("odd", first="José", last="O'Brien\\N") + [odd]
    assert load(court, header, [values]).created == 1
    filer = FilerAccount.objects.get()
    assert (filer.first_name, filer.last_name, filer.firm) == ("José", "O'Brien\\N", odd)
    assert load(court, header, [values]).unchanged == 1


# --- validation shortcuts ------------------------------------------------------


@pytest.mark.parametrize(
    "email",
    [
        "plain@example.com",
        "first.last+tag@mail.example.co.uk",
        "o'neil!#$%&*/=?^_`{|}~-@example.org",
        "x@localhost",
        "x@[127.0.0.1]",
        '"quoted local"@example.com',
        "josé@example.com",
        "x@bücher.de",
        "x@xn--bcher-kva.de",
        "x@example",
        "x@-example.com",
        "x@example-.com",
        "x@example.c",
        "x@example.com.",
        ".x@example.com",
        "x.@example.com",
        "x..y@example.com",
        "x@@example.com",
        "x@exa_mple.com",
        "x @example.com",
        "a" * 64 + "@" + "b" * 63 + ".com",
        "x@" + "b" * 64 + ".com",
        "x@" + ".".join(["a" * 60] * 5) + ".com",
        "x@example.com\n",
    ],
)
def test_the_fast_email_check_agrees_with_djangos_validator(email):
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    from nextgen.ecf.importing import _PLAIN_EMAIL, _plausible_email

    try:
        validate_email(email)
        django_ok = True
    except ValidationError:
        django_ok = False
    assert _plausible_email(email) == django_ok
    if _PLAIN_EMAIL.match(email):
        assert django_ok  # the shortcut only ever accepts what Django accepts


def test_hash_formats_are_judged_per_row(court):
    sha = SaltedSHA256Hasher().encode(OLD, "s1")
    rows = [
        row("a", pw=sha),
        row("b", pw="md5$x$y"),
        row("c", pw=bcrypt_raw(OLD)),
        row("d", pw="md5$other$z"),
        row("e", pw="d41d8cd98f00b204e9800998ecf8427e"),  # unsalted md5 shape
        row("f", pw="$2b$"),  # bcrypt's prefix alone: no cost, no salt, no hash
        row("g", pw=SaltedSHA256Hasher().encode(OLD, "s2")),
    ]
    report = load(court, HASH_HEADER, rows)
    assert report.errors == [
        *[(n, "unknown password hash format") for n in (3, 5, 6)],
        (7, "malformed bcrypt password hash"),
    ]
    assert report.created == 3


def test_short_rows_blank_lines_and_line_numbers(court):
    text = to_csv(HEADER, [row("a")]) + "\n" + "b,Bea,Short\n" + ",".join(row("c")) + "\n"
    report = import_filers(court=court, rows=io.StringIO(text), acting=SYSTEM)
    # Line 3 is blank (skipped); line 4 lacks its last fields, so has no password.
    assert report.errors == [(4, "missing password")]
    assert report.created == 2


# --- hashes checked in full, at a bounded cost (attack: a hash that breaks or stalls
# every link attempt for its login) -------------------------------------------------


GOOD_SHA = SaltedSHA256Hasher().encode(OLD, "abcd")
GOOD_PBKDF2 = make_password(OLD, salt="saltsalt", hasher="pbkdf2_sha256")


@pytest.mark.parametrize(
    "bad, reason",
    [
        ("pbkdf2_sha256$x", "malformed pbkdf2_sha256 password hash"),
        ("pbkdf2_sha256$abc$salt$" + "A" * 43 + "=", "malformed pbkdf2_sha256 password hash"),
        (GOOD_PBKDF2.rsplit("$", 1)[0] + "$short", "malformed pbkdf2_sha256 password hash"),
        ("pbkdf2_sha256$0$salt$" + "A" * 43 + "=", "malformed pbkdf2_sha256 password hash"),
        ("sha256$salt$nothex", "malformed sha256 password hash"),
        ("sha256$$" + "a" * 64, "malformed sha256 password hash"),
        ("bcrypt$$2b$12$tooshort", "malformed bcrypt password hash"),
        ("$2b$03$" + "a" * 53, "malformed bcrypt password hash"),
        ("bcrypt_sha256$x", "malformed bcrypt_sha256 password hash"),
        ("argon2$argon2id$v=19$m=1,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g", "malformed argon2"),
        ("argon2$nonsense", "malformed argon2 password hash"),
    ],
)
def test_a_malformed_hash_of_a_known_scheme_is_refused_by_line(court, bad, reason):
    report = load(court, HASH_HEADER, [row("ok", pw=GOOD_SHA), row("bad", pw=bad)])
    assert len(report.errors) == 1
    line, said = report.errors[0]
    assert line == 3 and said.startswith(reason)
    assert list(FilerAccount.objects.values_list("login", flat=True)) == ["ok"]


@pytest.mark.parametrize(
    "costly, reason",
    [
        (
            make_password(OLD, salt="saltsalt", hasher="pbkdf2_sha256").replace(
                "$1000000$", "$5000000$"
            ),
            "password hash too costly: PBKDF2 iterations 5,000,000 (at most 1,000,000)",
        ),
        ("$2b$31$" + "a" * 53, "password hash too costly: bcrypt cost 31 (at most 13)"),
        ("bcrypt_sha256$$2b$14$" + "a" * 53, "password hash too costly: bcrypt cost 14"),
        (
            "argon2$argon2id$v=19$m=1048576,t=2,p=1$c2FsdHNhbHQ$" + "A" * 43,
            "password hash too costly: Argon2 memory (KiB) 1,048,576 (at most 131,072)",
        ),
        (
            "argon2$argon2id$v=19$m=65536,t=50,p=1$c2FsdHNhbHQ$" + "A" * 43,
            "password hash too costly: Argon2 time cost 50 (at most 4)",
        ),
    ],
    ids=["pbkdf2-5M", "bcrypt-31", "bcrypt_sha256-14", "argon2-1GiB", "argon2-t50"],
)
def test_a_hash_of_unbounded_cost_is_refused_naming_the_bound(court, costly, reason):
    report = load(court, HASH_HEADER, [row(pw=costly)])
    assert report.errors and report.errors[0][1].startswith(reason)
    assert not FilerAccount.objects.exists()


def test_hashes_at_the_bounds_are_accepted(court):
    from nextgen.ecf import hashers

    at_bound = [
        "pbkdf2_sha256$" + f"{hashers.MAX_PBKDF2_ITERATIONS}$salt$" + "A" * 43 + "=",
        f"$2b${hashers.MAX_BCRYPT_COST}$" + "a" * 53,
        "argon2$argon2id$v=19$m=102400,t=2,p=8$c2FsdHNhbHQ$" + "A" * 43,  # Django's default
    ]
    report = load(court, HASH_HEADER, [row(f"r{n}", pw=h) for n, h in enumerate(at_bound)])
    assert (report.created, report.errors) == (3, [])


def test_an_upper_case_sha256_digest_is_stored_as_our_hasher_writes_it(court):
    load(court, HASH_HEADER, [row(pw=GOOD_SHA.upper().replace("SHA256$ABCD$", "sha256$abcd$"))])
    assert check_password(OLD, FilerAccount.objects.get().password)


@pytest.mark.parametrize("column", ["login", "first_name", "email", "password"])
def test_a_nul_character_in_a_field_refuses_that_row_naming_the_column(court, column):
    rows = [row("ok"), row("bad")]
    rows[1][HEADER.index(column)] += "\x00x"
    report = load(court, HEADER, rows)
    assert report.errors == [(3, f"a NUL character in {column}")]
    assert list(FilerAccount.objects.values_list("login", flat=True)) == ["ok"]


def test_command_reports_a_nul_character_by_line_without_a_traceback(court, tmp_path, capsys):
    path = tmp_path / "nul.csv"
    path.write_text(to_csv(HEADER, [row("ok"), row("bad\x00")]), encoding="utf-8")
    assert run("filers", "import", "ctd", str(path)) == 1
    captured = capsys.readouterr()
    assert "nul.csv:3: a NUL character in login" in captured.err
    assert "Traceback" not in captured.err


def test_a_nul_character_in_the_header_makes_the_file_unusable(court, tmp_path, capsys):
    path = tmp_path / "utf16.csv"
    # What a UTF-16 export without a byte-order mark looks like when read as UTF-8.
    path.write_bytes(to_csv(HEADER, [row()]).encode("utf-16-le"))
    assert run("filers", "import", "ctd", str(path)) == 2
    assert "NUL" in capsys.readouterr().err
    assert not FilerAccount.objects.exists()


# --- a database failure part-way (issue 13: a traceback and exit 1 before) ---------------


def test_a_database_failure_mid_import_says_what_was_kept_and_exits_2(
    court, tmp_path, capsys, monkeypatch
):
    from django.db import OperationalError

    import nextgen.ecf.importing as importing

    monkeypatch.setitem(importing.import_filers.__kwdefaults__, "chunk_size", 2)
    real_write = importing._Writer.__init__
    calls = {"n": 0}

    def writer_failing_on_the_second_chunk(self, columns):
        real_write(self, columns)
        write = self.write

        def failing(court_, rows, report):
            calls["n"] += 1
            if calls["n"] == 2:
                raise OperationalError("server closed the connection unexpectedly")
            write(court_, rows, report)

        self.write = failing

    monkeypatch.setattr(importing._Writer, "__init__", writer_failing_on_the_second_chunk)
    path = write(tmp_path, HEADER, [row(f"r{n}") for n in range(5)])
    assert run("filers", "import", "ctd", path) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "The database failed during the import (OperationalError" in err
    assert "2 created and 0 updated before it were kept" in err
    assert "run the same import again" in err
    assert sorted(FilerAccount.objects.values_list("login", flat=True)) == ["r0", "r1"]
    event = Event.objects.get(action="filers.import")
    assert event.outcome == "failure"
    assert event.details["created"] == 2
    assert event.details["interrupted"] == "database error: OperationalError"
    # Running the same file again finishes the job.
    assert run("filers", "import", "ctd", path) == 0
    assert FilerAccount.objects.count() == 5


# --- the pipeline: the next chunk is validated while this one is written ------------------


def _read_ahead_threads() -> list[str]:
    """The read-ahead threads and processes still running."""
    import multiprocessing
    import threading

    running = [*threading.enumerate(), *multiprocessing.active_children()]
    return [t.name for t in running if t.name == "filers-import-read"]


def test_a_file_that_breaks_part_way_keeps_the_chunks_before_it_and_records_them(court):
    from nextgen.ecf.importing import ImportFileError

    # Long enough that the bad byte is read (in 8 KB blocks) well after the first chunks.
    good = to_csv(HEADER, [row(f"r{n:04d}") for n in range(2500)]).encode("utf-8")
    broken = good + "r9999,Jos\xe9,Attorney,r9@example.com,CT1,pw\n".encode("latin-1")
    with pytest.raises(ImportFileError, match="not UTF-8"):
        import_filers(court=court, rows=io.BytesIO(broken), chunk_size=1000, acting=SYSTEM)
    # The read-ahead reached the broken block while the chunks before it were written.
    assert FilerAccount.objects.filter(court=court).count() == 2000
    event = Event.objects.get(action="filers.import")
    assert (event.outcome, event.details["created"]) == ("failure", 2000)
    assert _read_ahead_threads() == []


def test_a_row_written_meanwhile_sends_an_all_new_chunk_to_the_upsert(court, monkeypatch):
    """Between "the court has none of these logins" and the COPY, another writer (an
    import, a registration) may add one: the COPY is undone and the upsert decides."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    import nextgen.ecf.importing as importing

    real = importing._Writer._copy_new

    def someone_writes_first(self, cursor, court_, rows, body, stamp):
        # The look-up sees none of the logins; then another writer adds one.
        self.any_stored_sql = "SELECT %s::text[] IS NULL AND %s::bigint IS NULL"
        FilerAccountFactory(court=court_, login="m1", login_key="m1")
        return real(self, cursor, court_, rows, body, stamp)

    monkeypatch.setattr(importing._Writer, "_copy_new", someone_writes_first)
    report = load(court, HASH_HEADER, [row(f"m{n}", pw=bcrypt_raw(OLD)) for n in range(3)])
    assert (report.created, report.updated) == (2, 1)
    assert FilerAccount.objects.filter(court=court).count() == 3


def test_the_read_ahead_thread_stops_when_the_writing_fails(court, monkeypatch):
    from django.db import OperationalError

    import nextgen.ecf.importing as importing

    def failing(self, court_, rows, report):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(importing._Writer, "_write_chunk_postgresql", failing)
    monkeypatch.setattr(importing._Writer, "_write_chunk_generic", failing)
    with pytest.raises(importing.ImportInterrupted):
        load(court, HEADER, [row(f"r{n}") for n in range(20)], chunk_size=2)
    assert _read_ahead_threads() == []


def test_a_court_without_rows_is_not_looked_up_but_a_row_written_meanwhile_still_counts(
    court, monkeypatch
):
    """A court's first import COPYs every chunk without looking its logins up (its own
    earlier chunks hold other logins); a login another writer adds between two chunks
    makes that chunk's COPY fail on the unique index, and the upsert decides."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    from django.test.utils import CaptureQueriesContext

    import nextgen.ecf.importing as importing

    real = importing._Writer._copy_new
    chunks = {"n": 0}

    def another_writer_between_chunks(self, cursor, court_, rows, body, stamp):
        chunks["n"] += 1
        if chunks["n"] == 2:
            FilerAccountFactory(court=court_, login="w3", login_key="w3", first_name="Other")
        return real(self, cursor, court_, rows, body, stamp)

    monkeypatch.setattr(importing._Writer, "_copy_new", another_writer_between_chunks)
    rows = [row(f"w{n}", pw=bcrypt_raw(OLD)) for n in range(6)]
    with CaptureQueriesContext(connection) as ctx:
        report = load(court, HASH_HEADER, rows, chunk_size=2)
    assert (report.created, report.updated, report.unchanged) == (5, 1, 0)
    assert FilerAccount.objects.get(court=court, login="w3").first_name == "John"
    assert FilerAccount.objects.filter(court=court).count() == 6
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "unnest" not in sql  # no chunk's logins were looked up


# --- the column checks decide as the row-by-row check ----------------------------------


def _tricky_rows(header: list[str], count: int, seed: int) -> list[list[str]]:
    """Rows mixing every kind of value the checks treat differently."""
    import random

    from nextgen.ecf import hashers

    rng = random.Random(seed)
    sha = SaltedSHA256Hasher().encode(OLD, "s1")
    pbkdf2 = "pbkdf2_sha256$1000$salt$" + "A" * 43 + "="
    bc = "$2b$04$" + "a" * 53
    pools = {
        "login": ["a", "A", " b ", "", "x" * 81, "dup", "DUP", "ß", "SS", "t\tab", "n\x00l"],
        "first_name": ["John", " padded ", "", "y" * 81, "new\nline", "cr\r", "b\\s"],
        "last_name": ["Doe", "\\N", "tab\there"],
        "email": [
            "",
            "a@example.com",
            " a@example.com ",
            "bad",
            "josé@example.com",
            "x@bücher.de",
            '"q r"@example.com',
            "x" * 250 + "@e.com",
            "x@localhost",
        ],
        "bar_number": ["CT1", "", "z" * 41],
        "password": ["", "pw", " pw "],
        "password_hash": [
            "",
            sha,
            sha.upper().replace("SHA256$S1$", "sha256$s1$"),
            pbkdf2,
            pbkdf2.replace("$1000$", "$0001000$"),
            pbkdf2.replace("$1000$", f"${hashers.MAX_PBKDF2_ITERATIONS}$"),
            pbkdf2.replace("$1000$", "$5000000$"),
            bc,
            " " + bc + " ",
            bc.replace("$04$", "$13$"),
            bc.replace("$04$", "$14$"),
            "bcrypt$" + bc,
            "bcrypt_sha256$" + bc,
            "argon2$argon2id$v=19$m=102400,t=2,p=8$c2FsdHNhbHQ$" + "A" * 43,
            "md5$x$y",
            "sha256$" + "s" * 200 + "$" + "a" * 64,
        ],
        "firm": ["", "Firm, LLP", "f" * 121],
    }
    rows = []
    for _ in range(count):
        fields = [rng.choice(pools.get(name, ["v"])) for name in header]
        shape = rng.random()
        if shape < 0.05:
            fields = fields[: rng.randrange(1, len(fields))]  # short: the rest is blank
        elif shape < 0.08:
            fields.append("surplus")
        rows.append(fields)
    return rows


def _checked_one_by_one(rows, layout):
    from nextgen.ecf.importing import _validate

    seen: dict[str, int] = {}
    good, errors = [], []
    for line, fields in enumerate(rows, start=2):
        parsed = _validate(line, fields, seen, layout)
        if isinstance(parsed, str):
            errors.append((line, parsed))
        else:
            good.append((parsed.key, list(parsed.values), parsed.hashed, parsed.plain))
    return good, errors


@pytest.mark.parametrize(
    "header",
    [
        HASH_HEADER,
        HEADER,
        [*HEADER, "password_hash", "firm"],
        ["password_hash", "firm", *reversed(HEADER[:-1])],
    ],
    ids=["hash", "plain", "both", "reordered"],
)
@pytest.mark.parametrize("block", [1, 3, 500])
def test_the_column_checks_accept_and_refuse_exactly_as_the_row_by_row_check(
    header, block, monkeypatch
):
    import re

    import nextgen.ecf.importing as importing

    monkeypatch.setattr(importing, "_BLOCK", block)
    layout = importing._Layout(header)
    clean = {
        "first_name": "John",
        "last_name": "Doe",
        "bar_number": "CT1",
        "password": "pw",
        "password_hash": SaltedSHA256Hasher().encode(OLD, "s1"),
        "firm": "Firm, LLP",
    }

    def good_row(login: str) -> list[str]:
        return [clean.get(name, login if name == "login" else "a@example.com") for name in header]

    # Tricky rows around runs of good ones, so some blocks have nothing doubted, and
    # some nothing doubted but a login twice ("OK1" after "ok1").
    rows = [
        *_tricky_rows(header, 200, seed=block),
        *(good_row(f"ok{n}") for n in range(30)),
        *(good_row(f"pair{n // 2}" if n % 2 else f"PAIR{n // 2}") for n in range(30)),
        *_tricky_rows(header, 200, seed=block + 1),
    ]
    unescape = {"\\\\": "\\", "\\t": "\t", "\\n": "\n", "\\r": "\r"}
    good, errors = [], []
    for chunk in importing._validated_chunks(
        iter(enumerate(rows, start=2)), layout, 50, copy_text=True
    ):
        errors.extend(chunk.errors)
        values = [list(v) for v in chunk.good.values()]
        good.extend(zip(chunk.good.keys, values, chunk.good.hashed, chunk.good.plain, strict=True))
        if chunk.good.copy_body is not None:
            # Each COPY line reads back as the row's key, stored hash and values.
            for line, key, hashed, row_values in zip(
                chunk.good.copy_body.decode().split("\n") if chunk.good.keys else [],
                chunk.good.keys,
                chunk.good.hashed,
                values,
                strict=True,
            ):
                fields = [re.sub(r"\\.", lambda m: unescape[m[0]], f) for f in line.split("\t")]
                assert fields == [key, hashed, *row_values]
    assert (good, errors) == _checked_one_by_one(rows, layout)
    assert errors and len(good) > 45  # both kinds were made


def test_rows_of_every_kind_of_hash_in_bulk_are_stored_as_the_full_check_stores_them(court):
    """A block with nothing doubted takes the all-columns path: the stored forms are
    those validate_imported_hash gives."""
    from nextgen.ecf.hashers import validate_imported_hash

    hashes = [
        SaltedSHA256Hasher().encode(OLD, "s1"),
        make_password(OLD, salt="saltsalt", hasher="pbkdf2_sha256"),
        bcrypt_raw(OLD, "$2y$"),
        "bcrypt$" + bcrypt_raw(OLD),
        make_password(OLD, hasher="argon2"),
    ]
    report = load(court, HASH_HEADER, [row(f"h{n}", pw=h) for n, h in enumerate(hashes)])
    assert (report.created, report.errors) == (len(hashes), [])
    stored = dict(FilerAccount.objects.values_list("login", "password"))
    assert [stored[f"h{n}"] for n in range(len(hashes))] == [
        validate_imported_hash(h) for h in hashes
    ]


def test_only_the_configured_hashers_schemes_are_stored(court, settings):
    settings.PASSWORD_HASHERS = [
        h for h in settings.PASSWORD_HASHERS if not h.endswith(".BCryptPasswordHasher")
    ]
    rows = [row("a", pw=bcrypt_raw(OLD)), row("b", pw=SaltedSHA256Hasher().encode(OLD, "s"))]
    report = load(court, HASH_HEADER, rows)
    assert report.errors == [(2, "unknown password hash format")]
    assert list(FilerAccount.objects.values_list("login", flat=True)) == ["b"]


@pytest.mark.parametrize(
    ("can_fork", "threads", "fork"),
    [(True, 1, True), (False, 1, False), (True, 3, False)],
    ids=["process", "thread-where-none-can-be-forked", "thread-in-a-threaded-process"],
)
def test_the_read_ahead_runs_in_a_process_only_where_forking_is_safe_else_a_thread(
    court, monkeypatch, can_fork, threads, fork
):
    import multiprocessing
    import threading

    import nextgen.ecf.importing as importing

    if not can_fork:
        monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    # The command runs single-threaded; an app server's worker has many threads.
    monkeypatch.setattr(threading, "active_count", lambda: threads)
    # Plain passwords and hashes: chunks with and without COPY text.
    header = [*HEADER, "password_hash"]
    rows = [
        [*row(f"r{n}")[:-1], *(("", bcrypt_raw(OLD)) if n % 2 else (OLD, ""))] for n in range(7)
    ]
    rows.append(row("R1") + [""])
    used, real = [], importing._read_ahead
    monkeypatch.setattr(
        importing, "_read_ahead", lambda items: used.append(real(items)) or used[-1]
    )
    report = load(court, header, rows, chunk_size=3)
    assert [type(r) for r in used] == [
        importing._ReadAheadProcess if fork else importing._ReadAhead
    ]
    assert (report.created, report.errors) == (7, [(9, "duplicate login 'R1' (first on line 3)")])
    assert _read_ahead_threads() == []
