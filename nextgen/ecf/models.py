"""Courts on NextGen and their court-issued CM/ECF (e-filing) accounts."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone


def normalize_login(login: str) -> str:
    """CM/ECF logins are matched ignoring case and surrounding spaces."""
    return login.strip().casefold()


class CourtKind(models.TextChoices):
    DISTRICT = "district", "District"
    BANKRUPTCY = "bankruptcy", "Bankruptcy"


class LinkMenu(models.TextChoices):
    UTILITIES = "utilities", "Directly on the Utilities page"
    RELEASE_1_1 = "release-1.1", 'On the "NextGen Release 1.1 Menu Items" page'


class Court(models.Model):
    """One court's e-filing system, served under /ecf/<code>/."""

    code = models.SlugField(max_length=10, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=CourtKind.choices)
    go_live = models.DateField("NextGen go-live date", null=True, blank=True)
    link_menu = models.CharField(
        max_length=12, choices=LinkMenu.choices, default=LinkMenu.UTILITIES
    )
    welcome = models.CharField(
        max_length=300,
        blank=True,
        help_text="The welcome line of the court's website; defaults to 'Welcome to the <name>'.",
    )
    help_contact = models.TextField(
        blank=True, help_text="Whom attorneys call for help with linking, in the court's words."
    )
    filing_size_limit_mb = models.PositiveIntegerField(
        "largest PDF accepted for filing (MB)",
        default=50,
        help_text="Each document of a filing (main document or attachment) may be this large.",
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"

    @property
    def filing_system_label(self) -> str:
        return f"{self.name} - Document Filing System"

    @property
    def welcome_line(self) -> str:
        return self.welcome or f"Welcome to the {self.name}"

    def is_live(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.go_live is not None and self.go_live <= today

    @property
    def filing_menus(self) -> list[str]:
        if self.kind == CourtKind.BANKRUPTCY:
            return ["Bankruptcy", "Adversary"]
        return ["Civil", "Criminal"]


class FilerAccount(models.Model):
    """A court-issued CM/ECF login. `account` is the PACER account it is linked to, if any.

    The constraints, not checks in code, make a link happen at most once: one CM/ECF
    account per PACER account per court, and a CM/ECF account links by a conditional
    UPDATE that only succeeds while `account` is still NULL."""

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="filers")
    login = models.CharField("CM/ECF login", max_length=80)
    login_key = models.CharField(max_length=80, editable=False)
    password = models.CharField("CM/ECF password hash", max_length=256, blank=True)
    first_name = models.CharField(max_length=80, blank=True)
    last_name = models.CharField(max_length=80, blank=True)
    email = models.EmailField("primary e-mail", max_length=254, blank=True)
    bar_number = models.CharField("bar number", max_length=40, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    firm = models.CharField(max_length=120, blank=True)
    address = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=80, blank=True)
    state = models.CharField(max_length=40, blank=True)
    zip_code = models.CharField(max_length=20, blank=True)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="filer_accounts",
    )
    linked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "CM/ECF account"
        constraints = [
            models.UniqueConstraint(fields=["court", "login_key"], name="ecf_filer_unique_login"),
            models.UniqueConstraint(
                fields=["court", "account"], name="ecf_filer_one_link_per_court"
            ),
        ]
        indexes = [
            models.Index(fields=["account", "court"]),
            models.Index(fields=["court", "bar_number"]),
            models.Index(fields=["court", "email"]),
        ]

    def __str__(self) -> str:
        return f"{self.court.code}:{self.login}"

    def save(self, *args, **kwargs) -> None:
        # Derived key must always follow the login it is computed from.
        self.login_key = normalize_login(self.login)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "login" in update_fields:
            kwargs["update_fields"] = {*update_fields, "login_key"}
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_linked(self) -> bool:
        return self.account_id is not None


class SecondaryEmail(models.Model):
    """An extra e-mail address for court notices, kept by the court (not forwarded by PACER)."""

    filer = models.ForeignKey(
        FilerAccount, on_delete=models.CASCADE, related_name="secondary_emails"
    )
    email = models.EmailField("secondary e-mail address", max_length=254)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["filer", "email"], name="ecf_secondary_email_unique"),
        ]
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email


class CourtRole(models.Model):
    """A court staff role: powers at this court only."""

    class Role(models.TextChoices):
        STAFF = "staff", "Court staff"

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="court_roles"
    )
    court = models.ForeignKey(Court, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.STAFF)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "court", "role"], name="ecf_role_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.role} at {self.court.code}"


class FilingRegistration(models.Model):
    """A request for e-filing rights at a court by someone without an old CM/ECF account."""

    class Kind(models.TextChoices):
        ATTORNEY = "attorney", "Attorney Admissions / E-File Registration"
        NON_ATTORNEY = "non-attorney", "Non-Attorney E-File Registration"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="filing_registrations"
    )
    court = models.ForeignKey(Court, on_delete=models.CASCADE, related_name="registrations")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    bar_number = models.CharField(max_length=40, blank=True)
    bar_state = models.CharField(max_length=40, blank=True)
    note = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decision_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # One open request per account and court.
            models.UniqueConstraint(
                fields=["account", "court"],
                condition=models.Q(status="pending"),
                name="ecf_one_pending_registration",
            ),
        ]
        indexes = [models.Index(fields=["court", "status"])]

    def __str__(self) -> str:
        return f"{self.account} at {self.court.code}: {self.status}"
