"""Figure 12: Review Billing History's first page, for an account with 100,000 charges
against one with 100 (goal <= 1.2x). Run by bench/run.py (figure 12) in its throwaway
PostgreSQL database, in process, through the whole WSGI stack (Django's test client).

The charges are spread over a year and seven client codes, like a busy firm member's;
the daily totals are rebuilt from them as the charge action keeps them. The figure
also shows the first page's query plan (the (account, created_at) index, no sort of the
account's rows) and the query counts of both pages (equal).
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from decimal import Decimal


def _rows(account, court, n: int, schedule) -> None:
    from django.utils import timezone

    from nextgen.fees.models import Kind, Transaction

    now = timezone.now()
    step = dt.timedelta(days=365) / max(n, 1)
    batch = []
    for i in range(n):
        batch.append(
            Transaction(
                account=account,
                court=court,
                created_at=now - step * i,
                client_code=f"matter-{i % 7}",
                description=f"Image {i % 900 + 1}-0",
                criteria=f"3:26-cv-{i % 5000:05d}",
                kind=Kind.DOCUMENT,
                billable_pages=i % 30 + 1,
                cost=Decimal(i % 30 + 1) / 10,
                schedule=schedule,
            )
        )
        if len(batch) == 5000:
            Transaction.objects.bulk_create(batch)
            batch = []
    Transaction.objects.bulk_create(batch)


def _medians_ms(clients: dict, url: str, reps: int) -> dict[str, float]:
    """Median time of `url` for each client, the clients taking turns, so the machine's
    load (shared with other work) falls on both alike."""
    for client in clients.values():
        for _ in range(3):
            client.get(url)
    times: dict[str, list[float]] = {label: [] for label in clients}
    for _ in range(reps):
        for label, client in clients.items():
            started = time.perf_counter()
            response = client.get(url)
            times[label].append(time.perf_counter() - started)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
    return {label: statistics.median(t) * 1000 for label, t in times.items()}


def fig_billing(*, smoke: bool, scale: float, make_court, bulk_accounts, log) -> tuple[dict, str]:
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from nextgen.audit.services import SYSTEM
    from nextgen.fees.actions import rebuild_daily_totals
    from nextgen.fees.rules import schedule_on

    big_n = 2_000 if smoke else max(1_000, int(100_000 * scale))
    small_n = 100
    reps = 5 if smoke else 60
    court = make_court("feesb")
    small, big = bulk_accounts("feesacct", 2, make_password("Bench#Fees2026"))
    schedule = schedule_on(dt.date.today())
    started = time.perf_counter()
    _rows(small, court, small_n, schedule)
    _rows(big, court, big_n, schedule)
    days = rebuild_daily_totals(acting=SYSTEM, account=small) + rebuild_daily_totals(
        acting=SYSTEM, account=big
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE fees_transaction; ANALYZE fees_dailytotal")
    gen = time.perf_counter() - started
    log(f"figure 12: {big_n:,} + {small_n} charges, {days} daily totals in {gen:.1f} s")

    url = reverse("fees:billing")
    clients = {}
    for label, account in (("small", small), ("big", big)):
        clients[label] = Client()
        clients[label].force_login(account)
    results = _medians_ms(clients, url, reps)
    by_code = _medians_ms(clients, f"{url}?sort=client_code", reps)
    results.update({f"{label}_by_code": ms for label, ms in by_code.items()})
    queries, plans = {}, {}
    for label, client in clients.items():
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        queries[label] = len(ctx.captured_queries)
        page_sql = next(
            q["sql"]
            for q in ctx.captured_queries
            if q["sql"].split(" FROM ")[1].startswith('"fees_transaction"') and "LIMIT" in q["sql"]
        )
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {page_sql}")
            plans[label] = "\n".join(r[0] for r in cursor.fetchall())
    ratio = results["big"] / results["small"]
    code_ratio = results["big_by_code"] / results["small_by_code"]
    indexed = "fees_tx_account_time" in plans["big"]
    row = {
        "figure": "12. Billing history",
        "measured": f"{results['big']:.1f} ms ({big_n:,} charges)",
        "baseline": f"{results['small']:.1f} ms ({small_n} charges)",
        "ratio": ratio,
        "goal": "<= 1.2x, index",
        "met": ratio <= 1.2 and indexed and queries["big"] == queries["small"],
        "detail": {
            "medians_ms": results,
            "by_client_code_ratio": code_ratio,
            "queries": queries,
            "daily_total_rows": days,
            "generation_seconds": gen,
            "repetitions": reps,
        },
    }
    text = "\n".join(
        [
            "### Figure 12: billing history",
            "",
            f"Review Billing History's first page (100 rows, totals per client code), median "
            f"of {reps} GETs each, taking turns, through the WSGI stack: {small_n} charges "
            f"{results['small']:.2f} ms, {big_n:,} charges {results['big']:.2f} ms "
            f"({ratio:.2f}x); sorted by client code {results['small_by_code']:.2f} → "
            f"{results['big_by_code']:.2f} ms "
            f"({code_ratio:.2f}x). Queries per page: {queries['small']} and {queries['big']}. "
            "Totals and the page count come from the daily totals (fees_dailytotal), the "
            "rows from the (account, created_at) index; no COUNT(*) over the charges.",
            "",
            "First page's plan, big account:",
            "",
            "```",
            plans["big"],
            "```",
            "",
        ]
    )
    return row, text
