"""Charges at once, on PostgreSQL: 20 charges of one account on one new day and client
code, released together, all land in the day's total (the first inserts race on the
unique (account, day, client code) row); two requests to one court at once make one."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Sum

from nextgen.audit.services import SYSTEM
from nextgen.fees import actions
from nextgen.fees.models import DailyTotal, ExemptionRequest, Transaction
from tests.dockets.factories import district_court
from tests.factories import AccountFactory

from .factories import charge

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]
N = 20


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL (CI sets DATABASE_URL)")


def together(work, n: int = N) -> list:
    barrier = threading.Barrier(n, timeout=60)
    results: list = [None] * n

    def run(i: int) -> None:
        try:
            connection.ensure_connection()
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:  # surfaced by the assertions
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return results


def test_simultaneous_charges_all_count_in_the_days_total():
    court = district_court("ctd")
    reader = AccountFactory()
    results = together(lambda i: charge(reader, court, client_code="same", pdf_pages=i + 1))
    assert all(isinstance(r, Transaction) for r in results), results
    # The day's total is the sum of its shards' rows (one per database session's shard).
    day = DailyTotal.objects.filter(account=reader).aggregate(n=Sum("count"), c=Sum("cost"))
    expected = Transaction.objects.filter(account=reader).aggregate(c=Sum("cost"))["c"]
    assert (day["n"], day["c"]) == (N, expected)
    assert expected == Decimal("0.10") * sum(min(i + 1, 30) for i in range(N))


def test_simultaneous_requests_to_one_court_make_one():
    court = district_court("ctd")
    reader = AccountFactory()
    results = together(
        lambda i: actions.request_exemption(
            acting=reader, court=court, category="indigent", reason=f"try {i}", request=None
        ),
        n=8,
    )
    assert sum(isinstance(r, ExemptionRequest) for r in results) == 1
    assert all(isinstance(r, ExemptionRequest | ValidationError) for r in results), results
    assert ExemptionRequest.objects.count() == 1


def test_a_charge_made_while_the_totals_are_rebuilt_still_counts(monkeypatch):
    """rebuild_daily_totals reads the charges and rewrites the totals: a charge that
    commits in between must not be left out of its day's total."""
    from nextgen.fees import rules

    court = district_court("ctd")
    reader = AccountFactory()
    charge(reader, court, client_code="same", pdf_pages=1)
    reading, go_on = threading.Event(), threading.Event()
    real_us_day = rules.us_day

    def paused(at):  # the rebuild stops at its first charge read
        if not reading.is_set():
            reading.set()
            go_on.wait(30)
        return real_us_day(at)

    monkeypatch.setattr(rules, "us_day", paused)
    errors: list[Exception] = []

    def in_thread(work):
        def run() -> None:
            try:
                work()
            except Exception as exc:  # surfaced by the assertions
                errors.append(exc)
            finally:
                connection.close()

        thread = threading.Thread(target=run)
        thread.start()
        return thread

    rebuild = in_thread(lambda: actions.rebuild_daily_totals(acting=SYSTEM, account=reader))
    assert reading.wait(30)
    charging = in_thread(lambda: charge(reader, court, client_code="same", pdf_pages=2))
    # The charge either finishes or waits for the rebuild's lock; then the rebuild goes on.
    for _ in range(100):
        charging.join(0.05)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            waiting = cursor.fetchone()[0]
        if not charging.is_alive() or waiting:
            break
    go_on.set()
    rebuild.join(60)
    charging.join(60)
    assert errors == []
    day = DailyTotal.objects.filter(account=reader).aggregate(n=Sum("count"), c=Sum("cost"))
    expected = Transaction.objects.filter(account=reader).aggregate(c=Sum("cost"))["c"]
    assert (day["n"], day["c"]) == (2, expected)
