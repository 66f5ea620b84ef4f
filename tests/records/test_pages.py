"""The records pages: what they find, what they charge (what is actually sent), and what
they never show to those not entitled."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from nextgen.dockets import actions
from nextgen.dockets.events import event
from nextgen.dockets.models import Menu, Party, PartyRole
from nextgen.dockets.sample_pdf import tiny_pdf
from nextgen.fees.models import Kind, Transaction
from nextgen.records import selectors
from tests.dockets.factories import civil_case, stored
from tests.fees.factories import charge as fee_charge

pytestmark = pytest.mark.django_db

QUERY = "/ecf/ctd/cgi-bin/iquery.pl"
DOCKET = "/ecf/ctd/cgi-bin/DktRpt.pl"


def report_part(response) -> bytes:
    """The report as sent, between the page's markers (the receipt is not part of it)."""
    content = response.content
    return content.split(b"<!--report-->", 1)[1].split(b"<!--/report-->", 1)[0]


def charges(account):
    return list(Transaction.objects.filter(account=account).order_by("id"))


# --- Query -----------------------------------------------------------------------


def test_the_court_menu_leads_to_query_and_reports(d, reader, client):
    page = client.get("/ecf/ctd/cgi-bin/").content.decode()
    assert f'href="{QUERY}"' in page
    assert 'href="/ecf/ctd/cgi-bin/DisplayMenu.pl"' in page


def smithers_case(d):
    case = civil_case(d.court, d.counsel, title="Roe v. Smithers Inc.")
    Party.objects.create(case=case, name="Smithers Inc.", role=PartyRole.DEFENDANT)
    return case


def test_a_wildcard_party_search_finds_the_case_and_charges_the_bytes_sent(d, reader, client):
    other = smithers_case(d)
    response = client.post(QUERY, {"last_name": "Smi*"})
    page = response.content.decode()
    assert other.number in page and d.case.number not in page
    (charge,) = charges(reader)
    assert charge.kind == "search" and charge.client_code == "acme-42"
    assert charge.billable_pages == math.ceil(len(report_part(response)) / 4320)
    assert f"{charge.cost}" in page.split("<!--/report-->")[1]


def test_a_whole_word_without_wildcard_does_not_match_a_longer_name(d, reader, client):
    other = smithers_case(d)
    page = client.post(QUERY, {"last_name": "Smith"}).content.decode()
    assert "No records found." in page
    page = client.post(QUERY, {"last_name": "smithers"}).content.decode()
    assert other.number in page
    page = client.post(QUERY, {"last_name": "*ithers", "first_name": "Inc*"}).content.decode()
    assert other.number in page


def test_a_search_that_finds_nothing_costs_one_page(d, reader, client):
    response = client.post(QUERY, {"last_name": "Nobody*"})
    assert "No records found." in response.content.decode()
    (charge,) = charges(reader)
    assert charge.billable_pages == 1 and charge.cost == Decimal("0.10")


def test_search_filters_status_and_filed_dates(d, reader, client):
    d.case.date_terminated = d.case.date_filed
    d.case.save(update_fields=["date_terminated"])
    assert (
        d.case.number
        not in client.post(QUERY, {"last_name": "Doe", "case_status": "open"}).content.decode()
    )
    assert (
        d.case.number
        in client.post(QUERY, {"last_name": "Doe", "case_status": "closed"}).content.decode()
    )
    assert (
        d.case.number
        not in client.post(
            QUERY, {"last_name": "Doe", "Qry_filed_from": "04/01/2026"}
        ).content.decode()
    )


def test_bad_query_input_names_the_field_keeps_the_text_and_charges_nothing(d, reader, client):
    response = client.post(QUERY, {"last_name": "Doe", "Qry_filed_from": "31/31/2026"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a date as MM/DD/YYYY." in page and 'value="31/31/2026"' in page
    assert client.post(QUERY, {}).status_code == 400
    assert client.post(QUERY, {"case_num": "not a number"}).status_code == 400
    assert charges(reader) == []


def test_a_sealed_case_is_never_found_nor_counted(d, reader, client):
    hidden = civil_case(d.court, d.counsel, title="Doe v. Secret Corp.", sealed=True)
    page = client.post(QUERY, {"last_name": "Doe"}).content.decode()
    assert hidden.number not in page and "Secret" not in page
    assert "1 case found." in page
    response = client.get(f"{QUERY}?{hidden.pk}")
    assert response.status_code == 404 and "Secret" not in response.content.decode()
    response = client.post(DOCKET, {"all_case_ids": hidden.pk})
    assert response.status_code == 400 and "Secret" not in response.content.decode()
    for report in ("summary", "parties", "attorneys", "history"):
        response = client.get(f"/ecf/ctd/cgi-bin/qry/{report}.pl?{hidden.pk}")
        assert response.status_code == 404


def test_counsel_of_record_find_their_sealed_case(d, client, login):
    hidden = civil_case(d.court, d.counsel, title="Doe v. Secret Corp.", sealed=True)
    login(d.counsel.account)
    assert hidden.number in client.post(QUERY, {"last_name": "Doe"}).content.decode()


@pytest.mark.parametrize(
    "report", ["summary", "parties", "attorneys", "history", "alias", "status", "filers"]
)
def test_query_menu_reports_show_the_case_without_sealed_entries(d, reader, client, report):
    response = client.get(f"/ecf/ctd/cgi-bin/qry/{report}.pl?{d.case.pk}")
    assert response.status_code == 200
    page = response.content.decode()
    assert d.case.number in page and d.sealed.text not in page
    (charge,) = charges(reader)
    assert charge.billable_pages == min(math.ceil(len(report_part(response)) / 4320), 30)


# --- Docket Report ---------------------------------------------------------------


def test_docket_report_options_page_uses_cm_ecf_parameter_names(d, reader, client):
    page = client.get(f"{DOCKET}?{d.case.pk}").content.decode()
    for name in (
        "all_case_ids",
        "date_range_type",
        "date_from",
        "date_to",
        "documents_numbered_from_",
        "documents_numbered_to_",
        "list_of_parties_and_counsel",
        "terminated_parties",
        "sort1",
        "output_format",
    ):
        assert f'name="{name}"' in page
    assert charges(reader) == []


def test_docket_report_charges_the_report_part_capped_at_30_pages(d, reader, client):
    response = client.post(DOCKET, {"all_case_ids": d.case.pk, "list_of_parties_and_counsel": "on"})
    (charge,) = charges(reader)
    assert charge.kind == "report" and charge.description == "Docket Report"
    assert charge.billable_pages == min(math.ceil(len(report_part(response)) / 4320), 30)
    assert d.case.number in charge.criteria


def test_docket_report_bad_ranges_name_the_field(d, reader, client):
    response = client.post(
        DOCKET,
        {"all_case_ids": d.case.pk, "documents_numbered_from_": "5", "documents_numbered_to_": "2"},
    )
    assert response.status_code == 400
    assert "The starting document number must be less than" in response.content.decode()
    assert charges(reader) == []


def _add_entries(d, count: int) -> None:
    for _ in range(count):
        actions.file_entry(
            acting=d.counsel.account,
            case=d.case,
            event=event(d.court, Menu.CIVIL, "notice_other"),
            text="NOTICE by Jane Doe.",
            filer_parties=[d.case.parties.get(role="Plaintiff")],
            documents=stored(d.court, "Notice", "Exhibit"),
        )


def docket_report_sql(client, d) -> list[str]:
    """The statements of one docket report POST (parties and terminated parties listed)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            DOCKET,
            {
                "all_case_ids": d.case.pk,
                "list_of_parties_and_counsel": "on",
                "terminated_parties": "on",
            },
        )
    assert response.status_code == 200
    return [q["sql"] for q in queries]


def test_docket_report_query_count_does_not_grow_with_the_entries(d, reader, client):
    docket_report_sql(client, d)  # warm-up: what a session caches on its first page
    few = len(docket_report_sql(client, d))
    _add_entries(d, 12)
    assert len(docket_report_sql(client, d)) == few


# --- documents -------------------------------------------------------------------


def doc_url(document, court) -> str:
    return f"/ecf/{court.code}/doc1/{selectors.doc_id(document, court)}"


def test_the_receipt_comes_first_and_viewing_charges_once(d, reader, client):
    document = d.opinion.documents.get()
    receipt = client.get(doc_url(document, d.court))
    assert receipt["Content-Type"].startswith("text/html")
    assert "View Document" in receipt.content.decode()
    assert charges(reader) == []
    response = client.post(doc_url(document, d.court))
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == tiny_pdf("Opinion", 4)
    (charge,) = charges(reader)
    assert charge.kind == "document" and charge.billable_pages == 4
    assert charge.cost == Decimal("0.40") and charge.client_code == "acme-42"


def test_the_receipt_warns_before_a_view_that_crosses_the_quarterly_waiver(d, reader, client):
    document = d.opinion.documents.get()  # 4 pages: $0.40
    assert 'id="waiver-notice"' not in client.get(doc_url(document, d.court)).content.decode()
    # $29.80 this quarter already: $0.40 more crosses the $30.00 waiver.
    fee_charge(reader, d.court, html_bytes=298 * 4320, kind=Kind.SEARCH)
    page = client.get(doc_url(document, d.court)).content.decode()
    assert 'id="waiver-notice"' in page and "29.80" in page
    # Juriscraper still reads the receipt beneath the notice.
    assert "View Document" in page and charges(reader)[-1].cost == Decimal("29.80")


def test_a_range_request_gets_part_of_the_paid_document(d, reader, client):
    document = d.opinion.documents.get()
    content = tiny_pdf("Opinion", 4)
    url = doc_url(document, d.court)
    client.post(url)
    response = client.get(url, HTTP_RANGE="bytes=10-99")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 10-99/{len(content)}"
    assert b"".join(response.streaming_content) == content[10:100]
    tail = client.get(url, HTTP_RANGE="bytes=-20")
    assert b"".join(tail.streaming_content) == content[-20:]
    assert client.get(url, HTTP_RANGE=f"bytes={len(content) + 5}-").status_code == 416
    assert len(charges(reader)) == 1  # re-requests of a paid view are not charged again


def test_an_unpaid_range_request_gets_the_receipt_not_the_file(d, reader, client):
    document = d.opinion.documents.get()
    response = client.get(doc_url(document, d.court), HTTP_RANGE="bytes=0-99")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")


def test_view_document_needs_the_csrf_token(d, reader, client):
    document = d.opinion.documents.get()
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = client.cookies
    assert strict.post(doc_url(document, d.court)).status_code == 403
    assert charges(reader) == []


def test_sealed_documents_are_not_found_for_others(d, reader, client):
    document = d.sealed.documents.get()
    assert client.get(doc_url(document, d.court)).status_code == 404
    assert client.post(doc_url(document, d.court)).status_code == 404
    assert charges(reader) == []


def test_written_opinions_are_free(d, reader, client):
    client.get(
        "/ecf/ctd/cgi-bin/WrtOpRpt.pl", {"filed_from": "03/01/2026", "filed_to": "03/31/2026"}
    )
    (charge,) = charges(reader)
    assert charge.cost == Decimal("0.00")


def test_court_staff_mark_which_events_are_written_opinions(d, client, login):
    from django.urls import reverse

    from nextgen.audit.models import Event as AuditEvent

    order = event(d.court, Menu.CIVIL, "order")
    login(d.clerk)
    client.post(reverse("dockets:staff_event_not_opinion", args=["ctd", order.pk]))
    report = {"filed_from": "03/01/2026", "filed_to": "03/31/2026"}
    page = client.get("/ecf/ctd/cgi-bin/WrtOpRpt.pl", report).content.decode()
    assert d.opinion.text not in page
    client.post(reverse("dockets:staff_event_opinion", args=["ctd", order.pk]))
    assert d.opinion.text in client.get("/ecf/ctd/cgi-bin/WrtOpRpt.pl", report).content.decode()
    assert AuditEvent.objects.filter(action="docket.staff.mark_opinion").exists()


def test_only_court_staff_may_mark_written_opinions(d, reader, client):
    from django.urls import reverse

    order = event(d.court, Menu.CIVIL, "order")
    client.post(reverse("dockets:staff_event_not_opinion", args=["ctd", order.pk]))
    order.refresh_from_db()
    assert order.is_opinion


def test_a_redeemed_free_look_shows_the_document_and_is_charged_nothing(
    d, reader, client, monkeypatch
):
    from nextgen.dockets import listeners

    document = d.opinion.documents.get()
    spent = []

    def redeem(*, acting, request, document, key):
        if key == "4242" and acting == reader and not spent:
            spent.append(key)
            return True
        return False

    monkeypatch.setattr(listeners, "FREE_LOOK_REDEEMER", [redeem])
    response = client.get(doc_url(document, d.court) + "?magic_num=4242")
    assert response["Content-Type"] == "application/pdf"
    (charge,) = charges(reader)
    assert charge.cost == Decimal("0.00") and charge.free_reason == "free-look"
    again = client.get(doc_url(document, d.court) + "?magic_num=4242&x=1")
    assert again["Content-Type"] == "application/pdf"  # the paid-view window of the free look
    client.logout()


@pytest.mark.parametrize("query", ["%00%ff<x>", "'\"&", "9" * 200, ""])
def test_possible_case_numbers_answers_any_query_with_clean_xml(d, reader, client, query):
    from xml.etree import ElementTree

    response = client.get(f"/ecf/ctd/cgi-bin/possible_case_numbers.pl?{query}")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    assert root.tag == "request" and root.find("message") is not None


@pytest.mark.parametrize(
    "path",
    [
        "/ecf/ctd/cgi-bin/iquery.pl?99999999999",
        "/ecf/ctd/cgi-bin/DktRpt.pl?99999999999",
        "/ecf/ctd/cgi-bin/qry/summary.pl?abc",
        "/ecf/ctd/cgi-bin/qry/nothing.pl?1",
        "/ecf/ctd/doc1/999999999999999",
        "/ecf/ctd/doc1/041000000001",
    ],
)
def test_odd_ids_are_not_found_never_a_server_error(d, reader, client, path):
    assert client.get(path).status_code in (200, 404)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
def test_the_name_condition_matches_the_trigram_index_expression(d, reader):
    # The whole search's plan at scale is make bench's figure 13; here, that the name
    # condition the Query page writes is one the index answers (same expression).
    with connection.cursor() as cursor:
        # The tiny test table, as if large: no sequential scan, and no plain index scan of
        # the primary key with the condition as a filter (which the planner may prefer on
        # a handful of rows); what remains is the trigram index.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    search = selectors.CaseSearch(last_name="Smi*")
    names = Party.objects.annotate(padded_name=selectors.PADDED_NAME)
    plan = names.filter(selectors.matching_parties(search)).explain()
    assert "records_party_name_trgm" in plan
