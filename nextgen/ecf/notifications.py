"""Go-live notices: telling a court's not-yet-linked CM/ECF filers that NextGen is coming.

A new go-live date queues one fan-out job (nextgen.mail.enqueue_fanout) in the
transaction that sets it, so a rolled-back date announces nothing. The mail worker
expands the job into one outbox message per filer account (GoLiveNotices.messages) and
sends each on its own, so a court with thousands of filers neither holds up the page nor
loses a message to a mail server hiccup or a worker that dies mid-way: a message is
unique per (job, filer account), a dead worker's claims return to the queue, and running
the same go-live again (`nextgen court set-go-live CODE DATE`) sends exactly the notices
still missing. The rows are read with `iterator()` and only the columns the message
needs.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from nextgen.audit.models import Action, Outcome
from nextgen.audit.services import record
from nextgen.mail import OutgoingMail, enqueue_fanout, render_subject
from nextgen.outbox.models import FanoutJob

from .models import Court, FilerAccount

logger = logging.getLogger(__name__)

ACTION = Action.COURT_GO_LIVE_NOTICES


def site_url(request: HttpRequest | None) -> str:
    """The address links in mail start with: the request's own host when there is one
    (staff page, admin), else NEXTGEN_SITE_URL (the CLI has no request)."""
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return settings.NEXTGEN_SITE_URL.rstrip("/")


def _recipients(court: Court) -> Iterator[tuple[int, str, str, str]]:
    """(id, e-mail, name, CM/ECF login) of every unlinked CM/ECF account with an e-mail."""
    rows = (
        FilerAccount.objects.filter(court=court, account__isnull=True)
        .exclude(email="")
        .order_by("pk")
        .values_list("pk", "email", "first_name", "last_name", "login")
    )
    for pk, email, first, last, login in rows.iterator(chunk_size=2000):
        yield pk, email, f"{first} {last}".strip(), login


def _message(
    court: Court, go_live: dt.date, base: str, email: str, name: str, login: str
) -> OutgoingMail:
    context = {
        "court_name": court.name,
        "go_live": go_live.strftime("%B %-d, %Y"),
        "name": name or login,
        "login": login,
        "court_url": base + reverse("ecf:entry", args=[court.code]),
        "help_contact": court.help_contact,
    }
    subject = render_subject("ecf/email/go_live_subject.txt", context)
    body = render_to_string("ecf/email/go_live.txt", context)
    return OutgoingMail(to=[email], subject=subject, body=body)


class GoLiveNotices:
    """The fan-out behind a go-live date (nextgen.mail.FanoutBuilder)."""

    def messages(
        self, *, court_id: int, go_live: str, base_url: str
    ) -> Iterator[tuple[str, OutgoingMail]]:
        court = Court.objects.get(pk=court_id)
        date = dt.date.fromisoformat(go_live)
        if court.go_live != date:
            # Changed again before this ran: the later change sends its own notice.
            return
        for pk, email, name, login in _recipients(court):
            yield f"filer:{pk}", _message(court, date, base_url, email, name, login)

    def expanded(
        self, *, total: int, added: int, court_id: int, go_live: str, base_url: str
    ) -> None:
        court = Court.objects.get(pk=court_id)
        record(
            ACTION,
            outcome=Outcome.SUCCESS,
            court_code=court.code,
            # Queued: one outbox message per filer, each sent (and retried) on its own.
            details={"go_live": go_live, "queued": total, "added": added},
        )


def _job_prefix(court: Court, go_live: dt.date) -> str:
    return f"ecf.go-live/{court.code}/{go_live.isoformat()}/"


def notify_after_commit(
    *, court: Court, old: dt.date | None, new: dt.date | None, request: HttpRequest | None
) -> None:
    """Queue the notices, to go out once the go-live change commits. A new or changed
    date is announced to everyone; setting the same date again resumes that date's last
    announcement (only the notices not yet sent); withdrawing a date sends nothing."""
    if new is None:
        return
    if new == old:
        last = (
            FanoutJob.objects.filter(key__startswith=_job_prefix(court, new))
            .order_by("-created_at", "-pk")
            .first()
        )
        if last is not None:
            enqueue_fanout(job_key=last.key, builder=GoLiveNotices, params=last.params)
        return
    # Each change is its own announcement (a date set, changed and set back is announced
    # three times); the time makes its key unique.
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S.%fZ")
    enqueue_fanout(
        job_key=_job_prefix(court, new) + stamp,
        builder=GoLiveNotices,
        params={"court_id": court.pk, "go_live": new.isoformat(), "base_url": site_url(request)},
    )
