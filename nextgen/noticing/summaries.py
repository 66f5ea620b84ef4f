"""The Daily Summary Report: one e-mail a day per address that chose it ("Send a Daily
Summary Report" on Maintain Your E-mail) instead of a notice for each filing.

`queue_summaries(acting=SYSTEM, court=..., day=...)` queues ONE outbox fan-out job per
court and day, "summary:<court code>:<YYYY-MM-DD>"; the mail worker runs
`SummaryBuilder`, which gives each such address one message listing that day's entries
(the day in the court's time zone, ecf.Court.time_zone) in the cases where its CM/ECF
account was an active attorney of record to be noticed when the entry was filed, in the
cases it followed by then, and the entries it filed itself: whom the entry's NEF served
(nef.plan_for), not whom the case has at the run. Sealed entries, and every entry of a
sealed case, only go to the attorneys of record (and the filer), never to followers, as
with the NEFs. An address with nothing that day gets no message.

Idempotent per day and address: the outbox keeps at most one message per (job,
recipient), so running `nextgen noticing send-summaries` again for the same day sends
exactly the missing ones (an address that chose the summary since, one that failed) and
nothing twice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, Prefetch, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from nextgen.audit.models import Action
from nextgen.audit.services import SystemActor, record
from nextgen.dockets.models import DocketEntry, Document, Representation
from nextgen.ecf.models import Court, FilerAccount, SecondaryEmail
from nextgen.mail import OutgoingMail, enqueue_fanout
from nextgen.outbox.models import FanoutJob, OutboxMessage
from nextgen.signon.models import Account

from . import notices
from .models import (
    Delivery,
    EmailPreference,
    FollowedCase,
    Format,
    Notice,
    NoticeKind,
    normalize_address,
)
from .nef import docket_url, site_url
from .served import was_served

# A representation's values was_served reads, in the order the query lists them.
_HELD = ("created_at", "terminated", "terminated_at", "party_terminated")


def job_key(court: Court, day: dt.date) -> str:
    return f"summary:{court.code}:{day.isoformat()}"


def day_bounds(court: Court, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The court's day as [start, end) instants (23 or 25 hours on a clock change)."""
    zone = court.tzinfo
    start = dt.datetime.combine(day, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


def queue_summaries(*, acting: Account | SystemActor, court: Court, day: dt.date) -> FanoutJob:
    """Queue (or complete) the court's Daily Summary Reports of `day`. `acting` is SYSTEM
    (`nextgen noticing send-summaries`); the builder's audit event names no actor."""
    with transaction.atomic(durable=True):
        return enqueue_fanout(
            job_key=job_key(court, day),
            builder=SummaryBuilder,
            params={"court_id": court.pk, "date": day.isoformat()},
        )


@dataclass
class _Reader:
    """One address on the summary, and what it may read."""

    filer: FilerAccount
    address: str
    format: str
    key: str
    entries: list[DocketEntry] = field(default_factory=list)


def _document_url(document: Document, entry: DocketEntry) -> str:
    return f"{site_url()}{reverse('records:doc1', args=[entry.case.court.code, document.pk])}"


def _context(court: Court, day: dt.date, entries: list[DocketEntry]) -> dict[str, Any]:
    cases: dict[int, dict[str, Any]] = {}
    for entry in entries:
        group = cases.setdefault(
            entry.case_id, {"case": entry.case, "docket_url": docket_url(entry), "entries": []}
        )
        main_documents = getattr(entry, "main_documents", None)  # Prefetch to_attr, below
        main = main_documents[0] if main_documents else None
        group["entries"].append(
            {
                "entry": entry,
                "event": entry.event.label if entry.event else "",
                "entered": timezone.localtime(entry.date_entered, court.tzinfo),
                "url": _document_url(main, entry) if main else "",
                "sealed": entry.sealed or entry.case.sealed,
            }
        )
    label = f"{day:%-m/%-d/%Y}"
    return {
        "notices": notices,
        "court": court,
        "date": label,
        "title": notices.SUMMARY_TITLE.format(date=label),
        "intro": notices.SUMMARY_INTRO.format(date=label),
        "cases": list(cases.values()),
    }


class SummaryBuilder:
    """The fan-out builder of job "summary:<court>:<date>" (run by the mail worker)."""

    def _readers(self, court: Court, start: dt.datetime, end: dt.datetime) -> list[_Reader]:
        prefs = list(
            EmailPreference.objects.filter(filer__court=court, delivery=Delivery.SUMMARY)
            .select_related("filer")
            .order_by("filer__last_name", "filer__first_name", "filer_id", "address")
        )
        if not prefs:
            return []
        filer_ids = {p.filer_id for p in prefs}
        # The address as the filer keeps it (preferences hold it lower-cased); an address
        # removed since has no reader.
        current: dict[tuple[int, str], str] = {}
        for p in prefs:
            if p.filer.email:
                current.setdefault((p.filer_id, normalize_address(p.filer.email)), p.filer.email)
        for filer_id, email in SecondaryEmail.objects.filter(filer_id__in=filer_ids).values_list(
            "filer_id", "email"
        ):
            current.setdefault((filer_id, normalize_address(email)), email.strip())
        entries = list(
            DocketEntry.objects.filter(
                case__court=court, date_entered__gte=start, date_entered__lt=end
            )
            .select_related("case__court", "event")
            .prefetch_related(
                Prefetch(
                    "documents",
                    queryset=Document.objects.filter(number=0),
                    to_attr="main_documents",
                )
            )
            .order_by("case__year", "case__case_type", "case__office", "case__sequence", "number")
        )
        if not entries:
            return []
        case_ids = {e.case_id for e in entries}
        # Representation and follows as each NEF reads them: as of the entry's filing, not
        # as of this run (an attorney added later that day was not served with the earlier
        # entries; one terminated later that day was).
        of_record: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
        for filer_id, case_id, *held in Representation.objects.filter(
            filer_id__in=filer_ids,
            party__case_id__in=case_ids,
            to_be_noticed=True,
            created_at__lt=end,
        ).values_list(
            "filer_id",
            "party__case_id",
            "created_at",
            "date_terminated",
            "terminated_at",
            "party__date_terminated",
        ):
            of_record[(filer_id, case_id)].append(dict(zip(_HELD, held, strict=True)))
        following: dict[tuple[int, int], dt.datetime] = {}
        for filer_id, case_id, created_at in FollowedCase.objects.filter(
            filer_id__in=filer_ids, case_id__in=case_ids, created_at__lt=end
        ).values_list("filer_id", "case_id", "created_at"):
            following[(filer_id, case_id)] = created_at
        readers = []
        for pref in prefs:
            address = current.get((pref.filer_id, pref.address))
            if address is None:
                continue
            filer = pref.filer
            reader = _Reader(
                filer=filer,
                address=address,
                format=pref.format,
                key=f"filer:{filer.pk}:{pref.address}",
            )
            for entry in entries:
                restricted = entry.sealed or entry.case.sealed
                own = filer.account_id is not None and entry.filed_by_id == filer.account_id
                served = any(
                    was_served(entry, **held)
                    for held in of_record.get((filer.pk, entry.case_id), ())
                )
                followed = following.get((filer.pk, entry.case_id))
                if (
                    served
                    or own
                    or (followed is not None and followed <= entry.date_entered and not restricted)
                ):
                    reader.entries.append(entry)
            if reader.entries:
                readers.append(reader)
        return readers

    def messages(self, *, court_id: int, date: str) -> Iterable[tuple[str, OutgoingMail]]:
        court = Court.objects.filter(pk=court_id).first()
        if court is None:
            return
        day = dt.date.fromisoformat(date)
        start, end = day_bounds(court, day)
        done = set(
            OutboxMessage.objects.filter(job__key=job_key(court, day)).values_list(
                "recipient_key", flat=True
            )
        )
        subject = notices.SUMMARY_SUBJECT.format(court=court.name, date=f"{day:%-m/%-d/%Y}")
        for reader in self._readers(court, start, end):
            if reader.key in done:
                continue
            context = _context(court, day, reader.entries)
            text = render_to_string("noticing/summary.txt", context)
            html = (
                render_to_string("noticing/summary.html", context)
                if reader.format == Format.HTML
                else ""
            )
            Notice.objects.bulk_create(
                [
                    Notice(
                        kind=NoticeKind.SUMMARY,
                        summary_date=day,
                        filer=reader.filer,
                        name=reader.filer.full_name or reader.filer.login,
                        address=reader.address,
                        format=reader.format,
                        recipient_key=reader.key,
                    )
                ],
                ignore_conflicts=True,
            )
            yield (
                reader.key,
                OutgoingMail(to=[reader.address], subject=subject, body=text, html_body=html),
            )

    def expanded(self, *, total: int, added: int, court_id: int, date: str) -> None:
        """Tie each summary notice to its outbox message and write the audit event."""
        court = Court.objects.filter(pk=court_id).first()
        if court is None:
            return
        day = dt.date.fromisoformat(date)
        key = job_key(court, day)
        Notice.objects.filter(
            kind=NoticeKind.SUMMARY,
            summary_date=day,
            filer__court=court,
            message__isnull=True,
        ).update(
            message=Subquery(
                OutboxMessage.objects.filter(
                    job__key=key, recipient_key=OuterRef("recipient_key")
                ).values("pk")[:1]
            )
        )
        record(
            Action.NOTICING_SUMMARIES_QUEUED,
            court_code=court.code,
            details={"date": date, "summaries": total, "added": added},
        )
