"""Loading a court's CM/ECF accounts from its old system's CSV export.

`import_filers` is what both `nextgen filers import` and the staff upload page call.
It is idempotent: rows are matched on (court, login_key), so re-running the same file
changes nothing and a corrected file updates only what differs. A row already linked
to a PACER account keeps its link, its password hash and the person data PACER forwards
to it (forwarding.FORWARDED_FIELDS: name, e-mail, address, ...): after linking, the old
CM/ECF password is never used again, the person data is PACER's, and a re-import must
not be a way to change either. The file's values of those fields go to the court's
own record kept under the link instead (FilerAccount.court_record, restored by an
unlink), so an unlink brings back what the court's latest file says. Each of these is
decided by the database at write time (a CASE on account_id), so a link committed while
the import runs keeps PACER's data.

Speed (go-live day loads whole districts, 100k rows and more): rows are read with the
plain csv reader, 500 at a time, and checked column by column (`_validated`: each check
one loop in C over a column; each hash checked in full by a regular expression); only
the rows a column check doubts go through the row-by-row check (`_validate`), which
decides exactly as before and says why. On PostgreSQL the same read-ahead also
writes the good rows as COPY text. Per chunk, one transaction writes the rows with one
statement per backend, never one per row:

* PostgreSQL (`_write_chunk_postgresql`): a court's rows it has none of (its first
  import) are COPYed straight into the table, in one block of text; others COPY into a
  temporary table, then one INSERT ... SELECT ... ON CONFLICT DO UPDATE ... WHERE <the
  row differs>. The database decides what changed and protects a linked row's hash,
  and RETURNING says how many rows it inserted and updated. No existing row is read
  into Python (except, for plain-text passwords, the hashes to check them against).
* Other databases (SQLite; `_write_chunk_generic`): one query reads the existing rows,
  Python decides what changed, and executemany of INSERT ... ON CONFLICT DO UPDATE
  writes the new and changed ones.
"""

from __future__ import annotations

import contextlib
import csv
import gc
import io
import itertools
import json
import multiprocessing
import operator
import queue
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any, TypeGuard, cast

from django.contrib.auth.hashers import (
    UNUSABLE_PASSWORD_PREFIX,
    is_password_usable,
    make_password,
)
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from nextgen.audit.models import Action, Outcome
from nextgen.audit.services import SystemActor, record, record_alone
from nextgen.forms import column_max_length
from nextgen.signon.models import Account

from .forwarding import FORWARDED_FIELDS
from .hashers import HashRefused, check_imported_password, stored_as_is, validate_imported_hash
from .models import Court, FilerAccount, normalize_login
from .unknown_logins import forget_profile

# Rows per chunk: one transaction, one progress report and (on PostgreSQL) one COPY
# and one upsert each. Large, because each PostgreSQL chunk also scans the court's
# stored rows once to drop the unchanged ones (20k-row chunks doubled a re-import's
# database time); bounded, because a chunk's rows (~1 KB each in Python) are held in
# memory: ~60 MB at most.
CHUNK_SIZE = 50_000
# The first chunk's rows; the next ones double up to CHUNK_SIZE (_validated_chunks).
FIRST_CHUNK = 5_000
# Rows read and checked at a time (_validated_chunks).
_BLOCK = 500
# Key look-ups are split below SQLite's historic 999-variable limit.
_LOOKUP_BATCH = 900

REQUIRED_COLUMNS = ("login", "first_name", "last_name", "email", "bar_number")
PASSWORD_COLUMNS = ("password", "password_hash")
OPTIONAL_COLUMNS = ("phone", "firm", "address", "city", "state", "zip_code")
# Columns copied onto FilerAccount as they are (after stripping spaces); login first.
_TEXT_COLUMNS = ("login", *REQUIRED_COLUMNS[1:], *OPTIONAL_COLUMNS)
_MAX_LENGTH = {name: column_max_length(FilerAccount, name) for name in (*_TEXT_COLUMNS, "password")}
LOGIN_KEY_MAX = column_max_length(FilerAccount, "login_key")

# The common shape of an e-mail address (ASCII dot-atom @ ASCII host names), written as
# a strict subset of what Django's EmailValidator accepts: a match is certainly valid,
# anything else (quoted local parts, IDN, address literals, errors) goes to Django's
# validator, which costs ~20 us a row and was a fifth of the import time.
_ATOM = r"[-!#$%&'*+/=?^_`{}|~0-9A-Za-z]+"
_LABEL = r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)"
_EMAIL_SHAPE = rf"{_ATOM}(?:\.{_ATOM})*@{_LABEL}(?:\.{_LABEL})*\.(?!-)[A-Za-z-]{{2,63}}(?<!-)"
_PLAIN_EMAIL = re.compile(rf"{_EMAIL_SHAPE}\Z")
# The same, or nothing (the column is optional): a whole chunk's column is checked with it.
_EMAIL_OR_BLANK = re.compile(rf"(?:{_EMAIL_SHAPE})?\Z")
_MAX_EMAIL = 320  # EmailValidator's own limit

Progress = Callable[[int], None]


class ImportFileError(ValueError):
    """The file as a whole cannot be imported (bad header, not UTF-8 text)."""


class ImportInterrupted(Exception):
    """The database failed part-way: the chunks before `report`'s counts are committed
    (and audited, when the database answers again), the rest is not. Re-running the same
    file finishes the job: rows are matched by login."""

    def __init__(self, report: ImportReport, cause: DatabaseError) -> None:
        self.report = report
        self.cause = cause
        super().__init__(
            f"The database failed during the import ({type(cause).__name__}: "
            f"{str(cause).strip().splitlines()[0] if str(cause).strip() else 'no message'}). "
            f"{report.created} created and {report.updated} updated before it were "
            "kept; run the same import again to finish it."
        )


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


@dataclass(slots=True)
class _Row:
    line: int
    key: str
    # The file's text columns, in the order of `_Layout.columns` (login first).
    values: list[str]
    # Exactly one of these is set: a stored-form hash, or a plain password to hash.
    hashed: str | None
    plain: str | None


def _normalize_header(names: Iterable[str | None]) -> list[str]:
    return [(n or "").strip().lower().lstrip("\ufeff") for n in names]


def check_header(columns: Iterable[str]) -> list[str]:
    """The columns that will be ignored; raises HeaderError naming the missing ones."""
    present = _normalize_header(columns)
    if any("\x00" in name for name in present):
        raise ImportFileError(
            "The header holds NUL characters: the file is probably UTF-16 text. "
            "Save it as CSV in UTF-8."
        )
    missing = [c for c in REQUIRED_COLUMNS if c not in present]
    if not any(c in present for c in PASSWORD_COLUMNS):
        missing.append("password (or password_hash)")
    if missing:
        raise HeaderError(missing, present)
    known = {*REQUIRED_COLUMNS, *PASSWORD_COLUMNS, *OPTIONAL_COLUMNS}
    return [c for c in present if c and c not in known]


class _Layout:
    """Where each column the import uses sits in a row of the file. When a name repeats
    in the header, the last one counts (as it did with csv.DictReader)."""

    def __init__(self, header: list[str]) -> None:
        position = {name: i for i, name in enumerate(header)}
        self.header = header
        self.width = len(header)
        self.columns = [c for c in _TEXT_COLUMNS if c in position]
        self.text_at = [position[c] for c in self.columns]
        self.max_lengths = [_MAX_LENGTH[c] for c in self.columns]
        self.limits = list(zip(self.columns, self.max_lengths, strict=True))
        self.email_at = self.columns.index("email")
        self.hash_at = position.get("password_hash")
        self.plain_at = position.get("password")


def _is_file(source: Iterable[Mapping[str, Any]] | IO[Any]) -> TypeGuard[IO[Any]]:
    return hasattr(source, "read")


def _text_stream(file: IO[Any]) -> IO[str]:
    """Text over a binary upload (Django's UploadedFile) or an already-text file.
    utf-8-sig drops the byte-order mark spreadsheet programs put first; newline=""
    lets the csv module see line breaks inside quoted fields."""
    if isinstance(file.read(0), str):
        return file
    return io.TextIOWrapper(getattr(file, "file", file), encoding="utf-8-sig", newline="")


def _numbered_rows(
    source: Iterable[Mapping[str, Any]] | IO[Any],
) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """(header, iterator of (line number, the row's fields)) for a CSV file or an iterable
    of dicts. Line numbers are the file's own (header = line 1), so staff can find the
    row. csv.reader, not DictReader: building a dict per row cost more than parsing it."""
    if _is_file(source):
        reader = csv.reader(_text_stream(source))
        try:
            header = _normalize_header(next(reader, []))
        except UnicodeDecodeError as exc:
            raise ImportFileError("The file is not UTF-8 text.") from exc

        def numbered() -> Iterator[tuple[int, list[str]]]:
            # line_num is the physical line the record ended on (quoted fields may span lines).
            try:
                for fields in reader:
                    if fields:  # a blank line is no row (as DictReader skipped it)
                        yield reader.line_num, fields
            except UnicodeDecodeError as exc:
                raise ImportFileError(
                    f"The file is not UTF-8 text (near line {reader.line_num + 1})."
                ) from exc
            except csv.Error as exc:
                raise ImportFileError(f"Line {reader.line_num}: {exc}.") from exc

        return header, numbered()
    rows = iter(source)
    first = next(rows, None)
    if first is None:
        return [], iter(())
    header = _normalize_header(first.keys())

    def fields_of(row: Mapping[str, Any]) -> list[str]:
        named = {k.strip().lower(): v for k, v in row.items() if k}
        return [named.get(name) or "" for name in header]

    both = itertools.chain([first], rows)
    return header, ((n, fields_of(row)) for n, row in enumerate(both, 2))


def _plausible_email(value: str) -> bool:
    if len(value) <= _MAX_EMAIL and value.isascii() and _PLAIN_EMAIL.match(value):
        return True
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def _validate(line: int, fields: list[str], seen: dict[str, int], layout: _Layout) -> _Row | str:
    """The parsed row, or the reason it is refused (never echoing a password or hash)."""
    if len(fields) > layout.width:
        return "more fields than the header has columns"
    if "\x00" in "\x1f".join(fields):
        # No text column may hold NUL (PostgreSQL refuses it), nor may a password.
        at = next(i for i, value in enumerate(fields) if "\x00" in value)
        return f"a NUL character in {layout.header[at] or f'field {at + 1}'}"
    if len(fields) < layout.width:  # missing trailing fields are empty
        fields = fields + [""] * (layout.width - len(fields))
    values = [fields[i].strip() for i in layout.text_at]
    login = values[0]
    if not login:
        return "missing login"
    if any(map(operator.gt, map(len, values), layout.max_lengths)):  # C loop: the common case
        for (name, limit), value in zip(layout.limits, values, strict=True):
            if len(value) > limit:
                return f"{name} longer than {limit} characters"
    email = values[layout.email_at]
    if email and not _plausible_email(email):
        return f"bad e-mail address {email!r}"
    key = normalize_login(login)
    if len(key) > LOGIN_KEY_MAX:
        return f"login longer than {LOGIN_KEY_MAX} characters once case-folded"
    first_line = seen.get(key)
    if first_line is not None:
        return f"duplicate login {login!r} (first on line {first_line})"
    hashed = plain = None
    raw_hash = fields[layout.hash_at].strip() if layout.hash_at is not None else ""
    raw_plain = fields[layout.plain_at] if layout.plain_at is not None else ""
    if raw_hash:
        try:
            hashed = validate_imported_hash(raw_hash)
        except HashRefused as refusal:
            return str(refusal)
        if len(hashed) > _MAX_LENGTH["password"]:
            return "password hash too long"
    elif raw_plain:
        plain = raw_plain
    else:
        return "missing password"
    seen[key] = line
    return _Row(line=line, key=key, values=values, hashed=hashed, plain=plain)


@dataclass(slots=True)
class _Good:
    """A chunk's valid rows, column by column (parallel lists, in the file's order):
    making one object per row cost more than checking the row."""

    keys: list[str]
    # The file's text columns in the order of `_Layout.columns` (login first), each a
    # column of values.
    texts: Sequence[Sequence[str]]
    # Per row, exactly one of these is set: a stored-form hash, or a plain password.
    hashed: list[str | None]
    plain: list[str | None]
    # The rows as lines of COPY's text format (login_key, password, the text columns),
    # made by the read-ahead when every row brings its hash (PostgreSQL only).
    copy_lines: list[str] | None = None
    # A whole chunk's lines as one block of UTF-8, a line feed between lines: what the
    # read-ahead hands the writer, which then only sends it.
    copy_body: bytes | None = None
    # As handed over by the read-ahead process with a copy_body (_for_the_writer): the
    # keys joined by NUL (which no accepted field holds) and how many rows there are;
    # the keys are only split when the writer must look them up.
    key_blob: str | None = None
    count: int | None = None

    def __len__(self) -> int:
        return len(self.keys) if self.count is None else self.count

    def key_list(self) -> list[str]:
        return self.keys if self.key_blob is None else self.key_blob.split("\x00")

    def values(self) -> Iterator[Sequence[str]]:
        """Each row's text columns."""
        return zip(*self.texts, strict=True)

    def extend(self, other: _Good) -> None:
        """Adds `other`'s rows (this one's columns are lists)."""
        if not other.keys:
            return
        self.keys.extend(other.keys)
        for column, more in zip(self.texts, other.texts, strict=True):
            cast(list[str], column).extend(more)
        self.hashed.extend(other.hashed)
        self.plain.extend(other.plain)
        if self.copy_lines is not None:
            if other.copy_lines is None:
                self.copy_lines = None
            else:
                self.copy_lines.extend(other.copy_lines)


@dataclass(slots=True)
class _Chunk:
    """One chunk of the file, validated: its good rows, its refused ones (line, reason)
    and how many rows it had."""

    good: _Good
    errors: list[tuple[int, str]]
    rows: int


# The characters COPY's text format escapes: a chunk without them is sent as it is.
_COPY_SPECIAL = ("\\", "\t", "\n", "\r")


# COPY's text format writes these four as escapes; every other character is itself.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_lines(columns: list[Sequence[str]], *, escape: bool | None = None) -> list[str]:
    """Rows given column by column, as lines of COPY's text format (without their line
    feeds). `escape`: whether a field may hold a character COPY escapes (None: look;
    a chunk without any is joined as it is, instead of a call per field)."""
    if escape is None:
        joined = "".join(itertools.chain.from_iterable(columns))
        escape = any(char in joined for char in _COPY_SPECIAL)
    if escape:
        columns = [[value.translate(_COPY_ESCAPES) for value in column] for column in columns]
    return list(map("\t".join, zip(*columns, strict=True)))


def _validated(
    rows: list[tuple[int, list[str]]], seen: dict[str, int], layout: _Layout, copy_text: bool
) -> _Chunk:
    """One chunk's rows, checked column by column: each check is a loop in C over a
    whole column, 500 rows at a time: ~2.3 us a row where a call of `_validate` per row
    cost ~4.4 us. The rows a column check doubts, and duplicates, are checked again one by one
    by `_validate`, which gives the reason. A row is accepted only when every check
    `_validate` makes passes, so what is accepted and refused, and why, is exactly what
    `_validate` alone decides (and in the same order, for the duplicates)."""
    count = len(rows)
    lines, fieldlists = zip(*rows, strict=True)
    width = layout.width
    # The rows to check one by one; each column check adds those it doubts (in Python,
    # but only when the C loop over the column found one).
    doubted: set[int] = set()
    if set(map(len, fieldlists)) != {width}:
        doubted.update(i for i, fields in enumerate(fieldlists) if len(fields) > width)
        # Missing trailing fields are empty, as in _validate.
        fieldlists = tuple(
            fields + [""] * (width - len(fields)) if len(fields) < width else fields
            for fields in fieldlists
        )
    columns = list(zip(*fieldlists, strict=False))  # a longer row is doubted already
    # One pass over every field: NUL (refused), and the characters COPY escapes (the
    # stripped, case-folded values made from these fields hold them only if these do).
    joined = "".join(itertools.chain.from_iterable(columns))
    escape = any(char in joined for char in _COPY_SPECIAL)
    if "\x00" in joined:
        doubted.update(i for i, fields in enumerate(fieldlists) if "\x00" in "".join(fields))
    texts = [list(map(str.strip, columns[at])) for at in layout.text_at]
    logins = texts[0]
    if "" in logins:
        doubted.update(i for i, login in enumerate(logins) if not login)
    for column, limit in zip(texts, layout.max_lengths, strict=True):
        if max(map(len, column)) > limit:
            doubted.update(i for i, value in enumerate(column) if len(value) > limit)
    emails = texts[layout.email_at]
    if not all(map(_EMAIL_OR_BLANK.match, emails)):
        doubted.update(i for i, email in enumerate(emails) if not _EMAIL_OR_BLANK.match(email))
    keys = list(map(str.casefold, logins))  # normalize_login of a stripped login
    if max(map(len, keys)) > LOGIN_KEY_MAX:  # "ß" case-folds to "ss": a key may grow
        doubted.update(i for i, key in enumerate(keys) if len(key) > LOGIN_KEY_MAX)
    hashed: list[str | None]
    plain: list[str | None]
    if layout.hash_at is not None:
        raw = list(map(str.strip, columns[layout.hash_at]))
        shape = stored_as_is()
        if not all(map(shape.match, raw)):
            doubted.update(i for i, value in enumerate(raw) if not shape.match(value))
        # A raw bcrypt hash ($2b$...) is stored with Django's prefix.
        stored = [f"bcrypt${value}" if value[:1] == "$" else value for value in raw]
        limit = _MAX_LENGTH["password"]
        if max(map(len, stored)) > limit:
            doubted.update(i for i, value in enumerate(stored) if len(value) > limit)
        hashed = cast(list[str | None], stored)
        plain = [None] * count
    else:
        assert layout.plain_at is not None  # check_header: one of the two columns
        plain = list(columns[layout.plain_at])  # a password is taken as typed
        if "" in plain:
            doubted.update(i for i, password in enumerate(plain) if not password)
        hashed = [None] * count
    if not doubted and len(set(keys)) == count and seen.keys().isdisjoint(keys):
        seen.update(zip(keys, lines, strict=True))
        chunk = _Chunk(_Good(keys, texts, hashed, plain), errors=[], rows=count)
    else:
        chunk = _one_by_one(rows, seen, layout, doubted, _Good(keys, texts, hashed, plain))
    good = chunk.good
    if copy_text and None not in good.hashed:
        good.copy_lines = _copy_lines(
            [good.keys, cast(list[str], good.hashed), *good.texts], escape=escape
        )
    return chunk


def _one_by_one(
    rows: list[tuple[int, list[str]]],
    seen: dict[str, int],
    layout: _Layout,
    doubted: set[int],
    checked: _Good,
) -> _Chunk:
    """The chunk's rows in the file's order, when some are doubted: a doubted row, or
    one whose login came before, is checked by `_validate` (which says why it is
    refused); each other one passed every column check and is `checked`'s."""
    errors: list[tuple[int, str]] = []
    keys: list[str] = []
    values: list[Sequence[str]] = []
    hashed: list[str | None] = []
    plain: list[str | None] = []
    for i, ((line, fields), key, row_values, row_hashed, row_plain) in enumerate(
        zip(rows, checked.keys, checked.values(), checked.hashed, checked.plain, strict=True)
    ):
        if i in doubted or key in seen:
            parsed = _validate(line, fields, seen, layout)
            if isinstance(parsed, str):
                errors.append((line, parsed))
                continue
            key, row_values, row_hashed, row_plain = (
                parsed.key,
                parsed.values,
                parsed.hashed,
                parsed.plain,
            )
        else:
            seen[key] = line
        keys.append(key)
        values.append(row_values)
        hashed.append(row_hashed)
        plain.append(row_plain)
    texts: list[Sequence[str]] = list(zip(*values, strict=True))
    return _Chunk(_Good(keys, texts, hashed, plain), errors, rows=len(rows))


def _validated_chunks(
    numbered: Iterator[tuple[int, list[str]]], layout: _Layout, size: int, *, copy_text: bool
) -> Iterator[_Chunk]:
    """The file's rows read and validated, a chunk at a time (at most `size` rows). Pure
    Python, no database: it runs in the read-ahead (duplicates are found across
    chunks by `seen`). With `copy_text`, a chunk whose rows all bring their hash also
    comes as COPY text, so the writer only sends it."""
    seen: dict[str, int] = {}
    # Small first, then doubling up to `size`: the first chunk is validated while
    # nothing else can happen, so it is made short, and each next one (twice as long)
    # is validated in about the time the one before takes to write.
    length = min(FIRST_CHUNK, size)
    while True:
        chunk = _Chunk(_Good([], [[] for _ in layout.columns], [], [], []), errors=[], rows=0)
        # Read and checked a block at a time, while the block's fields are still in the
        # processor's cache: column checks over 50,000 rows at once ran at half the speed.
        while chunk.rows < length and (
            block := list(itertools.islice(numbered, min(_BLOCK, length - chunk.rows)))
        ):
            part = _validated(block, seen, layout, copy_text)
            chunk.good.extend(part.good)
            chunk.errors.extend(part.errors)
            chunk.rows += part.rows
        if not chunk.rows:
            return
        good = chunk.good
        if copy_text and good.copy_lines is not None:
            good.copy_body = "\n".join(good.copy_lines).encode()
        good.copy_lines = None
        length = min(2 * length, size)
        yield chunk


_END = object()


class _ReadAhead:
    """Runs an iterator in a thread of its own, at most one item ahead of the consumer.

    The import's two halves use different resources: validating a chunk is Python (it
    holds the GIL), writing one is mostly waiting for PostgreSQL (psycopg releases the
    GIL while it waits, and the server works on the other core). Validating chunk N+1
    while chunk N is written overlaps them. The database stays in the consumer's thread:
    its connection, transactions and an outer atomic block (a test, a request) are the
    caller's, as without the thread. An exception the iterator raises (a file that is
    not UTF-8, a broken CSV line) is raised in the consumer, after the chunks before it,
    so what is committed and reported is what it was without the thread."""

    def __init__(self, items: Iterator[Any]) -> None:
        self._items = items
        self._queue: queue.Queue[tuple[bool, Any]] = queue.Queue(maxsize=1)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="filers-import-read", daemon=True)

    def __enter__(self) -> Iterator[Any]:
        self._thread.start()
        return self._consume()

    def __exit__(self, *exc_info: object) -> None:
        # The consumer is done (or failed): the producer stops at its next hand-over
        # instead of reading the rest of the file.
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        try:
            for item in self._items:
                if not self._put((True, item)):
                    return
        except BaseException as exc:  # handed to the consumer, which raises it
            self._put((False, exc))
            return
        self._put((True, _END))

    def _put(self, entry: tuple[bool, Any]) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(entry, timeout=0.05)
            except queue.Full:
                continue
            return True
        return False

    def _consume(self) -> Iterator[Any]:
        while True:
            ok, item = self._queue.get()
            if not ok:
                raise item
            if item is _END:
                return
            yield item


class _ReadAheadProcess:
    """As _ReadAhead, in a forked process instead of a thread: the chunks come back
    through a pipe. With a thread, the validating and the writing shared one GIL, so the
    writer, woken because the server could take more of the COPY, often waited for it,
    and under load for a validating thread the system had paused holding it. The child
    process inherits the file, the layout and the generator as they are (fork), touches
    no database connection, and ends with os._exit (multiprocessing's), so nothing of
    the parent's is closed or flushed twice. An exception it raises is sent back and
    raised in the consumer after the chunks before it, as with the thread."""

    def __init__(self, items: Iterator[_Chunk]) -> None:
        context = multiprocessing.get_context("fork")
        self._receive, self._send = context.Pipe(duplex=False)
        self._process = context.Process(
            target=self._run, args=(items, self._send), name="filers-import-read", daemon=True
        )
        # A thread receives the chunks as they come (a pipe holds 64 KB: the child would
        # wait for the writer to ask for each one) and keeps one or two ready. It holds
        # the GIL only to unpickle a chunk, which is a few large strings.
        self._buffer = _ReadAhead(self._received())

    def __enter__(self) -> Iterator[_Chunk]:
        self._process.start()
        self._send.close()  # the child's end: the parent sees EOF if the child dies
        return self._buffer.__enter__()

    def __exit__(self, *exc_info: object) -> None:
        # The consumer is done (or failed): the reading stops instead of reading on,
        # and the receiving thread then meets the pipe's end.
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._buffer.__exit__(*exc_info)
        self._receive.close()

    @staticmethod
    def _run(items: Iterator[_Chunk], send: Any) -> None:
        try:
            for chunk in items:
                send.send((True, _for_the_writer(chunk)))
        except BaseException as exc:  # handed to the consumer, which raises it
            try:
                send.send((False, exc))
            except Exception:  # an exception that cannot be pickled: say what it was
                send.send((False, RuntimeError(f"{type(exc).__name__}: {exc}")))
            return
        send.send((True, None))

    def _received(self) -> Iterator[_Chunk]:
        while True:
            try:
                ok, item = self._receive.recv()
            except (EOFError, OSError):
                raise RuntimeError("the import's reading process ended unexpectedly") from None
            if not ok:
                raise item
            if item is None:
                return
            yield item


def _for_the_writer(chunk: _Chunk) -> _Chunk:
    """What the writer needs of a chunk that comes as COPY text: its keys and lines
    (less to pickle)."""
    good = chunk.good
    if good.copy_body is not None:
        chunk.good = _Good(
            [], [], [], [], None, good.copy_body, "\x00".join(good.keys), len(good.keys)
        )
    return chunk


def _read_ahead(items: Iterator[_Chunk]) -> _ReadAhead | _ReadAheadProcess:
    """A process where one can be forked safely, else a thread. Only a process with no
    other thread forks (the `nextgen filers import` command): a child forked from a
    threaded one (an app server's worker running a staff upload) could inherit a lock
    another thread held at that instant (logging's, the allocator's) and wait forever."""
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return _ReadAheadProcess(items)
    return _ReadAhead(items)


# What is read back of an existing row: enough to decide "unchanged" and "linked".
_EXISTING_FIELDS = ("login_key", "account_id", "password", "court_record", *_TEXT_COLUMNS)


def _kept_record(old: Mapping[str, Any]) -> dict[str, Any]:
    """The court's record kept under a link, as read raw (JSON text on SQLite)."""
    kept = old.get("court_record")
    if isinstance(kept, str):
        kept = json.loads(kept)
    return kept if isinstance(kept, dict) else {}


def _existing(court: Court, keys: list[str]) -> dict[str, dict[str, Any]]:
    """The stored rows of `court` with these login keys, by key.

    Raw SQL, not the ORM: values() spent ~15 us a row building dicts through the
    compiler. No SELECT ... FOR UPDATE: on PostgreSQL it writes a lock into every row
    read (13 s per 100k). The upsert enforces "a linked row keeps its hash" itself."""
    qn = connection.ops.quote_name
    select = (
        f"SELECT {', '.join(qn(c) for c in _EXISTING_FIELDS)} "  # noqa: S608 (names from _meta)
        f"FROM {qn(FilerAccount._meta.db_table)} WHERE {qn('court_id')} = %s AND "
    )
    found: dict[str, dict[str, Any]] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One array parameter for the whole chunk instead of thousands of IN literals.
            batches = [keys]
            select += f"{qn('login_key')} = ANY(%s)"
        else:
            batches = [keys[i : i + _LOOKUP_BATCH] for i in range(0, len(keys), _LOOKUP_BATCH)]
        for batch in batches:
            if connection.vendor == "postgresql":
                cursor.execute(select, [court.pk, batch])
            else:
                marks = ", ".join(["%s"] * len(batch))
                cursor.execute(f"{select}{qn('login_key')} IN ({marks})", [court.pk, *batch])
            for stored in cursor.fetchall():
                found[stored[0]] = dict(zip(_EXISTING_FIELDS, stored, strict=True))
    return found


def _usable_sql(alias: str) -> str:
    """SQL: the row's CM/ECF hash is usable (Django marks unusable ones with a leading
    UNUSABLE_PASSWORD_PREFIX, as an unlink leaves them)."""
    column = f"{alias}.{connection.ops.quote_name('password')}"
    return f"substr({column}, 1, 1) <> '{UNUSABLE_PASSWORD_PREFIX}'"


def _kept_or_new_hash(plain: str, old: Mapping[str, Any] | None) -> str:
    """The hash to write for a plain-text password. Re-hashing each run would make every
    row "changed": an existing row keeps its hash while it still verifies the password,
    and a linked row keeps it whatever the file says."""
    if old is not None and (
        old["account_id"] is not None or check_imported_password(plain, old["password"])
    ):
        return old["password"]
    return make_password(plain)


class _Writer:
    """Writes one chunk of valid rows in one transaction and counts them in the report.

    Only the file's columns are updated: a file without `phone` must not blank phones
    (columns it lacks are '' on insert). `account_id` and `linked_at` are never written,
    so a re-import cannot touch a link; `created_at` is only set on insert; a linked
    row's password is kept by a CASE the database evaluates at write time, so a link
    made while the import runs keeps its hash without any lock."""

    def __init__(self, columns: list[str]) -> None:
        meta = FilerAccount._meta
        self.qn = qn = connection.ops.quote_name
        self.table = qn(meta.db_table)
        self.columns = columns  # the file's text columns, login first
        self.missing = [c for c in _TEXT_COLUMNS if c not in columns]
        written = ["login_key", "password", *columns]
        self.insert_names = ", ".join(
            qn(c) for c in ("court_id", *written, *self.missing, "created_at", "updated_at")
        )
        # The court's columns are the file's; the forwarded ones and the hash only while
        # the row is not linked, as the row is when the database writes it.
        self.own = [c for c in columns if c not in FORWARDED_FIELDS]
        self.forwarded = [c for c in columns if c in FORWARDED_FIELDS]

        def unless_linked(c: str, *, also: str = "") -> str:
            return (
                f"{qn(c)} = CASE WHEN {self.table}.{qn('account_id')} IS NULL{also} "
                f"THEN EXCLUDED.{qn(c)} ELSE {self.table}.{qn(c)} END"
            )

        self.set_list = ", ".join(
            [
                *(f"{qn(c)} = EXCLUDED.{qn(c)}" for c in [*self.own, "updated_at"]),
                *(unless_linked(c) for c in self.forwarded),
                # Nor the hash an unlink made unusable: that account links again only
                # after a reset mailed to the court of record's address, never because
                # the court's file still holds the old password a wrongdoer knew.
                unless_linked("password", also=f" AND {_usable_sql(self.table)}"),
                *([self._court_record_update()] if self.forwarded else []),
            ]
        )
        self.conflict = f"ON CONFLICT ({qn('court_id')}, {qn('login_key')}) DO UPDATE"
        # Whether the court had any row when this import wrote its first chunk (None:
        # not asked yet); see _copy_new.
        self.court_had_rows: bool | None = None
        if connection.vendor == "postgresql":
            self.write = self._write_chunk_postgresql
            self._prepare_postgresql(written)
        else:
            self.write = self._write_chunk_generic
            self._prepare_generic(written)

    def _court_record_update(self) -> str:
        """SET clause: a linked row's kept court record takes the file's values of the
        forwarded fields (merged into what is kept; made if none was, as for links older
        than the kept record); an unlinked row keeps none."""
        qn, table = self.qn, self.table
        pairs = ", ".join(f"'{c}', EXCLUDED.{qn(c)}" for c in self.forwarded)
        kept = f"{table}.{qn('court_record')}"
        if connection.vendor == "postgresql":
            merged = f"COALESCE({kept}, '{{}}'::jsonb) || jsonb_build_object({pairs})"
        else:
            merged = f"json_patch(COALESCE({kept}, '{{}}'), json_object({pairs}))"
        return (
            f"{qn('court_record')} = CASE WHEN {table}.{qn('account_id')} IS NULL "
            f"THEN {kept} ELSE {merged} END"
        )

    # --- PostgreSQL: COPY + one INSERT ... SELECT -------------------------------------

    _TEMP = "ecf_filer_import"

    def _prepare_postgresql(self, written: list[str]) -> None:
        qn, table, temp = self.qn, self.table, self._TEMP
        self.temp_columns = ", ".join(qn(c) for c in written)
        # ON COMMIT DROP: nothing is left on a pooled connection. Dropped first as well,
        # because inside an outer transaction (tests, a request) chunks do not commit.
        self.create_temp = [
            f"DROP TABLE IF EXISTS pg_temp.{temp}",
            f"CREATE TEMP TABLE {temp} ({', '.join(f'{qn(c)} text' for c in written)}) "
            "ON COMMIT DROP",
        ]
        self.copy_sql = f"COPY {temp} ({self.temp_columns}) FROM STDIN"
        # A chunk of rows none of which the court has yet (a court's first import) is
        # copied straight into the table: no temporary table, no second write.
        # One index probe per key (the unique (court_id, login_key)), stopping at the
        # first hit: a LIMIT 1 subquery per key, which the planner cannot turn into a
        # scan. `login_key = ANY(keys)` scanned the table testing each row against the
        # whole array (3 s for 50,000 keys), and a join became a nested loop over the
        # court's rows (minutes).
        self.any_stored_sql = (
            f"SELECT EXISTS (SELECT FROM unnest(%s::text[]) AS k(key), LATERAL "  # noqa: S608
            f"(SELECT FROM {table} AS s WHERE s.{qn('court_id')} = %s "
            f"AND s.{qn('login_key')} = k.key LIMIT 1) AS hit)"
        )
        self.any_row_sql = f"SELECT EXISTS (SELECT FROM {table} WHERE {qn('court_id')} = %s)"  # noqa: S608
        # The columns every line of the chunk starts with come first: each line is the
        # chunk's own prefix (the time stamps, the court, blanks for the columns the file
        # lacks) and the line the read-ahead made.
        self.copy_new_sql = (
            f"COPY {table} ("
            + ", ".join(
                qn(c) for c in ("created_at", "updated_at", "court_id", *self.missing, *written)
            )
            + ") FROM STDIN"
        )
        blanks = "".join(", ''" for _ in self.missing)
        # "Changed" is decided here: any of the court's own columns differs; on a row
        # not linked, a forwarded column or the hash does; on a linked row (whose hash
        # and forwarded columns are never replaced), the court's record kept under the
        # link differs from the file's forwarded columns.

        def row(alias: str, names: list[str]) -> str:
            return f"({', '.join(f'{alias}.{qn(c)}' for c in names)})"

        def kept(alias: str) -> str:
            record = f"{alias}.{qn('court_record')}"
            return "(" + ", ".join(f"{record} ->> '{c}'" for c in self.forwarded) + ")"

        def differs(stored: str, incoming: str) -> str:
            account_id, password = f"{stored}.{qn('account_id')}", qn("password")
            linked = (
                f" OR ({stored}.{qn('account_id')} IS NOT NULL AND {kept(stored)} "
                f"IS DISTINCT FROM {row(incoming, self.forwarded)})"
                if self.forwarded
                else ""
            )
            return (
                f"{row(stored, self.own)} IS DISTINCT FROM {row(incoming, self.own)} "
                f"OR ({account_id} IS NULL AND {row(stored, self.forwarded)} "
                f"IS DISTINCT FROM {row(incoming, self.forwarded)}) "
                f"OR ({account_id} IS NULL AND {_usable_sql(stored)} "
                f"AND {stored}.{password} IS DISTINCT FROM {incoming}.{password}){linked}"
            )

        # The NOT EXISTS drops the unchanged rows before the upsert sees them: ON CONFLICT
        # locks every conflicting row, even one its WHERE then skips, and locking writes
        # to each row's page (a re-import would rewrite the whole table). The WHERE stays,
        # for a row changed by someone else between the two.
        # Rows the WHERE skips are not RETURNed; of those returned, xmax = 0 marks a
        # fresh insert (an updated row carries the updating transaction's id), so one
        # count gives created, updated, and by difference unchanged.
        self.upsert_sql = (
            f"WITH written AS (INSERT INTO {table} ({self.insert_names}) "  # noqa: S608
            # Typed: with server-side binding PostgreSQL cannot infer a bare parameter's
            # type in a SELECT list.
            f"SELECT %s::bigint, {self.temp_columns}{blanks}, %s::timestamptz, "
            f"%s::timestamptz FROM {temp} AS t "
            f"WHERE NOT EXISTS (SELECT FROM {table} AS s WHERE s.{qn('court_id')} = %s "
            f"AND s.{qn('login_key')} = t.{qn('login_key')} AND NOT ({differs('s', 't')})) "
            f"{self.conflict} SET {self.set_list} WHERE {differs(table, 'EXCLUDED')} "
            f"RETURNING ({table}.xmax = 0) AS inserted) "
            "SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) "
            "FROM written"
        )

    def _write_chunk_postgresql(self, court: Court, rows: _Good, report: ImportReport) -> None:
        stamp = timezone.now().isoformat()  # COPY's text form of the time stamps
        # In the chunk's transaction (import_filers opens it): the rows and their event.
        with connection.cursor() as cursor:
            body, existing = rows.copy_body, {}
            if body is None:  # plain passwords: hashed here, knowing the stored rows
                plain = [key for key, pw in zip(rows.keys, rows.plain, strict=True) if pw]
                existing = _existing(court, plain) if plain else {}
                passwords = [
                    hashed
                    if hashed is not None
                    else _kept_or_new_hash(cast(str, pw), existing.get(key))
                    for key, hashed, pw in zip(rows.keys, rows.hashed, rows.plain, strict=True)
                ]
                lines = _copy_lines([rows.keys, passwords, *rows.texts])
                body = "\n".join(lines).encode()
            if not existing and self._copy_new(cursor, court, rows, body, stamp):
                report.created += len(rows)
                return
            for statement in self.create_temp:
                cursor.execute(statement)
            with cursor.copy(self.copy_sql) as copy:
                copy.write(body)
                copy.write(b"\n")
            cursor.execute(self.upsert_sql, [court.pk, stamp, stamp, court.pk])
            created, updated = cursor.fetchone()
        report.created += created
        report.updated += updated
        report.unchanged += len(rows) - created - updated

    def _copy_new(self, cursor: Any, court: Court, rows: _Good, body: bytes, stamp: str) -> bool:
        """COPY the chunk straight into the table when the court has none of its logins
        (true, and the rows are all created), else write nothing (false: the upsert
        decides row by row). No row that exists is touched, so neither a link nor its
        hash is at stake. A row of these logins written meanwhile (another import, a
        registration) breaks the unique (court, login_key): the COPY is undone to its
        savepoint and the upsert decides.

        A court that had no rows when the import began (its first import) has none of
        a chunk's logins but for such a row written meanwhile (the import's own earlier
        chunks hold other logins: a duplicate is refused), so the unique index alone
        answers and nothing is looked up. Otherwise the logins are looked up first: a
        COPY that fails late would have written most of a chunk for nothing."""
        from psycopg.errors import UniqueViolation  # COPY is psycopg's own, not wrapped

        if self.court_had_rows is None:
            cursor.execute(self.any_row_sql, [court.pk])
            self.court_had_rows = bool(cursor.fetchone()[0])
        if self.court_had_rows:
            cursor.execute(self.any_stored_sql, [rows.key_list(), court.pk])
            if cursor.fetchone()[0]:
                return False
        prefix = (f"{stamp}\t{stamp}\t{court.pk}\t" + "\t" * len(self.missing)).encode()
        try:
            # The savepoint the COPY is undone to.
            with transaction.atomic(), cursor.copy(self.copy_new_sql) as copy:
                copy.write(prefix)
                copy.write(body.replace(b"\n", b"\n" + prefix))
                copy.write(b"\n")
        except (IntegrityError, UniqueViolation):
            return False
        return True

    # --- Other databases (SQLite): compare in Python, executemany one upsert ----------

    def _prepare_generic(self, written: list[str]) -> None:
        marks = ", ".join(["%s"] * (len(written) + 1))  # + court_id
        blanks = "".join(", ''" for _ in self.missing)
        self.upsert_sql = (
            f"INSERT INTO {self.table} ({self.insert_names}) "  # noqa: S608
            f"VALUES ({marks}{blanks}, %s, %s) {self.conflict} SET {self.set_list}"
        )

    def _write_chunk_generic(self, court: Court, rows: _Good, report: ImportReport) -> None:
        params: list[tuple[Any, ...]] = []
        stamp = connection.ops.adapt_datetimefield_value(timezone.now())
        columns = self.columns
        # In the chunk's transaction (import_filers opens it): the rows and their event.
        existing = _existing(court, rows.keys)
        for key, values, hashed, plain in zip(
            rows.keys, rows.values(), rows.hashed, rows.plain, strict=True
        ):
            old = existing.get(key)
            if old is None:
                password = hashed or make_password(plain)
                report.created += 1
            else:
                linked = old["account_id"] is not None
                # A linked row's forwarded fields are PACER's: the file's values are
                # compared with the court's record kept under the link instead.
                kept = _kept_record(old) if linked else {}
                changed = any(
                    (kept.get(name) if linked and name in FORWARDED_FIELDS else old[name]) != value
                    for name, value in zip(columns, values, strict=True)
                )
                password = old["password"]
                # A linked row's hash is frozen, and so is one an unlink made
                # unusable; another unlinked one takes the file's.
                if old["account_id"] is None and is_password_usable(password):
                    if hashed is not None and hashed != password:
                        password, changed = hashed, True
                    elif plain is not None:
                        password = _kept_or_new_hash(plain, old)
                        changed = changed or password != old["password"]
                if not changed:
                    report.unchanged += 1
                    continue
                report.updated += 1
            params.append((court.pk, key, password, *values, stamp, stamp))
        if params:
            with connection.cursor() as cursor:
                cursor.executemany(self.upsert_sql, params)


@contextlib.contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """An import allocates a few objects per row and frees them a chunk later, which
    makes the cycle collector walk the whole (Django-sized) heap again and again: a
    third of the Python time for 100k rows. Nothing here forms reference cycles, so it
    is paused for the import (plain reference counting still frees everything) and
    resumed after, unless it was already off."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _record(
    court: Court,
    report: ImportReport,
    outcome: str,
    acting: Any,
    request: HttpRequest | None,
    source: str,
    *,
    interrupted: DatabaseError | None = None,
) -> None:
    details: dict[str, Any] = {**report.as_details(), "source": source[:200]}
    if interrupted is not None:
        details["interrupted"] = f"database error: {type(interrupted).__name__}"
    record_alone(
        Action.FILERS_IMPORT,
        outcome=outcome,
        request=request,
        actor=acting,
        court_code=court.code,
        details=details,
    )


def _write_chunk(
    writer: _Writer,
    court: Court,
    rows: _Good,
    report: ImportReport,
    *,
    number: int,
    acting: Any,
    request: HttpRequest | None,
    source: str,
) -> None:
    """One chunk in one transaction of its own: its rows and the "filers.import.chunk"
    event counting what the import has committed so far, this chunk included. A crash
    later leaves these events as the audited trail of what stayed written."""
    counted = (report.created, report.updated, report.unchanged)
    try:
        with transaction.atomic(durable=True):
            if rows:
                writer.write(court, rows, report)
            record(
                Action.FILERS_IMPORT_CHUNK,
                request=request,
                actor=acting,
                court_code=court.code,
                details={"chunk": number, **report.as_details(), "source": source[:200]},
            )
    except BaseException:
        # Rolled back: what this chunk counted was not written.
        report.created, report.updated, report.unchanged = counted
        raise


def import_filers(
    *,
    court: Court,
    rows: Iterable[Mapping[str, Any]] | IO[Any],
    acting: Account | SystemActor,
    request: HttpRequest | None = None,
    progress: Progress | None = None,
    chunk_size: int = CHUNK_SIZE,
    source: str = "",
) -> ImportReport:
    """Load `court`'s CM/ECF accounts from a CSV file (text or binary) or from row dicts.

    Bad rows are reported in `ImportReport.errors` as (line number, reason) and the good
    rows still load. Raises HeaderError / ImportFileError when the file as a whole is
    unusable (nothing is written for a bad header), ImportInterrupted when the database
    fails part-way. `progress(rows_done)` is called after each chunk.

    Each chunk commits on its own (a durable transaction: never inside a caller's) with
    a "filers.import.chunk" event of the counts committed so far; at the end one
    "filers.import" event records the outcome and the counts of what was committed."""
    header, numbered = _numbered_rows(rows)
    report = ImportReport(ignored_columns=check_header(header))
    layout = _Layout(header)
    writer = _Writer(layout.columns)
    done = 0
    validated = _validated_chunks(
        numbered, layout, chunk_size, copy_text=connection.vendor == "postgresql"
    )
    with _cyclic_gc_paused(), _read_ahead(validated) as chunks:
        try:
            # The pipeline: while this thread writes chunk N (waiting on the database),
            # the read-ahead (a process; _read_ahead) reads and validates chunk N+1.
            # Each chunk commits on its own, with its audit event.
            for number, chunk in enumerate(chunks, start=1):
                report.errors.extend(chunk.errors)
                _write_chunk(
                    writer,
                    court,
                    chunk.good,
                    report,
                    number=number,
                    acting=acting,
                    request=request,
                    source=source,
                )
                done += chunk.rows
                if progress is not None:
                    progress(done)
        except DatabaseError as exc:
            # Chunks commit one by one: what the finished ones wrote stays, and the log
            # says so as soon as the database answers again (a fresh connection, unless
            # an outer transaction owns this one).
            if not connection.in_atomic_block:
                with contextlib.suppress(DatabaseError):
                    connection.close()
            with contextlib.suppress(DatabaseError):
                _record(court, report, Outcome.FAILURE, acting, request, source, interrupted=exc)
            raise ImportInterrupted(report, exc) from exc
        except Exception:
            # A file that breaks half-way has written some rows: leave a record of that.
            with contextlib.suppress(DatabaseError):
                _record(court, report, Outcome.FAILURE, acting, request, source)
            raise
        finally:
            # What the court's accounts are hashed with may have changed: an unknown login
            # is checked against the new scheme and cost from the next attempt on.
            forget_profile(court)
    _record(court, report, Outcome.SUCCESS, acting, request, source)
    return report
