"""Figures 13 and 14 of `make bench`: the PACER access pages (nextgen.records).

- 13. Party search: a wildcard name search (Query, `Quil*`) in a court with 1,000,000
  parties against one with 1,000 (x BENCH_SCALE), median of interleaved repetitions of
  the selector the Query page runs. Goal <= 1.5x, answered through the pg_trgm GIN
  index on UPPER(name) (records migration 0001): the EXPLAIN plan is printed and must
  name the index. Both courts hold the same few matching parties; the rest are names
  that never match, so the ratio measures the search, not the size of the answer.
- 14. Docket report: a 5,000-entry case against a 50-entry case, through the whole
  stack (Django's test client POSTing DktRpt.pl): the number of SQL queries must be
  equal (prefetching, no query per entry); request times are reported alongside.

Bench data is written with COPY (parties) and bulk_create (entries, documents).
"""

from __future__ import annotations

import io
import random
import statistics
import time

SYLLABLES = ["ba", "do", "ke", "mo", "ra", "ti", "ve", "zu", "pe", "lo", "na", "gri"]
MATCH = "Quilldrift"  # the only names with "QUIL": the same few in each court
MATCHES_PER_COURT = 5
CASES_PER_COURT = 200


def _name(rng: random.Random) -> str:
    def word() -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).title()

    return f"{word()} {word()}"


def _court(code: str):
    import datetime as dt

    from nextgen.ecf.models import Court

    court, _ = Court.objects.get_or_create(
        code=code,
        defaults={
            "name": f"Bench Court {code}",
            "kind": "district",
            "go_live": dt.date(2020, 1, 1),
        },
    )
    return court


def _reader():
    from nextgen.signon.models import Account

    account, _ = Account.objects.get_or_create(
        username="bench.records.reader",
        defaults={"first_name": "Rita", "last_name": "Reader", "email": "rita@example.com"},
    )
    return account


def _cases(court, count: int) -> list[int]:
    from nextgen.dockets.models import Case

    Case.objects.bulk_create(
        [
            Case(court=court, case_type="cv", office=1, year=26, sequence=i + 1, title=f"Case {i}")
            for i in range(count)
        ],
        batch_size=1000,
    )
    return list(Case.objects.filter(court=court).values_list("pk", flat=True))


def _copy_parties(court, parties: int, seed: int) -> None:
    """`parties` parties spread over the court's cases, by COPY; MATCHES_PER_COURT of them
    named Quilldrift."""
    from django.db import connection
    from django.utils import timezone

    rng = random.Random(seed)
    case_ids = _cases(court, CASES_PER_COURT)
    now = timezone.now().isoformat()
    buffer = io.StringIO()
    for i in range(parties):
        name = f"Anna {MATCH}" if i % max(parties // MATCHES_PER_COURT, 1) == 0 else _name(rng)
        buffer.write(f"{case_ids[i % len(case_ids)]}\t{name}\tDefendant\t\\N\t{now}\n")
    buffer.seek(0)
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(
            "COPY dockets_party (case_id, name, role, date_terminated, created_at) FROM STDIN"
        ) as copy:
            while chunk := buffer.read(1 << 20):
                copy.write(chunk)
        cursor.execute("ANALYZE dockets_party")
        cursor.execute("ANALYZE dockets_case")


def fig_party_search(*, smoke: bool, scale: float) -> tuple[dict, str]:
    from nextgen.records import selectors

    big_n = 20_000 if smoke else max(int(1_000_000 * scale), 10_000)
    small_n = 1_000
    reps = 5 if smoke else 21
    small, big = _court("benchrs"), _court("benchrb")
    started = time.perf_counter()
    _copy_parties(small, small_n, 1)
    _copy_parties(big, big_n, 2)
    load_seconds = time.perf_counter() - started
    reader = _reader()
    search = selectors.CaseSearch(last_name="Quil*")

    def timed(court) -> float:
        t = time.perf_counter()
        results = selectors.search_cases(reader, court, search)
        elapsed = time.perf_counter() - t
        if not results:
            raise RuntimeError("the bench search found nothing")
        return elapsed

    timed(small), timed(big)  # warm-up
    times: dict[str, list[float]] = {"small": [], "big": []}
    for _ in range(reps):
        times["small"].append(timed(small))
        times["big"].append(timed(big))
    small_ms, big_ms = (statistics.median(times[k]) * 1000 for k in ("small", "big"))
    ratio = big_ms / small_ms
    plan = selectors.party_query(reader, big, search)[: selectors.MAX_RESULTS * 4].explain()
    index_used = "records_party_name_trgm" in plan
    print(f"\nEXPLAIN of the party search ({big_n:,} parties):\n{plan}\n", flush=True)
    row = {
        "figure": "14. Party search",
        "measured": f"{big_n:,} parties {big_ms:.1f} ms",
        "baseline": f"{small_n:,} parties {small_ms:.1f} ms",
        "ratio": ratio,
        "goal": "<= 1.5x, index used",
        "met": ratio <= 1.5 and index_used,
        "detail": {
            "repetitions": reps,
            "load_seconds": load_seconds,
            "index_used": index_used,
            "plan": plan,
        },
    }
    text = (
        "### Figure 14. Party search\n\n"
        f"Wildcard name search `Quil*` with {big_n:,} parties vs {small_n:,}: "
        f"{big_ms:.1f} ms vs {small_ms:.1f} ms (median of {reps}), ratio {ratio:.2f}; "
        f"the pg_trgm index {'is' if index_used else 'is NOT'} used.\n\n"
        f"```\n{plan}\n```\n"
    )
    return row, text


def _docket_case(court, account, entries: int):
    """A case with `entries` entries, each with a main document and one attachment."""
    from django.utils import timezone

    from nextgen.dockets.models import Case, DocketEntry, Document, Party

    case = Case.objects.create(
        court=court,
        case_type="cv",
        office=1,
        year=26,
        sequence=Case.objects.filter(court=court).count() + 1,
        title=f"Doe v. Bench {entries}",
        last_entry_number=entries,
        judge="Judge Ann Bench",
    )
    Party.objects.create(case=case, name="Jane Doe", role="Plaintiff")
    Party.objects.create(case=case, name="Bench Corp.", role="Defendant")
    now = timezone.now()
    DocketEntry.objects.bulk_create(
        [
            DocketEntry(case=case, number=n, text=f"NOTICE {n} by Jane Doe.", date_entered=now)
            for n in range(1, entries + 1)
        ],
        batch_size=2000,
    )
    docs = []
    for pk in DocketEntry.objects.filter(case=case).values_list("pk", flat=True):
        docs.append(Document(entry_id=pk, number=0, file="documents/none.pdf", page_count=2))
        docs.append(
            Document(
                entry_id=pk,
                number=1,
                file="documents/none.pdf",
                page_count=1,
                description="Exhibit",
            )
        )
    Document.objects.bulk_create(docs, batch_size=5000)
    return case


def fig_docket_report(*, smoke: bool, scale: float) -> tuple[dict, str]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    big_n = 500 if smoke else max(int(5_000 * scale), 500)
    small_n = 50
    reps = 3 if smoke else 9
    court = _court("benchdr")
    reader = _reader()
    small, big = _docket_case(court, reader, small_n), _docket_case(court, reader, big_n)
    client = Client()
    client.force_login(reader)
    url = f"/ecf/{court.code}/cgi-bin/DktRpt.pl"

    def run(case) -> tuple[float, int]:
        with CaptureQueriesContext(connection) as queries:
            t = time.perf_counter()
            response = client.post(
                url,
                {
                    "all_case_ids": case.pk,
                    "list_of_parties_and_counsel": "on",
                    "terminated_parties": "on",
                },
            )
            elapsed = time.perf_counter() - t
        if response.status_code != 200:
            raise RuntimeError(f"docket report answered {response.status_code}")
        return elapsed, len(queries)

    run(small), run(big)  # warm-up
    times: dict[str, list[float]] = {"small": [], "big": []}
    counts: dict[str, int] = {}
    for _ in range(reps):
        for label, case in (("small", small), ("big", big)):
            elapsed, count = run(case)
            times[label].append(elapsed)
            counts[label] = count
    small_ms, big_ms = (statistics.median(times[k]) * 1000 for k in ("small", "big"))
    equal = counts["small"] == counts["big"]
    row = {
        "figure": "15. Docket report",
        "measured": f"{big_n:,} entries: {counts['big']} queries, {big_ms:.0f} ms",
        "baseline": f"{small_n} entries: {counts['small']} queries, {small_ms:.0f} ms",
        "ratio": counts["big"] / counts["small"],
        "goal": "query counts equal",
        "met": equal,
        "detail": {"repetitions": reps, "queries": counts, "small_ms": small_ms, "big_ms": big_ms},
    }
    text = (
        "### Figure 15. Docket report\n\n"
        f"DktRpt.pl of a {big_n:,}-entry case vs a {small_n}-entry case: "
        f"{counts['big']} vs {counts['small']} SQL queries "
        f"({'equal' if equal else 'NOT equal'}); {big_ms:.0f} ms vs {small_ms:.0f} ms "
        f"(median of {reps}).\n"
    )
    return row, text


if __name__ == "__main__":  # pragma: no cover - run through bench/run.py
    raise SystemExit("run: .venv/bin/python bench/run.py --only 14,15")
