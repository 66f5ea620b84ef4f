"""Dockets test data: courts with their seeded events, cases, parties, counsel, files.

Cases and entries are made through the real actions (open_case, file_entry), so numbers,
fees and audit rows are what production makes."""

from __future__ import annotations

import io

from nextgen.dockets import actions
from nextgen.dockets.documents import DocumentUpload, store_documents
from nextgen.dockets.events import event
from nextgen.dockets.models import Case, CaseType, Menu, PartyRole, Representation
from nextgen.dockets.sample_pdf import tiny_pdf
from nextgen.ecf.models import CourtKind, CourtRole
from tests.factories import AccountFactory, CourtFactory, FilerAccountFactory


def district_court(code: str = "ctd"):
    return CourtFactory(code=code, kind=CourtKind.DISTRICT)


def bankruptcy_court(code: str = "cacb"):
    return CourtFactory(code=code, kind=CourtKind.BANKRUPTCY)


def filer(court, account=None, **kwargs):
    """A PACER account linked to a CM/ECF account of `court`."""
    account = account or AccountFactory()
    return FilerAccountFactory(court=court, account=account, **kwargs)


def staff(court, account=None):
    account = account or AccountFactory(first_name="Val", last_name="Clerk")
    CourtRole.objects.get_or_create(account=account, court=court, role=CourtRole.Role.STAFF)
    return account


def pdf_upload(title: str = "Document", pages: int = 1, description: str = "") -> DocumentUpload:
    data = io.BytesIO(tiny_pdf(title, pages))
    data.name = f"{title.lower().replace(' ', '_')}.pdf"
    return DocumentUpload(file=data, description=description)


def stored(court, *titles: str):
    return store_documents([pdf_upload(t) for t in titles or ("Document",)], court=court)


def civil_case(court, attorney_filer, *, title="Doe v. Acme Corp.", office=3, **kwargs) -> Case:
    """A civil case opened by `attorney_filer` for the plaintiff, with its complaint."""
    case, _ = actions.open_case(
        acting=attorney_filer.account,
        court=court,
        case_type=CaseType.CIVIL,
        title=title,
        office=office,
        parties=[
            actions.PartySpec("Jane Doe", PartyRole.PLAINTIFF, represented=True),
            actions.PartySpec("Acme Corp.", PartyRole.DEFENDANT, aliases=["Acme"]),
        ],
        event=event(court, Menu.CIVIL, "complaint"),
        documents=stored(court, "Complaint"),
        nature_of_suit="190 Contract: Other",
        **kwargs,
    )
    return case


def of_record(party, filer_account, **kwargs) -> Representation:
    return Representation.objects.create(party=party, filer=filer_account, **kwargs)


def stored_files(location) -> list:
    """Every file under the documents folder."""
    return sorted(p for p in location.rglob("*") if p.is_file())
