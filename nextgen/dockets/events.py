"""The filing events every court starts with (its own table; staff may add more).

`seed_events(court)` runs when a court is created (nextgen.dockets.apps connects it to
Court's post_save) and, through migration 0002, for the courts that existed before.
It only adds what is missing, so staff changes to seeded rows survive a re-run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from nextgen.ecf.models import Court, CourtKind

from .models import Filer, FilingEvent, Menu

# Groups, in the menus' words.
OPEN_CIVIL = "Open a Civil Case"
PLEADINGS = "Initial Pleadings and Service"
MOTIONS = "Motions and Related Filings"
OTHER_FILINGS = "Other Filings"
OPEN_CRIMINAL = "Open a Criminal Case"
CR_MOTIONS = "Motions"
CR_RESPONSES = "Responses and Replies"
CR_OTHER = "Other Documents"
OPEN_BANKRUPTCY = "Open a Bankruptcy Case"
BK_MOTIONS = "Motions/Applications"
BK_OTHER = "Other"
OPEN_ADVERSARY = "Open an Adversary Proceeding"
AP_ANSWERS = "Answers and Responses"
AP_MOTIONS = "Motions"
AP_OTHER = "Other"
ORDERS = "Orders and Judgments"
MINUTES = "Other Events"

# Filing fees (28 U.S.C. 1914 and 1930, with the Judicial Conference's miscellaneous fees).
CIVIL_COMPLAINT_FEE = Decimal("405.00")
PETITION_FEES = {"7": "338.00", "11": "1738.00", "13": "313.00"}
ADVERSARY_COMPLAINT_FEE = Decimal("350.00")
RELIEF_FROM_STAY_FEE = Decimal("199.00")


@dataclass(frozen=True)
class Seed:
    code: str
    label: str
    group: str
    who: str = Filer.ATTORNEY
    opens_case: bool = False
    relates_to_entries: bool = False
    fee: Decimal = Decimal("0.00")
    chapter_fees: dict = field(default_factory=dict)
    document_required: bool = True


def _staff_events() -> list[Seed]:
    return [
        Seed("order", "Order", ORDERS, who=Filer.STAFF, relates_to_entries=True),
        Seed(
            "minute_entry",
            "Minute Entry",
            MINUTES,
            who=Filer.STAFF,
            relates_to_entries=True,
            document_required=False,
        ),
    ]


def _common_filings(group_other: str, group_motions: str, group_responses: str) -> list[Seed]:
    return [
        Seed("motion_to_dismiss", "Motion to Dismiss", group_motions),
        Seed("motion_summary_judgment", "Motion for Summary Judgment", group_motions),
        Seed(
            "response_opposition",
            "Response in Opposition to Motion",
            group_responses,
            relates_to_entries=True,
        ),
        Seed(
            "reply_to_response",
            "Reply to Response to Motion",
            group_responses,
            relates_to_entries=True,
        ),
        Seed("notice_of_appearance", "Notice of Appearance", group_other),
        Seed("stipulation", "Stipulation", group_other),
        Seed("notice_other", "Notice (Other)", group_other),
        Seed("exhibit", "Exhibit", group_other, relates_to_entries=True),
        Seed("certificate_of_service", "Certificate of Service", group_other),
    ]


SEEDS: dict[str, list[Seed]] = {
    Menu.CIVIL: [
        Seed("complaint", "Complaint", OPEN_CIVIL, opens_case=True, fee=CIVIL_COMPLAINT_FEE),
        Seed("answer_complaint", "Answer to Complaint", PLEADINGS, relates_to_entries=True),
        Seed("summons_returned", "Summons Returned Executed", PLEADINGS),
        *_common_filings(OTHER_FILINGS, MOTIONS, MOTIONS),
        *_staff_events(),
    ],
    Menu.CRIMINAL: [
        Seed("indictment", "Indictment", OPEN_CRIMINAL, who=Filer.STAFF, opens_case=True),
        Seed("information", "Information", OPEN_CRIMINAL, who=Filer.STAFF, opens_case=True),
        *_common_filings(CR_OTHER, CR_MOTIONS, CR_RESPONSES),
        *_staff_events(),
    ],
    Menu.BANKRUPTCY: [
        Seed(
            "voluntary_petition",
            "Voluntary Petition",
            OPEN_BANKRUPTCY,
            opens_case=True,
            fee=Decimal(PETITION_FEES["7"]),
            chapter_fees=PETITION_FEES,
        ),
        Seed(
            "motion_relief_stay",
            "Motion for Relief from Stay",
            BK_MOTIONS,
            fee=RELIEF_FROM_STAY_FEE,
        ),
        *_common_filings(BK_OTHER, BK_MOTIONS, BK_OTHER),
        *_staff_events(),
    ],
    Menu.ADVERSARY: [
        Seed(
            "adversary_complaint",
            "Adversary Complaint",
            OPEN_ADVERSARY,
            opens_case=True,
            fee=ADVERSARY_COMPLAINT_FEE,
        ),
        Seed("answer_complaint", "Answer to Complaint", AP_ANSWERS, relates_to_entries=True),
        *_common_filings(AP_OTHER, AP_MOTIONS, AP_ANSWERS),
        *_staff_events(),
    ],
}

MENUS_OF_KIND: dict[str, tuple[str, ...]] = {
    CourtKind.DISTRICT: (Menu.CIVIL, Menu.CRIMINAL),
    CourtKind.BANKRUPTCY: (Menu.BANKRUPTCY, Menu.ADVERSARY),
}


def seed_events(court: Court, *, model=FilingEvent) -> int:
    """Add the seeded events this court lacks; the number added. `model` lets the data
    migration pass its historical model."""
    existing = set(model.objects.filter(court_id=court.pk).values_list("menu", "code"))
    rows = []
    for menu in MENUS_OF_KIND.get(court.kind, ()):
        for order, seed in enumerate(SEEDS[menu], start=1):
            if (menu, seed.code) in existing:
                continue
            rows.append(
                model(
                    court_id=court.pk,
                    menu=menu,
                    order=order * 10,
                    code=seed.code,
                    label=seed.label,
                    group=seed.group,
                    who=seed.who,
                    opens_case=seed.opens_case,
                    relates_to_entries=seed.relates_to_entries,
                    fee=seed.fee,
                    chapter_fees=dict(seed.chapter_fees),
                    document_required=seed.document_required,
                )
            )
    # ignore_conflicts: two processes creating the same court's events at once agree.
    model.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def events_of(court: Court, menu: str) -> QuerySet[FilingEvent]:
    """A menu's active events in menu order (group order follows the first event of each)."""
    return FilingEvent.objects.filter(court=court, menu=menu, active=True).order_by("order", "id")


def event(court: Court, menu: str, code: str) -> FilingEvent:
    """One event by code (FilingEvent.DoesNotExist when the court has none)."""
    return FilingEvent.objects.get(court=court, menu=menu, code=code)
