"""Court staff's delivery report of each entry's NEF ("1,000 notices: 998 sent, 2 waiting
to retry"), from the outbox's own state (the same counts as nextgen.mail.fanout_progress,
for a whole docket in two queries)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Count, Q

from nextgen.dockets.models import Case, DocketEntry, Party, Representation
from nextgen.outbox.models import FanoutJob, JobState, MessageState, OutboxMessage

from . import notices
from .nef import job_key


def progress_of(keys: Sequence[str]) -> dict[str, dict[str, int]]:
    """fanout_progress for many jobs at once: {job key: counts per state, retrying, total}."""
    blank = dict.fromkeys([*MessageState.values, "retrying", "total"], 0)
    counts: dict[str, dict[str, int]] = {}
    rows = (
        OutboxMessage.objects.filter(job__key__in=list(keys))
        .annotate(retrying=Q(state=MessageState.QUEUED, attempts__gt=0))
        .values_list("job__key", "state", "retrying")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for key, state, retrying, n in rows:
        c = counts.setdefault(key, dict(blank))
        c[state] += n
        c["retrying"] += n if retrying else 0
        c["total"] += n
    return counts


def describe(counts: dict[str, int] | None, job_state: str | None) -> str:
    """The report's sentence: "3 notices: 2 sent, 1 waiting to retry"."""
    if job_state is None:
        return notices.DELIVERY_NONE
    if not counts or not counts["total"]:
        return notices.DELIVERY_WAITING if job_state != JobState.DONE else notices.DELIVERY_NONE
    parts = []
    for n, sentence in (
        (counts["sent"], notices.DELIVERY_SENT),
        (counts["sending"], notices.DELIVERY_SENDING),
        (counts["queued"] - counts["retrying"], notices.DELIVERY_QUEUED),
        (counts["retrying"], notices.DELIVERY_RETRYING),
        (counts["failed"], notices.DELIVERY_FAILED),
    ):
        if n:
            parts.append(sentence.format(n=f"{n:,}"))
    if counts["total"] == 1:
        return notices.DELIVERY_REPORT_ONE.format(parts=", ".join(parts))
    return notices.DELIVERY_REPORT.format(total=f"{counts['total']:,}", parts=", ".join(parts))


def other_means(case: Case) -> list[str]:
    """Who in the case is noticed on paper: attorneys of record to be noticed with no
    e-mail address, and parties without counsel."""
    reps = Representation.objects.filter(party__case=case, date_terminated__isnull=True)
    names = [
        r.filer.full_name or r.filer.login
        for r in reps.filter(to_be_noticed=True, filer__email="")
        .exclude(filer__secondary_emails__isnull=False)
        .select_related("filer")
        .distinct()
    ]
    counselled = reps.values("party_id")
    names += list(
        Party.objects.filter(case=case, date_terminated__isnull=True)
        .exclude(pk__in=counselled)
        .order_by("id")
        .values_list("name", flat=True)
    )
    return names


def with_delivery_reports(entries) -> list[DocketEntry]:
    """The entries, each with `delivery_report` (a sentence) for the staff docket."""
    entries = list(entries)
    if not entries:
        return entries
    keys = {e.pk: job_key(e.pk) for e in entries}
    states = dict(FanoutJob.objects.filter(key__in=keys.values()).values_list("key", "state"))
    counts = progress_of(list(states))
    paper = other_means(entries[0].case)
    for e in entries:
        report = describe(counts.get(keys[e.pk]), states.get(keys[e.pk]))
        if paper and keys[e.pk] in states:
            report += " " + notices.DELIVERY_OTHER_MEANS.format(names=", ".join(paper))
        e.delivery_report = report
    return entries
