"""Courts on NextGen and their court-issued CM/ECF (e-filing) accounts."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

#: The zone of a court added without one (the zone of most courts' operators).
DEFAULT_TIME_ZONE = "America/New_York"
#: Zones of the courts that go live first; the initial data migration uses them too.
KNOWN_TIME_ZONES = {
    "vid": "America/St_Thomas",
    "vib": "America/St_Thomas",
    "prd": "America/Puerto_Rico",
    "gub": "Pacific/Guam",
    "ctd": "America/New_York",
    "nyed": "America/New_York",
    "cacb": "America/Los_Angeles",
}


def validate_time_zone(value: str) -> None:
    """An IANA time zone name (America/St_Thomas), as the tz database spells it."""
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            f"{value!r} is not a time zone; use an IANA name such as America/St_Thomas, "
            "America/Puerto_Rico or Pacific/Guam.",
            code="time_zone",
        ) from None


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
    time_zone = models.CharField(
        max_length=64,
        default=DEFAULT_TIME_ZONE,
        validators=[validate_time_zone],
        help_text="IANA name, e.g. America/St_Thomas. Go-live and the court's other "
        "dates are days in this zone.",
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

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def today(self) -> dt.date:
        """The date now at the court: a go-live date begins at the court's midnight,
        not UTC's (21:00 in St. Thomas is already tomorrow in UTC)."""
        return timezone.localdate(timezone=self.tzinfo)

    def is_live(self, today: dt.date | None = None) -> bool:
        today = today or self.today()
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

    # Not a column: the name of record, set on the object the link confirmation shows
    # (ecf.flows.linking._linked), before PACER's data is forwarded over it.
    cmecf_name: str

    # No index of their own on the two foreign keys: (court, login_key) and
    # (account, court) lead with them already, and every index slows the import.
    court = models.ForeignKey(
        Court, on_delete=models.PROTECT, related_name="filers", db_index=False
    )
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
        db_index=False,
    )
    linked_at = models.DateTimeField(null=True, blank=True)
    # While linked, the person fields above hold PACER's forwarded data and this holds the
    # court's own values of those fields, as they were when the link was made; an unlink
    # puts them back. Null while unlinked. So a wrongful link never leaves the wrongdoer's
    # e-mail on the court's record, and CM/ECF recovery always writes to the court's.
    court_record = models.JSONField(null=True, blank=True, editable=False)
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

    def of_record(self, name: str) -> str:
        """The court's own value of a person field: the one kept under a link, if any,
        else the field itself (an unlinked account's fields are the court's)."""
        kept = self.court_record
        if isinstance(kept, dict) and name in kept:
            return kept[name] or ""
        return getattr(self, name)

    @property
    def email_of_record(self) -> str:
        """The court of record's primary e-mail: where CM/ECF recovery mail goes."""
        return self.of_record("email")

    @property
    def name_of_record(self) -> str:
        return f"{self.of_record('first_name')} {self.of_record('last_name')}".strip()


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


class FilerImport(models.Model):
    """A staff upload of CM/ECF accounts, imported in the background (flows/import_jobs.py):
    hashing plain-text passwords takes ~50 ms a row, far too long for one request.

    `content` holds the uploaded file only until the import ends (it may hold plain-text
    passwords): it is emptied when the job finishes, fails or is found abandoned."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Importing"
        DONE = "done", "Finished"
        FAILED = "failed", "Stopped"

    court = models.ForeignKey(Court, on_delete=models.CASCADE, related_name="imports")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=200)
    # Bytes, not text: a NUL in the file (refused later, by row) must not stop it here.
    content = models.BinaryField(blank=True, default=b"")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)  # from line breaks: an estimate
    rows_done = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # [[line, reason], ...], capped
    error_count = models.PositiveIntegerField(default=0)
    ignored_columns = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True)  # why it stopped, in words for staff
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    # When the running job last wrote its progress (or started): a job whose process was
    # killed writes none, and is found abandoned (flows/import_jobs.fail_abandoned).
    progress_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["court", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.source} at {self.court.code}: {self.status}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent_done(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(99, 100 * self.rows_done // max(self.rows_total, 1))
