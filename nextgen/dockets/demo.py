"""Demo cases with realistic dockets in vid, ctd, vib and cacb (`nextgen demo`).

John Attorney's CM/ECF accounts (jattorney_<court>) are of record in most of them, so
once he links, his cases, a 60-entry docket, a sealed entry (that only he and staff
see), a closed case and an adversary proceeding are there to try. Every document is
a tiny generated PDF, stored and stamped like a filed one.

Loaded through the legacy import (nextgen.dockets.importing), so numbers, counters and
idempotency are the importer's. A demo case whose number is already taken (by the demo
itself, or by a case someone opened) is left alone: re-running changes nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import dataclass

from nextgen.ecf.models import Court

from .documents import DocumentUpload, StoredDocument, discard, store_documents
from .importing import import_cases, parse_number
from .models import Case
from .sample_pdf import tiny_pdf

JOHN = "jattorney_{court}"


@dataclass(frozen=True)
class DemoCase:
    court: str
    number: str
    title: str
    note: str


def _pdf(court: Court, title: str, filed_on: dt.date) -> StoredDocument:
    [doc] = store_documents(
        [DocumentUpload(file=io.BytesIO(tiny_pdf(title)), original_name=f"{title[:40]}.pdf")],
        court=court,
        filed_on=filed_on,
    )
    return doc


class _Builder:
    """Builds one case's import line, storing a PDF for each document as it goes."""

    def __init__(self, court: Court, stored: list[StoredDocument]) -> None:
        self.court = court
        self.stored = stored

    def documents(self, number: int, label: str, filed_on: dt.date, attachments=()):
        docs = []
        for index, description in enumerate([label, *attachments]):
            doc = _pdf(self.court, f"{label} - {description}" if index else label, filed_on)
            self.stored.append(doc)
            docs.append(
                {
                    "number": index,
                    "path": doc.name,
                    "description": "" if index == 0 else description,
                    "pages": doc.page_count,
                    "size": doc.size,
                    "sha256": doc.sha256,
                    "stamp": doc.stamp,
                }
            )
        return docs

    def entry(
        self,
        number: int,
        filed_on: dt.date,
        text: str,
        *,
        event: str = "",
        label: str = "",
        relates_to=(),
        attachments=(),
        sealed: bool = False,
        document: bool = True,
    ) -> dict:
        return {
            "number": number,
            "date_filed": filed_on.isoformat(),
            "text": text,
            "event": event,
            "relates_to": list(relates_to),
            "sealed": sealed,
            "documents": self.documents(number, label or text[:60], filed_on, attachments)
            if document
            else [],
        }


def _long_docket(b: _Builder, start: dt.date, parties: tuple[str, str]) -> list[dict]:
    """A 60-entry civil docket: pleadings, motions with responses and replies, orders,
    minute entries (no document), and one sealed motion."""
    plaintiff, defendant = parties
    entries = [
        b.entry(
            1,
            start,
            f"COMPLAINT against {defendant} (Filing fee $405 receipt number ACTDC-7711234) "
            f"filed by {plaintiff}. (Attachments: # 1 Civil Cover Sheet, # 2 Exhibit A)",
            event="complaint",
            label="Complaint",
            attachments=("Civil Cover Sheet", "Exhibit A"),
        ),
        b.entry(2, start, "Summons Issued as to " + defendant + ".", document=True),
        b.entry(
            3,
            start + dt.timedelta(days=20),
            f"SUMMONS Returned Executed by {plaintiff}. {defendant} served.",
            event="summons_returned",
        ),
        b.entry(
            4,
            start + dt.timedelta(days=25),
            f"NOTICE of Appearance by Jon Attorny on behalf of {defendant}",
            event="notice_of_appearance",
        ),
    ]
    number = 5
    day = start + dt.timedelta(days=30)
    cycle = 0
    while number <= 60:
        cycle += 1
        day += dt.timedelta(days=7)  # the last entries stay before the demo's "today"
        kind = cycle % 5
        if kind == 1 and number + 3 <= 60:
            motion = number
            entries.append(
                b.entry(
                    motion,
                    day,
                    f"MOTION to Compel Discovery Responses (Set {cycle}) by {plaintiff}. "
                    "(Attachments: # 1 Memorandum in Support)",
                    label="Motion to Compel",
                    attachments=("Memorandum in Support",),
                )
            )
            entries.append(
                b.entry(
                    motion + 1,
                    day + dt.timedelta(days=14),
                    f"RESPONSE in Opposition re {motion} MOTION to Compel filed by {defendant}.",
                    event="response_opposition",
                    relates_to=[motion],
                )
            )
            entries.append(
                b.entry(
                    motion + 2,
                    day + dt.timedelta(days=21),
                    f"REPLY to Response to Motion re {motion} MOTION to Compel filed by "
                    f"{plaintiff}.",
                    event="reply_to_response",
                    relates_to=[motion],
                )
            )
            entries.append(
                b.entry(
                    motion + 3,
                    day + dt.timedelta(days=30),
                    f"ORDER granting in part {motion} Motion to Compel. Signed by Judge "
                    "Jeffrey A. Meyer.",
                    event="order",
                    relates_to=[motion],
                )
            )
            number += 4
        elif kind == 2:
            entries.append(
                b.entry(
                    number,
                    day,
                    "Minute Entry for proceedings held before Judge Jeffrey A. Meyer: "
                    "Telephonic Status Conference held.",
                    event="minute_entry",
                    document=False,
                )
            )
            number += 1
        elif kind == 3:
            entries.append(
                b.entry(
                    number,
                    day,
                    f"CERTIFICATE OF SERVICE by {plaintiff}.",
                    event="certificate_of_service",
                )
            )
            number += 1
        elif kind == 4:
            entries.append(
                b.entry(
                    number,
                    day,
                    f"NOTICE of Deposition of corporate representative by {plaintiff}.",
                    event="notice_other",
                )
            )
            number += 1
        else:
            entries.append(
                b.entry(
                    number,
                    day,
                    f"EXHIBIT {cycle} to the parties' joint status report by {plaintiff}.",
                    event="exhibit",
                )
            )
            number += 1
    # One sealed motion: only court staff and the attorneys of record see it.
    entries[16] = b.entry(
        entries[16]["number"],
        dt.date.fromisoformat(entries[16]["date_filed"]),
        f"SEALED MOTION for Leave to File Under Seal by {defendant}.",
        event="notice_other",
        sealed=True,
    )
    return entries[:60]


def _civil(number, title, filed, plaintiff, defendant, nos, plaintiff_login, defendant_login):
    def parties():
        p = {"name": plaintiff, "role": "Plaintiff"}
        d = {"name": defendant, "role": "Defendant"}
        if plaintiff_login:
            p["attorneys"] = [{"login": plaintiff_login, "lead": True}]
        if defendant_login:
            d["attorneys"] = [{"login": defendant_login, "lead": True}]
        return [p, d]

    return {
        "number": number,
        "title": title,
        "date_filed": filed.isoformat(),
        "nature_of_suit": nos,
        "cause": "28:1332 Diversity-Breach of Contract",
        "jurisdiction": "Diversity",
        "jury_demand": "plaintiff",
        "judge": "Judge Jeffrey A. Meyer",
        "parties": parties(),
    }


def _specs(court: Court, b: _Builder) -> list[tuple[dict, str]]:
    """(import line, what it shows) of the court's demo cases."""
    john = JOHN.format(court=court.code)
    d = dt.date
    if court.code == "ctd":
        doe = _civil(
            "3:26-cv-00101",
            "Doe v. Acme Corp.",
            d(2026, 1, 12),
            "Jane Doe",
            "Acme Corp.",
            "190 Contract: Other",
            john,
            "jattorny",
        )
        doe["entries"] = _long_docket(b, d(2026, 1, 12), ("Jane Doe", "Acme Corp."))
        smith = _civil(
            "3:25-cv-00417",
            "Smith v. Hartford Insurance Co.",
            d(2025, 3, 3),
            "Robert Smith",
            "Hartford Insurance Co.",
            "110 Insurance",
            "",
            john,
        )
        smith["date_terminated"] = "2025-10-20"
        smith["entries"] = [
            b.entry(
                1,
                d(2025, 3, 3),
                "COMPLAINT against Hartford Insurance Co. filed by Robert Smith.",
                event="complaint",
            ),
            b.entry(
                2,
                d(2025, 4, 1),
                "ANSWER to 1 Complaint by Hartford Insurance Co.",
                event="answer_complaint",
                relates_to=[1],
            ),
            b.entry(
                3,
                d(2025, 10, 14),
                "STIPULATION of Dismissal with prejudice by Hartford Insurance Co., Robert Smith.",
                event="stipulation",
            ),
            b.entry(
                4,
                d(2025, 10, 20),
                "ORDER dismissing case pursuant to 3 Stipulation. "
                "Case closed. Signed by Judge Jeffrey A. Meyer.",
                event="order",
                relates_to=[3],
            ),
        ]
        roe = {
            "number": "3:26-cr-00012",
            "title": "USA v. Roe",
            "date_filed": "2026-02-04",
            "judge": "Judge Janet C. Hall",
            "cause": "18:1343 Wire Fraud",
            "parties": [
                {"name": "USA", "role": "Plaintiff"},
                {
                    "name": "Richard Roe",
                    "role": "Defendant",
                    "attorneys": [{"login": john, "lead": True}],
                },
            ],
            "entries": [
                b.entry(
                    1,
                    d(2026, 2, 4),
                    "INDICTMENT as to Richard Roe (1) count(s) 1-4.",
                    event="indictment",
                ),
                b.entry(
                    2,
                    d(2026, 2, 11),
                    "Minute Entry for Arraignment as to Richard Roe "
                    "held before Judge Janet C. Hall: Plea of Not Guilty entered.",
                    event="minute_entry",
                    document=False,
                ),
            ],
        }
        return [
            (doe, "60-entry docket with a sealed entry; John Attorney for the plaintiff"),
            (smith, "closed case; John Attorney for the defendant"),
            (roe, "criminal case; John Attorney for the defendant"),
        ]
    if court.code == "vid":
        rivera = _civil(
            "3:26-cv-00007",
            "Rivera v. Caribbean Shipping LLC",
            d(2026, 3, 2),
            "Ana Rivera",
            "Caribbean Shipping LLC",
            "340 Marine",
            john,
            "",
        )
        rivera["entries"] = [
            b.entry(
                1,
                d(2026, 3, 2),
                "COMPLAINT against Caribbean Shipping LLC filed by Ana Rivera.",
                event="complaint",
                attachments=("Civil Cover Sheet",),
            ),
            b.entry(
                2,
                d(2026, 4, 6),
                "MOTION to Dismiss for Failure to State a Claim by Caribbean Shipping LLC.",
                event="motion_to_dismiss",
            ),
        ]
        charles = _civil(
            "1:26-cv-00015",
            "Charles v. Government of the Virgin Islands",
            d(2026, 5, 11),
            "Marcus Charles",
            "Government of the Virgin Islands",
            "440 Civil Rights: Other",
            "",
            "",
        )
        charles["entries"] = [
            b.entry(
                1,
                d(2026, 5, 11),
                "COMPLAINT against Government of the Virgin Islands filed by Marcus Charles.",
                event="complaint",
            ),
        ]
        return [
            (rivera, "John Attorney for the plaintiff; a motion to dismiss to answer"),
            (charles, "no demo attorney of record (file a Notice of Appearance)"),
        ]
    if court.code == "vib":
        breeze = {
            "number": "26-30005",
            "title": "Island Breeze Resort, LLC",
            "chapter": 11,
            "date_filed": "2026-04-14",
            "parties": [
                {
                    "name": "Island Breeze Resort, LLC",
                    "role": "Debtor",
                    "attorneys": [{"login": john, "lead": True}],
                },
                {"name": "Office of the U.S. Trustee", "role": "U.S. Trustee"},
                {"name": "Banco Popular", "role": "Creditor"},
            ],
            "entries": [
                b.entry(
                    1,
                    d(2026, 4, 14),
                    "Chapter 11 Voluntary Petition for Non-Individual. Fee Amount $1738.",
                    event="voluntary_petition",
                ),
                b.entry(
                    2,
                    d(2026, 5, 2),
                    "Motion for Relief from Stay filed by Banco Popular.",
                    event="motion_relief_stay",
                ),
            ],
        }
        return [(breeze, "chapter 11; John Attorney for the debtor")]
    if court.code == "cacb":
        gonzalez = {
            "number": "26-10042",
            "title": "Maria Gonzalez",
            "chapter": 7,
            "date_filed": "2026-01-20",
            "parties": [
                {
                    "name": "Maria Gonzalez",
                    "role": "Debtor",
                    "attorneys": [{"login": john, "lead": True}],
                },
                {"name": "Jason Rund", "role": "Trustee"},
            ],
            "entries": [
                b.entry(
                    1,
                    d(2026, 1, 20),
                    "Chapter 7 Voluntary Petition for Individuals. Fee Amount $338.",
                    event="voluntary_petition",
                ),
            ],
        }
        acme = {
            "number": "26-11234",
            "title": "Acme Widgets, Inc.",
            "chapter": 11,
            "date_filed": "2026-02-09",
            "parties": [
                {
                    "name": "Acme Widgets, Inc.",
                    "role": "Debtor",
                    "attorneys": [{"login": john, "lead": True}],
                },
                {"name": "Big Bank, N.A.", "role": "Creditor"},
            ],
            "entries": [
                b.entry(
                    1,
                    d(2026, 2, 9),
                    "Chapter 11 Voluntary Petition for Non-Individual. Fee Amount $1738.",
                    event="voluntary_petition",
                ),
            ],
        }
        adversary = {
            "number": "26-01003",
            "case_type": "ap",
            "main_case": "26-11234",
            "title": "Acme Widgets, Inc. v. Big Bank, N.A.",
            "date_filed": "2026-03-16",
            "parties": [
                {
                    "name": "Acme Widgets, Inc.",
                    "role": "Plaintiff",
                    "attorneys": [{"login": john, "lead": True}],
                },
                {"name": "Big Bank, N.A.", "role": "Defendant"},
            ],
            "entries": [
                b.entry(
                    1,
                    d(2026, 3, 16),
                    "Adversary case 26-01003. Complaint by Acme Widgets, "
                    "Inc. against Big Bank, N.A. Fee Amount $350. Nature of Suit: (14 "
                    "(Recovery of money/property - other)).",
                    event="adversary_complaint",
                ),
            ],
        }
        return [
            (gonzalez, "chapter 7; John Attorney for the debtor"),
            (acme, "chapter 11 with an adversary proceeding"),
            (adversary, "adversary proceeding in 26-11234; John Attorney for the plaintiff"),
        ]
    return []


DEMO_COURTS = ("ctd", "vid", "vib", "cacb")


def load_demo_cases() -> list[DemoCase]:
    """Add the demo cases that are missing; what there is to see, for `nextgen demo`."""
    shown: list[DemoCase] = []
    for court in Court.objects.filter(code__in=DEMO_COURTS).order_by("code"):
        listed = _specs(court, _NoFiles(court, []))
        missing = {spec["number"] for spec, _ in listed if not _taken(court, spec)}
        if missing:
            stored: list[StoredDocument] = []
            try:
                lines = [
                    json.dumps(spec).encode()
                    for spec, _ in _specs(court, _Builder(court, stored))
                    if spec["number"] in missing
                ]
                report = import_cases(court=court, lines=lines, source="demo")
                if report.errors:
                    raise RuntimeError(f"demo cases of {court.code}: {report.errors}")
            except BaseException:
                discard(stored)
                raise
        shown += [
            DemoCase(court.code, spec["number"], spec["title"], note) for spec, note in listed
        ]
    return shown


class _NoFiles(_Builder):
    """A builder that stores nothing: for listing the demo cases without making PDFs."""

    def documents(self, *args, **kwargs):
        return []


def _taken(court: Court, spec: dict) -> bool:
    case_type, year, office, sequence, _ = parse_number(
        court, spec["number"], spec.get("case_type", "")
    )
    return Case.objects.filter(
        court=court, case_type=case_type, year=year, office=office, sequence=sequence
    ).exists()


def print_demo_cases(write: Callable[[str], object]) -> None:
    """`nextgen demo` (signon.demo.DEMO_LOADERS): cases, which need the courts and CM/ECF
    accounts ecf's loaders made."""
    write("Demo cases (court / case number / title):")
    for case in load_demo_cases():
        write(f"  {case.court:<5} {case.number:<14} {case.title}: {case.note}")
