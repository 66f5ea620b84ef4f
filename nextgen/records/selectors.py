"""Reads of the PACER access pages: case searches, the docket report, written opinions.

Everything here starts from nextgen.dockets.selectors, which leave out what the signed-in
account may not see (sealed cases for all but staff and counsel, sealed entries), so no
result, count or report built on these can show sealed material or reveal that it exists.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import CharField, Exists, Field, OuterRef, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncDate
from django.db.models.lookups import Lookup
from django.utils import timezone

from nextgen.dockets import case_numbers
from nextgen.dockets.models import (
    BANKRUPTCY_TYPES,
    Case,
    DocketEntry,
    Document,
    Party,
    PartyAlias,
    Representation,
)
from nextgen.dockets.selectors import can_see_sealed, visible_cases, visible_entries
from nextgen.ecf.models import Court
from nextgen.precompiled import Precompiled
from nextgen.signon.models import Account

# A name search answers with at most this many cases (CM/ECF pages its results too).
MAX_RESULTS = 500


@Field.register_lookup
class RawLike(Lookup):
    """`field__rawlike=pattern`: SQL LIKE with the pattern's own % wildcards (Django's
    contains/startswith escape them). Patterns are upper case, as is the padded name they
    are matched against (PADDED_NAME), so matching ignores case everywhere."""

    lookup_name = "rawlike"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} LIKE {rhs} ESCAPE '\\'", [*lhs_params, *rhs_params]


def like_pattern(term: str) -> str:
    """A typed name with `*` wildcards as an SQL LIKE pattern (upper case); the LIKE
    characters a person types (% and _) are matched literally."""
    escaped = term.upper().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped.replace("*", "%")


# The party name padded with a space each side, upper case: "% SMITH %" is the whole
# word Smith anywhere in the name. The pg_trgm GIN index of records migration 0001 is
# on exactly this expression, so PostgreSQL answers the LIKE through it.
PADDED_NAME = RawSQL(
    """(' ' || UPPER("dockets_party"."name") || ' ')""", [], output_field=CharField()
)


def _word_match(term: str) -> Q:
    """The party name holds `term` as a whole word (or, with `*`, words it spells):
    "Smith" finds "John Smith" and "Smith Industries", "Smi*" also "Smithers"."""
    return Q(padded_name__rawlike=f"% {like_pattern(term)} %")


@dataclass(frozen=True)
class CaseSearch:
    """The Query page's criteria (CM/ECF's field names in the form)."""

    case_number: str = ""
    last_name: str = ""  # or a business name
    first_name: str = ""
    filed_from: dt.date | None = None
    filed_to: dt.date | None = None
    status: str = "all"  # "open", "closed" or "all"
    case_type: str = ""

    @property
    def by_number(self) -> bool:
        return bool(self.case_number.strip())

    def criteria(self) -> str:
        """The receipt's "Search Criteria" line."""
        parts = []
        if self.case_number:
            parts.append(f"Case number: {self.case_number}")
        if self.last_name:
            parts.append(f"Last Name: {self.last_name}")
        if self.first_name:
            parts.append(f"First Name: {self.first_name}")
        if self.filed_from or self.filed_to:
            start = self.filed_from.strftime("%m/%d/%Y") if self.filed_from else ""
            end = self.filed_to.strftime("%m/%d/%Y") if self.filed_to else ""
            parts.append(f"Filed: {start} - {end}")
        if self.status != "all":
            parts.append(f"Status: {self.status}")
        if self.case_type:
            parts.append(f"Type: {self.case_type}")
        return " ".join(parts)


@dataclass
class CaseResult:
    case: Case
    party_names: list[str] = field(default_factory=list)


def _filtered(cases: QuerySet[Case], search: CaseSearch) -> QuerySet[Case]:
    if search.filed_from:
        cases = cases.filter(date_filed__gte=search.filed_from)
    if search.filed_to:
        cases = cases.filter(date_filed__lte=search.filed_to)
    if search.status == "open":
        cases = cases.filter(date_terminated__isnull=True)
    elif search.status == "closed":
        cases = cases.filter(date_terminated__isnull=False)
    if search.case_type:
        cases = cases.filter(case_type=search.case_type)
    return cases


def matching_parties(search: CaseSearch) -> Q:
    condition = Q()
    for term in (search.last_name, search.first_name):
        if term.strip():
            condition &= _word_match(term.strip())
    return condition


def party_query(user: Account, court: Court, search: CaseSearch) -> QuerySet[Party]:
    """The parties of visible cases of `court` whose names match `search`."""
    cases = _filtered(visible_cases(user, court), search)
    return (
        Party.objects.annotate(padded_name=PADDED_NAME)
        .filter(matching_parties(search))
        .filter(case__in=cases)
        .select_related("case")
        .order_by("case__year", "case__sequence", "case_id", "id")
    )


def search_cases(user: Account, court: Court, search: CaseSearch) -> list[CaseResult]:
    """The visible cases of `court` that meet `search`, with the party names that matched."""
    if search.by_number:
        cases = _filtered(visible_cases(user, court), search)
        found = case_numbers.resolve(search.case_number, cases) or []
        return [CaseResult(case) for case in found]
    results: dict[int, CaseResult] = {}
    for party in party_query(user, court, search)[: MAX_RESULTS * 4]:
        result = results.setdefault(party.case_id, CaseResult(party.case))
        if party.name not in result.party_names:
            result.party_names.append(party.name)
        if len(results) >= MAX_RESULTS:
            break
    return list(results.values())


# --- the docket report ---------------------------------------------------------


@dataclass(frozen=True)
class DocketOptions:
    """The Docket Report's options, with CM/ECF's parameter names in the form."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    date_range_type: str = "Filed"  # or "Entered"
    number_from: int | None = None
    number_to: int | None = None
    parties_and_counsel: bool = True
    terminated_parties: bool = True
    sort: str = "oldest date first"  # or "most recent date first", "document number"

    def criteria(self, case: Case) -> str:
        start = self.date_from.strftime("%-m/%-d/%Y") if self.date_from else "1/1/1970"
        end = self.date_to.strftime("%-m/%-d/%Y") if self.date_to else ""
        text = f"{case.number} Start date: {start} End date: {end}".rstrip()
        if self.number_from is not None:
            text += f" Starting with document: {self.number_from}"
        if self.number_to is not None:
            text += f" Ending with document: {self.number_to}"
        return text


def _report_entries(user: Account, case: Case, options: DocketOptions) -> QuerySet[DocketEntry]:
    return _in_range(visible_entries(user, case), options)


def _in_range(entries: QuerySet[DocketEntry], options: DocketOptions) -> QuerySet[DocketEntry]:
    field_name = "date_entered__date" if options.date_range_type == "Entered" else "date_filed"
    if options.date_from:
        entries = entries.filter(**{f"{field_name}__gte": options.date_from})
    if options.date_to:
        entries = entries.filter(**{f"{field_name}__lte": options.date_to})
    if options.number_from is not None:
        entries = entries.filter(number__gte=options.number_from)
    if options.number_to is not None:
        entries = entries.filter(number__lte=options.number_to)
    if options.sort == "most recent date first":
        entries = entries.order_by("-date_filed", "-number")
    elif options.sort == "document number":
        entries = entries.order_by("number")
    else:
        entries = entries.order_by("date_filed", "number")
    return entries


def docket_entries(user: Account, case: Case, options: DocketOptions) -> list[DocketEntry]:
    """The entries the report lists: visible ones in the range asked, with their
    documents (attachments too), in a fixed number of queries whatever the count."""
    return list(
        _report_entries(user, case, options).prefetch_related(
            Prefetch("documents", queryset=Document.objects.order_by("number"))
        )
    )


@dataclass(frozen=True, slots=True)
class ReportEntry:
    """One row of the docket report: what it shows of an entry and its documents
    ((row id, number, description) each, by number; the main document is number 0)."""

    pk: int
    number: int
    date_filed: dt.date
    date_entered: dt.date  # the day in the current time zone, as the report shows it
    text: str
    documents: list[tuple[int, int, str]]


def _report_rows(entries: QuerySet[DocketEntry]) -> QuerySet:
    """Each entry joined to each of its documents (or to none), documents by number.
    The day of entry is taken in the current time zone by PostgreSQL: the report shows
    only the day, and a timestamp with time zone is read in Python (Django's own loader,
    ~10 times a date's cost), once per row of a report of thousands."""
    return entries.order_by(*entries.query.order_by, "documents__number").values_list(
        "pk",
        "number",
        "date_filed",
        TruncDate("date_entered"),
        "text",
        "documents__pk",
        "documents__number",
        "documents__description",
    )


def _rows_query(sealed_too: bool, by_entered: bool, dates: tuple[bool, bool], sort: str):
    """The report's rows of one case (argument: its id, then the dates given), for
    Precompiled: one query shape per visibility, date options and order."""

    def build(case_id: int, *given: dt.date) -> QuerySet:
        entries = DocketEntry.objects.filter(case_id=case_id).order_by("number")
        if not sealed_too:
            entries = entries.filter(sealed=False)
        bounds = iter(given)
        options = DocketOptions(
            date_from=next(bounds) if dates[0] else None,
            date_to=next(bounds) if dates[1] else None,
            date_range_type="Entered" if by_entered else "Filed",
            sort=sort,
        )
        return _report_rows(_in_range(entries, options))

    return build


_ROWS_QUERIES: dict[tuple, Precompiled[tuple]] = {}


def docket_report_entries(user: Account, case: Case, options: DocketOptions) -> list[ReportEntry]:
    """docket_entries' rows with only what the report shows, entries and documents in
    ONE query (an entry joined to each of its documents, or to none) and no model
    instances: the report of a 5,000-entry case reads 10,000 rows. Without a document
    number range (PositiveIntegerField bounds the ORM checks against the values), its
    SQL is compiled once per process for each shape of the options."""
    if options.number_from is not None or options.number_to is not None:
        rows = list(_report_rows(_report_entries(user, case, options)))
    else:
        sealed_too = can_see_sealed(user, case)
        if case.sealed and not sealed_too:
            return []
        dates = (options.date_from is not None, options.date_to is not None)
        shape = (sealed_too, options.date_range_type == "Entered", dates, options.sort)
        # A date of entry is the day in the current time zone, a parameter of the SQL.
        key = (*shape, timezone.get_current_timezone_name())
        query = _ROWS_QUERIES.get(key)
        if query is None:
            kinds = [int] + [dt.date] * sum(dates)
            query = _ROWS_QUERIES[key] = Precompiled[tuple](_rows_query(*shape), *kinds)
        given = [d for d in (options.date_from, options.date_to) if d is not None]
        rows = query.all(case.pk, *given)
    entries: list[ReportEntry] = []
    last = None
    for pk, number, filed, entered, text, doc_pk, doc_number, description in rows:
        if last is None or last.pk != pk:
            last = ReportEntry(pk, number, filed, entered, text, [])
            entries.append(last)
        if doc_pk is not None:
            last.documents.append((doc_pk, doc_number, description))
    return entries


def parties_and_counsel(case: Case, *, terminated: bool = True) -> list[Party]:
    """The case's parties in order with aliases and attorneys of record (their CM/ECF
    accounts), in a fixed number of queries."""
    parties = case.parties.order_by("id")
    if not terminated:
        parties = parties.filter(date_terminated__isnull=True)
    representations = Representation.objects.select_related("filer").order_by("id")
    if not terminated:
        representations = representations.filter(date_terminated__isnull=True)
    return list(
        parties.prefetch_related("aliases", Prefetch("representations", queryset=representations))
    )


def _report_parties(case_id: int, terminated: bool) -> QuerySet[Party]:
    """A case's parties in order, each with whether it has aliases and attorneys of
    record (so the report asks for them only when some exist)."""
    parties = Party.objects.filter(case_id=case_id).order_by("id")
    representations = Representation.objects.filter(party=OuterRef("pk"))
    if not terminated:
        parties = parties.filter(date_terminated__isnull=True)
        representations = representations.filter(date_terminated__isnull=True)
    return parties.annotate(
        has_aliases=Exists(PartyAlias.objects.filter(party=OuterRef("pk"))),
        has_counsel=Exists(representations),
    )


# The docket report asks it every time: its SQL is compiled once per process.
_REPORT_PARTIES = {
    terminated: Precompiled[Party](
        lambda case_id, terminated=terminated: _report_parties(case_id, terminated), int
    )
    for terminated in (False, True)
}


def report_parties(case: Case, *, terminated: bool = True) -> list[Party]:
    """parties_and_counsel for the docket report: the same parties, aliases and attorneys
    in order, in one query when no party has an alias or an attorney of record (then
    one more for each of those that some party has)."""
    parties = _REPORT_PARTIES[terminated].all(case.pk)
    aliases: dict[int, list[PartyAlias]] = {p.pk: [] for p in parties}
    counsel: dict[int, list[Representation]] = {p.pk: [] for p in parties}
    with_aliases = [p.pk for p in parties if p.has_aliases]  # type: ignore[attr-defined]
    if with_aliases:
        for alias in PartyAlias.objects.filter(party_id__in=with_aliases).order_by("id"):
            aliases[alias.party_id].append(alias)
    with_counsel = [p.pk for p in parties if p.has_counsel]  # type: ignore[attr-defined]
    if with_counsel:
        representations = Representation.objects.filter(party_id__in=with_counsel)
        if not terminated:
            representations = representations.filter(date_terminated__isnull=True)
        for representation in representations.select_related("filer").order_by("id"):
            counsel[representation.party_id].append(representation)
    for party in parties:
        # What prefetch_related leaves: `party.aliases.all()` answers from it (the
        # report's template only iterates them).
        party._prefetched_objects_cache = {  # type: ignore[attr-defined]
            "aliases": aliases[party.pk],
            "representations": counsel[party.pk],
        }
    return parties


def last_filing(user: Account, case: Case) -> dt.date | None:
    entry = visible_entries(user, case).order_by("-date_filed").first()
    return entry.date_filed if entry else None


def associated_cases(user: Account, court: Court, case: Case) -> list[Case]:
    """Adversary proceedings of a bankruptcy case, or the main case of one (visible only)."""
    visible = visible_cases(user, court)
    if case.main_case_id:
        return list(visible.filter(pk=case.main_case_id))
    return list(visible.filter(main_case=case))


# --- written opinions ----------------------------------------------------------


def written_opinions(
    user: Account, court: Court, date_from: dt.date, date_to: dt.date
) -> list[DocketEntry]:
    """Entries of events court staff mark as written opinions, filed in the range, with
    a main document, in visible cases and not sealed (this report is public: sealed
    opinions stay out even for those who may see them elsewhere)."""
    cases = visible_cases(user, court).filter(sealed=False)
    return list(
        DocketEntry.objects.filter(
            case__in=cases,
            sealed=False,
            event__is_opinion=True,
            date_filed__gte=date_from,
            date_filed__lte=date_to,
        )
        .filter(Exists(Document.objects.filter(entry=OuterRef("pk"), number=0)))
        .select_related("case")
        .prefetch_related(Prefetch("documents", queryset=Document.objects.filter(number=0)))
        .order_by("date_filed", "case__year", "case__sequence", "number")
    )


# --- documents -----------------------------------------------------------------

# PACER-shaped document ids (doc1 links) live in dockets, where NEFs and the feed use them too.
from nextgen.dockets.doc_ids import doc_id as doc_id  # noqa: E402
from nextgen.dockets.doc_ids import document_pk as document_pk  # noqa: E402


def is_bankruptcy(case: Case) -> bool:
    return case.case_type in BANKRUPTCY_TYPES


def may_see_sealed(user: Account, case: Case) -> bool:
    return can_see_sealed(user, case)
