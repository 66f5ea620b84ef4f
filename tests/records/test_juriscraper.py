"""The published juriscraper parsers read NextGen's PACER pages unchanged (no network:
each page is fetched from the test client and handed to the parser), and every field
they read is the data that made the page; sealed entries are left out."""

from __future__ import annotations

import logging
from decimal import Decimal

import pytest
from django.utils import timezone

from nextgen.records import selectors
from tests.factories import AccountFactory

logging.getLogger("Logger").setLevel(logging.WARNING)

from juriscraper.lib.string_utils import clean_string, harmonize  # noqa: E402
from juriscraper.pacer import (  # noqa: E402
    AttachmentPage,
    CaseQuery,
    DocketReport,
    DownloadConfirmationPage,
    FreeOpinionReport,
    PossibleCaseNumberApi,
)

pytestmark = pytest.mark.django_db


def parse(cls, response, court="ctd"):
    assert response.status_code == 200, response.content[:500]
    report = cls(court)
    report._parse_text(response.content.decode())
    return report


@pytest.fixture
def reader(d, client, login):
    account = AccountFactory(username="reader")
    login(account)
    return account


def run_docket_report(client, d, **extra):
    return client.post(
        f"/ecf/{d.court.code}/cgi-bin/DktRpt.pl",
        {
            "all_case_ids": d.case.pk,
            "list_of_parties_and_counsel": "on",
            "terminated_parties": "on",
            **extra,
        },
    )


def local(value) -> str:
    return timezone.localtime(value).date()


def test_case_query_reads_the_case(d, reader, client):
    data = parse(CaseQuery, client.get(f"/ecf/ctd/cgi-bin/iquery.pl?{d.case.pk}")).data
    case = d.case
    assert data["docket_number"] == case.number
    assert data["case_name_raw"] == case.title
    assert data["assigned_to_str"] == case.judge
    assert data["date_filed"] == case.date_filed
    # The sealed entry (03/10) is not the last filing: the opinion (03/20) is.
    assert data["date_last_filing"] == d.opinion.date_filed
    assert data["federal_dn_case_type"] == "cv" and data["federal_dn_office_code"] == "3"


def test_case_query_by_short_case_number_shows_the_case(d, reader, client):
    response = client.post("/ecf/ctd/cgi-bin/iquery.pl", {"case_num": f"26-cv-{d.case.sequence}"})
    assert parse(CaseQuery, response).data["docket_number"] == d.case.number


def test_docket_report_reads_every_field_as_stored(d, reader, client):
    report = parse(DocketReport, run_docket_report(client, d))
    meta = report.metadata
    case = d.case
    assert meta["docket_number"] == case.number
    assert meta["case_name"] == clean_string(harmonize(case.title))
    assert meta["assigned_to_str"] == case.judge.removeprefix("Judge ")
    assert meta["date_filed"] == case.date_filed
    assert meta["date_terminated"] is None
    assert meta["nature_of_suit"] == case.nature_of_suit
    assert meta["cause"] == case.cause
    assert meta["jurisdiction"] == case.jurisdiction
    assert meta["demand"] == case.demand

    parties = report.parties
    stored = list(case.parties.order_by("id"))
    assert [(p["name"], p["type"]) for p in parties] == [(p.name, p.role) for p in stored]
    plaintiff = parties[0]
    counsel = d.counsel
    assert [a["name"] for a in plaintiff["attorneys"]] == [
        f"{counsel.first_name} {counsel.last_name}"
    ]
    attorney = plaintiff["attorneys"][0]
    assert attorney["roles"] == ["LEAD ATTORNEY", "ATTORNEY TO BE NOTICED"]
    assert f"Email: {counsel.email}" in attorney["contact"]
    assert counsel.firm in attorney["contact"]
    assert "attorneys" not in parties[1]  # the defendant has no counsel of record

    visible = [d.complaint, d.motion, d.opinion]  # never the sealed entry
    entries = report.docket_entries
    assert [e["document_number"] for e in entries] == [str(e.number) for e in visible]
    for parsed, entry in zip(entries, visible, strict=True):
        assert parsed["date_filed"] == entry.date_filed
        assert parsed["date_entered"] == local(entry.date_entered)
        assert parsed["description"].startswith(entry.text)
        main = entry.documents.get(number=0)
        assert parsed["pacer_doc_id"] == selectors.doc_id(main, d.court)
        assert parsed["pacer_seq_no"] == str(entry.pk)
    assert "(Attachments: # 1 Exhibit A, # 2 Proposed Order)" in entries[1]["description"]
    assert d.sealed.text not in run_docket_report(client, d).content.decode()


def test_court_staff_see_the_sealed_entry_in_the_docket_report(d, client, login):
    login(d.clerk)
    entries = parse(DocketReport, run_docket_report(client, d)).docket_entries
    assert [e["document_number"] for e in entries] == ["1", "2", "3", "4"]
    assert entries[2]["description"].startswith(d.sealed.text)


def test_docket_report_options_narrow_the_entries(d, reader, client):
    response = run_docket_report(
        client,
        d,
        documents_numbered_from_="2",
        documents_numbered_to_="4",
        sort1="most recent date first",
    )
    entries = parse(DocketReport, response).docket_entries
    assert [e["document_number"] for e in entries] == ["4", "2"]
    response = run_docket_report(client, d, date_from="03/01/2026", date_to="03/09/2026")
    assert [e["document_number"] for e in parse(DocketReport, response).docket_entries] == [
        "1",
        "2",
    ]


def test_written_opinions_report_reads_the_opinion(d, reader, client):
    response = client.get(
        "/ecf/ctd/cgi-bin/WrtOpRpt.pl", {"filed_from": "03/01/2026", "filed_to": "03/31/2026"}
    )
    report = parse(FreeOpinionReport, response)
    assert report.reported_opinion_count == 1
    (row,) = report.data
    entry = d.opinion
    assert row["docket_number"] == d.case.number
    assert row["case_name"] == clean_string(harmonize(d.case.title))
    assert row["date_filed"] == entry.date_filed
    assert row["document_number"] == str(entry.number)
    assert row["description"] == entry.text
    assert row["pacer_case_id"] == str(d.case.pk)
    assert row["pacer_doc_id"] == selectors.doc_id(entry.documents.get(), d.court)
    assert row["nature_of_suit"] == d.case.nature_of_suit and row["cause"] == d.case.cause


def test_a_sealed_opinion_is_not_reported_even_to_staff(d, client, login):
    d.opinion.sealed = True
    d.opinion.save(update_fields=["sealed"])
    login(d.clerk)
    response = client.get(
        "/ecf/ctd/cgi-bin/WrtOpRpt.pl", {"filed_from": "03/01/2026", "filed_to": "03/31/2026"}
    )
    report = parse(FreeOpinionReport, response)
    assert report.reported_opinion_count == 0 and report.data == []


def test_document_receipt_reads_the_charge(d, reader, client):
    document = d.opinion.documents.get()
    page = parse(
        DownloadConfirmationPage, client.get(f"/ecf/ctd/doc1/{selectors.doc_id(document, d.court)}")
    )
    data = page.data
    assert data["docket_number"] == d.case.number
    assert data["document_number"] == str(d.opinion.number)
    assert data["billable_pages"] == str(document.page_count) == "4"
    assert Decimal(data["cost"]) == Decimal("0.40")
    assert data["document_description"] == f"Image{d.opinion.number}-0"
    assert data["transaction_date"] is not None


def test_attachment_page_lists_the_documents(d, reader, client):
    main = d.motion.documents.get(number=0)
    page = parse(AttachmentPage, client.get(f"/ecf/ctd/doc1/{selectors.doc_id(main, d.court)}"))
    data = page.data
    assert data["document_number"] == d.motion.number
    assert data["pacer_case_id"] == str(d.case.pk)
    assert data["pacer_doc_id"] == selectors.doc_id(main, d.court)
    assert data["page_count"] == main.page_count
    attachments = list(d.motion.documents.filter(number__gt=0).order_by("number"))
    assert [
        (a["attachment_number"], a["description"], a["page_count"], a["pacer_doc_id"])
        for a in data["attachments"]
    ] == [
        (a.number, a.description, a.page_count, selectors.doc_id(a, d.court)) for a in attachments
    ]


def test_possible_case_numbers_answers_in_pacers_xml(d, reader, client):
    api = PossibleCaseNumberApi("ctd")
    response = client.get(f"/ecf/ctd/cgi-bin/possible_case_numbers.pl?26-{d.case.sequence}")
    api._parse_text(response.content)
    assert api.data() == {
        "docket_number": d.case.number,
        "pacer_case_id": str(d.case.pk),
        "title": f"{d.case.number} {d.case.title}",
    }


def test_possible_case_numbers_of_a_sealed_case_is_cannot_find(d, reader, client):
    d.case.sealed = True
    d.case.save(update_fields=["sealed"])
    api = PossibleCaseNumberApi("ctd")
    response = client.get(f"/ecf/ctd/cgi-bin/possible_case_numbers.pl?26-{d.case.sequence}")
    api._parse_text(response.content)
    assert api.data() is None
    assert d.case.title.encode() not in response.content


def test_a_bankruptcy_docket_report_and_case_query_read_the_case(client, login):
    from nextgen.dockets import actions
    from nextgen.dockets.events import events_of
    from nextgen.dockets.models import CaseType, Menu, PartyRole
    from tests.dockets.factories import bankruptcy_court, filer, stored

    court = bankruptcy_court("cacb")
    counsel = filer(court)
    case, _ = actions.open_case(
        acting=counsel.account,
        court=court,
        case_type=CaseType.BANKRUPTCY,
        title="Jane Q. Debtor",
        chapter=7,
        parties=[
            actions.PartySpec("Jane Q. Debtor", PartyRole.DEBTOR, represented=True),
            actions.PartySpec("Tom Trustee", PartyRole.TRUSTEE),
        ],
        event=events_of(court, Menu.BANKRUPTCY).filter(opens_case=True).first(),
        documents=stored(court, "Petition"),
    )
    login(AccountFactory(username="reader"))
    response = client.post(
        "/ecf/cacb/cgi-bin/DktRpt.pl",
        {"all_case_ids": case.pk, "list_of_parties_and_counsel": "on"},
    )
    report = parse(DocketReport, response, court="cacb")
    assert report.metadata["docket_number"] == case.number
    assert report.metadata["case_name"] == "Jane Q. Debtor"
    assert report.metadata["nature_of_suit"] == ""
    assert [(p["name"], p["type"]) for p in report.parties] == [
        ("Jane Q. Debtor", "Debtor"),
        ("Tom Trustee", "Trustee"),
    ]
    assert [e["document_number"] for e in report.docket_entries] == ["1"]
    query = parse(CaseQuery, client.get(f"/ecf/cacb/cgi-bin/iquery.pl?{case.pk}"), court="cacb")
    assert query.data["docket_number"] == case.number
    assert query.data["chapter"] == "7" and query.data["case_type"] == "bk"

    # Bankruptcy attachment pages count the main document as 1 (the parser subtracts it).
    from nextgen.dockets.documents import store_documents
    from tests.dockets.factories import pdf_upload

    motion = actions.file_entry(
        acting=counsel.account,
        case=case,
        event=events_of(court, Menu.BANKRUPTCY)
        .filter(opens_case=False, who="attorney", document_required=True)
        .first(),
        text="MOTION for Relief from Stay.",
        filer_parties=[case.parties.get(role="Debtor")],
        documents=store_documents(
            [pdf_upload("Motion"), pdf_upload("Exhibit", description="Exhibit 1")], court=court
        ),
    )
    main = motion.documents.get(number=0)
    page = parse(
        AttachmentPage, client.get(f"/ecf/cacb/doc1/{selectors.doc_id(main, court)}"), "cacb"
    )
    assert page.data["pacer_doc_id"] == selectors.doc_id(main, court)
    assert [(a["attachment_number"], a["description"]) for a in page.data["attachments"]] == [
        (1, "Exhibit 1")
    ]
