"""A Precompiled query (nextgen.precompiled) answers what its ORM queryset answers, for
any arguments, although its SQL is built once (issue 14: the pages' hot queries)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Exists, OuterRef, Sum
from django.urls import reverse

from nextgen.ecf.models import Court, FilerAccount
from nextgen.fees.models import DailyTotal
from nextgen.precompiled import Precompiled
from nextgen.signon.models import Account
from tests.factories import AccountFactory, CourtFactory, FilerAccountFactory

pytestmark = pytest.mark.django_db


def _court_linked(code: str, account_id: int):
    return Court.objects.filter(code=code).annotate(
        linked=Exists(FilerAccount.objects.filter(court=OuterRef("pk"), account_id=account_id))
    )


COURT_LINKED = Precompiled(_court_linked, str, int)


def test_a_model_row_with_its_annotation_follows_each_calls_arguments():
    ctd, nyd = CourtFactory(code="ctd"), CourtFactory(code="nyd")
    filer, other = AccountFactory(), AccountFactory()
    FilerAccountFactory(court=ctd, account=filer)

    found = COURT_LINKED.first("ctd", filer.pk)
    assert (found.pk, found.name, found.linked) == (ctd.pk, ctd.name, True)
    assert COURT_LINKED.first("ctd", other.pk).linked is False
    assert COURT_LINKED.first("nyd", filer.pk).pk == nyd.pk
    assert COURT_LINKED.first("nyd", filer.pk).linked is False
    assert COURT_LINKED.first("none", filer.pk) is None


def test_a_loaded_row_is_a_saved_instance_of_its_model():
    account = AccountFactory(first_name="Pat")
    loaded = Precompiled(lambda pk: Account.objects.filter(pk=pk), int).first(account.pk)
    assert loaded == account and loaded.first_name == "Pat"
    assert loaded._state.adding is False


def test_a_values_row_with_dates_sums_only_the_days_asked_for():
    account = AccountFactory()
    for day, cost in ((dt.date(2026, 1, 5), "1.50"), (dt.date(2026, 2, 1), "2.25")):
        DailyTotal.objects.create(account=account, day=day, cost=Decimal(cost))
    total = Precompiled(
        lambda pk, first, last: (
            DailyTotal.objects.filter(account_id=pk, day__gte=first, day__lte=last)
            .values("account")
            .annotate(total=Sum("cost"))
            .values("total")
        ),
        int,
        dt.date,
        dt.date,
    )
    assert total.first(account.pk, dt.date(2026, 1, 1), dt.date(2026, 3, 31)) == {
        "total": Decimal("3.75")
    }
    assert total.first(account.pk, dt.date(2026, 1, 1), dt.date(2026, 1, 31)) == {
        "total": Decimal("1.50")
    }


def test_all_gives_every_row_in_order_as_instances_dicts_or_tuples():
    account = AccountFactory()
    for day in (dt.date(2026, 1, 5), dt.date(2026, 2, 1), dt.date(2026, 3, 9)):
        DailyTotal.objects.create(account=account, day=day, cost=Decimal("1.00"))

    def days(pk, first):
        return DailyTotal.objects.filter(account_id=pk, day__gte=first).order_by("-day")

    since = dt.date(2026, 2, 1)
    rows = Precompiled(days, int, dt.date).all(account.pk, since)
    assert [r.day for r in rows] == [dt.date(2026, 3, 9), since]
    assert rows == list(days(account.pk, since))
    dicts = Precompiled(lambda pk, first: days(pk, first).values("day"), int, dt.date)
    assert dicts.all(account.pk, since) == [{"day": dt.date(2026, 3, 9)}, {"day": since}]
    tuples = Precompiled(lambda pk, first: days(pk, first).values_list("day"), int, dt.date)
    assert tuples.all(account.pk, since) == [(dt.date(2026, 3, 9),), (since,)]
    assert tuples.all(account.pk, dt.date(2027, 1, 1)) == []


def test_an_argument_the_sql_never_receives_is_refused():
    ignores_code = Precompiled(lambda code: Court.objects.all(), str)
    with pytest.raises(ValueError, match="does not reach the SQL"):
        ignores_code.first("ctd")


def test_djangos_authenticate_checks_no_password_sign_in_alone_does(password):
    """No password check outside NextGen's throttled, audited sign-in: Django's own
    authenticate() (ModelBackend's, once listed second) finds nobody, right password or not."""
    from django.contrib.auth import authenticate

    account = AccountFactory()
    assert account.check_password(password)
    assert authenticate(username=account.username, password=password) is None


def test_a_signed_in_request_reads_its_account_through_the_account_backend(client):
    account = AccountFactory()
    client.force_login(account)
    assert client.session["_auth_user_backend"] == "nextgen.signon.backends.AccountBackend"
    assert client.get(reverse("signon:manage")).wsgi_request.user == account


@pytest.mark.parametrize("args", [("ctd",), ("ctd", None), ("ctd", "7"), ("ctd", 7, 8)])
def test_a_call_with_other_arguments_than_it_was_compiled_for_is_refused(args):
    # None would have been IS NULL in the ORM's SQL; the compiled SQL must never run it.
    with pytest.raises(TypeError):
        COURT_LINKED.first(*args)


def _orm_insert(obj, connection):
    """What the ORM's save() would send for `obj` (Django's InsertQuery)."""
    from django.db.models.sql import InsertQuery

    meta = obj._meta
    query = InsertQuery(type(obj))
    query.insert_values(
        [f for f in meta.local_concrete_fields if not (f.primary_key and f.auto_created)], [obj]
    )
    [(_, params)] = query.get_compiler(connection=connection).as_sql()
    return list(params)


def test_an_insert_statement_sends_what_the_orms_save_would_and_inserts_the_row():
    import copy

    from django.db import connection
    from django.utils import timezone

    from nextgen.audit.models import Event
    from nextgen.fees.models import Transaction
    from nextgen.fees.rules import schedule_on
    from nextgen.precompiled import insert_statement

    account, court = AccountFactory(), CourtFactory()
    now = timezone.now()
    objects = [
        Event(action="login", outcome="success", actor=account, subject=account,
              client_ip="::1", details={"via": "page", "n": 1}, prev_hash="a", hash="b"),
        Transaction(account=account, court=court, created_at=now, description="Docket Report",
                    criteria="3:26-cv-1", kind="report", billable_pages=3,
                    cost=Decimal("0.30"), schedule=schedule_on(now.date())),
    ]  # fmt: skip
    for obj in objects:
        sql, params = insert_statement(copy.copy(obj), connection, returning=True)
        plain = [getattr(p, "obj", p) for p in params]  # JSON adapters: their values
        assert plain == [getattr(p, "obj", p) for p in _orm_insert(copy.copy(obj), connection)]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            (pk,) = cursor.fetchone()
        assert type(obj).objects.filter(pk=pk).exists()
