"""Go-live notices: telling a court's not-yet-linked CM/ECF filers that NextGen is coming.

Queued after the go-live date is committed (never for a date that was rolled back):
the commit enqueues one background task (nextgen.tasks.announce_go_live), which renders
each message from a plain-text template and queues it as its own mail task
(nextgen.mail), so a court with thousands of filers neither holds up the page nor loses
a message to one mail server hiccup. The rows are read with `iterator()` and only the
columns the message needs, BATCH_SIZE messages in memory at a time.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse

from nextgen.audit.models import Outcome
from nextgen.audit.services import record
from nextgen.mail import queue_mail
from nextgen.tasks import announce_go_live

from .models import Court, FilerAccount

logger = logging.getLogger(__name__)

BATCH_SIZE = 200
ACTION = "court.go_live.notices"


def site_url(request: HttpRequest | None) -> str:
    """The address links in mail start with: the request's own host when there is one
    (staff page, admin), else NEXTGEN_SITE_URL (the CLI has no request)."""
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return settings.NEXTGEN_SITE_URL.rstrip("/")


def _recipients(court: Court) -> Iterator[tuple[str, str, str]]:
    """(e-mail, name, CM/ECF login) of every unlinked CM/ECF account with an e-mail."""
    rows = (
        FilerAccount.objects.filter(court=court, account__isnull=True)
        .exclude(email="")
        .order_by("pk")
        .values_list("email", "first_name", "last_name", "login")
    )
    for email, first, last, login in rows.iterator(chunk_size=2000):
        yield email, f"{first} {last}".strip(), login


def _message(court: Court, go_live: dt.date, base: str, to: tuple[str, str, str]) -> EmailMessage:
    email, name, login = to
    context = {
        "court_name": court.name,
        "go_live": go_live.strftime("%B %-d, %Y"),
        "name": name or login,
        "login": login,
        "court_url": base + reverse("ecf:entry", args=[court.code]),
        "help_contact": court.help_contact,
    }
    subject = " ".join(render_to_string("ecf/email/go_live_subject.txt", context).split())
    body = render_to_string("ecf/email/go_live.txt", context)
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [email])


def send_go_live_notices(*, court_id: int, go_live: dt.date, base_url: str) -> int:
    """Queue the go-live notice to every unlinked CM/ECF account of the court with an
    e-mail address; the number queued. Runs as a background task (announce_go_live)."""
    court = Court.objects.get(pk=court_id)
    if court.go_live != go_live:
        # Changed again before this ran: the later change sends its own notice.
        return 0
    sent = 0
    batch: list[EmailMessage] = []

    def flush() -> None:
        nonlocal sent
        for message in batch:
            # One mail task each: a mail server hiccup is retried per message.
            queue_mail(to=message.to, subject=message.subject, body=message.body)
        sent += len(batch)
        batch.clear()

    for recipient in _recipients(court):
        batch.append(_message(court, go_live, base_url, recipient))
        if len(batch) >= BATCH_SIZE:
            flush()
    if batch:
        flush()
    record(
        ACTION,
        outcome=Outcome.SUCCESS,
        court_code=court.code,
        # "sent": handed to the mail queue, which retries each message on its own.
        details={"go_live": go_live.isoformat(), "sent": sent},
    )
    return sent


def notify_after_commit(
    *, court: Court, old: dt.date | None, new: dt.date | None, request: HttpRequest | None
) -> None:
    """Queue the notices for when the go-live change commits. Only a new or changed
    date is announced; withdrawing a date (None) sends nothing."""
    if new is None or new == old:
        return
    court_id, base_url = court.pk, site_url(request)

    def send() -> None:
        announce_go_live.enqueue(court_id=court_id, go_live=new.isoformat(), base_url=base_url)

    # robust: a failure to queue after commit is logged, never turned into an error page
    # for a change that did happen. (A named function, not a partial: Django logs the
    # callback's __qualname__ when it fails.)
    transaction.on_commit(send, robust=True)
