"""Records test data: a docket with what the reports must show and what they must not."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from nextgen.dockets import actions
from nextgen.dockets.documents import store_documents
from nextgen.dockets.events import event
from nextgen.dockets.models import Case, DocketEntry, FilingEvent, Menu
from tests.dockets.factories import civil_case, district_court, filer, pdf_upload, staff


@dataclass
class Docket:
    court: object
    case: Case
    counsel: object  # the plaintiff's CM/ECF account
    clerk: object  # a court staff PACER account
    complaint: DocketEntry
    motion: DocketEntry  # with two attachments
    sealed: DocketEntry
    opinion: DocketEntry


def opinion_event(court) -> FilingEvent:
    order = event(court, Menu.CIVIL, "order")
    order.is_opinion = True
    order.save(update_fields=["is_opinion"])
    return order


def docket(code: str = "ctd") -> Docket:
    court = district_court(code)
    counsel = filer(
        court,
        first_name="Ann",
        last_name="Counsel",
        firm="Counsel & Co.",
        address="1 Main Street",
        city="Hartford",
        state="CT",
        zip_code="06103",
        phone="860-555-0100",
        email="ann@counsel.example",
    )
    case = civil_case(
        court,
        counsel,
        cause="28:1332 Diversity-Breach of Contract",
        jurisdiction="Diversity",
        demand="$150,000",
        judge="Judge Janet A. Marsh",
        date_filed=dt.date(2026, 3, 2),
    )
    clerk = staff(court)
    plaintiff = case.parties.get(role="Plaintiff")
    motion = actions.file_entry(
        acting=counsel.account,
        case=case,
        event=event(court, Menu.CIVIL, "motion_to_dismiss"),
        text="MOTION to Dismiss for Lack of Jurisdiction by Jane Doe.",
        filer_parties=[plaintiff],
        documents=store_documents(
            [
                pdf_upload("Motion", pages=3),
                pdf_upload("Exhibit A", pages=2, description="Exhibit A"),
                pdf_upload("Exhibit B", description="Proposed Order"),
            ],
            court=court,
        ),
        date_filed=dt.date(2026, 3, 9),
    )
    sealed = actions.file_entry(
        acting=counsel.account,
        case=case,
        event=event(court, Menu.CIVIL, "motion_to_dismiss"),
        text="SEALED MOTION naming the informant.",
        filer_parties=[plaintiff],
        documents=store_documents([pdf_upload("Sealed")], court=court),
        sealed=True,
        date_filed=dt.date(2026, 3, 10),
    )
    opinion = actions.file_entry(
        acting=clerk,
        case=case,
        event=opinion_event(court),
        text="MEMORANDUM OPINION AND ORDER denying 2 Motion to Dismiss. Signed by Judge Marsh.",
        documents=store_documents([pdf_upload("Opinion", pages=4)], court=court),
        date_filed=dt.date(2026, 3, 20),
    )
    return Docket(
        court=court,
        case=case,
        counsel=counsel,
        clerk=clerk,
        complaint=case.entries.get(number=1),
        motion=motion,
        sealed=sealed,
        opinion=opinion,
    )
