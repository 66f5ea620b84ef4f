"""Loading a court's CM/ECF accounts from its old system's CSV export.

`import_filers` is what both `nextgen filers import` and (later) a staff upload page
call. It is idempotent: rows are matched on (court, login_key), so re-running the
same file changes nothing and a corrected file updates only what differs. A row
already linked to a PACER account keeps its link and its password hash: after
linking, the old CM/ECF password is never used again, and a re-import must not be
a way to change what was verified at link time.

Speed: rows are read and validated in chunks; per chunk, one query fetches the
existing rows and one upsert (INSERT ... ON CONFLICT DO UPDATE) writes the new and
changed ones, in one transaction. Nothing is done per row in the database.
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, Any

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from nextgen.audit.models import Outcome
from nextgen.audit.services import record

from .hashers import normalize_imported_hash
from .models import Court, FilerAccount, normalize_login

CHUNK_SIZE = 5000
# Key look-ups are split below SQLite's historic 999-variable limit.
_LOOKUP_BATCH = 900

REQUIRED_COLUMNS = ("login", "first_name", "last_name", "email", "bar_number")
PASSWORD_COLUMNS = ("password", "password_hash")
OPTIONAL_COLUMNS = ("phone", "firm", "address", "city", "state", "zip_code")
# Columns copied onto FilerAccount as they are (after stripping spaces).
_TEXT_COLUMNS = ("login", *REQUIRED_COLUMNS[1:], *OPTIONAL_COLUMNS)
_MAX_LENGTH = {
    name: FilerAccount._meta.get_field(name).max_length for name in (*_TEXT_COLUMNS, "password")
}

Progress = Callable[[int], None]


class ImportFileError(ValueError):
    """The file as a whole cannot be imported (bad header, not UTF-8 text)."""


class HeaderError(ImportFileError):
    def __init__(self, missing: list[str], present: list[str]) -> None:
        self.missing = missing
        self.present = present
        super().__init__(
            f"The header lacks the column(s) {', '.join(missing)}. "
            f"Expected: {','.join(REQUIRED_COLUMNS)},password (or password_hash), "
            f"optionally {','.join(OPTIONAL_COLUMNS)}. "
            f"Found: {','.join(present) or '(empty)'}."
        )


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged + len(self.errors)

    def as_details(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": len(self.errors),
        }


@dataclass
class _Row:
    line: int
    key: str
    values: dict[str, str]
    # Exactly one of these is set: a stored-form hash, or a plain password to hash.
    hashed: str | None
    plain: str | None


def _normalize_header(names: Iterable[str | None]) -> list[str]:
    return [(n or "").strip().lower().lstrip("\ufeff") for n in names]


def check_header(columns: Iterable[str]) -> list[str]:
    """The columns that will be ignored; raises HeaderError naming the missing ones."""
    present = _normalize_header(columns)
    missing = [c for c in REQUIRED_COLUMNS if c not in present]
    if not any(c in present for c in PASSWORD_COLUMNS):
        missing.append("password (or password_hash)")
    if missing:
        raise HeaderError(missing, present)
    known = {*REQUIRED_COLUMNS, *PASSWORD_COLUMNS, *OPTIONAL_COLUMNS}
    return [c for c in present if c and c not in known]


def _text_stream(file: IO[Any]) -> IO[str]:
    """Text over a binary upload (Django's UploadedFile) or an already-text file.
    utf-8-sig drops the byte-order mark spreadsheet programs put first; newline=""
    lets the csv module see line breaks inside quoted fields."""
    if isinstance(file.read(0), str):
        return file
    return io.TextIOWrapper(getattr(file, "file", file), encoding="utf-8-sig", newline="")


def _numbered_rows(source: Iterable[Mapping[str, Any]] | IO[Any]) -> tuple[list[str], Iterator]:
    """(header, iterator of (line number, row dict)) for a CSV file or an iterable of dicts.
    Line numbers are the file's own (header = line 1), so staff can find the row."""
    if hasattr(source, "read"):
        reader = csv.DictReader(_text_stream(source), restkey="__extra__")  # type: ignore[arg-type]
        try:
            header = list(reader.fieldnames or [])
        except UnicodeDecodeError as exc:
            raise ImportFileError("The file is not UTF-8 text.") from exc
        header = _normalize_header(header)
        reader.fieldnames = header

        def numbered() -> Iterator[tuple[int, Mapping[str, Any]]]:
            # line_num is the physical line the record ended on (quoted fields may span lines).
            try:
                for row in reader:
                    yield reader.line_num, row
            except UnicodeDecodeError as exc:
                raise ImportFileError(
                    f"The file is not UTF-8 text (near line {reader.line_num + 1})."
                ) from exc
            except csv.Error as exc:
                raise ImportFileError(f"Line {reader.line_num}: {exc}.") from exc

        return header, numbered()
    rows = iter(source)  # type: ignore[arg-type]
    first = next(rows, None)
    if first is None:
        return [], iter(())
    header = _normalize_header(first.keys())
    both = itertools.chain([first], rows)
    return header, (
        (n, {k.strip().lower(): v for k, v in row.items() if k}) for n, row in enumerate(both, 2)
    )


def _validate(
    line: int, raw: Mapping[str, Any], seen: dict[str, int], columns: list[str]
) -> _Row | str:
    """The parsed row, or the reason it is refused (never echoing a password or hash)."""
    if raw.get("__extra__"):
        return "more fields than the header has columns"
    values = {c: (raw.get(c) or "").strip() for c in _TEXT_COLUMNS if c in columns}
    login = values["login"]
    if not login:
        return "missing login"
    for name, value in values.items():
        if len(value) > _MAX_LENGTH[name]:
            return f"{name} longer than {_MAX_LENGTH[name]} characters"
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            return f"bad e-mail address {values['email']!r}"
    key = normalize_login(login)
    first_line = seen.get(key)
    if first_line is not None:
        return f"duplicate login {login!r} (first on line {first_line})"
    hashed = plain = None
    raw_hash = (raw.get("password_hash") or "").strip()
    raw_plain = raw.get("password") or ""
    if raw_hash:
        hashed = normalize_imported_hash(raw_hash)
        if hashed is None:
            return "unknown password hash format"
        if len(hashed) > _MAX_LENGTH["password"]:
            return "password hash too long"
    elif raw_plain:
        plain = raw_plain
    else:
        return "missing password"
    seen[key] = line
    return _Row(line=line, key=key, values=values, hashed=hashed, plain=plain)


def _chunks(it: Iterator, size: int) -> Iterator[list]:
    while chunk := list(itertools.islice(it, size)):
        yield chunk


# What is read back of an existing row: enough to decide "unchanged" and "linked".
_EXISTING_FIELDS = ("login_key", "account_id", "password", *_TEXT_COLUMNS)


def _existing(court: Court, keys: list[str]) -> dict[str, dict[str, Any]]:
    # values(), not model instances: building 100k FilerAccounts was most of the time.
    # No select_for_update: on PostgreSQL it writes a lock into every row read (13 s
    # per 100k). The upsert enforces "a linked row keeps its hash" itself.
    qs = FilerAccount.objects.filter(court=court).values(*_EXISTING_FIELDS)
    if connection.vendor == "postgresql":
        # One array parameter for the whole chunk instead of thousands of IN literals.
        rows = qs.extra(where=["login_key = ANY(%s)"], params=[keys])  # noqa: S610
        return {f["login_key"]: f for f in rows}
    found: dict[str, dict[str, Any]] = {}
    for i in range(0, len(keys), _LOOKUP_BATCH):
        found.update(
            (f["login_key"], f) for f in qs.filter(login_key__in=keys[i : i + _LOOKUP_BATCH])
        )
    return found


class _Upsert:
    """INSERT ... ON CONFLICT (court_id, login_key) DO UPDATE, written in SQL because the
    ORM's bulk_create spent ~100 us per row compiling values; this is ~10x faster.
    `account_id` and `linked_at` are never in the statement, so a re-import cannot
    touch a link; `created_at` is only set on insert. Both PostgreSQL and SQLite (3.24+)
    accept this ON CONFLICT syntax."""

    def __init__(self, update_columns: list[str]) -> None:
        meta = FilerAccount._meta
        qn = connection.ops.quote_name
        self.columns = ["login", "password", *[c for c in _TEXT_COLUMNS if c != "login"]]
        self.table = qn(meta.db_table)
        self.vendor = connection.vendor
        names = ", ".join(qn(c) for c in ("court_id", "login_key", *self.columns))
        sets = ", ".join(
            # Decided by the database at write time, so a link made after this chunk
            # read the row still keeps its hash: no lock needed.
            f"{qn(c)} = CASE WHEN {self.table}.{qn('account_id')} IS NULL "
            f"THEN EXCLUDED.{qn(c)} ELSE {self.table}.{qn(c)} END"
            if c == "password"
            else f"{qn(c)} = EXCLUDED.{qn(c)}"
            for c in [*update_columns, "updated_at"]
        )
        tail = f"ON CONFLICT ({qn('court_id')}, {qn('login_key')}) DO UPDATE SET {sets}"
        all_names = f"{names}, {qn('created_at')}, {qn('updated_at')}"
        if self.vendor == "postgresql":
            # One statement per chunk: each column travels as one array parameter.
            arrays = ", ".join(["%s::text[]"] * (len(self.columns) + 1))
            # Only quoted identifiers from the model's _meta are formatted in; values are
            # always parameters.
            self.sql = (
                f"INSERT INTO {self.table} ({all_names}) "  # noqa: S608
                f"SELECT %s, u.*, %s, %s FROM unnest({arrays}) AS u "
                f"{tail}"
            )
        else:
            marks = ", ".join(["%s"] * (len(self.columns) + 4))
            self.sql = f"INSERT INTO {self.table} ({all_names}) VALUES ({marks}) {tail}"  # noqa: S608

    def __call__(self, court: Court, rows: list[tuple[str, ...]], now: Any) -> None:
        stamp = connection.ops.adapt_datetimefield_value(now)
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                # Parameters in the order of the SQL text: court, the two stamps, arrays.
                arrays = [list(column) for column in zip(*rows, strict=True)]
                cursor.execute(self.sql, [court.pk, stamp, stamp, *arrays])
            else:
                cursor.executemany(self.sql, [(court.pk, *r, stamp, stamp) for r in rows])


def _write_chunk(court: Court, rows: list[_Row], upsert: _Upsert, report: ImportReport) -> None:
    to_write: list[tuple[str, ...]] = []
    other_columns = upsert.columns[2:]
    with transaction.atomic():
        existing = _existing(court, [r.key for r in rows])
        for row in rows:
            old = existing.get(row.key)
            values = row.values
            if old is None:
                password = row.hashed or make_password(row.plain)
                report.created += 1
            else:
                changed = any(old[name] != value for name, value in values.items())
                password = old["password"]
                # A linked row's hash is frozen; an unlinked one takes the file's hash.
                if old["account_id"] is None:
                    if row.hashed is not None and row.hashed != password:
                        password, changed = row.hashed, True
                    elif row.plain is not None and not check_password(row.plain, password):
                        # Plain text: re-hashing each run would make every row "changed";
                        # keep the old hash while it still verifies the same password.
                        password, changed = make_password(row.plain), True
                if not changed:
                    report.unchanged += 1
                    continue
                # Columns the file lacks keep their stored value (the upsert leaves them
                # out of its SET list too; this only fills the parameters).
                values = {**old, **values}
                report.updated += 1
            to_write.append(
                (row.key, values["login"], password, *[values.get(c, "") for c in other_columns])
            )
        if to_write:
            upsert(court, to_write, timezone.now())


def _record(
    court: Court,
    report: ImportReport,
    outcome: str,
    acting: Any,
    request: HttpRequest | None,
    source: str,
) -> None:
    record(
        "filers.import",
        outcome=outcome,
        request=request,
        actor=acting,
        court_code=court.code,
        details={**report.as_details(), "source": source[:200]},
    )


def import_filers(
    *,
    court: Court,
    rows: Iterable[Mapping[str, Any]] | IO[Any],
    acting: Any = None,
    request: HttpRequest | None = None,
    progress: Progress | None = None,
    chunk_size: int = CHUNK_SIZE,
    source: str = "",
) -> ImportReport:
    """Load `court`'s CM/ECF accounts from a CSV file (text or binary) or from row dicts.

    Bad rows are reported in `ImportReport.errors` as (line number, reason) and the good
    rows still load. Raises HeaderError / ImportFileError when the file as a whole is
    unusable (nothing is written for a bad header). `progress(rows_done)` is called
    after each chunk. One audit event ("filers.import") records the counts."""
    header, numbered = _numbered_rows(rows)
    report = ImportReport(ignored_columns=check_header(header))
    columns = [c for c in _TEXT_COLUMNS if c in header]
    # Only columns the file has are updated: a file without `phone` must not blank phones.
    upsert = _Upsert([*columns, "password"])
    seen: dict[str, int] = {}
    done = 0
    try:
        for chunk in _chunks(numbered, chunk_size):
            good: list[_Row] = []
            for line, raw in chunk:
                parsed = _validate(line, raw, seen, columns)
                if isinstance(parsed, str):
                    report.errors.append((line, parsed))
                else:
                    good.append(parsed)
            if good:
                _write_chunk(court, good, upsert, report)
            done += len(chunk)
            if progress is not None:
                progress(done)
    except Exception:
        # Chunks commit one by one, so a file that breaks half-way has written some
        # rows: leave a record of that (unless the database itself is what failed).
        with contextlib.suppress(DatabaseError):
            _record(court, report, Outcome.FAILURE, acting, request, source)
        raise
    _record(court, report, Outcome.SUCCESS, acting, request, source)
    return report
