"""The mail outbox: one row per message to send, written in the transaction of the change
that sends it, and fan-out jobs that write one row per recipient (nextgen/mail.py is the
way in, nextgen/outbox/worker.py the way out; docs/operations.md, "E-mail and the mail
worker").

A worker claims a row by setting it SENDING with a lease (`lease_until`) and a claim
token; a worker that dies leaves the lease to run out, after which any worker claims the
row again. A row is SENT only when the mail server accepted it, FAILED after the last
attempt (kept, with its body, for `nextgen mail retry-failed`).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone


class MessageState(models.TextChoices):
    QUEUED = "queued", "queued"
    SENDING = "sending", "sending"
    SENT = "sent", "sent"
    FAILED = "failed", "failed"


class JobState(models.TextChoices):
    QUEUED = "queued", "queued"  # waiting to be expanded into messages
    EXPANDING = "expanding", "expanding"  # a worker is writing its messages (leased)
    DONE = "done", "done"  # every recipient has its message row


class FanoutJob(models.Model):
    """One notice to many recipients (go-live notices; NEFs later). `builder` is the dotted
    path of a class whose `messages(**params)` yields (recipient key, OutgoingMail); the
    unique (job, recipient key) of its messages makes expanding it again add only the
    missing ones."""

    key = models.CharField(max_length=200, unique=True)
    builder = models.CharField(max_length=200)
    params = models.JSONField(default=dict)
    state = models.CharField(max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    lease_until = models.DateTimeField(null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True)
    expansions = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    expanded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=~Q(state="done"),
                name="outbox_job_open",
            ),
        ]

    def __str__(self) -> str:
        return self.key


class OutboxMessage(models.Model):
    """One message: plain strings only, as the mail server will get them. The body may
    hold a reset link: never logged, never shown in the admin."""

    job = models.ForeignKey(
        FanoutJob, null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    # e.g. "filer:42" or "filer:42:someone@example.com" (an address is up to 254 characters)
    recipient_key = models.CharField(max_length=320, blank=True)
    to = models.JSONField()
    reply_to = models.JSONField(default=list, blank=True)
    subject = models.TextField()
    body = models.TextField()
    html_body = models.TextField(blank=True)
    state = models.CharField(
        max_length=10, choices=MessageState.choices, default=MessageState.QUEUED
    )
    attempts = models.PositiveIntegerField(default=0)
    run_after = models.DateTimeField(default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # A fan-out sends each recipient one message, however often it is expanded.
            models.UniqueConstraint(
                fields=["job", "recipient_key"],
                condition=Q(job__isnull=False),
                name="outbox_one_message_per_job_recipient",
            ),
        ]
        indexes = [
            # What the worker looks for: due queued rows, and claims whose lease ran out.
            models.Index(fields=["run_after"], condition=Q(state="queued"), name="outbox_msg_due"),
            models.Index(
                fields=["lease_until"], condition=Q(state="sending"), name="outbox_msg_leased"
            ),
            models.Index(fields=["state", "sent_at"], name="outbox_msg_state_sent"),
        ]

    def __str__(self) -> str:
        return f"message {self.pk} ({self.state})"
