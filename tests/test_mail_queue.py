"""E-mail leaves the request: queued as a task once the change commits, sent by the
worker, retried while the mail server is down, and kept when it never comes back."""

import datetime as dt
import email
import logging
import socket

import pytest
from django.core import mail
from django.core.mail.backends.smtp import EmailBackend
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from nextgen import mail as mail_queue

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
def database_queue(settings):
    """The production set-up: tasks wait in the database for `nextgen db_worker`."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


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
        opened.append((self.host, self.port))
        return real_open(self)

    monkeypatch.setattr(EmailBackend, "open", recording_open)
    return opened


def run_worker() -> None:
    """What `nextgen db_worker --batch` does: claim and run each task that is due, until
    none is. (Task by task through the worker's own run_task, inside this test's
    transaction: the worker loop itself closes and reopens database connections.)"""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    while (row := DBTaskResult.objects.ready().filter(backend_name="default").first()) is not None:
        row.claim(worker.worker_id)
        worker.run_task(row)


def make_retries_due() -> None:
    """Let the retry delays pass."""
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())


def mail_rows():
    return DBTaskResult.objects.filter(task_path=mail_queue.send_queued_mail.module_path)


# --- after the commit only (immediate backend, as in the demo and the other tests) -------------
def test_a_rolled_back_change_sends_nothing_and_a_committed_one_sends_after_commit(db):
    with pytest.raises(RuntimeError), transaction.atomic():
        mail_queue.queue_mail(to=["a@example.com"], subject="rolled back", body="x")
        raise RuntimeError("the change failed")
    assert mail.outbox == []

    with transaction.atomic():
        mail_queue.queue_mail(
            to=["a@example.com"], subject="kept", body="y", reply_to=["psc@example.com"]
        )
        assert mail.outbox == []  # not before the commit
    [message] = mail.outbox
    assert message.subject == "kept" and message.to == ["a@example.com"]
    assert message.reply_to == ["psc@example.com"]


def test_with_the_immediate_backend_a_mail_failure_is_logged_not_raised(db, smtp_down, caplog):
    mail_queue.queue_mail(to=["a@example.com"], subject="Hello", body=SECRET_BODY)
    errors = [r for r in caplog.records if r.name == "nextgen.mail" and r.levelno == logging.ERROR]
    assert len(errors) == 1 and "'Hello'" in errors[0].getMessage()
    assert SECRET_BODY not in caplog.text


# --- the recovery page does not wait for the mail server ----------------------------------------
def test_forgot_password_queues_the_mail_without_touching_smtp_and_the_worker_delivers_it(
    client, account, database_queue, settings, smtp_opens, smtp_server
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
    [row] = mail_rows()
    assert row.status == TaskResultStatus.READY
    kwargs = row.args_kwargs["kwargs"]
    assert kwargs["to"] == [account.email] and kwargs["subject"] == "Reset your PACER password"

    inbox = smtp_server()
    run_worker()

    ((recipients, raw),) = inbox.messages
    assert recipients == [account.email]
    message = email.message_from_bytes(raw)
    assert message["Subject"] == "Reset your PACER password"
    assert "/csologin/" in message.get_payload(decode=True).decode()  # the reset link
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.return_value == {"sent": True, "attempt": 1}
    assert len(smtp_opens) == 1


# --- retries ------------------------------------------------------------------------------------
def test_a_failed_send_is_queued_again_as_attempt_two_and_delivered_later(
    db, database_queue, smtp_down, smtp_server, caplog
):
    mail_queue.queue_mail(to=["a@example.com"], subject="Hello", body=SECRET_BODY)
    run_worker()  # the mail server is down

    first = mail_rows().get(status=TaskResultStatus.SUCCESSFUL)
    retry = mail_rows().get(status=TaskResultStatus.READY)
    assert first.return_value == {"sent": False, "attempt": 1, "retry": str(retry.id)}
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert retry.args_kwargs["kwargs"]["body"] == SECRET_BODY
    delay = retry.run_after - timezone.now()
    assert dt.timedelta(seconds=50) < delay <= mail_queue.RETRY_DELAYS[0]
    run_worker()  # not due yet: nothing runs
    assert mail_rows().filter(status=TaskResultStatus.READY).count() == 1

    inbox = smtp_server()
    make_retries_due()
    run_worker()

    ((recipients, raw),) = inbox.messages
    assert recipients == ["a@example.com"]
    assert SECRET_BODY in email.message_from_bytes(raw).get_payload(decode=True).decode()
    retry.refresh_from_db()
    assert retry.status == TaskResultStatus.SUCCESSFUL
    assert retry.return_value == {"sent": True, "attempt": 2}
    assert SECRET_BODY not in caplog.text


def test_after_the_last_attempt_the_mail_is_kept_as_failed_and_can_be_sent_again(
    db, database_queue, smtp_down, smtp_server, caplog
):
    caplog.set_level(logging.INFO)
    mail_queue.queue_mail(to=["a@example.com"], subject="Hello", body=SECRET_BODY)
    delays = []
    for _ in range(mail_queue.MAX_ATTEMPTS):
        make_retries_due()
        run_worker()
        waiting = mail_rows().filter(status=TaskResultStatus.READY).first()
        if waiting:
            delays.append(waiting.run_after - timezone.now())

    # Waits grow: about 1 minute, 5 minutes, 30 minutes, ...
    assert len(delays) == mail_queue.MAX_ATTEMPTS - 1
    for delay, planned in zip(delays, mail_queue.RETRY_DELAYS, strict=True):
        assert planned - dt.timedelta(seconds=10) < delay <= planned
    assert not mail_rows().filter(status=TaskResultStatus.READY).exists()
    [failed] = mail_rows().filter(status=TaskResultStatus.FAILED)
    assert failed.args_kwargs["kwargs"]["attempt"] == mail_queue.MAX_ATTEMPTS
    assert failed.args_kwargs["kwargs"]["body"] == SECRET_BODY  # kept, never dropped
    assert "ConnectionRefusedError" in failed.exception_class_path
    errors = [r for r in caplog.records if r.name == "nextgen.mail" and r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert str(failed.id) in errors[0].getMessage()
    assert SECRET_BODY not in caplog.text

    # The operator re-sends it once the mail server is back.
    inbox = smtp_server()
    assert mail_queue.resend_failed_mail() == 1
    assert not mail_rows().filter(status=TaskResultStatus.FAILED).exists()
    run_worker()
    ((recipients, _),) = inbox.messages
    assert recipients == ["a@example.com"]
    assert mail_queue.resend_failed_mail() == 0


def test_queued_mail_with_its_reset_links_is_not_browsable_in_the_admin():
    from django.contrib import admin
    from django_tasks_db.models import DBTaskResult

    assert not admin.site.is_registered(DBTaskResult)
