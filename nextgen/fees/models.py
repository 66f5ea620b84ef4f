"""PACER fees as data: the fee schedule, one row per charge, and court-granted exemptions.

The rules that turn an access into billable pages and a cost live in rules.py; the
writes in actions.py; the reads (billing history, statements) in selectors.py.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class FeeSchedule(models.Model):
    """The fee schedule in force from `effective_from` (a U.S. calendar day, see
    rules.QUARTER_TIME_ZONE) until the next row's date. A schedule change is a new row,
    never an edit: past charges keep naming the row that priced them."""

    effective_from = models.DateField(unique=True)
    page_price = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal("0.10"))
    cap_pages = models.PositiveIntegerField(
        default=30, help_text="Most pages charged for one document or case-specific report."
    )
    html_bytes_per_page = models.PositiveIntegerField(default=4320)
    quarterly_waiver = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        default=Decimal("30.00"),
        help_text="Nothing is owed for a quarter whose charges are this amount or less.",
    )

    class Meta:
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"from {self.effective_from}: ${self.page_price}/page"


class Kind(models.TextChoices):
    """What was accessed: decides the cap and what is free (rules.py)."""

    DOCUMENT = "document", "Document"
    REPORT = "report", "Report"
    SEARCH = "search", "Search"
    WRITTEN_OPINIONS = "written-opinions", "Written opinions"


class FreeReason(models.TextChoices):
    NONE = "", "Not free"
    WRITTEN_OPINION = "written-opinion", "Written opinions are free"
    FREE_LOOK = "free-look", "NEF free look"
    COURT_STAFF = "court-staff", "Court staff"
    EXEMPTION = "exemption", "Fee exemption"


class Category(models.TextChoices):
    INDIGENT = "indigent", "Indigent"
    PRO_BONO_ATTORNEY = "pro-bono-attorney", "Pro bono attorney"
    PRO_BONO_NEUTRAL = "pro-bono-neutral", "Pro bono neutral"
    ACADEMIC_RESEARCHER = "academic-researcher", "Academic researcher"
    NONPROFIT = "501c3", "501(c)(3) organisation"
    BANKRUPTCY_TRUSTEE = "bankruptcy-trustee", "Bankruptcy trustee"
    OTHER = "other", "Other"


class Exemption(models.Model):
    """A court's grant that `account`'s access to that court's records costs nothing,
    from `starts_on` to `ends_on` inclusive (days at the court, in its time zone)."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="fee_exemptions"
    )
    court = models.ForeignKey("ecf.Court", on_delete=models.CASCADE, related_name="fee_exemptions")
    category = models.CharField(max_length=24, choices=Category.choices)
    reason = models.TextField()
    starts_on = models.DateField()
    ends_on = models.DateField()
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["account", "court", "ends_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="fees_exemption_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} at {self.court_id}: {self.starts_on}–{self.ends_on}"

    def covers(self, day: dt.date) -> bool:
        return self.revoked_at is None and self.starts_on <= day <= self.ends_on


class ExemptionRequest(models.Model):
    """An account's request for an exemption at one court, decided by that court's staff."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending review"
        APPROVED = "approved", "Approved"
        DENIED = "denied", "Denied"

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="fee_exemption_requests"
    )
    court = models.ForeignKey(
        "ecf.Court", on_delete=models.CASCADE, related_name="fee_exemption_requests"
    )
    category = models.CharField(max_length=24, choices=Category.choices)
    reason = models.TextField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    exemption = models.OneToOneField(
        Exemption, on_delete=models.SET_NULL, null=True, blank=True, related_name="request"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One open request per account and court: two submits at once cannot both land.
            models.UniqueConstraint(
                fields=["account", "court"],
                condition=Q(state="pending"),
                name="fees_one_pending_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} at {self.court_id}: {self.state}"


class PaaFeeSettings(models.Model):
    """A firm's (PAA's) billing settings, kept beside signon.Paa (a lower layer)."""

    paa = models.OneToOneField("signon.Paa", on_delete=models.CASCADE, related_name="fee_settings")
    require_client_code = models.BooleanField(
        default=False, help_text="Members' access without a client code is refused."
    )

    def __str__(self) -> str:
        return f"fee settings of {self.paa_id}"


class Transaction(models.Model):
    """One charge: the receipt shown for an access is this row. Written in the same
    database transaction as the access it charges (actions.charge)."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="fee_transactions"
    )
    court = models.ForeignKey("ecf.Court", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    client_code = models.CharField(max_length=32, blank=True)
    description = models.CharField(max_length=200)
    criteria = models.CharField("search criteria", max_length=500, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    billable_pages = models.PositiveIntegerField()
    cost = models.DecimalField(max_digits=9, decimal_places=2)
    schedule = models.ForeignKey(FeeSchedule, on_delete=models.PROTECT, related_name="+")
    free_reason = models.CharField(
        max_length=20, choices=FreeReason.choices, default=FreeReason.NONE, blank=True
    )
    exemption = models.ForeignKey(
        Exemption, on_delete=models.PROTECT, null=True, blank=True, related_name="transactions"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # Billing history's first page and its totals, for 100,000 rows as for 100.
            models.Index(fields=["account", "created_at"], name="fees_tx_account_time"),
            # Sorted by client code, newest first within a code.
            models.Index(
                fields=["account", "client_code", "-created_at"], name="fees_tx_account_code"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d} {self.description} ${self.cost}"


# How many rows an account's day total for one client code is spread over (DailyTotal).
DAILY_TOTAL_SHARDS = 16


class DailyTotal(models.Model):
    """An account's charges per U.S. Eastern day and client code, kept by actions.charge
    in the charge's own transaction: billing history's totals and counts for any date
    range add up at most a few rows a day, whether the account has 100 charges or
    100,000.

    A day's total is the SUM of its rows over `shard` (every reader sums): each charge
    adds to the row of the database session's shard (on PostgreSQL its backend process
    id modulo DAILY_TOTAL_SHARDS, else 0). One row per day made the charges of one
    account at once (a program fetching dockets over several connections) wait for each
    other's commits on that row's lock; a session never waits for itself."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    client_code = models.CharField(max_length=32, blank=True)
    count = models.PositiveIntegerField(default=0)
    pages = models.PositiveBigIntegerField(default=0)
    cost = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    shard = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account", "day", "client_code", "shard"],
                name="fees_daily_total_unique_shard",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.day} {self.client_code!r}: ${self.cost}"
