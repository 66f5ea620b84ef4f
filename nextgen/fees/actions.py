"""Writes of the fees app: charging an access, exemptions and their requests, a firm's
billing settings. Keyword-only, with the acting account; each write and its audit event
in one transaction."""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, QuerySet, Subquery
from django.http import HttpRequest
from django.utils import timezone

from nextgen.audit.models import Action
from nextgen.audit.services import SystemActor, record
from nextgen.ecf.models import Court
from nextgen.ecf.permissions import is_court_staff
from nextgen.precompiled import Precompiled, insert_statement
from nextgen.signon.flows.login import current_client_code
from nextgen.signon.models import Account, Paa, PaaMembership

from . import notices, rules
from .context_processors import forget as forget_waiver_line
from .context_processors import remember_waiver_status
from .models import (
    DAILY_TOTAL_SHARDS,
    Category,
    DailyTotal,
    Exemption,
    ExemptionRequest,
    FeeSchedule,
    PaaFeeSettings,
    Transaction,
)
from .selectors import WaiverStatus, money


class ChargeOutsideTransaction(RuntimeError):
    """A programming error: a charge must commit or roll back with its access."""


class FeeRefusal(Exception):
    """An access refused for a billing reason; `message` is for the user (notices.py)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class ClientCodeRequired(FeeRefusal):
    """The account's firm (PAA) requires a client code and none is in force."""

    def __init__(self) -> None:
        super().__init__(notices.CLIENT_CODE_REQUIRED, "client_code_required")


# --- charging ------------------------------------------------------------------------------


def _in_callers_transaction() -> bool:
    # A test's own wrapping blocks (pytest-django marks them _from_testcase) do not count:
    # the code under test must open its own, as it does in production.
    connection = transaction.get_connection()
    return connection.in_atomic_block and not all(
        getattr(block, "_from_testcase", False) for block in connection.atomic_blocks
    )


def _exemptions_covering(account_id: int, court_id: int, day: dt.date) -> QuerySet[Exemption]:
    """The account's unrevoked exemptions at the court covering `day`, soonest end first."""
    return Exemption.objects.filter(
        account_id=account_id,
        court_id=court_id,
        revoked_at__isnull=True,
        starts_on__lte=day,
        ends_on__gte=day,
    ).order_by("ends_on")


def active_exemption(*, account: Account, court: Court, day: dt.date) -> Exemption | None:
    """The account's exemption at `court` covering `day` (a day at the court), if any."""
    return _exemptions_covering(account.pk, court.pk, day).first()


def requires_client_code(account: Account) -> bool:
    """Whether the firm paying for `account` (its active PAA) requires a client code."""
    return PaaFeeSettings.objects.filter(
        require_client_code=True,
        paa__memberships__account=account,
        paa__memberships__status=PaaMembership.Status.ACTIVE,
    ).exists()


def _charge_facts(account_id: int, court_id: int, us_day: dt.date, local_day: dt.date):
    """The schedule row in force on `us_day`, with the account's exemption at the court
    on `local_day` (its id) and whether its firm requires a client code: what pricing an
    access asks, in one query."""
    exemption = _exemptions_covering(account_id, court_id, local_day).values("pk")[:1]
    code_required = PaaFeeSettings.objects.filter(
        require_client_code=True,
        paa__memberships__account_id=account_id,
        paa__memberships__status=PaaMembership.Status.ACTIVE,
    )
    return (
        FeeSchedule.objects.filter(effective_from__lte=us_day)
        .order_by("-effective_from")
        .annotate(account_exemption=Subquery(exemption), code_required=Exists(code_required))[:1]
    )


# Every charged page asks it: its SQL is compiled once per process (nextgen.precompiled).
_CHARGE_FACTS = Precompiled[FeeSchedule](_charge_facts, int, int, dt.date, dt.date)


def _price(
    *,
    acting: Account,
    court: Court,
    kind: str,
    pdf_pages: int | None,
    html_bytes: int | None,
    case_specific: bool,
    found_nothing: bool,
    free_look: bool,
    at: dt.datetime,
) -> tuple[rules.Quote, bool, bool]:
    """The quote of an access at `at`, whether `acting` is staff of `court`, and whether
    the account's firm requires a client code."""
    staff = is_court_staff(acting, court)
    local_day = timezone.localtime(at, court.tzinfo).date()
    facts = _CHARGE_FACTS.first(acting.pk, court.pk, rules.us_day(at), local_day)
    if facts is None:  # no schedule row on or before the day: the rules' fallbacks
        schedule = rules.schedule_on(rules.us_day(at))
        exempt = not staff
        code_required = requires_client_code(acting)
    else:
        schedule = facts
        exempt = not staff and facts.account_exemption is not None  # type: ignore[attr-defined]
        code_required = facts.code_required  # type: ignore[attr-defined]
    # The exemption row itself only for an exempt account (the charge names it).
    exemption = active_exemption(account=acting, court=court, day=local_day) if exempt else None
    quote = rules.quote(
        schedule=schedule,
        kind=kind,
        pdf_pages=pdf_pages,
        html_bytes=html_bytes,
        case_specific=case_specific,
        found_nothing=found_nothing,
        free_look=free_look,
        court_staff=staff,
        exemption=exemption,
    )
    return quote, staff, code_required


def estimate(
    *,
    acting: Account,
    court: Court,
    kind: str,
    pdf_pages: int | None = None,
    html_bytes: int | None = None,
    case_specific: bool = False,
    found_nothing: bool = False,
    free_look: bool = False,
    request: HttpRequest | None = None,
    at: dt.datetime | None = None,
) -> rules.Quote:
    """What an access would cost now, by the same rules as `charge` (for a receipt shown
    before the document). With `request`, a missing required client code is refused
    here already (ClientCodeRequired), before anything is shown."""
    quote, staff, code_required = _price(
        acting=acting,
        court=court,
        kind=kind,
        pdf_pages=pdf_pages,
        html_bytes=html_bytes,
        case_specific=case_specific,
        found_nothing=found_nothing,
        free_look=free_look,
        at=at or timezone.now(),
    )
    no_code = request is not None and not current_client_code(request).strip()
    if no_code and not staff and code_required:
        raise ClientCodeRequired
    return quote


def charge(
    *,
    acting: Account,
    court: Court,
    request: HttpRequest | None,
    description: str,
    criteria: str,
    kind: str,
    pdf_pages: int | None = None,
    html_bytes: int | None = None,
    case_specific: bool = False,
    found_nothing: bool = False,
    free_look: bool = False,
    at: dt.datetime | None = None,
) -> Transaction:
    """Charge `acting` for one access at `court` and return the row (the receipt).

    Must run inside the caller's transaction.atomic(), the one that performs the access:
    the charge and the access commit together or not at all. Raises ClientCodeRequired
    (a FeeRefusal) when the account's firm requires a client code and none is in force;
    the request then changes nothing. The client code in force is the session's (given
    at login or by Change Client Code) or, for a program, its API token's."""
    if not _in_callers_transaction():
        raise ChargeOutsideTransaction("fees.charge() must run inside the access's transaction")
    at = at or timezone.now()
    client_code = current_client_code(request).strip()[:32] if request is not None else ""
    quote, staff, code_required = _price(
        acting=acting,
        court=court,
        kind=kind,
        pdf_pages=pdf_pages,
        html_bytes=html_bytes,
        case_specific=case_specific,
        found_nothing=found_nothing,
        free_look=free_look,
        at=at,
    )
    # Refused whether or not a request came with the call: no path charges a member
    # of a firm that requires a client code without one. Staff are exempt as staff, as
    # in estimate(): a free look is free for its own reason, yet its reader is staff.
    if not client_code and not staff and code_required:
        raise ClientCodeRequired
    row = Transaction(
        account=acting,
        court=court,
        created_at=at,
        client_code=client_code,
        description=description[:200],
        criteria=criteria[:500],
        kind=kind,
        billable_pages=quote.billable_pages,
        cost=quote.cost,
        schedule=quote.schedule,
        free_reason=quote.free_reason,
        exemption=quote.exemption,
    )
    # A line the page read before this charge (with its court) is out of date now.
    forget_waiver_line(request)
    quarter = rules.Quarter.of(at)
    quarter_total = _record_charge(row, quarter)
    # The waiver in force today, as the page's own query would read it (a schedule row
    # on or before the day; the rules' fallback for none is left to that query).
    dated = quote.schedule.effective_from <= rules.us_day(at)
    if request is not None and quarter_total is not None and dated:
        # The page that shows this access shows the quarter's total with it: known now,
        # and true once the charge commits (a rolled-back charge leaves it unknown).
        status = WaiverStatus(
            quarter=quarter,
            total=money(quarter_total),
            waiver=money(quote.schedule.quarterly_waiver),
        )
        transaction.on_commit(lambda: remember_waiver_status(request, status))
    return row


def _record_charge(row: Transaction, quarter: rules.Quarter) -> Decimal | None:
    """Insert the charge and add it to its day's total, in the caller's transaction, and
    return the account's total for `quarter` with this charge (None: not read).

    The day's total is a row every charge of the account that day updates, so it is
    written last (its lock is held from here to the commit); on PostgreSQL both writes
    and the quarter's total are one statement (a data-modifying WITH), so the lock is
    taken in the same round trip as the insert."""
    if connection.vendor != "postgresql":
        row.save(force_insert=True)
        _add_to_daily_total(row)
        return None
    insert_sql, values = insert_statement(row, connection, returning=True)
    quarter_days: list[Any] = [row.account_id, quarter.first_day, quarter.last_day]
    with connection.cursor() as cursor:
        cursor.execute(_charge_sql(insert_sql), [*values, *_daily_total_params(row), *quarter_days])
        row.pk, before = cursor.fetchone()
    row._state.adding = False
    row._state.db = connection.alias
    return before + row.cost


@functools.cache
def _charge_sql(insert_sql: str) -> str:
    """_record_charge's statement on PostgreSQL around the charge's `insert_sql`
    (written once per process)."""
    quote = connection.ops.quote_name
    upsert = _DAILY_TOTAL_UPSERT.format(
        table=quote(DailyTotal._meta.db_table), shard=_SHARD["postgresql"]
    )
    totals = quote(DailyTotal._meta.db_table)
    return (
        f"WITH charged AS ({insert_sql}), total AS ({upsert}) "  # noqa: S608 (our names)
        # The quarter's total before this charge (the statement's snapshot does not see
        # its own writes), for the page's quarter-to-date line.
        f"SELECT (SELECT id FROM charged), (SELECT COALESCE(SUM(cost), 0) FROM {totals} "
        "WHERE account_id = %s AND day >= %s AND day <= %s)"
    )


# The first charge of a day (in a shard, models.DailyTotal) inserts its row, any other
# (two at once too: the unique constraint decides, PostgreSQL and SQLite alike) adds
# to it, so none is lost.
_DAILY_TOTAL_UPSERT = (
    "INSERT INTO {table} (account_id, day, client_code, shard, count, pages, cost) "
    "VALUES (%s, %s, %s, {shard}, 1, %s, %s) "
    "ON CONFLICT (account_id, day, client_code, shard) DO UPDATE SET "
    "count = {table}.count + 1, pages = {table}.pages + excluded.pages, "
    "cost = {table}.cost + excluded.cost"
)
# The session's shard, in SQL ("%%": psycopg's escaped modulo, as the SQL has parameters).
_SHARD = {"postgresql": f"pg_backend_pid() %% {DAILY_TOTAL_SHARDS}"}


def _daily_total_params(row: Transaction) -> list:
    day = rules.us_day(row.created_at)
    return [row.account_id, day, row.client_code, row.billable_pages, row.cost]


def _add_to_daily_total(row: Transaction) -> None:
    """Add one charge to its day's total (in the charge's transaction), in one statement
    (_DAILY_TOTAL_UPSERT)."""
    table = connection.ops.quote_name(DailyTotal._meta.db_table)
    with connection.cursor() as cursor:
        upsert = _DAILY_TOTAL_UPSERT.format(table=table, shard=_SHARD.get(connection.vendor, "0"))
        cursor.execute(upsert, _daily_total_params(row))


def rebuild_daily_totals(*, acting: Account | SystemActor, account: Account) -> int:
    """Recompute an account's daily totals from its charges (after a bulk load or an
    import that wrote rows directly); returns the number of day rows. System work:
    `acting` is SYSTEM (a load, the benchmark); nothing is audited, as the charges
    themselves were.

    The charges are read in the transaction that rewrites the totals, once no charge
    can add to a total any more until it commits: a charge committed between a read and
    the rewrite would otherwise be left out of its day's total for good. On PostgreSQL
    the totals' table is locked against writes (reads go on; a charge waits, then adds
    itself to the rebuilt row); SQLite's transactions take its write lock at BEGIN
    (settings: IMMEDIATE)."""
    with transaction.atomic(durable=True):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                table = connection.ops.quote_name(DailyTotal._meta.db_table)
                cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
        totals: dict[tuple, list] = {}
        for created_at, code, pages, cost in (
            Transaction.objects.filter(account=account)
            .values_list("created_at", "client_code", "billable_pages", "cost")
            .iterator(chunk_size=5000)
        ):
            entry = totals.setdefault((rules.us_day(created_at), code), [0, 0, Decimal("0")])
            entry[0] += 1
            entry[1] += pages
            entry[2] += cost
        DailyTotal.objects.filter(account=account).delete()
        DailyTotal.objects.bulk_create(
            [
                DailyTotal(account=account, day=day, client_code=code, count=c, pages=p, cost=m)
                for (day, code), (c, p, m) in totals.items()
            ],
            batch_size=5000,
        )
    return len(totals)


# --- exemptions, granted court by court -------------------------------------------------


def _require_staff(acting: Account, court: Court) -> None:
    # Only this court's staff decide its exemptions: not another court's, not the
    # Service Center (the grant is the court's, as PACER's are).
    if not is_court_staff(acting, court):
        raise PermissionError("not staff of this court")


def _clean_grant(*, category: str, reason: str, starts_on: dt.date, ends_on: dt.date) -> str:
    errors: dict[str, str] = {}
    if category not in Category.values:
        errors["category"] = "Choose a category."
    reason = reason.strip()
    if not reason:
        errors["reason"] = notices.REASON_REQUIRED
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = notices.END_BEFORE_START
    if errors:
        raise ValidationError(errors)
    return reason


def grant_exemption(
    *,
    acting: Account,
    court: Court,
    account: Account,
    category: str,
    reason: str,
    starts_on: dt.date,
    ends_on: dt.date,
    request: HttpRequest | None = None,
    from_request: ExemptionRequest | None = None,
) -> Exemption:
    """Court staff exempt `account` from fees for access to this court's records,
    from `starts_on` to `ends_on` inclusive (days at the court)."""
    _require_staff(acting, court)
    with transaction.atomic(durable=True):
        return _grant_exemption(
            acting=acting,
            court=court,
            account=account,
            category=category,
            reason=reason,
            starts_on=starts_on,
            ends_on=ends_on,
            request=request,
            from_request=from_request,
        )


def _grant_exemption(
    *,
    acting: Account,
    court: Court,
    account: Account,
    category: str,
    reason: str,
    starts_on: dt.date,
    ends_on: dt.date,
    request: HttpRequest | None,
    from_request: ExemptionRequest | None,
) -> Exemption:
    """grant_exemption's write, in the caller's transaction (approve_request's too)."""
    reason = _clean_grant(category=category, reason=reason, starts_on=starts_on, ends_on=ends_on)
    exemption = Exemption.objects.create(
        account=account,
        court=court,
        category=category,
        reason=reason,
        starts_on=starts_on,
        ends_on=ends_on,
        granted_by=acting,
    )
    record(
        Action.FEES_EXEMPTION_GRANT,
        request=request,
        actor=acting,
        subject=account,
        court_code=court.code,
        details={
            "exemption": exemption.pk,
            "category": category,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
            "request": from_request.pk if from_request else None,
        },
    )
    return exemption


def end_exemption(
    *, acting: Account, exemption: Exemption, request: HttpRequest | None = None
) -> Exemption:
    """Court staff end an exemption now. Charges already made stay as they were."""
    court = exemption.court
    _require_staff(acting, court)
    with transaction.atomic(durable=True):
        fresh = Exemption.objects.select_for_update().get(pk=exemption.pk)
        if fresh.revoked_at is not None:
            raise ValidationError(notices.EXEMPTION_ALREADY_ENDED, code="ended")
        fresh.revoked_at = timezone.now()
        fresh.revoked_by = acting
        fresh.save(update_fields=["revoked_at", "revoked_by"])
        record(
            Action.FEES_EXEMPTION_END,
            request=request,
            actor=acting,
            subject=fresh.account,
            court_code=court.code,
            details={"exemption": fresh.pk},
        )
    return fresh


def request_exemption(
    *, acting: Account, court: Court, category: str, reason: str, request: HttpRequest | None
) -> ExemptionRequest:
    """An account asks `court` for an exemption; that court's staff decide it. One open
    request per court: a second (or a double submit) is refused by the database."""
    errors = {}
    if category not in Category.values:
        errors["category"] = "Choose a category."
    if not reason.strip():
        errors["reason"] = notices.REASON_REQUIRED
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic(durable=True):
            made = ExemptionRequest.objects.create(
                account=acting, court=court, category=category, reason=reason.strip()
            )
            record(
                Action.FEES_EXEMPTION_REQUEST,
                request=request,
                actor=acting,
                court_code=court.code,
                details={"request": made.pk, "category": category},
            )
    except IntegrityError:
        raise ValidationError(notices.EXEMPTION_ALREADY_PENDING, code="pending") from None
    return made


def _pending_for_update(acting: Account, exemption_request: ExemptionRequest) -> ExemptionRequest:
    _require_staff(acting, exemption_request.court)
    fresh = ExemptionRequest.objects.select_for_update().get(pk=exemption_request.pk)
    if fresh.state != ExemptionRequest.State.PENDING:
        raise ValidationError(notices.REQUEST_ALREADY_DECIDED, code="decided")
    return fresh


def approve_request(
    *,
    acting: Account,
    exemption_request: ExemptionRequest,
    starts_on: dt.date,
    ends_on: dt.date,
    request: HttpRequest | None = None,
) -> Exemption:
    """Court staff approve a request: it becomes an exemption at their court."""
    with transaction.atomic(durable=True):
        fresh = _pending_for_update(acting, exemption_request)
        exemption = _grant_exemption(
            acting=acting,
            court=fresh.court,
            account=fresh.account,
            category=fresh.category,
            reason=fresh.reason,
            starts_on=starts_on,
            ends_on=ends_on,
            request=request,
            from_request=fresh,
        )
        fresh.state = ExemptionRequest.State.APPROVED
        fresh.decided_by = acting
        fresh.decided_at = timezone.now()
        fresh.exemption = exemption
        fresh.save(update_fields=["state", "decided_by", "decided_at", "exemption"])
        record(
            Action.FEES_EXEMPTION_APPROVE,
            request=request,
            actor=acting,
            subject=fresh.account,
            court_code=fresh.court.code,
            details={"request": fresh.pk, "exemption": exemption.pk},
        )
    return exemption


def deny_request(
    *,
    acting: Account,
    exemption_request: ExemptionRequest,
    reason: str,
    request: HttpRequest | None = None,
) -> ExemptionRequest:
    """Court staff deny a request, with a reason the requester sees."""
    if not reason.strip():
        raise ValidationError({"decision_reason": notices.DENIAL_REASON_REQUIRED})
    with transaction.atomic(durable=True):
        fresh = _pending_for_update(acting, exemption_request)
        fresh.state = ExemptionRequest.State.DENIED
        fresh.decided_by = acting
        fresh.decided_at = timezone.now()
        fresh.decision_reason = reason.strip()
        fresh.save(update_fields=["state", "decided_by", "decided_at", "decision_reason"])
        record(
            Action.FEES_EXEMPTION_DENY,
            request=request,
            actor=acting,
            subject=fresh.account,
            court_code=fresh.court.code,
            details={"request": fresh.pk},
        )
    return fresh


# --- a firm's billing settings -------------------------------------------------------------


def set_paa_client_code_required(
    *, acting: Account, paa: Paa, required: bool, request: HttpRequest | None = None
) -> PaaFeeSettings:
    """The firm administrator requires (or stops requiring) a client code of members."""
    if paa.administrator_id != acting.pk:
        raise PermissionError("not this firm's administrator")
    with transaction.atomic(durable=True):
        settings, _ = PaaFeeSettings.objects.select_for_update().get_or_create(paa=paa)
        old = settings.require_client_code
        settings.require_client_code = required
        settings.save(update_fields=["require_client_code"])
        record(
            Action.FEES_PAA_SETTINGS,
            request=request,
            actor=acting,
            details={"paa": paa.pk, "require_client_code": {"old": old, "new": required}},
        )
    return settings
