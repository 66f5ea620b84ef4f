"""Documents leave the server only through the document view, to those who may see them."""

import hashlib

import pytest
from django.urls import reverse

from nextgen.dockets import actions
from nextgen.dockets.events import event
from nextgen.dockets.models import Menu
from nextgen.dockets.sample_pdf import tiny_pdf
from tests.dockets.factories import civil_case, district_court, filer, staff, stored
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctd():
    return district_court("ctd")


@pytest.fixture
def counsel(ctd):
    return filer(ctd)


def doc_url(document, court="ctd"):
    return reverse("records:doc1", args=[court, document.pk])


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_signed_in_user_gets_the_pdf_of_an_unsealed_entry(ctd, counsel, client, login):
    case = civil_case(ctd, counsel)
    document = case.entries.get().documents.get()
    login(AccountFactory())
    # Through its Transaction Receipt (nextgen.records): "View Document" posts.
    response = client.post(doc_url(document))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = body(response)
    assert content == tiny_pdf("Complaint")
    assert hashlib.sha256(content).hexdigest() == document.sha256
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_signed_out_visitors_are_sent_to_sign_in(ctd, counsel, client):
    document = civil_case(ctd, counsel).entries.get().documents.get()
    response = client.get(doc_url(document))
    assert response.status_code == 302 and "/csologin/login/" in response["Location"]


def test_a_sealed_document_is_a_404_for_all_but_staff_and_counsel(ctd, counsel, client, login):
    case = civil_case(ctd, counsel)
    sealed = actions.file_entry(
        acting=counsel.account,
        case=case,
        event=event(ctd, Menu.CIVIL, "motion_to_dismiss"),
        documents=stored(ctd, "Sealed"),
        sealed=True,
    ).documents.get()
    for outsider in (AccountFactory(), staff(district_court("vid")), filer(ctd).account):
        client.logout()
        login(outsider)
        assert client.get(doc_url(sealed)).status_code == 404
    for insider in (counsel.account, staff(ctd)):
        client.logout()
        login(insider)
        assert client.get(doc_url(sealed)).status_code == 200


def test_a_document_is_not_found_through_another_courts_prefix(ctd, counsel, client, login):
    district_court("vid")
    document = civil_case(ctd, counsel).entries.get().documents.get()
    login(counsel.account)
    assert client.get(doc_url(document, "vid")).status_code == 404
    assert client.get(reverse("records:doc1", args=["ctd", 999999])).status_code == 404
    assert client.get(reverse("records:doc1", args=["ctd", 10**30])).status_code == 404
