"""Cases, parties, attorneys of record, docket entries and their documents.

The shape, for the filing flow (nextgen/dockets/filing/) and the later issues:

- `Case`: one matter in one court. Number parts: `case_type` (cv, cr in a district
  court; bk, ap in a bankruptcy court), `office` (district only, one digit), `year`
  (two digits), `sequence`; `number` formats them the court's way: district
  ``3:26-cv-00042`` (``-JAM`` when staff assigned judge initials), bankruptcy and
  adversary ``26-10042``. An adversary proceeding (ap) points at its bankruptcy case
  through `main_case`. `last_entry_number` is the docket's counter (locked to number
  entries). `sealed` hides the whole case from all but court staff and its attorneys of
  record (nextgen.dockets.selectors).
- `CaseNumberCounter`: (court, year, case_type) -> last sequence, locked while a case
  opens, so numbers are never given twice and never skipped.
- `Party` (role, aliases in `PartyAlias`), `Representation` (attorney of record: a
  `ecf.FilerAccount` of the case's court, linked or approved through e-file
  registration; lead, to be noticed, pro hac vice, terminated).
- `FilingEvent`: a court's event list (data, seeded by nextgen.dockets.events and
  extensible by staff): menu (civil, criminal, bankruptcy, adversary), group (the
  heading in the menu), who files it (attorney or staff), whether it opens a case,
  whether it answers earlier entries, fee (per chapter for a petition: `fee_for`),
  whether its entries appear in the court's RSS feed (`in_rss_feed`).
- `DocketEntry`: numbered per case; date filed, date entered, text, event, filer
  (`filed_by`, the PACER account; null for imports), `filer_parties`, `relates_to`
  (``re: 12 Motion to Dismiss``), sealed, `modified_at` with `DocketEntryRevision`
  rows for every staff correction.
- `Document`: number 0 is the main document, 1.. attachments; the file lives in the
  "documents" storage (settings.STORAGES) under a random name and is served only by the
  document view. `stamp` is the court's electronic document stamp (nextgen.dockets.stamps).
- `CaseFee`: a fee due on the case for an entry (a complaint's $405); staff mark it paid
  with a receipt number. NextGen collects no money.

Writes go through nextgen.dockets.actions (open_case, file_entry, store_documents) and
nextgen.dockets.staff (court staff actions); reads through nextgen.dockets.selectors.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone
from django.utils.functional import LazyObject

from nextgen.ecf.models import Court, FilerAccount


class DocumentStorage(LazyObject):
    """The "documents" storage of settings.STORAGES, looked up when first used (and again
    after a test overrides STORAGES), so the model field does not freeze it at import."""

    def _setup(self) -> None:
        self._wrapped = storages["documents"]


document_storage = DocumentStorage()


def _document_storage():
    return document_storage


class CaseType(models.TextChoices):
    CIVIL = "cv", "Civil"
    CRIMINAL = "cr", "Criminal"
    BANKRUPTCY = "bk", "Bankruptcy"
    ADVERSARY = "ap", "Adversary proceeding"


DISTRICT_TYPES = (CaseType.CIVIL, CaseType.CRIMINAL)
BANKRUPTCY_TYPES = (CaseType.BANKRUPTCY, CaseType.ADVERSARY)

# Where each type's sequence starts in a year: bankruptcy numbers run 26-10001..., as the
# courts' first digit is the division; adversary proceedings 26-01001...
SEQUENCE_START: dict[str, int] = {
    CaseType.CIVIL: 0,
    CaseType.CRIMINAL: 0,
    CaseType.BANKRUPTCY: 10000,
    CaseType.ADVERSARY: 1000,
}


class JuryDemand(models.TextChoices):
    NONE = "", "None"
    PLAINTIFF = "plaintiff", "Plaintiff"
    DEFENDANT = "defendant", "Defendant"
    BOTH = "both", "Both"


class Case(models.Model):
    """One matter in one court; see the module docstring for the number parts."""

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="cases")
    case_type = models.CharField(max_length=2, choices=CaseType.choices)
    office = models.PositiveSmallIntegerField(default=0, help_text="District courts: 1-9.")
    year = models.PositiveSmallIntegerField(help_text="Two digits: 26 for 2026.")
    sequence = models.PositiveIntegerField()
    judge_initials = models.CharField(max_length=8, blank=True)
    title = models.CharField(max_length=500)
    nature_of_suit = models.CharField(max_length=120, blank=True)
    chapter = models.PositiveSmallIntegerField(null=True, blank=True)
    cause = models.CharField(max_length=200, blank=True)
    jurisdiction = models.CharField(max_length=80, blank=True)
    demand = models.CharField(max_length=80, blank=True)
    jury_demand = models.CharField(
        max_length=10, choices=JuryDemand.choices, default=JuryDemand.NONE, blank=True
    )
    judge = models.CharField("assigned judge", max_length=120, blank=True)
    date_filed = models.DateField(default=timezone.localdate)
    date_terminated = models.DateField(null=True, blank=True)
    sealed = models.BooleanField(default=False)
    main_case = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adversary_proceedings",
    )
    last_entry_number = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["court", "case_type", "year", "office", "sequence"],
                name="dockets_case_unique_number",
            ),
        ]
        indexes = [models.Index(fields=["court", "year", "sequence"])]
        ordering = ["court", "-year", "-sequence"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_district(self) -> bool:
        return self.case_type in DISTRICT_TYPES

    @property
    def number(self) -> str:
        """The case number as the court writes it: 3:26-cv-00042[-JAM] or 26-10042."""
        if self.is_district:
            base = f"{self.office}:{self.year:02d}-{self.case_type}-{self.sequence:05d}"
            return f"{base}-{self.judge_initials}" if self.judge_initials else base
        return f"{self.year:02d}-{self.sequence:05d}"

    @property
    def is_open(self) -> bool:
        return self.date_terminated is None


class CaseNumberCounter(models.Model):
    """The last sequence given per court, year and case type (locked while a case opens)."""

    court = models.ForeignKey(Court, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    case_type = models.CharField(max_length=2, choices=CaseType.choices)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["court", "year", "case_type"], name="dockets_counter_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.court_id} {self.year} {self.case_type}: {self.last}"


class PartyRole(models.TextChoices):
    PLAINTIFF = "Plaintiff"
    DEFENDANT = "Defendant"
    DEBTOR = "Debtor"
    JOINT_DEBTOR = "Joint Debtor"
    CREDITOR = "Creditor"
    TRUSTEE = "Trustee"
    US_TRUSTEE = "U.S. Trustee"
    INTERESTED_PARTY = "Interested Party"
    PETITIONER = "Petitioner"
    RESPONDENT = "Respondent"
    MOVANT = "Movant"
    INTERVENOR = "Intervenor"
    THIRD_PARTY_PLAINTIFF = "ThirdParty Plaintiff"
    THIRD_PARTY_DEFENDANT = "ThirdParty Defendant"
    COUNTER_CLAIMANT = "Counter Claimant"
    COUNTER_DEFENDANT = "Counter Defendant"


class Party(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    name = models.CharField(max_length=300)
    role = models.CharField(max_length=30, choices=PartyRole.choices)
    date_terminated = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "parties"

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"


class PartyAlias(models.Model):
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=300)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "party aliases"

    def __str__(self) -> str:
        return self.name


class Representation(models.Model):
    """An attorney of record for a party: a CM/ECF account of the case's court."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="representations")
    filer = models.ForeignKey(
        FilerAccount, on_delete=models.PROTECT, related_name="representations"
    )
    lead_attorney = models.BooleanField("lead attorney", default=False)
    to_be_noticed = models.BooleanField("attorney to be noticed", default=True)
    pro_hac_vice = models.BooleanField("pro hac vice", default=False)
    date_terminated = models.DateField(null=True, blank=True)
    # When staff ended it: the court's date alone cannot tell an entry made that morning
    # (served) from one made after the termination (not served). None for imported ends.
    terminated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["party", "filer"], name="dockets_representation_unique"
            ),
        ]
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.filer} for {self.party}"

    @property
    def is_active(self) -> bool:
        return self.date_terminated is None


class Menu(models.TextChoices):
    CIVIL = "civil", "Civil"
    CRIMINAL = "criminal", "Criminal"
    BANKRUPTCY = "bankruptcy", "Bankruptcy"
    ADVERSARY = "adversary", "Adversary"


# Which case type a menu's events are filed in.
MENU_CASE_TYPE: dict[str, CaseType] = {
    Menu.CIVIL: CaseType.CIVIL,
    Menu.CRIMINAL: CaseType.CRIMINAL,
    Menu.BANKRUPTCY: CaseType.BANKRUPTCY,
    Menu.ADVERSARY: CaseType.ADVERSARY,
}


class Filer(models.TextChoices):
    ATTORNEY = "attorney", "Attorneys and other filers"
    STAFF = "staff", "Court staff only"


class FilingEvent(models.Model):
    """One event of a court's filing menus; court staff may add their own."""

    court = models.ForeignKey(Court, on_delete=models.CASCADE, related_name="filing_events")
    code = models.SlugField(max_length=60)
    label = models.CharField(max_length=200)
    group = models.CharField(max_length=120)
    menu = models.CharField(max_length=12, choices=Menu.choices)
    who = models.CharField(max_length=10, choices=Filer.choices, default=Filer.ATTORNEY)
    opens_case = models.BooleanField(default=False)
    relates_to_entries = models.BooleanField(
        default=False, help_text="The filer picks the entries this one answers."
    )
    fee = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("0.00"))
    # Per chapter for a petition, e.g. {"7": "338.00", "11": "1738.00", "13": "313.00"}.
    chapter_fees = models.JSONField(default=dict, blank=True)
    document_required = models.BooleanField(default=True)
    is_opinion = models.BooleanField(default=False)
    # The court's public RSS feed (cgi-bin/rss_outside.pl) lists entries of the event
    # types staff leave ticked (nextgen.dockets.feed); sealed material never, whatever this says.
    in_rss_feed = models.BooleanField("in the RSS feed", default=True)
    active = models.BooleanField(default=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["court", "menu", "code"], name="dockets_event_unique_code"
            ),
        ]
        ordering = ["court", "menu", "order", "id"]

    def __str__(self) -> str:
        return f"{self.court_id} {self.menu}: {self.label}"

    @property
    def case_type(self) -> str:
        return MENU_CASE_TYPE[self.menu]

    def fee_for(self, case: Case | None = None, chapter: int | None = None) -> Decimal:
        """The fee due when this event is filed (a petition's depends on the chapter)."""
        chapter = chapter if chapter is not None else (case.chapter if case else None)
        if chapter is not None and str(chapter) in self.chapter_fees:
            return Decimal(str(self.chapter_fees[str(chapter)]))
        return self.fee


class DocketEntry(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="entries")
    number = models.PositiveIntegerField()
    date_filed = models.DateField(default=timezone.localdate)
    date_entered = models.DateTimeField(default=timezone.now)
    text = models.TextField("docket text")
    event = models.ForeignKey(
        FilingEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="docket_entries",
    )
    filer_parties = models.ManyToManyField(Party, blank=True, related_name="entries")
    relates_to = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="related_entries"
    )
    sealed = models.BooleanField(default=False)
    modified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="dockets_entry_unique_number"),
        ]
        ordering = ["case", "number"]
        verbose_name_plural = "docket entries"

    def __str__(self) -> str:
        return f"{self.case_id} #{self.number}"


class DocketEntryRevision(models.Model):
    """The text an entry had before a staff correction."""

    entry = models.ForeignKey(DocketEntry, on_delete=models.CASCADE, related_name="revisions")
    previous_text = models.TextField()
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["entry", "changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.entry_id} changed {self.changed_at:%Y-%m-%d}"


class Document(models.Model):
    entry = models.ForeignKey(DocketEntry, on_delete=models.CASCADE, related_name="documents")
    number = models.PositiveSmallIntegerField(help_text="0 is the main document.")
    description = models.CharField(max_length=200, blank=True)
    file = models.FileField(storage=_document_storage, max_length=255)
    original_name = models.CharField(max_length=255, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    stamp = models.TextField("electronic document stamp", blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "number"], name="dockets_document_unique"),
        ]
        indexes = [models.Index(fields=["file"])]
        ordering = ["entry", "number"]

    def __str__(self) -> str:
        return f"{self.entry_id}-{self.number}"

    @property
    def is_main(self) -> bool:
        return self.number == 0


class CaseFee(models.Model):
    """A filing fee due on a case; NextGen records it, court staff mark it paid."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="fees")
    entry = models.ForeignKey(
        DocketEntry, null=True, blank=True, on_delete=models.CASCADE, related_name="fees"
    )
    amount = models.DecimalField(max_digits=9, decimal_places=2)
    due = models.DateField(default=timezone.localdate)
    paid_at = models.DateTimeField(null=True, blank=True)
    receipt_number = models.CharField(max_length=40, blank=True)
    marked_paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["case", "due", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: ${self.amount}"

    @property
    def is_paid(self) -> bool:
        return self.paid_at is not None
