"""A page or document the reader does not receive is never charged and never spends a
free look: a HEAD request, a file that cannot be read, a byte range past the end. And
no case id a client can type is a server error."""

from __future__ import annotations

import pytest

from nextgen.fees.models import Transaction
from nextgen.records import selectors

pytestmark = pytest.mark.django_db

QUERY = "/ecf/ctd/cgi-bin/iquery.pl"


def charges(account) -> list[Transaction]:
    return list(Transaction.objects.filter(account=account))


def doc_url(document, court) -> str:
    return f"/ecf/{court.code}/doc1/{selectors.doc_id(document, court)}"


def test_a_head_request_of_a_query_menu_report_is_refused_and_not_charged(d, reader, client):
    response = client.head(f"/ecf/ctd/cgi-bin/qry/summary.pl?{d.case.pk}")
    assert response.status_code == 405 and response["Allow"] == "GET"
    assert charges(reader) == []
    assert client.get(f"/ecf/ctd/cgi-bin/qry/summary.pl?{d.case.pk}").status_code == 200
    assert len(charges(reader)) == 1


def test_a_head_request_of_the_written_opinions_report_records_no_row(d, reader, client):
    report = {"filed_from": "03/01/2026", "filed_to": "03/31/2026"}
    assert client.head("/ecf/ctd/cgi-bin/WrtOpRpt.pl", report).status_code == 405
    assert charges(reader) == []
    # Its empty form is still there for a HEAD, as for a GET.
    assert client.head("/ecf/ctd/cgi-bin/WrtOpRpt.pl").status_code == 200


def test_view_document_of_a_file_that_cannot_be_read_is_not_found_and_not_charged(
    d, reader, client
):
    document = d.opinion.documents.get()
    document.file.storage.delete(document.file.name)
    assert client.post(doc_url(document, d.court)).status_code == 404
    assert charges(reader) == []


def test_view_document_with_a_range_past_the_end_is_answered_416_and_not_charged(d, reader, client):
    document = d.opinion.documents.get()
    response = client.post(doc_url(document, d.court), HTTP_RANGE="bytes=99999999-")
    assert response.status_code == 416
    assert response["Content-Range"].startswith("bytes */")
    assert charges(reader) == []
    # A range the file has is still served, and charged once.
    response = client.post(doc_url(document, d.court), HTTP_RANGE="bytes=0-9")
    assert response.status_code == 206 and len(b"".join(response.streaming_content)) == 10
    assert len(charges(reader)) == 1


@pytest.mark.parametrize("typed", ["\u00b2", "1\u00b2", "\u00b9\u00b2"])
def test_a_case_id_of_digits_int_refuses_is_not_found_not_a_server_error(d, reader, client, typed):
    client.raise_request_exception = False
    response = client.post(QUERY, {"all_case_ids": typed})
    assert response.status_code < 500
    report = client.post("/ecf/ctd/cgi-bin/DktRpt.pl", {"all_case_ids": typed})
    assert report.status_code < 500
    assert charges(reader) == []


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("shape", ["{pk:020d}/", "{pk:020d}", "{doc_id:0>16}", "{pk:016d}/"])
def test_a_doc1_id_padded_past_15_digits_is_not_found_and_nothing_is_streamed(
    d, reader, client, method, shape
):
    # Any doc1 path is the records view's: a longer id reaches no other route that would
    # stream the file without its receipt, its charge or the firm's client-code rule.
    document = d.opinion.documents.get()
    path = shape.format(pk=document.pk, doc_id=selectors.doc_id(document, d.court))
    response = getattr(client, method)(f"/ecf/ctd/doc1/{path}")
    assert response.status_code == 404
    assert not Transaction.objects.filter(account=reader).exists()
