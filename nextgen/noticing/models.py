"""Notices of Electronic Filing, e-mail preferences, followed cases and free-look keys.

The shape (other apps rely on it):

- `EmailPreference`: per `ecf.FilerAccount` and address (its primary e-mail or one of its
  `ecf.SecondaryEmail` addresses, stored lower-cased: `normalize_address`): `delivery`
  "each" (a notice for each filing) or "summary" (the Daily Summary Report), `format`
  "html" or "text". No row means each + html (`preference_for`).
- `FollowedCase`: (filer account, case): "Send notices in these additional cases", cases
  the filer follows without being of record. Followers never get sealed entries.
- `Notice`: one e-mail sent about an entry (`kind` "nef") or a day's summary (`kind`
  "summary", `summary_date`, `entry` null) to one address: recipient name, address,
  format, the filer account if any, `recipient_key` (the outbox fan-out's key) and
  `message` (the `outbox.OutboxMessage`, whose state is the notice's state: queued,
  sending, sent, failed). Unique per (entry, recipient key) for NEFs and per
  (summary date, filer account, address) for summaries.
- `FreeLook`: the single free view of one `dockets.Document` that one NEF recipient gets:
  `address` and `filer` (the account whose address received it; the PACER account
  linked to it is the only one who may use it), `key_hash` (SHA-256 hex of a random key
  that only the e-mail holds), `expires_at` (sent + 15 days), `used_at`/`used_by`.
  `nextgen.noticing.free_look.redeem` spends it.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from nextgen.dockets.models import Case, DocketEntry, Document
from nextgen.ecf.models import FilerAccount
from nextgen.outbox.models import OutboxMessage

FREE_LOOK_DAYS = 15


def normalize_address(address: str) -> str:
    return address.strip().lower()


class Delivery(models.TextChoices):
    EACH = "each", "Send a notice for each filing"
    SUMMARY = "summary", "Send a Daily Summary Report"


class Format(models.TextChoices):
    HTML = "html", "HTML"
    TEXT = "text", "Text"


class NoticeKind(models.TextChoices):
    NEF = "nef", "Notice of Electronic Filing"
    SUMMARY = "summary", "Daily Summary Report"


class EmailPreference(models.Model):
    """How one address of a CM/ECF account wants its notices (no row: each, HTML)."""

    filer = models.ForeignKey(
        FilerAccount, on_delete=models.CASCADE, related_name="email_preferences"
    )
    address = models.EmailField(max_length=254, help_text="Lower-cased.")
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.EACH)
    format = models.CharField(max_length=4, choices=Format.choices, default=Format.HTML)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["filer", "address"], name="noticing_pref_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.filer_id} {self.address}: {self.delivery}, {self.format}"

    def save(self, *args, **kwargs) -> None:
        self.address = normalize_address(self.address)
        super().save(*args, **kwargs)


class FollowedCase(models.Model):
    """A case a filer gets notices in without being of record."""

    filer = models.ForeignKey(FilerAccount, on_delete=models.CASCADE, related_name="followed")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="followers")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["filer", "case"], name="noticing_follow_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.filer_id} follows {self.case_id}"


class Notice(models.Model):
    """One e-mail notice to one address; its state is its outbox message's."""

    kind = models.CharField(max_length=10, choices=NoticeKind.choices, default=NoticeKind.NEF)
    entry = models.ForeignKey(
        DocketEntry, null=True, blank=True, on_delete=models.CASCADE, related_name="notices"
    )
    summary_date = models.DateField(null=True, blank=True)
    filer = models.ForeignKey(
        FilerAccount, null=True, blank=True, on_delete=models.SET_NULL, related_name="notices"
    )
    name = models.CharField(max_length=200, blank=True)
    address = models.EmailField(max_length=254)
    format = models.CharField(max_length=4, choices=Format.choices, default=Format.HTML)
    recipient_key = models.CharField(max_length=320)
    message = models.OneToOneField(
        OutboxMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="notice"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "recipient_key"],
                condition=Q(kind="nef"),
                name="noticing_one_nef_per_recipient",
            ),
            # Per CM/ECF account: an address kept in two courts gets each court's summary.
            models.UniqueConstraint(
                fields=["summary_date", "filer", "address"],
                condition=Q(kind="summary"),
                name="noticing_one_summary_per_day",
            ),
        ]
        indexes = [models.Index(fields=["filer", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.entry_id or self.summary_date} to {self.address}"

    @property
    def state(self) -> str:
        message = self.message  # no query when there is none
        return message.state if message is not None else "queued"


def free_look_expiry(now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) + dt.timedelta(days=FREE_LOOK_DAYS)


class FreeLook(models.Model):
    """One NEF recipient's one fee-free view of one document (the key is stored hashed)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="free_looks")
    filer = models.ForeignKey(
        FilerAccount, null=True, blank=True, on_delete=models.CASCADE, related_name="free_looks"
    )
    address = models.EmailField(max_length=254)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=free_look_expiry)
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"free look at {self.document_id} for {self.address}"
