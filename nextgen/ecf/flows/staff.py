"""Court staff actions: find CM/ECF accounts, read their link history, unlink, send a
CM/ECF password reset, set the go-live date, import accounts, follow linking progress.

Who may act is checked by the views (nextgen.ecf.permissions, 404 to anyone else);
these functions take the acting staff account, change data in one transaction, and
write their audit row (actor = staff, subject = the PACER account concerned, the
reason in `details`) in that same transaction. Mail leaves only after commit.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from nextgen.audit.models import Action, Event
from nextgen.audit.services import record
from nextgen.forms import clean_reason
from nextgen.mail import queue_templated_mail
from nextgen.signon.models import Account, normalize_username

from .. import notices
from ..forwarding import FORWARDED_FIELDS
from ..models import Court, FilerAccount, normalize_login
from ..services import set_go_live

logger = logging.getLogger(__name__)

SEARCH_KEYS = {
    "name": "Name",
    "login": "CM/ECF login",
    "bar_number": "Bar number",
    "email": "E-mail",
    "pacer": "Linked PACER user name",
}
# A search is for finding one person, not for exporting the court: cap what it returns.
MAX_RESULTS = 200
REASON_MAX_LENGTH = 500
HISTORY_LIMIT = 200
# Uploads larger than this are refused before a byte is parsed; bigger files go
# through `nextgen filers import` on the server.
MAX_IMPORT_BYTES = 5 * 1024 * 1024
CHART_DAYS = 90

ACTION_UNLINK = Action.UNLINK
ACTION_RESET = Action.CMECF_RESET_SEND


class StaffActionRefused(Exception):
    """The action cannot be done in the record's present state; nothing was changed."""


# --- finding accounts ----------------------------------------------------------------


def search_filers(*, court: Court, key: str, query: str) -> QuerySet[FilerAccount]:
    """The court's CM/ECF accounts matching `query` by `key` (one of SEARCH_KEYS).

    Every query is confined to the court and leans on an index: the unique
    (court, login_key), (court, bar_number), (court, email), and the PACER
    account's unique username_key. Names match from the start of the last name
    (or first and last name, when two words are given)."""
    query = " ".join(query.split())
    filers = FilerAccount.objects.filter(court=court).select_related("account")
    if not query or key not in SEARCH_KEYS:
        return filers.none()
    if key == "login":
        filers = filers.filter(login_key__startswith=normalize_login(query))
    elif key == "bar_number":
        filers = filers.filter(bar_number__iexact=query)
    elif key == "email":
        # The address now (PACER's, if linked) or the court's own kept under a link: staff
        # looking for a wrongly linked account search by the address they know.
        filers = filers.filter(Q(email__iexact=query) | Q(court_record__email__iexact=query))
    elif key == "pacer":
        filers = filers.filter(account__username_key=normalize_username(query))
    else:
        words = query.split(" ")
        if len(words) >= 2:
            by_name = Q(
                first_name__istartswith=words[0], last_name__istartswith=" ".join(words[1:])
            )
        else:
            by_name = Q(last_name__istartswith=query) | Q(first_name__istartswith=query)
        filers = filers.filter(by_name)
    return filers.order_by("last_name", "first_name", "login_key")[:MAX_RESULTS]


def filer_history(*, court: Court, filer: FilerAccount) -> QuerySet[Event]:
    """The audit events about this CM/ECF account (link attempts, links, unlinks,
    resets), newest first. The login is matched ignoring case, as a login is typed."""
    return (
        Event.objects.filter(court_code=court.code, details__cmecf_login__iexact=filer.login)
        .select_related("actor", "subject")
        .order_by("-id")[:HISTORY_LIMIT]
    )


# --- unlinking -------------------------------------------------------------------------


def unlink_filer(
    *, acting: Account, filer: FilerAccount, reason: str, request: HttpRequest | None
) -> FilerAccount:
    """Undo a link (the wrong account was linked). The CM/ECF account gets the court's own
    person data back (kept under the link, FilerAccount.court_record), so nothing the
    linker's PACER account forwarded stays on the court's record: a reset link then goes
    to the court of record's address, never to a wrongdoer's. Its old password is made
    unusable, so it links again only after a CM/ECF password reset reaches its owner.
    The attorney is told at the PACER e-mail."""
    reason = clean_reason(reason, max_length=REASON_MAX_LENGTH)
    with transaction.atomic(durable=True):
        # Locked, so a concurrent unlink or re-link cannot interleave with this one.
        locked = FilerAccount.objects.select_for_update().select_related("court").get(pk=filer.pk)
        if locked.account_id is None:
            raise StaffActionRefused(notices.STAFF_NOT_LINKED)
        account = Account.objects.get(pk=locked.account_id)
        linked_at = locked.linked_at
        kept = locked.court_record if isinstance(locked.court_record, dict) else None
        kept_fields = kept or {}
        restored = sorted(name for name in FORWARDED_FIELDS if name in kept_fields)
        for name in restored:
            setattr(locked, name, kept_fields[name] or "")
        locked.account = None
        locked.linked_at = None
        locked.court_record = None
        locked.password = make_password(None)
        locked.updated_at = timezone.now()
        locked.save(
            update_fields=[
                "account",
                "linked_at",
                "court_record",
                "password",
                "updated_at",
                *restored,
            ]
        )
        record(
            ACTION_UNLINK,
            request=request,
            actor=acting,
            subject=account,
            court_code=locked.court.code,
            details={
                "cmecf_login": locked.login,
                "pacer_username": account.username,
                "linked_at": linked_at.isoformat() if linked_at else None,
                "reason": reason,
                # Links made before the court's record was kept under them have none to
                # restore: staff re-import the court's file (docs/operations.md).
                "court_record_restored": kept is not None,
            },
        )
        if account.email:
            context = {
                "name": account.full_name,
                "court_name": locked.court.name,
                "login": locked.login,
                "username": account.username,
                "reason": reason,
                "help_contact": locked.court.help_contact,
            }
            to = account.email

            def tell_attorney() -> None:
                queue_templated_mail(
                    to=[to],
                    subject_template="ecf/email/unlinked_subject.txt",
                    body_template="ecf/email/unlinked.txt",
                    context=context,
                )

            # robust: a mail failure after commit is logged, not shown as an error page
            # for an unlink that did happen. (A named function, not a partial: Django
            # logs the callback's __qualname__ when it fails.)
            transaction.on_commit(tell_attorney, robust=True)
    return locked


# --- CM/ECF password reset ----------------------------------------------------------------


def send_reset_link(*, request: HttpRequest, filer: FilerAccount, acting: Account) -> None:
    """E-mail the filer's primary CM/ECF e-mail a single-use link to set a new CM/ECF
    password. The link is the one "Forgot your CM/ECF password?" sends
    (nextgen.ecf.flows.recovery.RESET.reset_url: same token generator, same page); the
    message is our own, saying that court staff sent it."""
    # Imported here: recovery is a sibling flow owned elsewhere; keeping the import local
    # keeps this module loadable on its own.
    from . import recovery

    queue_templated_mail(
        to=[filer.email_of_record],
        subject_template="ecf/email/staff_reset_subject.txt",
        body_template="ecf/email/staff_reset.txt",
        context={
            "name": filer.name_of_record or filer.login,
            "court_name": filer.court.name,
            "login": filer.login,
            "reset_url": recovery.RESET.reset_url(request, filer),
            "valid_minutes": str(settings.PASSWORD_RESET_TIMEOUT // 60),
            "help_contact": filer.court.help_contact,
        },
    )


def send_reset(*, acting: Account, filer: FilerAccount, reason: str, request: HttpRequest) -> None:
    """Staff sends the filer a CM/ECF password reset link, e.g. after an unlink.
    Refused for a linked account: its old password is never used again."""
    reason = clean_reason(reason, max_length=REASON_MAX_LENGTH)
    if filer.is_linked:
        raise StaffActionRefused(notices.STAFF_RESET_LINKED)
    if not filer.email_of_record:
        raise StaffActionRefused(notices.STAFF_RESET_NO_EMAIL)
    with transaction.atomic(durable=True):
        record(
            ACTION_RESET,
            request=request,
            actor=acting,
            court_code=filer.court.code,
            details={"cmecf_login": filer.login, "to": filer.email_of_record, "reason": reason},
        )

        def send() -> None:
            send_reset_link(request=request, filer=filer, acting=acting)

        transaction.on_commit(send, robust=True)


# --- go-live, import ----------------------------------------------------------------------


def set_court_go_live(
    *, acting: Account, court: Court, go_live: dt.date, reason: str, request: HttpRequest | None
) -> Court:
    """The staff page's go-live change: the shared service, with the staff member's reason
    (which also announces the date to unlinked filers after commit)."""
    reason = clean_reason(reason, max_length=REASON_MAX_LENGTH)
    return set_go_live(court=court, go_live=go_live, acting=acting, request=request, reason=reason)


# --- progress -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    day: dt.date
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass
class Progress:
    total: int
    linked: int
    first_day: dt.date | None = None
    days: list[tuple[dt.date, int]] = field(default_factory=list)
    earlier: int = 0  # links before the days shown

    @property
    def unlinked(self) -> int:
        return self.total - self.linked

    @property
    def percent(self) -> int:
        return round(100 * self.linked / self.total) if self.total else 0

    @property
    def peak(self) -> int:
        return max((n for _, n in self.days), default=0)


def link_progress(
    *, court: Court, today: dt.date | None = None, max_days: int = CHART_DAYS
) -> Progress:
    """How many CM/ECF accounts the court has, how many are linked, and links per day
    since go-live (at most the last `max_days` days; older links are summed in
    `earlier`). Two aggregate queries, whatever the number of accounts."""
    # Days are the court's: a link at 21:00 in St. Thomas counts on that day, not UTC's next.
    zone = court.tzinfo
    today = today or court.today()
    totals = FilerAccount.objects.filter(court=court).aggregate(
        total=Count("id"), linked=Count("id", filter=Q(account__isnull=False))
    )
    progress = Progress(total=totals["total"], linked=totals["linked"])
    if court.go_live is None or court.go_live > today:
        return progress
    first = max(court.go_live, today - dt.timedelta(days=max_days - 1))
    # A range on the column itself (not on its date) so the database can use an index.
    start = dt.datetime.combine(first, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    per_day = dict(
        FilerAccount.objects.filter(court=court, linked_at__gte=start, linked_at__lt=end)
        .annotate(day=TruncDate("linked_at", tzinfo=zone))
        .values("day")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("day", "n")
    )
    span = (today - first).days + 1
    progress.first_day = first
    progress.days = [
        (day, per_day.get(day, 0)) for day in (first + dt.timedelta(days=i) for i in range(span))
    ]
    progress.earlier = progress.linked - sum(per_day.values())
    return progress


def chart_bars(progress: Progress, *, width: float = 600, height: float = 160) -> list[Bar]:
    """Geometry of the per-day bar chart, in SVG user units (origin top left)."""
    if not progress.days:
        return []
    step = width / len(progress.days)
    peak = progress.peak or 1
    bars = []
    for i, (day, n) in enumerate(progress.days):
        h = round(height * n / peak, 2)
        bars.append(
            Bar(
                day=day,
                count=n,
                x=round(i * step, 2),
                y=round(height - h, 2),
                width=round(max(step * 0.8, 1), 2),
                height=h,
            )
        )
    return bars


def staff_home_url(court: Court) -> str:
    return reverse("ecf:staff_home", args=[court.code])
