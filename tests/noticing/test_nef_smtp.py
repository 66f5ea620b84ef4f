"""A filing followed to every mailbox, primary and secondary, through a real SMTP server
(aiosmtpd) and the mail worker; never sent inside the filing request."""

from __future__ import annotations

import email
import logging
from collections import Counter

import pytest
from django.test import Client
from django.urls import reverse

from nextgen.noticing.models import EmailPreference, Notice
from nextgen.outbox import worker as outbox_worker
from nextgen.outbox.models import MessageState
from tests.dockets.factories import staff as make_staff

logging.getLogger("juriscraper").setLevel(logging.ERROR)

from juriscraper.pacer.email import S3NotificationEmail  # noqa: E402

pytestmark = pytest.mark.django_db

EVERYONE = [
    "calendar@def.test",
    "dana@def.test",
    "docket@plf.test",
    "fran@news.test",
    "paralegal@def.test",
    "pat@plf.test",
]


def test_a_filing_reaches_every_mailbox_once_through_the_worker(
    scene,
    smtp_server,
    worker_delivery,
):
    inbox = smtp_server()
    entry = scene.file()
    assert inbox.messages == []  # the filing itself sent nothing
    outbox_worker.Worker(once=True).run()
    received = Counter(rcpt for rcpts, _ in inbox.messages for rcpt in rcpts)
    assert sorted(received) == EVERYONE and set(received.values()) == {1}
    for _, raw in inbox.messages:
        message = email.message_from_bytes(raw)
        assert (
            message["Subject"]
            == f"Activity in Case {scene.case.number} {scene.case.title} {entry.event.label}"
        )
    assert {n.state for n in Notice.objects.filter(entry=entry)} == {MessageState.SENT}


def test_the_delivered_plain_text_nef_is_read_by_juriscraper(
    scene,
    smtp_server,
    worker_delivery,
):
    EmailPreference.objects.create(filer=scene.follower, address="fran@news.test", format="text")
    inbox = smtp_server()
    entry = scene.file()
    outbox_worker.Worker(once=True).run()
    [raw] = [raw for rcpts, raw in inbox.messages if rcpts == ["fran@news.test"]]
    report = S3NotificationEmail("ctd")
    report._parse_text(raw.decode())
    [docket] = report.data["dockets"]
    assert docket["docket_number"] == scene.case.number
    assert docket["docket_entries"][0]["document_number"] == str(entry.number)
    assert docket["docket_entries"][0]["description"] == entry.text


def test_court_staff_see_the_delivery_report_of_each_filing(
    scene,
    smtp_server,
    worker_delivery,
    login,
    client: Client,
):
    smtp_server()
    entry = scene.file()
    clerk = make_staff(scene.court)
    login(clerk)
    page = reverse("dockets:staff_case", args=["ctd", scene.case.pk])
    assert "Notices are being prepared." in client.get(page).content.decode()
    outbox_worker.Worker(once=True).run()
    html = client.get(page).content.decode()
    report = html.split(f'id="delivery-{entry.number}">')[1].split("</span>")[0]
    assert report == "6 notices: 6 sent. To be noticed by other means: Paper Only."


def test_the_report_counts_notices_waiting_to_retry(
    scene, settings, worker_delivery, login, client
):
    from tests.test_mail_queue import _free_port, _use_smtp

    _use_smtp(settings, _free_port())  # nobody listens: every attempt fails
    entry = scene.file()
    outbox_worker.Worker(once=True).run()
    clerk = make_staff(scene.court)
    login(clerk)
    html = client.get(reverse("dockets:staff_case", args=["ctd", scene.case.pk])).content.decode()
    report = html.split(f'id="delivery-{entry.number}">')[1].split("</span>")[0]
    assert report.startswith("6 notices: 6 waiting to retry.")


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        (
            {"sent": 998, "queued": 2, "retrying": 2, "sending": 0, "failed": 0, "total": 1000},
            "1,000 notices: 998 sent, 2 waiting to retry.",
        ),
        (
            {"sent": 1, "queued": 0, "retrying": 0, "sending": 0, "failed": 0, "total": 1},
            "1 notice: 1 sent.",
        ),
    ],
)
def test_the_report_reads_like_a_sentence(counts, expected):
    from nextgen.noticing.reports import describe

    assert describe(counts, "done") == expected
