"""Notices of Electronic Filing: who gets one, and what it says.

A filing never sends mail itself. `queue_nef` (a listener of
nextgen.dockets.listeners, called inside the filing's transaction) queues ONE outbox
fan-out job, "nef:<entry id>", whatever the number of recipients, so the filing request
costs the same few queries for one attorney of record or a thousand. The mail worker
runs `NefBuilder`: it works out the recipients (`plan_for`), renders the notice once per
format, and gives each address its own message with its own free-look keys. The outbox
makes each (job, recipient) one message, however often the job is expanded.

Who gets it (`plan_for`): every active attorney of record in the case who is to be
noticed, the filer (the CM/ECF account of the PACER account that filed, at that court)
and the filers following the case; at the primary address and every secondary address of
that CM/ECF account (they are per court), each honouring its EmailPreference (an address
on the Daily Summary Report gets none per filing). A sealed entry, or any entry of a
sealed case, goes to attorneys of record and the filer only, never to followers.
Attorneys of record without any e-mail address and parties without counsel are listed
as to be noticed by other means.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from nextgen.audit.models import Action
from nextgen.audit.services import record
from nextgen.dockets.doc_ids import doc1_path
from nextgen.dockets.models import DocketEntry, Document, Party, Representation
from nextgen.ecf.models import FilerAccount, SecondaryEmail
from nextgen.mail import OutgoingMail, enqueue_fanout
from nextgen.outbox.models import FanoutJob, JobState, OutboxMessage

from . import notices
from .models import (
    Delivery,
    EmailPreference,
    FollowedCase,
    Format,
    FreeLook,
    Notice,
    NoticeKind,
    free_look_expiry,
    normalize_address,
)
from .served import served_q

BATCH = 200
# The docket report's URL name (the records app, above this one: looked up by name only);
# until it exists, the court's main page stands in.
DOCKET_URL_NAMES = ("records:docket_report",)


def job_key(entry_id: int) -> str:
    return f"nef:{entry_id}"


def queue_nef(*, entry: DocketEntry, request: Any = None) -> None:
    """Queue the NEF of a new entry: one fan-out job, a constant number of queries."""
    enqueue_fanout(job_key=job_key(entry.pk), builder=NefBuilder, params={"entry_id": entry.pk})


# --- who gets it -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Recipient:
    """One address that gets this NEF."""

    key: str
    filer_id: int
    name: str
    address: str
    format: str


@dataclass
class Plan:
    recipients: list[Recipient] = field(default_factory=list)
    # (name, [addresses]) as the notice lists them, and the names noticed otherwise.
    mailed_to: list[tuple[str, list[str]]] = field(default_factory=list)
    other_means: list[str] = field(default_factory=list)


def _sort_key(filer: FilerAccount) -> tuple[str, str, int]:
    return (filer.last_name.lower(), filer.first_name.lower(), filer.pk)


def plan_for(entry: DocketEntry) -> Plan:
    """Who gets this entry's NEF, at which addresses and in which format (a constant
    number of queries, whatever the size of the case)."""
    case = entry.case
    restricted = entry.sealed or case.sealed
    of_record: dict[int, FilerAccount] = {}
    # Those of record when the entry was made, not when the worker gets to it (an attorney
    # added a minute later was not served with it; one terminated later that day was).
    reps = list(
        Representation.objects.filter(served_q(entry), party__case=case)
        .select_related("filer")
        .order_by("id")
    )
    for rep in reps:
        if rep.to_be_noticed:
            of_record[rep.filer_id] = rep.filer
    filers: dict[int, FilerAccount] = dict(of_record)
    if entry.filed_by_id is not None:
        own = FilerAccount.objects.filter(court_id=case.court_id, account_id=entry.filed_by_id)
        for filer in own:
            filers.setdefault(filer.pk, filer)
    if not restricted:
        follows = FollowedCase.objects.filter(case=case, created_at__lte=entry.date_entered)
        for follow in follows.select_related("filer"):
            if follow.filer.court_id == case.court_id:
                filers.setdefault(follow.filer_id, follow.filer)
    secondary: dict[int, list[str]] = {}
    for filer_id, email in SecondaryEmail.objects.filter(filer_id__in=list(filers)).values_list(
        "filer_id", "email"
    ):
        secondary.setdefault(filer_id, []).append(email)
    prefs = {
        (p.filer_id, p.address): p
        for p in EmailPreference.objects.filter(filer_id__in=list(filers))
    }
    plan = Plan()
    for filer in sorted(filers.values(), key=_sort_key):
        addresses: list[str] = []
        seen: set[str] = set()
        for address in [filer.email, *sorted(secondary.get(filer.pk, []))]:
            normal = normalize_address(address or "")
            if normal and normal not in seen:
                seen.add(normal)
                addresses.append(address.strip())
        if not addresses:
            if filer.pk in of_record:
                plan.other_means.append(filer.full_name or filer.login)
            continue
        sent_to = []
        for address in addresses:
            pref = prefs.get((filer.pk, normalize_address(address)))
            if pref is not None and pref.delivery == Delivery.SUMMARY:
                continue
            sent_to.append(address)
            plan.recipients.append(
                Recipient(
                    key=f"filer:{filer.pk}:{normalize_address(address)}",
                    filer_id=filer.pk,
                    name=filer.full_name or filer.login,
                    address=address,
                    format=pref.format if pref is not None else Format.HTML,
                )
            )
        if sent_to:
            plan.mailed_to.append((filer.full_name or filer.login, sent_to))
    # Parties with no counsel of record at all (pro se) are served on paper by the court.
    counselled = {rep.party_id for rep in reps}
    for party in Party.objects.filter(case=case, date_terminated__isnull=True).order_by("id"):
        if party.pk not in counselled:
            plan.other_means.append(party.name)
    return plan


def receipt_lists(entry: DocketEntry) -> tuple[list[tuple[str, list[str]]], list[str]]:
    """The filing receipt's lists: whom this NEF is mailed to (followers included, daily
    summary addresses left out) and who is noticed by other means. Once the worker has
    written every notice (its fan-out job done), the addresses are theirs: what was sent,
    whatever preferences changed since. Until then (a job not run yet, or part written),
    the plan the worker follows."""
    plan = plan_for(entry)
    if not FanoutJob.objects.filter(key=job_key(entry.pk), state=JobState.DONE).exists():
        return plan.mailed_to, plan.other_means
    sent: dict[object, tuple[str, list[str]]] = {}
    for filer_id, name, address in (
        Notice.objects.filter(entry=entry, kind=NoticeKind.NEF)
        .order_by("id")
        .values_list("filer_id", "name", "address")
    ):
        # By CM/ECF account: two attorneys of the same name are two lines.
        sent.setdefault(filer_id or name, (name, []))[1].append(address)
    return list(sent.values()), plan.other_means


# --- what it says ----------------------------------------------------------------------------
def site_url() -> str:
    return settings.NEXTGEN_SITE_URL.rstrip("/")


def docket_url(entry: DocketEntry) -> str:
    code = entry.case.court.code
    for name in DOCKET_URL_NAMES:
        try:
            path = reverse(name, args=[code])
        except NoReverseMatch:
            continue
        return f"{site_url()}{path}?{entry.case_id}"
    return f"{site_url()}{reverse('ecf:main', args=[code])}?{entry.case_id}"


def _placeholder(document: Document) -> str:
    # Digits only would be mistaken for a key; replaced per recipient before sending.
    return f"@@FREELOOK-{document.pk}@@"


def document_url(document: Document, entry: DocketEntry) -> str:
    """The doc1 link of a document, CM/ECF's shape: caseid, de_seq_num and magic_num (the
    recipient's free-look key, filled in per recipient)."""
    path = doc1_path(document, entry.case.court)
    return (
        f"{site_url()}{path}?caseid={entry.case_id}&de_seq_num={entry.number}"
        f"&magic_num={_placeholder(document)}"
    )


def subject_for(entry: DocketEntry) -> str:
    case = entry.case
    if entry.event is not None:
        subject = notices.NEF_SUBJECT.format(
            number=case.number, title=case.title, event=entry.event.label
        )
    else:
        subject = notices.NEF_SUBJECT_NO_EVENT.format(number=case.number, title=case.title)
    return " ".join(subject.split())  # one line: a header never holds a line break


def _entered_line(entry: DocketEntry) -> str:
    court = entry.case.court
    entered = timezone.localtime(entry.date_entered, court.tzinfo)
    when = f"{entered:%-m/%-d/%Y} at {entered:%-I:%M %p %Z}"
    filed = f"{entry.date_filed:%-m/%-d/%Y}"
    by = entry.filed_by
    if by is not None:
        name = f"{by.last_name}, {by.first_name}".strip(", ")
        return notices.NEF_ENTERED.format(by=name, entered=when, filed=filed)
    return notices.NEF_ENTERED_NO_ONE.format(entered=when, filed=filed)


def context_for(entry: DocketEntry, plan: Plan, documents: Sequence[Document]) -> dict[str, Any]:
    case = entry.case
    main = documents[0] if documents else None
    return {
        "notices": notices,
        "court": case.court,
        "case": case,
        "entry": entry,
        "entered_line": _entered_line(entry),
        "docket_url": docket_url(entry),
        "filer_parties": ", ".join(p.name for p in entry.filer_parties.all()),
        "main_url": document_url(main, entry) if main is not None else "",
        "documents": [
            {
                "description": notices.MAIN_DOCUMENT
                if d.number == 0
                else (d.description or f"Exhibit {d.number}"),
                "number": d.number,
                "original_name": d.original_name,
                "stamp": d.stamp,
                "url": document_url(d, entry),
            }
            for d in documents
        ],
        "mailed_heading": notices.NEF_MAILED_TO.format(number=case.number),
        "other_heading": notices.NEF_OTHER_MEANS.format(number=case.number),
        "mailed_to": plan.mailed_to,
        "other_means": plan.other_means,
    }


def render(entry: DocketEntry, plan: Plan, documents: Sequence[Document]) -> tuple[str, str]:
    """(text, html) of this entry's NEF, with placeholders where each recipient's keys go."""
    context = context_for(entry, plan, documents)
    text = render_to_string("noticing/nef.txt", context)
    html = render_to_string("noticing/nef.html", context)
    return text, html


def new_key() -> str:
    """A free-look key: 30 random decimal digits (CM/ECF's magic_num is digits only)."""
    return f"{secrets.randbelow(10**30):030d}"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _fill(template: str, keys: dict[str, str]) -> str:
    for placeholder, key in keys.items():
        template = template.replace(placeholder, key)
    return template


def _chunks(items: Sequence[Recipient], size: int) -> Iterator[Sequence[Recipient]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class NefBuilder:
    """The fan-out builder of job "nef:<entry id>" (run by the mail worker)."""

    def messages(self, *, entry_id: int) -> Iterable[tuple[str, OutgoingMail]]:
        entry = (
            DocketEntry.objects.select_related("case__court", "event", "filed_by")
            .filter(pk=entry_id)
            .first()
        )
        if entry is None:  # the entry is gone (its case deleted): nothing to say
            return
        plan = plan_for(entry)
        # Recipients a previous run already gave a message keep it (and its keys): only the
        # missing ones get keys made now, so no key exists that no e-mail carries.
        done = set(
            OutboxMessage.objects.filter(job__key=job_key(entry.pk)).values_list(
                "recipient_key", flat=True
            )
        )
        todo = [r for r in plan.recipients if r.key not in done]
        if not todo:
            return
        documents = list(entry.documents.order_by("number"))
        text, html = render(entry, plan, documents)
        subject = subject_for(entry)
        expires = free_look_expiry()
        for chunk in _chunks(todo, BATCH):
            looks: list[FreeLook] = []
            rows: list[Notice] = []
            out: list[tuple[str, OutgoingMail]] = []
            for r in chunk:
                keys = {_placeholder(d): new_key() for d in documents}
                looks.extend(
                    FreeLook(
                        document=d,
                        filer_id=r.filer_id,
                        address=r.address,
                        key_hash=hash_key(keys[_placeholder(d)]),
                        expires_at=expires,
                    )
                    for d in documents
                )
                rows.append(
                    Notice(
                        kind=NoticeKind.NEF,
                        entry=entry,
                        filer_id=r.filer_id,
                        name=r.name,
                        address=r.address,
                        format=r.format,
                        recipient_key=r.key,
                    )
                )
                mail = OutgoingMail(
                    to=[r.address],
                    subject=subject,
                    body=_fill(text, keys),
                    html_body=_fill(html, keys) if r.format == Format.HTML else "",
                )
                out.append((r.key, mail))
            with transaction.atomic():
                FreeLook.objects.bulk_create(looks)
                Notice.objects.bulk_create(rows, ignore_conflicts=True)
            yield from out

    def expanded(self, *, total: int, added: int, entry_id: int) -> None:
        """Tie each notice to its outbox message (one UPDATE) and write the audit event."""
        key = job_key(entry_id)
        Notice.objects.filter(kind=NoticeKind.NEF, entry_id=entry_id, message__isnull=True).update(
            message=Subquery(
                OutboxMessage.objects.filter(
                    job__key=key, recipient_key=OuterRef("recipient_key")
                ).values("pk")[:1]
            )
        )
        entry = DocketEntry.objects.select_related("case__court").filter(pk=entry_id).first()
        record(
            Action.NOTICING_NEF_QUEUED,
            court_code=entry.case.court.code if entry else "",
            details={"entry_id": entry_id, "notices": total, "added": added},
        )
