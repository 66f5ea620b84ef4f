"""Figure 12 of `make bench`: Notices of Electronic Filing.

- Request time of the filing's final submit (the request that files: storage, stamp, the
  entry's transaction and the NEF listener) in a case with 1,000 noticed attorneys
  against one with a single attorney (ratio; goal <= 1.2x), median of interleaved
  repetitions through Django's test client on the bench's PostgreSQL, and the number of
  queries of each (goal: equal). The request only queues one fan-out job; the worker
  builds the notices.
- Delivery: the time from a filing's commit until every notice of the 1,000-attorney
  case (each attorney's primary and secondary address) has been accepted by a local SMTP
  server (aiosmtpd), sent by one mail worker (`Worker.run`, as `nextgen mail worker`).
"""

from __future__ import annotations

import io
import socket
import statistics
import threading
import time

from bench.filing import FLOW_RE, _walk_to_documents


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Counting:
    """An aiosmtpd handler counting what it accepted."""

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:
        with self.lock:
            self.count += len(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


def _setup(code: str, attorneys: int):
    """A district court, a linked attorney and two civil cases of theirs: one where they
    are the only attorney of record, one with `attorneys` noticed attorneys (each with a
    secondary address), all to be noticed."""
    import datetime as dt

    from django.utils import timezone

    from nextgen.dockets import actions
    from nextgen.dockets.documents import DocumentUpload, store_documents
    from nextgen.dockets.events import event
    from nextgen.dockets.models import Representation
    from nextgen.dockets.sample_pdf import tiny_pdf
    from nextgen.ecf.models import Court, FilerAccount, SecondaryEmail, normalize_login
    from nextgen.signon.models import Account

    court, _ = Court.objects.get_or_create(
        code=code,
        defaults={
            "name": f"Bench Court {code}",
            "kind": "district",
            "go_live": dt.date(2020, 1, 1),
        },
    )
    account = Account.objects.create_user(
        f"{code}.filer",
        "Bench#Notice2026",
        first_name="John",
        last_name="Attorney",
        email=f"{code}.filer@example.com",
        user_type="attorney",
        upgraded_at=timezone.now(),
    )
    FilerAccount.objects.create(
        court=court,
        login=f"{code}filer",
        account=account,
        linked_at=timezone.now(),
        email=f"{code}.filer@example.com",
    )

    def open_case(title: str):
        complaint = io.BytesIO(tiny_pdf("Complaint"))
        case, _ = actions.open_case(
            acting=account,
            court=court,
            case_type="cv",
            title=title,
            office=3,
            parties=[
                actions.PartySpec("Jane Doe", "Plaintiff", represented=True),
                actions.PartySpec("Acme Corp.", "Defendant"),
            ],
            event=event(court, "civil", "complaint"),
            documents=store_documents([DocumentUpload(file=complaint)], court=court),
        )
        return case

    small, big = open_case("Doe v. Acme Corp."), open_case("Roe v. Acme Corp.")
    logins = [f"{code}atty{i}" for i in range(attorneys - 1)]
    FilerAccount.objects.bulk_create(
        FilerAccount(
            court=court,
            login=login,
            login_key=normalize_login(login),
            first_name="Atty",
            last_name=f"Number{i}",
            email=f"{login}@example.com",
            password="!",
        )
        for i, login in enumerate(logins)
    )
    lawyers = list(FilerAccount.objects.filter(court=court, login__in=logins))
    SecondaryEmail.objects.bulk_create(
        SecondaryEmail(filer=f, email=f"{f.login}.docket@example.com") for f in lawyers
    )
    acme = big.parties.get(name="Acme Corp.")
    Representation.objects.bulk_create(
        Representation(party=acme, filer=f, to_be_noticed=True) for f in lawyers
    )
    return court, account, small, big


def _submit_times(court, account, cases: dict, reps: int):
    """Median final-submit time and query count per case (interleaved repetitions)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from nextgen.dockets.sample_pdf import tiny_pdf

    pdf = tiny_pdf("Motion", 1)
    times: dict[str, list[float]] = {label: [] for label in cases}
    queries: dict[str, set[int]] = {label: set() for label in cases}
    client = Client()
    client.force_login(account)
    for _ in range(reps):
        for label, case in cases.items():
            _walk_to_documents(client.get, client.post, court, case)
            upload = io.BytesIO(pdf)
            upload.name = "motion.pdf"
            client.post(reverse("filing:documents", args=[court.code]), {"main_document": upload})
            client.post(reverse("filing:text", args=[court.code]), {"free_text": ""})
            review = client.get(reverse("filing:review", args=[court.code]))
            token = FLOW_RE.search(review.content.decode()).group(1)
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.post(reverse("filing:review", args=[court.code]), {"flow": token})
                elapsed = time.perf_counter() - started
            if response.status_code != 302 or "/receipt/" not in response["Location"]:
                raise RuntimeError(f"final submit answered {response.status_code}")
            times[label].append(elapsed)
            queries[label].add(len(captured))
    return times, queries


def _delivery_seconds(account, case, expected: int) -> float:
    """File once more in `case`; seconds until the SMTP server accepted every notice."""
    from aiosmtpd.controller import Controller
    from django.test import override_settings

    from nextgen.dockets import actions
    from nextgen.dockets.documents import DocumentUpload, store_documents
    from nextgen.dockets.events import event
    from nextgen.dockets.sample_pdf import tiny_pdf
    from nextgen.outbox import worker as outbox_worker
    from nextgen.outbox.models import FanoutJob

    # The timing repetitions' jobs are not this figure's to send.
    FanoutJob.objects.filter(key__startswith="nef:").delete()
    handler = _Counting()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
            EMAIL_TIMEOUT=10,
        ):
            documents = store_documents(
                [DocumentUpload(file=io.BytesIO(tiny_pdf("Order")))], court=case.court
            )
            actions.file_entry(
                acting=account,
                case=case,
                event=event(case.court, "civil", "motion_to_dismiss"),
                documents=documents,
            )
            started = time.perf_counter()
            outbox_worker.Worker(once=True).run()
            elapsed = time.perf_counter() - started
    finally:
        controller.stop()
    if handler.count != expected:
        raise RuntimeError(f"{handler.count} notices delivered, {expected} expected")
    return elapsed


def fig_nef(*, smoke: bool) -> tuple[dict, str]:
    from django.test import override_settings

    attorneys = 20 if smoke else 1000
    reps = 2 if smoke else 15
    with override_settings(NEXTGEN_MAIL_DELIVERY="worker"):
        court, account, small, big = _setup("benchnef", attorneys)
        cases = {"1 attorney": small, f"{attorneys} attorneys": big}
        _submit_times(court, account, cases, 1)  # warm-up
        times, queries = _submit_times(court, account, cases, reps)
        one = statistics.median(times["1 attorney"]) * 1000
        many = statistics.median(times[f"{attorneys} attorneys"]) * 1000
        ratio = many / one
        equal = queries["1 attorney"] == queries[f"{attorneys} attorneys"]
        # Every attorney's two addresses, the filer's own one.
        expected = 2 * (attorneys - 1) + 1
        seconds = _delivery_seconds(account, big, expected)
    row = {
        "figure": "12. NEF",
        "measured": (
            f"{attorneys:,} attorneys {many:.1f} ms; {expected:,} notices delivered in "
            f"{seconds:.1f} s"
        ),
        "baseline": f"1 attorney {one:.1f} ms",
        "ratio": ratio,
        "goal": "<= 1.2x; equal queries",
        "met": ratio <= 1.2 and equal,
        "detail": {
            "repetitions": reps,
            "one_attorney_median_ms": one,
            "many_attorneys_median_ms": many,
            "attorneys": attorneys,
            "queries": {k: sorted(v) for k, v in queries.items()},
            "notices": expected,
            "delivery_seconds": seconds,
            "notices_per_second": expected / seconds if seconds else None,
        },
    }
    text = (
        "### Figure 12: Notices of Electronic Filing\n\n"
        f"Final submit of a Motion to Dismiss through the WSGI stack, median of {reps} "
        f"interleaved repetitions: a case with 1 attorney of record {one:.1f} ms "
        f"({sorted(queries['1 attorney'])} queries), a case with {attorneys:,} noticed "
        f"attorneys {many:.1f} ms ({sorted(queries[f'{attorneys} attorneys'])} queries), "
        f"{ratio:.2f}x. The request queues one fan-out job whatever the number of "
        "recipients.\n\n"
        f"One mail worker built and delivered the {expected:,} notices of one filing in that "
        f"case (each attorney's primary and secondary address) to a local SMTP server in "
        f"{seconds:.1f} s ({expected / seconds:.0f} notices/s).\n"
    )
    return row, text
