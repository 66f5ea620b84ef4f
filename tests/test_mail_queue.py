"""E-mail leaves the request: written to the outbox with the change, sent after the
commit (immediate) or by the worker, retried while the mail server is down, taken over
when its worker died, and kept when it never goes out."""

import datetime as dt
import email
import logging
import socket
from io import StringIO

import pytest
from django.core import mail
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from nextgen import mail as mail_queue
from nextgen.audit.models import Action, Event
from nextgen.outbox import worker as outbox_worker
from nextgen.outbox.models import FanoutJob, JobState, MessageState, OutboxMessage
from tests.commits import run_on_commit

SECRET_BODY = "The body is private: reset link 3f9a-secret"


# --- helpers -------------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Inbox:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    # aiosmtpd calls handlers by this exact name.
    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


def _use_smtp(settings, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 3


@pytest.fixture
def worker_delivery(settings):
    """The production set-up: messages wait in the outbox for `nextgen mail worker`."""
    settings.NEXTGEN_MAIL_DELIVERY = "worker"


@pytest.fixture
def smtp_server(settings):
    """Start a real SMTP server (aiosmtpd) on demand and point Django's mail at it."""
    from aiosmtpd.controller import Controller

    started = []

    def start() -> _Inbox:
        inbox = _Inbox()
        port = _free_port()
        controller = Controller(inbox, hostname="127.0.0.1", port=port)
        controller.start()
        started.append(controller)
        _use_smtp(settings, port)
        return inbox

    yield start
    for controller in started:
        controller.stop()


@pytest.fixture
def smtp_down(settings):
    """Mail goes to a port nobody listens on: every connection is refused."""
    _use_smtp(settings, _free_port())


@pytest.fixture
def smtp_opens(monkeypatch):
    """Every SMTP connection Django's mail backend opens, as (host, port)."""
    opened: list[tuple[str, int]] = []
    real_open = EmailBackend.open

    def recording_open(self):
        if self.connection is None:
            opened.append((self.host, self.port))
        return real_open(self)

    monkeypatch.setattr(EmailBackend, "open", recording_open)
    return opened


def run_worker() -> None:
    """What `nextgen mail worker --once` does: everything due, until nothing is."""
    outbox_worker.Worker(once=True).run()


def make_retries_due() -> None:
    """Let the retry delays pass."""
    OutboxMessage.objects.filter(state=MessageState.QUEUED).update(run_after=timezone.now())


def let_leases_run_out() -> None:
    past = timezone.now() - dt.timedelta(seconds=1)
    OutboxMessage.objects.filter(state=MessageState.SENDING).update(lease_until=past)
    FanoutJob.objects.filter(state=JobState.EXPANDING).update(lease_until=past)


def claim_and_die() -> OutboxMessage:
    """A worker claims the next message and is killed before it sends it."""
    claimed = outbox_worker.claim_message()
    return OutboxMessage.objects.get(pk=claimed.pk)


# --- after the commit only (immediate delivery, as in the demo and the other tests) ------------
def test_a_rolled_back_change_sends_nothing_and_a_committed_one_sends_after_commit(db):
    with run_on_commit(), pytest.raises(RuntimeError), transaction.atomic():
        mail_queue.queue_mail(to=["a@example.com"], subject="rolled back", body="x")
        raise RuntimeError("the change failed")
    assert mail.outbox == []
    assert not OutboxMessage.objects.exists()

    with run_on_commit(), transaction.atomic():
        mail_queue.queue_mail(
            to=["a@example.com"], subject="kept", body="y", reply_to=["psc@example.com"]
        )
        assert mail.outbox == []  # not before the commit
    [message] = mail.outbox
    assert message.subject == "kept" and message.to == ["a@example.com"]
    assert message.reply_to == ["psc@example.com"]
    assert OutboxMessage.objects.get().state == MessageState.SENT


def test_with_immediate_delivery_a_mail_failure_is_logged_not_raised_and_kept(
    db, smtp_down, caplog
):
    with run_on_commit():
        mail_queue.queue_mail(to=["a@example.com"], subject="Hello", body=SECRET_BODY)
    errors = [r for r in caplog.records if r.name == "nextgen.mail" and r.levelno == logging.ERROR]
    assert len(errors) == 1 and "'Hello'" in errors[0].getMessage()
    assert SECRET_BODY not in caplog.text
    row = OutboxMessage.objects.get()
    assert row.state == MessageState.QUEUED and row.attempts == 1  # for the worker to retry


# --- the recovery page does not wait for the mail server ----------------------------------------
def test_forgot_password_queues_the_mail_without_touching_smtp_and_the_worker_delivers_it(
    client, account, worker_delivery, settings, smtp_opens, smtp_server
):
    # A mail server that accepts the connection and never says a word.
    with socket.socket() as stalled:
        stalled.bind(("127.0.0.1", 0))
        stalled.listen(1)
        _use_smtp(settings, stalled.getsockname()[1])

        response = client.post(
            reverse("signon:forgot_password"), {"email": account.email, "username": "jattorney"}
        )

    assert response.status_code == 200
    assert smtp_opens == []  # the request never opened an SMTP connection
    [row] = OutboxMessage.objects.all()
    assert row.state == MessageState.QUEUED
    assert row.to == [account.email] and row.subject == "Reset your PACER password"

    inbox = smtp_server()
    run_worker()

    ((recipients, raw),) = inbox.messages
    assert recipients == [account.email]
    message = email.message_from_bytes(raw)
    assert message["Subject"] == "Reset your PACER password"
    assert "/csologin/" in message.get_payload(decode=True).decode()  # the reset link
    row.refresh_from_db()
    assert (row.state, row.attempts, row.claim) == (MessageState.SENT, 1, "")
    assert len(smtp_opens) == 1


# --- retries ------------------------------------------------------------------------------------
def test_a_failed_send_is_retried_after_its_delay_and_delivered_later(
    db, worker_delivery, smtp_down, smtp_server, caplog
):
    mail_queue.queue_mail(to=["a@example.com"], subject="Hello", body=SECRET_BODY)
    run_worker()  # the mail server is down

    row = OutboxMessage.objects.get()
    assert (row.state, row.attempts) == (MessageState.QUEUED, 1)
    assert "ConnectionRefusedError" in row.last_error
    delay = row.run_after - timezone.now()
    assert dt.timedelta(seconds=50) < delay <= mail_queue.retry_delays()[0]
    run_worker()  # not due yet: nothing runs
    row.refresh_from_db()
    assert row.attempts == 1

    inbox = smtp_server()
    make_retries_due()
    run_worker()

    ((recipients, raw),) = inbox.messages
    assert recipients == ["a@example.com"]
    assert SECRET_BODY in email.message_from_bytes(raw).get_payload(decode=True).decode()
    row.refresh_from_db()
    assert (row.state, row.attempts) == (MessageState.SENT, 2)
    assert SECRET_BODY not in caplog.text


def test_a_mail_server_that_never_answers_times_out_and_the_message_is_retried(
    db, worker_delivery, settings, smtp_server
):
    with socket.socket() as stalled:
        stalled.bind(("127.0.0.1", 0))
        stalled.listen(1)
        _use_smtp(settings, stalled.getsockname()[1])
        settings.EMAIL_TIMEOUT = 0.5
        mail_queue.queue_mail(to=["a@example.com"], subject="Hello", body="x")
        run_worker()

    row = OutboxMessage.objects.get()
    assert (row.state, row.attempts) == (MessageState.QUEUED, 1)
    assert "timed out" in row.last_error

    inbox = smtp_server()
    make_retries_due()
    run_worker()
    assert [recipients for recipients, _ in inbox.messages] == [["a@example.com"]]


def test_email_timeout_is_set_by_default():
    from django.conf import settings

    assert 0 < settings.EMAIL_TIMEOUT <= 30


def test_after_the_last_attempt_the_mail_is_kept_as_failed_and_can_be_sent_again(
    db, worker_delivery, smtp_down, smtp_server, caplog
):
    caplog.set_level(logging.INFO)
    mail_queue.queue_mail(to=["a@example.com"], subject="Hello", body=SECRET_BODY)
    delays = []
    for _ in range(mail_queue.max_attempts()):
        make_retries_due()
        run_worker()
        waiting = OutboxMessage.objects.filter(state=MessageState.QUEUED).first()
        if waiting:
            delays.append(waiting.run_after - timezone.now())

    # Waits grow: about 1 minute, 5 minutes, 30 minutes, ...
    assert len(delays) == mail_queue.max_attempts() - 1
    for delay, planned in zip(delays, mail_queue.retry_delays(), strict=True):
        assert planned - dt.timedelta(seconds=10) < delay <= planned
    failed = OutboxMessage.objects.get()
    assert failed.state == MessageState.FAILED
    assert failed.attempts == mail_queue.max_attempts()
    assert failed.body == SECRET_BODY  # kept, never dropped
    assert "ConnectionRefusedError" in failed.last_error
    errors = [r for r in caplog.records if r.name == "nextgen.mail" and r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert f"message {failed.pk} " in errors[0].getMessage()
    assert SECRET_BODY not in caplog.text

    # The operator re-sends it once the mail server is back.
    inbox = smtp_server()
    out = StringIO()
    call_command("mail", "retry-failed", stdout=out)
    assert out.getvalue() == "Queued 1 failed message(s) again.\n"
    run_worker()
    ((recipients, _),) = inbox.messages
    assert recipients == ["a@example.com"]
    assert mail_queue.resend_failed_mail() == 0


# --- a worker that dies -------------------------------------------------------------------------
def test_a_message_whose_worker_died_goes_back_to_the_queue_when_its_lease_runs_out(
    db, worker_delivery, smtp_server
):
    inbox = smtp_server()
    mail_queue.queue_mail(to=["reset@example.com"], subject="Reset", body="link")
    orphan = claim_and_die()
    assert orphan.state == MessageState.SENDING
    assert orphan.lease_until > timezone.now()

    run_worker()  # the lease still holds: another worker keeps its hands off
    assert inbox.messages == []

    let_leases_run_out()
    run_worker()
    assert [recipients for recipients, _ in inbox.messages] == [["reset@example.com"]]
    orphan.refresh_from_db()
    assert (orphan.state, orphan.attempts) == (MessageState.SENT, 2)
    run_worker()
    assert len(inbox.messages) == 1


def test_a_message_whose_worker_dies_on_every_attempt_is_kept_as_failed(
    db, worker_delivery, smtp_server, caplog
):
    inbox = smtp_server()
    mail_queue.queue_mail(to=["a@example.com"], subject="Poison", body=SECRET_BODY)
    for _ in range(mail_queue.max_attempts()):
        claim_and_die()
        let_leases_run_out()
    run_worker()
    assert inbox.messages == []
    row = OutboxMessage.objects.get()
    assert row.state == MessageState.FAILED and row.body == SECRET_BODY
    assert "'Poison'" in caplog.text and SECRET_BODY not in caplog.text


# --- fan-out ------------------------------------------------------------------------------------
class Greetings:
    """A fan-out builder for the tests: one greeting per address in `to`."""

    def messages(self, *, to: list[str]):
        for address in to:
            yield address, mail_queue.OutgoingMail(to=[address], subject="Hi", body="Hello")

    def expanded(self, *, total: int, added: int, to: list[str]) -> None:
        from nextgen.audit.services import record

        record(Action.NOTICING_SUMMARIES_QUEUED, details={"queued": total, "added": added})


ADDRESSES = [f"filer{i}@example.com" for i in range(7)]


def test_a_fanout_sends_each_recipient_one_message_however_often_it_is_enqueued(
    db, worker_delivery, smtp_server
):
    inbox = smtp_server()
    for _ in range(2):
        mail_queue.enqueue_fanout(job_key="greet/1", builder=Greetings, params={"to": ADDRESSES})
    run_worker()
    mail_queue.enqueue_fanout(job_key="greet/1", builder=Greetings, params={"to": ADDRESSES})
    run_worker()

    assert sorted(r for recipients, _ in inbox.messages for r in recipients) == sorted(ADDRESSES)
    progress = mail_queue.fanout_progress("greet/1")
    assert progress["sent"] == progress["total"] == len(ADDRESSES)
    assert progress["queued"] == progress["failed"] == progress["retrying"] == 0


def test_a_fanout_reports_its_progress_per_state(db, worker_delivery, smtp_down):
    mail_queue.enqueue_fanout(job_key="greet/9", builder=Greetings, params={"to": ADDRESSES})
    outbox_worker.run_job_now(FanoutJob.objects.get(key="greet/9").pk)  # the server is down
    # The first failure stops immediate sending: the rest wait for a worker.
    assert mail_queue.fanout_progress("greet/9") == {
        "queued": len(ADDRESSES),
        "sending": 0,
        "sent": 0,
        "failed": 0,
        "retrying": 1,
        "total": len(ADDRESSES),
    }
    assert mail_queue.fanout_progress("no such job")["total"] == 0


def test_a_lease_shorter_than_a_slow_send_is_warned_about(settings):
    from nextgen.outbox.checks import lease_outlasts_a_send

    settings.EMAIL_TIMEOUT, settings.NEXTGEN_MAIL_LEASE_SECONDS = 10, 30
    [warning] = lease_outlasts_a_send(None)
    assert warning.id == "nextgen.outbox.W001"
    settings.NEXTGEN_MAIL_LEASE_SECONDS = 300
    assert lease_outlasts_a_send(None) == []


def test_a_fanout_whose_worker_died_mid_expansion_is_expanded_again_adding_only_the_missing(
    db, worker_delivery, smtp_server, monkeypatch
):
    inbox = smtp_server()
    mail_queue.enqueue_fanout(job_key="greet/2", builder=Greetings, params={"to": ADDRESSES})
    # A worker writes the first batch, sends two of them, and is killed.
    monkeypatch.setattr(outbox_worker, "EXPAND_BATCH", 3)
    job = outbox_worker.claim_job()
    builder_messages = Greetings.messages

    def dies_after_first_batch(self, **params):
        for n, item in enumerate(builder_messages(self, **params)):
            if n == 3:
                raise SystemExit("killed")
            yield item

    monkeypatch.setattr(Greetings, "messages", dies_after_first_batch)
    with pytest.raises(SystemExit):
        outbox_worker.expand(job)
    monkeypatch.setattr(Greetings, "messages", builder_messages)
    assert OutboxMessage.objects.count() == 3
    for _ in range(2):
        claimed = outbox_worker.claim_message()
        outbox_worker.send(claimed, get_connection())
        outbox_worker.record_sent(claimed, persistent=True)

    run_worker()  # the job's lease still holds: its messages so far go out, nothing more
    assert len(inbox.messages) == 3
    let_leases_run_out()
    run_worker()

    assert sorted(r for recipients, _ in inbox.messages for r in recipients) == sorted(ADDRESSES)
    [event] = Event.objects.filter(action=Action.NOTICING_SUMMARIES_QUEUED)
    assert event.details == {"queued": len(ADDRESSES), "added": len(ADDRESSES) - 3}


# --- watching it --------------------------------------------------------------------------------
def test_mail_status_counts_queued_running_stale_and_failed(db, worker_delivery):
    for n in range(5):
        mail_queue.queue_mail(to=[f"{n}@example.com"], subject=f"m{n}", body="x")
    dead = [claim_and_die().pk, claim_and_die().pk]
    claim_and_die()  # one running
    past = timezone.now() - dt.timedelta(seconds=1)
    OutboxMessage.objects.filter(pk__in=dead).update(lease_until=past)  # two stale
    first_queued = OutboxMessage.objects.filter(state=MessageState.QUEUED).order_by("pk")[0]
    first_queued.state = MessageState.FAILED
    first_queued.save()

    out = StringIO()
    call_command("mail", "status", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("queued   1 (1 due now")
    assert lines[1] == "running  1"
    assert lines[2].startswith("stale    2 ")
    assert lines[3].startswith("failed   1 ")
    assert lines[4] == "sent     0 in the last 24 hours"


def test_prune_removes_old_sent_messages_and_empties_old_fanout_ones(db, settings):
    with run_on_commit():
        mail_queue.queue_mail(to=["a@example.com"], subject="Reset", body=SECRET_BODY)
        mail_queue.enqueue_fanout(
            job_key="greet/3", builder=Greetings, params={"to": ADDRESSES[:2]}
        )
    assert OutboxMessage.objects.filter(state=MessageState.SENT).count() == 3
    OutboxMessage.objects.update(sent_at=timezone.now() - dt.timedelta(days=8))

    out = StringIO()
    call_command("mail", "prune", "--days", "7", stdout=out)
    assert "Removed 1 sent message(s) and emptied 2" in out.getvalue()
    assert list(OutboxMessage.objects.values_list("body", flat=True)) == ["", ""]
    # Enqueued again, the job still knows both were sent.
    mail.outbox.clear()
    with run_on_commit():
        mail_queue.enqueue_fanout(
            job_key="greet/3", builder=Greetings, params={"to": ADDRESSES[:2]}
        )
    assert mail.outbox == []


def test_queued_mail_with_its_reset_links_is_not_browsable_in_the_admin():
    from django.contrib import admin

    assert not admin.site.is_registered(OutboxMessage)
    assert not admin.site.is_registered(FanoutJob)


class Broken:
    def messages(self, **params):
        raise LookupError("a bug in the builder")
        yield


def test_a_fanout_that_cannot_be_expanded_does_not_stop_the_other_mail(
    db, worker_delivery, smtp_server, caplog
):
    inbox = smtp_server()
    mail_queue.enqueue_fanout(job_key="broken/1", builder=Broken)
    mail_queue.queue_mail(to=["a@example.com"], subject="Reset", body="link")
    run_worker()
    assert [recipients for recipients, _ in inbox.messages] == [["a@example.com"]]
    assert FanoutJob.objects.get(key="broken/1").state == JobState.EXPANDING  # tried later
    assert "Fan-out broken/1 could not be expanded" in caplog.text


# --- templated mail ------------------------------------------------------------------------------
@pytest.mark.django_db
def test_templated_mail_renders_a_one_line_subject_and_the_body_into_the_outbox():
    context = {"name": "Ann", "username": "ann1", "login_url": "https://x/login"}
    mail_queue.queue_templated_mail(
        to=["ann@example.com"],
        subject_template="signon/email/username_reminder_subject.txt",
        body_template="signon/email/username_reminder.txt",
        context=context,
    )
    message = OutboxMessage.objects.get()
    assert message.to == ["ann@example.com"]
    assert "\n" not in message.subject and message.subject.strip() == message.subject
    assert "ann1" in message.body


def test_templated_mail_takes_exactly_one_of_subject_and_subject_template():
    with pytest.raises(TypeError):
        mail_queue.queue_templated_mail(to=["a@example.com"], body_template="x.txt", context={})
