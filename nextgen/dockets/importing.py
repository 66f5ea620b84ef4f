"""Loading a court's cases from its legacy system: one JSON object per line (docs/cases-import.md).

`import_cases` reads the file line by line, checks each line on its own (a bad line is
reported by number and reason and loads nothing of itself), and writes the good lines in
chunks: per chunk, one transaction of bulk inserts (cases, parties, aliases, attorneys,
entries, documents, related entries) with its audit event, never one query per row.

Idempotent: a case is matched on its number. A case already present keeps its own data;
the parties (by name and role), attorneys (by CM/ECF login), entries (by number) and
documents of the line that it lacks are added, so re-running a file changes nothing and a
later export of the same cases adds only the new entries. The year's case-number counter
is raised past the imported numbers, so new cases never take a legacy number.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal, overload

from django.db import connection, transaction
from django.utils import timezone

from nextgen.audit.models import Action
from nextgen.audit.services import record
from nextgen.ecf.models import Court, CourtKind, FilerAccount, normalize_login
from nextgen.forms import model_field

from .models import (
    MENU_CASE_TYPE,
    Case,
    CaseNumberCounter,
    CaseType,
    DocketEntry,
    Document,
    FilingEvent,
    JuryDemand,
    Party,
    PartyAlias,
    PartyRole,
    Representation,
)

# Docket entries per chunk (a chunk also ends after CASES_PER_CHUNK cases): one
# transaction each, and the memory of that many rows.
ENTRIES_PER_CHUNK = 20_000
CASES_PER_CHUNK = 2_000

_DISTRICT_NUMBER = re.compile(
    r"^(?P<office>\d):(?P<year>\d{2})-(?P<type>cv|cr)-(?P<seq>\d{1,5})(?:-(?P<judge>[A-Z]{1,4}(?:-[A-Z]{1,4})*))?$",
    re.IGNORECASE,
)
_BANKRUPTCY_NUMBER = re.compile(
    r"^(?:\d:)?(?P<year>\d{2})-(?:(?P<type>bk|ap)-)?(?P<seq>\d{1,5})(?:-[A-Z]{1,4})?$",
    re.IGNORECASE,
)
_CASE_FIELDS = (
    "title",
    "nature_of_suit",
    "cause",
    "jurisdiction",
    "demand",
    "judge",
)
_MAX = {name: model_field(Case, name).max_length for name in _CASE_FIELDS}
_JURY = {c.value: c.value for c in JuryDemand} | {"none": "", None: ""}
_ROLES = {r.value.casefold(): r.value for r in PartyRole}

Progress = Callable[[int], None]
# The columns' limits (PositiveIntegerField, PositiveSmallIntegerField on every backend).
_MAX_INT = 2_147_483_647
_MAX_DOCUMENT = 32_767


class BadLine(Exception):
    """Why one line cannot be loaded."""


@dataclass
class Report:
    lines: int = 0
    cases_created: int = 0
    cases_existing: int = 0
    parties_created: int = 0
    attorneys_created: int = 0
    entries_created: int = 0
    entries_existing: int = 0
    documents_created: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class _Entry:
    number: int
    date_filed: dt.date
    date_entered: dt.datetime
    text: str
    event_id: int | None
    sealed: bool
    relates_to: list[int]
    documents: list[dict]


@dataclass
class _Party:
    name: str
    role: str
    aliases: list[str]
    date_terminated: dt.date | None
    attorneys: list[dict]


@dataclass
class _Case:
    line: int
    key: tuple[str, int, int, int]  # case_type, year, office, sequence
    number: str
    fields: dict[str, Any]
    main_case: tuple[str, int, int, int] | None
    parties: list[_Party]
    entries: list[_Entry]


# --- one line ------------------------------------------------------------------------------


def _text(obj: dict, name: str, max_length: int | None = None, required: bool = False) -> str:
    value = obj.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise BadLine(f"{name} must be a string")
    value = value.strip()
    if required and not value:
        raise BadLine(f"{name} is missing")
    if max_length and len(value) > max_length:
        raise BadLine(f"{name} is longer than {max_length} characters")
    return value


@overload
def _date(obj: dict, name: str, required: Literal[True]) -> dt.date: ...
@overload
def _date(obj: dict, name: str, required: bool = False) -> dt.date | None: ...
def _date(obj: dict, name: str, required: bool = False) -> dt.date | None:
    value = obj.get(name)
    if value in (None, ""):
        if required:
            raise BadLine(f"{name} is missing")
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise BadLine(f"{name} {value!r} is not a date (YYYY-MM-DD)") from None


def _datetime(obj: dict, name: str, default: dt.datetime) -> dt.datetime:
    value = obj.get(name)
    if value in (None, ""):
        return default
    try:
        parsed = dt.datetime.fromisoformat(str(value))
    except ValueError:
        raise BadLine(f"{name} {value!r} is not a date and time (ISO 8601)") from None
    return parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=dt.UTC)


def _bool(obj: dict, name: str, default: bool = False) -> bool:
    value = obj.get(name, default)
    if not isinstance(value, bool):
        raise BadLine(f"{name} must be true or false")
    return value


def _list(obj: dict, name: str) -> list:
    value = obj.get(name) or []
    if not isinstance(value, list):
        raise BadLine(f"{name} must be a list")
    return value


def parse_number(court: Court, number: str, case_type: str = "") -> tuple[str, int, int, int, str]:
    """(case_type, year, office, sequence, judge initials) of a full case number."""
    if court.kind == CourtKind.DISTRICT:
        m = _DISTRICT_NUMBER.match(number)
        if not m:
            raise BadLine(f"number {number!r} is not a district case number like 3:26-cv-00042")
        return (
            m["type"].lower(),
            int(m["year"]),
            int(m["office"]),
            int(m["seq"]),
            (m["judge"] or "").upper(),
        )
    m = _BANKRUPTCY_NUMBER.match(number)
    if not m:
        raise BadLine(f"number {number!r} is not a bankruptcy case number like 26-10042")
    kind = (m["type"] or case_type or CaseType.BANKRUPTCY).lower()
    if kind not in (CaseType.BANKRUPTCY, CaseType.ADVERSARY):
        raise BadLine(f"case_type {kind!r} must be bk or ap in a bankruptcy court")
    return kind, int(m["year"]), 0, int(m["seq"]), ""


def _document(obj: Any, where: str) -> dict:
    if not isinstance(obj, dict):
        raise BadLine(f"{where} must be an object")
    path = _text(obj, "path", 255, required=True)
    if path.startswith(("/", "\\")) or ".." in path.split("/") or "\\" in path or ":" in path:
        raise BadLine(f"{where}.path {path!r} must be relative to the documents storage")
    number = obj.get("number")
    if not isinstance(number, int) or not 0 <= number <= _MAX_DOCUMENT:
        raise BadLine(f"{where}.number must be 0 (main document) or an attachment number")
    pages = obj.get("pages")
    size = obj.get("size")
    for name, value in (("pages", pages), ("size", size)):
        if value is not None and (not isinstance(value, int) or not 0 <= value <= _MAX_INT):
            raise BadLine(f"{where}.{name} must be a whole number")
    sha256 = _text(obj, "sha256", 64).lower()
    if sha256 and not re.fullmatch(r"[0-9a-f]{64}", sha256):
        raise BadLine(f"{where}.sha256 must be 64 hexadecimal digits")
    return dict(
        number=number,
        file=path,
        description=_text(obj, "description", 200),
        original_name=path.rsplit("/", 1)[-1],
        page_count=pages,
        size=size,
        sha256=sha256,
        stamp=_text(obj, "stamp", 1000),
    )


class _LineParser:
    """Checks lines against the court: its kind, its CM/ECF logins and its events."""

    def __init__(self, court: Court) -> None:
        self.court = court
        self.filers = dict(
            FilerAccount.objects.filter(court=court).values_list("login_key", "id").iterator()
        )
        self.events: dict[tuple[str, str], int] = {}
        for menu, code, pk in FilingEvent.objects.filter(court=court).values_list(
            "menu", "code", "id"
        ):
            self.events[(MENU_CASE_TYPE[menu], code)] = pk
        self.now = timezone.now()

    def parse(self, line_no: int, raw: bytes) -> _Case:
        try:
            obj = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise BadLine(f"not valid JSON ({exc.msg if hasattr(exc, 'msg') else exc})") from None
        if not isinstance(obj, dict):
            raise BadLine("not a JSON object")
        number = _text(obj, "number", 40, required=True)
        case_type, year, office, sequence, initials = parse_number(
            self.court, number, _text(obj, "case_type", 2).lower()
        )
        if sequence == 0:
            raise BadLine(f"number {number!r} has sequence 0")
        fields: dict[str, Any] = {
            name: _text(obj, name, _MAX[name], required=name == "title") for name in _CASE_FIELDS
        }
        jury = obj.get("jury_demand")
        if jury not in _JURY:
            raise BadLine(f"jury_demand {jury!r} must be none, plaintiff, defendant or both")
        chapter = obj.get("chapter")
        if case_type == CaseType.BANKRUPTCY:
            if chapter not in (7, 9, 11, 12, 13, 15):
                raise BadLine(f"chapter {chapter!r} must be 7, 9, 11, 12, 13 or 15")
        else:
            chapter = None
        main_case = None
        if case_type == CaseType.ADVERSARY:
            main_number = _text(obj, "main_case", 40, required=True)
            main_type, main_year, main_office, main_sequence, _ = parse_number(
                self.court, main_number
            )
            if main_type != CaseType.BANKRUPTCY:
                raise BadLine(f"main_case {main_number!r} must be a bankruptcy case")
            main_case = (main_type, main_year, main_office, main_sequence)
        date_filed = _date(obj, "date_filed", required=True)
        fields.update(
            jury_demand=_JURY[jury],
            chapter=chapter,
            date_filed=date_filed,
            date_terminated=_date(obj, "date_terminated"),
            sealed=_bool(obj, "sealed"),
            judge_initials=initials,
        )
        parties = [self._party(p, i) for i, p in enumerate(_list(obj, "parties"))]
        entries = [self._entry(e, i, case_type) for i, e in enumerate(_list(obj, "entries"))]
        numbers = [e.number for e in entries]
        if len(set(numbers)) != len(numbers):
            raise BadLine("two entries have the same number")
        seen = set()
        for p in parties:
            if (p.name, p.role) in seen:
                raise BadLine(f"party {p.name!r} ({p.role}) is listed twice")
            seen.add((p.name, p.role))
        return _Case(
            line=line_no,
            key=(case_type, year, office, sequence),
            number=number,
            fields=fields,
            main_case=main_case,
            parties=parties,
            entries=entries,
        )

    def _party(self, obj: Any, i: int) -> _Party:
        where = f"parties[{i}]"
        if not isinstance(obj, dict):
            raise BadLine(f"{where} must be an object")
        name = _text(obj, "name", 300, required=True)
        role = _ROLES.get(_text(obj, "role").casefold())
        if role is None:
            raise BadLine(f"{where}.role {obj.get('role')!r} is not a party role")
        aliases = [a.strip() for a in _list(obj, "aliases") if isinstance(a, str) and a.strip()]
        if any(len(a) > 300 for a in aliases):
            raise BadLine(f"{where}.aliases: a name is longer than 300 characters")
        attorneys = []
        for j, a in enumerate(_list(obj, "attorneys")):
            if not isinstance(a, dict):
                raise BadLine(f"{where}.attorneys[{j}] must be an object")
            login = _text(a, "login", 80, required=True)
            filer_id = self.filers.get(normalize_login(login))
            if filer_id is None:
                raise BadLine(
                    f"{where}.attorneys[{j}].login {login!r} is not a CM/ECF account of "
                    f"{self.court.code} (import the court's accounts first)"
                )
            attorneys.append(
                dict(
                    filer_id=filer_id,
                    lead_attorney=_bool(a, "lead"),
                    to_be_noticed=_bool(a, "to_be_noticed", True),
                    pro_hac_vice=_bool(a, "pro_hac_vice"),
                    date_terminated=_date(a, "date_terminated"),
                )
            )
        return _Party(name, role, aliases, _date(obj, "date_terminated"), attorneys)

    def _entry(self, obj: Any, i: int, case_type: str) -> _Entry:
        where = f"entries[{i}]"
        if not isinstance(obj, dict):
            raise BadLine(f"{where} must be an object")
        number = obj.get("number")
        if not isinstance(number, int) or not 1 <= number <= _MAX_INT:
            raise BadLine(f"{where}.number must be a whole number from 1")
        code = _text(obj, "event", 60)
        event_id = None
        if code:
            event_id = self.events.get((case_type, code))
            if event_id is None:
                raise BadLine(f"{where}.event {code!r} is not an event of this court's menu")
        relates = _list(obj, "relates_to")
        if not all(isinstance(n, int) for n in relates):
            raise BadLine(f"{where}.relates_to must list entry numbers")
        date_filed = _date(obj, "date_filed", required=True)
        documents = [
            _document(d, f"{where}.documents[{k}]") for k, d in enumerate(_list(obj, "documents"))
        ]
        if len({d["number"] for d in documents}) != len(documents):
            raise BadLine(f"{where} has two documents with the same number")
        default_entered = dt.datetime.combine(date_filed, dt.time(12), tzinfo=dt.UTC)
        return _Entry(
            number=number,
            date_filed=date_filed,
            date_entered=_datetime(obj, "date_entered", default_entered),
            text=_text(obj, "text", required=True),
            event_id=event_id,
            sealed=_bool(obj, "sealed"),
            relates_to=relates,
            documents=documents,
        )


# --- a chunk of good lines ------------------------------------------------------------------


def _existing_cases(court: Court, keys: Iterable[tuple]) -> dict[tuple, tuple[int, int]]:
    """{key: (id, last_entry_number)} of the cases among `keys` that are already here."""
    wanted = set(keys)
    if not wanted:
        return {}
    sequences = {k[3] for k in wanted}
    found = {}
    rows = Case.objects.filter(court=court, sequence__in=sequences).values_list(
        "case_type", "year", "office", "sequence", "id", "last_entry_number"
    )
    for case_type, year, office, sequence, pk, last in rows.iterator():
        key = (case_type, year, office, sequence)
        if key in wanted:
            found[key] = (pk, last)
    return found


def _write_chunk(court: Court, chunk: list[_Case], report: Report, source: str) -> None:
    """Write the chunk's cases in one transaction; lines found bad here go to the report."""
    existing = _existing_cases(
        court, [c.key for c in chunk] + [c.main_case for c in chunk if c.main_case]
    )
    existing_ids = [pk for pk, _ in existing.values()]
    entry_ids: dict[int, dict[int, int]] = defaultdict(dict)  # case id -> number -> entry id
    for case_id, number, pk in DocketEntry.objects.filter(case_id__in=existing_ids).values_list(
        "case_id", "number", "id"
    ):
        entry_ids[case_id][number] = pk
    party_ids: dict[int, dict[tuple[str, str], int]] = defaultdict(dict)
    for case_id, name, role, pk in Party.objects.filter(case_id__in=existing_ids).values_list(
        "case_id", "name", "role", "id"
    ):
        party_ids[case_id][(name, role)] = pk

    # Checks that need the database: related entries and main cases must exist.
    checked: list[_Case] = []
    for c in chunk:
        present = set(entry_ids[existing[c.key][0]]) if c.key in existing else set()
        known = present | {e.number for e in c.entries}
        missing = sorted({n for e in c.entries for n in e.relates_to} - known)
        if missing:
            report.errors.append((c.line, f"relates_to names entries not in the case: {missing}"))
        else:
            checked.append(c)
    new_here = {c.key for c in checked if c.key not in existing}
    good: list[_Case] = []
    for c in checked:
        if c.main_case and c.main_case not in existing and c.main_case not in new_here:
            report.errors.append(
                (c.line, "main_case is not a case of this court (put it on an earlier line)")
            )
        else:
            good.append(c)
    if not good:
        return

    now = timezone.now()
    with transaction.atomic():
        # New cases; adversary proceedings after their main cases.
        new = [c for c in good if c.key not in existing]
        new.sort(key=lambda c: c.main_case is not None)
        ids = dict((k, v[0]) for k, v in existing.items())
        for batch in (
            [c for c in new if c.main_case is None],
            [c for c in new if c.main_case is not None],
        ):
            objs = [
                Case(
                    court=court,
                    case_type=c.key[0],
                    year=c.key[1],
                    office=c.key[2],
                    sequence=c.key[3],
                    main_case_id=ids.get(c.main_case) if c.main_case else None,
                    last_entry_number=max((e.number for e in c.entries), default=0),
                    **c.fields,
                )
                for c in batch
            ]
            Case.objects.bulk_create(objs)
            for c, obj in zip(batch, objs, strict=True):
                ids[c.key] = obj.pk
        report.cases_created += len(new)
        report.cases_existing += len(good) - len(new)

        # Parties the cases lack, then their aliases and attorneys.
        new_parties: list[tuple[_Party, Party]] = []
        all_parties: list[tuple[_Party, int]] = []
        for c in good:
            case_id = ids[c.key]
            for p in c.parties:
                party_pk = party_ids[case_id].get((p.name, p.role))
                if party_pk is None:
                    party = Party(
                        case_id=case_id, name=p.name, role=p.role, date_terminated=p.date_terminated
                    )
                    new_parties.append((p, party))
                else:
                    all_parties.append((p, party_pk))
        Party.objects.bulk_create([obj for _, obj in new_parties])
        all_parties += [(p, obj.pk) for p, obj in new_parties]
        report.parties_created += len(new_parties)
        PartyAlias.objects.bulk_create(
            [PartyAlias(party_id=obj.pk, name=a) for p, obj in new_parties for a in p.aliases]
        )
        reps = [Representation(party_id=pk, **a) for p, pk in all_parties for a in p.attorneys]
        before = Representation.objects.filter(party_id__in=[pk for _, pk in all_parties]).count()
        # An attorney already of record for the party is left as it is.
        Representation.objects.bulk_create(reps, ignore_conflicts=True)
        after = Representation.objects.filter(party_id__in=[pk for _, pk in all_parties]).count()
        report.attorneys_created += after - before

        # Entries the cases lack, their documents and what they relate to.
        new_entries: list[tuple[int, _Entry]] = []
        raised: list[Case] = []
        for c in good:
            case_id = ids[c.key]
            numbers_present = entry_ids[case_id]
            fresh = [e for e in c.entries if e.number not in numbers_present]
            report.entries_existing += len(c.entries) - len(fresh)
            new_entries += [(case_id, e) for e in fresh]
            if c.key in existing and fresh:
                top = max(e.number for e in fresh)
                if top > existing[c.key][1]:
                    raised.append(Case(pk=case_id, last_entry_number=top))
        entry_pks = _insert(
            DocketEntry,
            ("case_id", "number", "date_filed", "date_entered", "text", "event_id", "sealed"),
            [
                (case_id, e.number, e.date_filed, e.date_entered, e.text, e.event_id, e.sealed)
                for case_id, e in new_entries
            ],
        )
        for (case_id, e), pk in zip(new_entries, entry_pks, strict=True):
            entry_ids[case_id][e.number] = pk
        report.entries_created += len(new_entries)
        if raised:
            Case.objects.bulk_update(raised, ["last_entry_number"])
        doc_fields = (
            "number",
            "file",
            "description",
            "original_name",
            "page_count",
            "size",
            "sha256",
            "stamp",
        )
        documents = [
            (pk, now, *(d[f] for f in doc_fields))
            for (_, e), pk in zip(new_entries, entry_pks, strict=True)
            for d in e.documents
        ]
        _insert(Document, ("entry_id", "created_at", *doc_fields), documents)
        report.documents_created += len(documents)
        _insert(
            DocketEntry.relates_to.through,
            ("from_docketentry_id", "to_docketentry_id"),
            [
                (pk, entry_ids[case_id][n])
                for (case_id, e), pk in zip(new_entries, entry_pks, strict=True)
                for n in e.relates_to
            ],
        )
        _raise_counters(court, [c.key for c in new])
        record(
            Action.DOCKET_IMPORT,
            court_code=court.code,
            details={
                "source": source,
                "lines": [good[0].line, good[-1].line],
                "cases_created": len(new),
                "entries_created": len(new_entries),
            },
        )


def _insert(model, columns: tuple[str, ...], rows: list[tuple]) -> list[int]:
    """Insert rows (tuples in `columns` order); their new primary keys, in order.

    On PostgreSQL the keys are taken from the table's sequence first and the rows go in
    with one COPY: model instances and INSERT parameters cost ten times more per row.
    Elsewhere (SQLite), bulk_create."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        objs = [model(**dict(zip(columns, row, strict=True))) for row in rows]
        model.objects.bulk_create(objs, batch_size=5000)
        return [obj.pk for obj in objs]
    table = model._meta.db_table
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, len(rows)],
        )
        pks = [pk for (pk,) in cursor.fetchall()]
        names = ", ".join(qn(model._meta.get_field(c).column) for c in ("id", *columns))
        with cursor.cursor.copy(f"COPY {qn(table)} ({names}) FROM STDIN") as copy:
            for pk, row in zip(pks, rows, strict=True):
                copy.write_row((pk, *row))
    return pks


def _raise_counters(court: Court, keys: list[tuple]) -> None:
    """New cases must never take an imported number: raise each counter past them."""
    top: dict[tuple[int, str], int] = {}
    for case_type, year, _office, sequence in keys:
        top[(year, case_type)] = max(top.get((year, case_type), 0), sequence)
    for (year, case_type), sequence in top.items():
        counter, _ = CaseNumberCounter.objects.select_for_update().get_or_create(
            court=court, year=year, case_type=case_type, defaults={"last": sequence}
        )
        if counter.last < sequence:
            counter.last = sequence
            counter.save(update_fields=["last"])


# --- the file ------------------------------------------------------------------------------


def import_cases(
    *,
    court: Court,
    lines: Iterable[bytes],
    source: str = "",
    progress: Progress | None = None,
) -> Report:
    """Load the lines (bytes, one JSON object each); the report lists bad lines by number."""
    parser = _LineParser(court)
    report = Report()
    chunk: list[_Case] = []
    keys_in_file: dict[tuple, int] = {}
    entries = 0
    for line_no, raw in enumerate(lines, start=1):
        if progress is not None and line_no % 100 == 0:
            progress(line_no)
        if line_no == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")  # a byte order mark some exporters write
        if not raw.strip():
            continue
        report.lines += 1
        try:
            case = parser.parse(line_no, raw)
            if case.key in keys_in_file:
                raise BadLine(f"case {case.number} is also on line {keys_in_file[case.key]}")
        except BadLine as exc:
            report.errors.append((line_no, str(exc)))
            continue
        keys_in_file[case.key] = line_no
        chunk.append(case)
        entries += len(case.entries)
        if entries >= ENTRIES_PER_CHUNK or len(chunk) >= CASES_PER_CHUNK:
            _write_chunk(court, chunk, report, source)
            chunk, entries = [], 0
    if chunk:
        _write_chunk(court, chunk, report, source)
    report.errors.sort()
    return report
