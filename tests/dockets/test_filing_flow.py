"""The filing flow end to end through its pages: each step, each refusal, once only."""

from __future__ import annotations

import io
import os
import re
import time
from unittest import mock

import pytest
import redis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from nextgen.audit.models import Event
from nextgen.dockets.events import event
from nextgen.dockets.filing import uploads
from nextgen.dockets.filing.flow import FLOW_TTL
from nextgen.dockets.models import Case, CaseFee, DocketEntry, Menu, Party, Representation
from nextgen.dockets.sample_pdf import tiny_pdf
from nextgen.signon.models import UserType
from tests.dockets import factories as f
from tests.dockets import pdfs
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def pdf(name="motion.pdf", data=None):
    return SimpleUploadedFile(name, data or tiny_pdf("Motion"), content_type="application/pdf")


def client_for(account) -> Client:
    client = Client()
    client.force_login(account)
    return client


def url(name, court, *args):
    return reverse(f"filing:{name}", args=[court.code, *args])


def start(client, court, menu, code):
    ev = event(court, menu, code)
    return client.post(url("start", court, menu, ev.pk))


def flow_id(response) -> str:
    return re.search(
        r'name="flow" value="([0-9a-f]+)"', response.content.decode().replace("&#x27;", "'")
    ).group(1)


@pytest.fixture
def court():
    return f.district_court("ctd")


@pytest.fixture
def john(court):
    return f.filer(court, login="jattorney")


@pytest.fixture
def case(court, john):
    return f.civil_case(court, john)


def file_motion(client, court, case, *, text="for Lack of Jurisdiction", attach=True):
    """Walk a Motion to Dismiss through every step up to the final review page."""
    response = start(client, court, Menu.CIVIL, "motion_to_dismiss")
    assert response.status_code == 302 and response.url == url("case", court)
    response = client.post(url("case", court), {"case_number": f"26-{case.sequence}"})
    assert response.status_code == 302, response.content.decode().replace("&#x27;", "'")[:3000]
    assert response.url == url("confirm", court)
    assert client.post(url("confirm", court)).url == url("parties", court)
    plaintiff = case.parties.get(role="Plaintiff")
    response = client.post(url("parties", court), {"parties": [plaintiff.pk]})
    assert response.url == url("documents", court)  # a motion relates to nothing
    files = {"main_document": pdf()}
    if attach:
        files |= {"attachment_1": pdf("exhibit.pdf"), "description_1": "Exhibit A"}
    response = client.post(url("documents", court), files)
    assert response.status_code == 302, response.content.decode().replace("&#x27;", "'")[-3000:]
    assert client.post(url("text", court), {"free_text": text}).url == url("review", court)
    return client.get(url("review", court))


def test_a_filer_of_record_files_a_motion_and_gets_the_receipt(court, john, case):
    client = client_for(john.account)
    review = file_motion(client, court, case)
    page = review.content.decode().replace("&#x27;", "'")
    assert "Pressing the NEXT button on this screen commits this transaction" in page
    assert "MOTION to Dismiss for Lack of Jurisdiction filed by Jane Doe." in page
    response = client.post(url("review", court), {"flow": flow_id(review)})
    entry = DocketEntry.objects.get(case=case, number=2)
    assert response.url == url("receipt", court, entry.pk)
    assert entry.filed_by == john.account
    assert [d.description for d in entry.documents.all()] == ["", "Exhibit A"]
    assert list(entry.filer_parties.values_list("name", flat=True)) == ["Jane Doe"]
    receipt = client.get(response.url).content.decode().replace("&#x27;", "'")
    assert "<h1>Notice of Electronic Filing</h1>" in receipt
    assert case.number in receipt and ">2<" in receipt
    assert entry.text in receipt
    assert john.email in receipt  # John is noticed as attorney of record
    assert Event.objects.filter(action="docket.file").count() == 1


def test_the_final_step_replayed_files_nothing_more(court, john, case):
    client = client_for(john.account)
    review = file_motion(client, court, case)
    token = flow_id(review)
    first = client.post(url("review", court), {"flow": token})
    second = client.post(url("review", court), {"flow": token})
    assert DocketEntry.objects.filter(case=case).count() == 2
    assert first.status_code == 302
    assert second.status_code == 302 and second.url == first.url  # the first one's receipt
    # A made-up or unknown token is just an expired filing.
    third = client.post(url("review", court), {"flow": "0" * 32})
    assert third.status_code == 409
    assert "expired or was already submitted" in third.content.decode().replace("&#x27;", "'")


def test_a_replayed_final_step_shows_another_account_nothing(court, john, case):
    client = client_for(john.account)
    token = flow_id(file_motion(client, court, case))
    first = client.post(url("review", court), {"flow": token})
    other = client_for(f.filer(court).account)
    response = other.post(url("review", court), {"flow": token})
    assert response.status_code == 302
    assert other.get(response.url).status_code == 404  # the receipt is the filer's only
    assert client.get(first.url).status_code == 200


def test_a_double_submit_from_one_session_files_once(court, john, case):
    """Two submits racing with the same session: the second one loads the session as it
    was before the first finished (simulated by restoring it) and must not file again."""
    client = client_for(john.account)
    review = file_motion(client, court, case)
    token = flow_id(review)
    session = client.session
    saved = dict(session.items())
    first = client.post(url("review", court), {"flow": token})
    session = client.session
    session.update(saved)
    session.save()
    second = client.post(url("review", court), {"flow": token})
    assert DocketEntry.objects.filter(case=case).count() == 2
    assert second.status_code == 302 and second.url == first.url  # the same receipt


def test_steps_cannot_be_skipped(court, john, case):
    client = client_for(john.account)
    start(client, court, Menu.CIVIL, "motion_to_dismiss")
    response = client.get(url("review", court))
    assert response.url == url("case", court)
    response = client.post(url("documents", court), {"main_document": pdf()})
    assert response.url == url("case", court)
    assert DocketEntry.objects.filter(case=case).count() == 1


def test_no_flow_means_start_again(court, john, case):
    client = client_for(john.account)
    response = client.get(url("parties", court))
    assert response.status_code == 409
    assert "Start it again from the menu" in response.content.decode().replace("&#x27;", "'")


def test_another_account_cannot_continue_a_flow(court, john, case):
    client = client_for(john.account)
    file_motion(client, court, case)
    other = f.filer(court)
    client.force_login(other.account)
    assert client.get(url("review", court)).status_code == 409


def test_an_abandoned_flow_leaves_nothing_stored(
    court, john, case, documents_dir, settings, tmp_path
):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "tmp")
    (tmp_path / "tmp").mkdir()
    before = f.stored_files(documents_dir)
    client = client_for(john.account)
    file_motion(client, court, case)
    assert f.stored_files(documents_dir) == before  # staged as temporary files only
    staging = tmp_path / "tmp" / "nextgen-filing"
    assert any(staging.iterdir())
    client.post(url("cancel", court))
    assert not any(staging.iterdir())
    assert DocketEntry.objects.filter(case=case).count() == 1


def test_a_case_number_in_short_form_that_fits_two_cases_offers_a_choice(court, john, case):
    other = f.civil_case(court, john, title="Roe v. Widget Inc.", office=2)
    client = client_for(john.account)
    start(client, court, Menu.CIVIL, "motion_to_dismiss")
    # Make both cases share a sequence in different offices.
    Case.objects.filter(pk=other.pk).update(sequence=case.sequence)
    response = client.post(url("case", court), {"case_number": f"26-{case.sequence}"})
    page = response.content.decode().replace("&#x27;", "'")
    assert "More than one case matches that number" in page
    assert "3:26-cv-" in page and "2:26-cv-" in page
    response = client.post(
        url("case", court), {"case_number": f"26-{case.sequence}", "case": other.pk}
    )
    assert response.url == url("confirm", court)


def test_an_unknown_or_invalid_case_number_is_named(court, john, case):
    client = client_for(john.account)
    start(client, court, Menu.CIVIL, "motion_to_dismiss")
    page = (
        client.post(url("case", court), {"case_number": "26-999"})
        .content.decode()
        .replace("&#x27;", "'")
    )
    assert "There is no case with that number in this court." in page
    page = (
        client.post(url("case", court), {"case_number": "hello"})
        .content.decode()
        .replace("&#x27;", "'")
    )
    assert "That is not a case number this court uses." in page
    assert 'value="hello"' in page  # what was typed is kept


# --- who may file --------------------------------------------------------------------------


def test_an_account_not_linked_here_is_told_why(court, case):
    client = client_for(AccountFactory())
    response = client.get(url("menu", court, Menu.CIVIL))
    assert response.status_code == 403
    assert "You are not a filer in this court" in response.content.decode().replace("&#x27;", "'")
    response = start(client, court, Menu.CIVIL, "complaint")
    assert response.status_code == 403


def test_a_filer_not_of_record_is_sent_to_file_a_notice_of_appearance(court, john, case):
    client = client_for(f.filer(court).account)
    start(client, court, Menu.CIVIL, "motion_to_dismiss")
    response = client.post(url("case", court), {"case_number": case.number})
    assert response.status_code == 302
    response = client.get(response.url)
    assert response.status_code == 403
    assert "File a Notice of Appearance" in response.content.decode().replace("&#x27;", "'")
    assert DocketEntry.objects.filter(case=case).count() == 1


def test_a_notice_of_appearance_makes_the_filer_attorney_of_record(court, john, case):
    jane = f.filer(court, first_name="Jane", last_name="Counsel")
    client = client_for(jane.account)
    start(client, court, Menu.CIVIL, "notice_of_appearance")
    client.post(url("case", court), {"case_number": case.number})
    client.post(url("confirm", court))
    page = client.get(url("parties", court)).content.decode().replace("&#x27;", "'")
    assert "Acme Corp." in page
    acme = case.parties.get(name="Acme Corp.")
    client.post(url("parties", court), {"parties": [acme.pk]})
    client.post(url("documents", court), {"main_document": pdf("appearance.pdf")})
    client.post(url("text", court), {"free_text": ""})
    review = client.get(url("review", court))
    client.post(url("review", court), {"flow": flow_id(review)})
    assert Representation.objects.filter(party=acme, filer=jane).exists()
    # Now of record, Jane answers John's motion.
    john_client = client_for(john.account)
    john_client.post(url("review", court), {"flow": flow_id(file_motion(john_client, court, case))})
    motion = DocketEntry.objects.get(case=case, event__code="motion_to_dismiss")
    start(client, court, Menu.CIVIL, "response_opposition")
    client.post(url("case", court), {"case_number": case.number})
    client.post(url("confirm", court))
    assert client.post(url("parties", court), {"parties": [acme.pk]}).url == url("relates", court)
    assert client.post(url("relates", court), {"entries": [motion.pk]}).url == url(
        "documents", court
    )
    client.post(url("documents", court), {"main_document": pdf("response.pdf")})
    client.post(url("text", court), {"free_text": ""})
    review = client.get(url("review", court))
    assert f"re {motion.number} Motion to Dismiss" in review.content.decode().replace("&#x27;", "'")
    client.post(url("review", court), {"flow": flow_id(review)})
    response_entry = DocketEntry.objects.get(case=case, event__code="response_opposition")
    assert list(response_entry.relates_to.all()) == [motion]


def test_criminal_case_needs_an_attorney_added_by_staff(court, john):
    staff = f.staff(court)
    from nextgen.dockets import actions

    crim, _ = actions.open_case(
        acting=staff,
        court=court,
        case_type="cr",
        title="USA v. Smith",
        office=3,
        parties=[actions.PartySpec("John Smith", "Defendant")],
        event=event(court, Menu.CRIMINAL, "indictment"),
        documents=f.stored(court, "Indictment"),
    )
    client = client_for(john.account)
    start(client, court, Menu.CRIMINAL, "motion_to_dismiss")
    response = client.post(url("case", court), {"case_number": crim.number})
    response = client.get(response.url)
    assert response.status_code == 403
    assert "In criminal cases the court's staff add attorneys" in response.content.decode().replace(
        "&#x27;", "'"
    )
    # A Notice of Appearance does not get around it.
    start(client, court, Menu.CRIMINAL, "notice_of_appearance")
    client.post(url("case", court), {"case_number": crim.number})
    assert client.get(url("confirm", court)).status_code == 403
    # Once staff add him, he files.
    f.of_record(crim.parties.get(), john)
    start(client, court, Menu.CRIMINAL, "motion_to_dismiss")
    client.post(url("case", court), {"case_number": crim.number})
    assert client.get(url("confirm", court)).status_code == 200


def test_a_pro_se_filer_files_only_in_their_own_case(court, case):
    pro_se = f.filer(court, account=AccountFactory(user_type=UserType.PRO_SE))
    client = client_for(pro_se.account)
    start(client, court, Menu.CIVIL, "notice_other")
    client.post(url("case", court), {"case_number": case.number})
    response = client.get(url("confirm", court))
    assert "Pro se filers may file only in their own cases" in response.content.decode().replace(
        "&#x27;", "'"
    )


def test_staff_only_events_are_not_in_the_menu_and_refused(court, john):
    client = client_for(john.account)
    page = client.get(url("menu", court, Menu.CIVIL)).content.decode().replace("&#x27;", "'")
    assert "Open a Civil Case" in page and "Motions and Related Filings" in page
    assert "Minute Entry" not in page
    response = start(client, court, Menu.CIVIL, "minute_entry")
    assert response.status_code == 403


def test_rights_lost_mid_flow_stop_the_submit(court, john, case):
    client = client_for(john.account)
    review = file_motion(client, court, case)
    Representation.objects.filter(filer=john).update(date_terminated="2026-01-01")
    response = client.post(url("review", court), {"flow": flow_id(review)})
    assert response.status_code == 403
    assert DocketEntry.objects.filter(case=case).count() == 1
    refused = Event.objects.get(action="docket.file", outcome="refused")
    assert refused.details["reason"] == "not_of_record"


def _motion_for(client, court, case, parties):
    start(client, court, Menu.CIVIL, "motion_to_dismiss")
    client.post(url("case", court), {"case_number": case.number})
    client.post(url("confirm", court))
    assert (
        client.post(url("parties", court), {"parties": [p.pk for p in parties]}).status_code == 302
    )
    client.post(url("documents", court), {"main_document": pdf()})
    client.post(url("text", court), {"free_text": ""})
    return client.get(url("review", court))


@pytest.fixture
def second(case, john):
    """A second plaintiff John represents."""
    party = Party.objects.create(case=case, name="Second Plaintiff", role="Plaintiff")
    f.of_record(party, john)
    return party


def test_a_party_no_longer_represented_at_submit_stops_the_filing(court, john, case, second):
    client = client_for(john.account)
    plaintiff = case.parties.exclude(pk=second.pk).get(role="Plaintiff")
    review = _motion_for(client, court, case, [plaintiff, second])
    # Staff end John's representation of the second plaintiff while he reads the review.
    Representation.objects.filter(party=second, filer=john).update(date_terminated="2026-01-01")
    response = client.post(url("review", court), {"flow": flow_id(review)})
    assert response.status_code == 403
    assert "no longer one you may file for" in response.content.decode()
    assert DocketEntry.objects.filter(case=case).count() == 1
    refused = Event.objects.get(action="docket.file", outcome="refused")
    assert refused.details["reason"] == "parties_changed"


def test_a_terminated_party_is_not_offered_nor_filed_for(court, john, case, second):
    client = client_for(john.account)
    plaintiff = case.parties.exclude(pk=second.pk).get(role="Plaintiff")
    review = _motion_for(client, court, case, [plaintiff, second])
    Party.objects.filter(pk=second.pk).update(date_terminated="2026-01-01")
    assert client.post(url("review", court), {"flow": flow_id(review)}).status_code == 403
    assert DocketEntry.objects.filter(case=case).count() == 1
    start(client, court, Menu.CIVIL, "motion_to_dismiss")
    client.post(url("case", court), {"case_number": case.number})
    client.post(url("confirm", court))
    page = client.get(url("parties", court)).content.decode()
    assert "Second Plaintiff" not in page
    assert client.post(url("parties", court), {"parties": [second.pk]}).status_code == 400


def test_an_appearance_for_a_party_already_appeared_for_in_another_tab_is_refused(court, case):
    jane = f.filer(court, first_name="Jane", last_name="Counsel")
    acme = case.parties.get(name="Acme Corp.")
    tabs = [client_for(jane.account), client_for(jane.account)]
    reviews = []
    for tab in tabs:
        start(tab, court, Menu.CIVIL, "notice_of_appearance")
        tab.post(url("case", court), {"case_number": case.number})
        tab.post(url("confirm", court))
        tab.post(url("parties", court), {"parties": [acme.pk]})
        tab.post(url("documents", court), {"main_document": pdf("appearance.pdf")})
        tab.post(url("text", court), {"free_text": ""})
        reviews.append(tab.get(url("review", court)))
    assert tabs[0].post(url("review", court), {"flow": flow_id(reviews[0])}).status_code == 302
    assert tabs[1].post(url("review", court), {"flow": flow_id(reviews[1])}).status_code == 403
    assert Representation.objects.filter(party=acme, filer=jane).count() == 1
    assert DocketEntry.objects.filter(case=case, event__code="notice_of_appearance").count() == 1


def test_every_step_checks_csrf_even_the_upload(court, john, case):
    client = Client(enforce_csrf_checks=True)
    client.force_login(john.account)
    start(client, court, Menu.CIVIL, "motion_to_dismiss")
    assert client.post(url("case", court), {"case_number": case.number}).status_code == 403
    assert client.post(url("documents", court), {"main_document": pdf()}).status_code == 403


def test_nonsense_answers_are_named_never_a_server_error(court, john, case):
    client = client_for(john.account)
    start(client, court, Menu.CIVIL, "motion_to_dismiss")
    assert client.post(url("case", court), {"case_number": "x" * 5000}).status_code == 400
    response = client.post(url("case", court), {"case_number": case.number, "case": "zz"})
    assert response.status_code == 400
    client.post(url("case", court), {"case_number": case.number})
    client.post(url("confirm", court))
    response = client.post(url("parties", court), {"parties": ["abc", "999999"]})
    assert response.status_code == 400
    client.post(url("parties", court), {"parties": [case.parties.get(role="Plaintiff").pk]})
    response = client.post(url("documents", court), {"main_document": "not a file"})
    assert response.status_code == 400
    assert "Attach the main document" in response.content.decode()


# --- documents ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, words",
    [
        (pdfs.not_pdf(), "is not a PDF document"),
        (pdfs.encrypted(), "encrypted"),
        (pdfs.open_action_javascript(), "JavaScript or launch actions"),
        (pdfs.fillable_form(), "Fillable PDF forms must be flattened"),
        (pdfs.malformed(), "damaged"),
    ],
    ids=["not pdf", "encrypted", "javascript", "fillable", "malformed"],
)
def test_a_refused_document_is_named_and_nothing_moves_on(court, john, case, data, words):
    client = client_for(john.account)
    start(client, court, Menu.CIVIL, "motion_to_dismiss")
    client.post(url("case", court), {"case_number": case.number})
    client.post(url("confirm", court))
    client.post(url("parties", court), {"parties": [case.parties.get(role="Plaintiff").pk]})
    response = client.post(url("documents", court), {"main_document": pdf("bad.pdf", data)})
    assert response.status_code == 400
    assert words in response.content.decode().replace("&#x27;", "'")
    assert client.get(url("text", court)).url == url("documents", court)


def test_a_document_over_the_courts_limit_is_refused_with_the_limit(court, john, case):
    court.filing_size_limit_mb = 1
    court.save(update_fields=["filing_size_limit_mb"])
    client = client_for(john.account)
    start(client, court, Menu.CIVIL, "motion_to_dismiss")
    client.post(url("case", court), {"case_number": case.number})
    client.post(url("confirm", court))
    client.post(url("parties", court), {"parties": [case.parties.get(role="Plaintiff").pk]})
    big = pdfs.good() + b"%" + b"x" * (2 * 1024 * 1024)
    response = client.post(
        url("documents", court),
        {"main_document": pdf("big.pdf", big), "description_1": "kept"},
    )
    page = response.content.decode().replace("&#x27;", "'")
    assert "big.pdf is 2.0 MB. This court accepts PDF files of at most 1 MB each" in page
    assert 'value="kept"' in page


def test_an_attachment_needs_a_description(court, john, case):
    client = client_for(john.account)
    start(client, court, Menu.CIVIL, "motion_to_dismiss")
    client.post(url("case", court), {"case_number": case.number})
    client.post(url("confirm", court))
    client.post(url("parties", court), {"parties": [case.parties.get(role="Plaintiff").pk]})
    response = client.post(
        url("documents", court), {"main_document": pdf(), "attachment_1": pdf("x.pdf")}
    )
    assert "Describe this attachment" in response.content.decode().replace("&#x27;", "'")


# --- opening cases ----------------------------------------------------------------------------


def test_a_filer_opens_a_civil_case_and_the_fee_is_recorded_as_due(court, john):
    client = client_for(john.account)
    response = start(client, court, Menu.CIVIL, "complaint")
    assert response.url == url("open_case_data", court)
    response = client.post(
        url("open_case_data", court),
        {
            "office": "3",
            "title": "Doe v. Acme Corp.",
            "nature_of_suit": "190 Contract: Other",
            "cause": "28:1332 Diversity-Breach of Contract",
            "jurisdiction": "Diversity",
            "demand": "150000",
            "jury_demand": "plaintiff",
        },
    )
    assert response.url == url("open_parties", court)
    response = client.post(
        url("open_parties", court),
        {
            "name_1": "Jane Doe",
            "role_1": "Plaintiff",
            "represented_1": "on",
            "name_2": "Acme Corp.",
            "role_2": "Defendant",
        },
    )
    assert response.url == url("open_documents", court)
    client.post(url("open_documents", court), {"main_document": pdf("complaint.pdf")})
    client.post(url("open_text", court), {"free_text": ""})
    review = client.get(url("open_review", court))
    assert "$405.00" in review.content.decode().replace("&#x27;", "'")
    response = client.post(url("open_review", court), {"flow": flow_id(review)})
    case = Case.objects.get(court=court, title="Doe v. Acme Corp.")
    assert case.jury_demand == "plaintiff" and case.office == 3
    receipt = client.get(response.url).content.decode().replace("&#x27;", "'")
    assert f"The new case number is <strong>{case.number}</strong>" in receipt
    assert CaseFee.objects.get(case=case).amount == 405
    assert Representation.objects.filter(party__case=case, filer=john).count() == 1


def test_debtors_names_too_long_for_the_title_are_refused_where_they_are_typed():
    court = f.bankruptcy_court("cacb")
    client = client_for(f.filer(court).account)
    start(client, court, Menu.BANKRUPTCY, "voluntary_petition")
    client.post(url("open_case_data", court), {"chapter": "7"})
    typed = {
        "name_1": "A" * 300,
        "role_1": "Debtor",
        "represented_1": "on",
        "name_2": "B" * 300,
        "role_2": "Joint Debtor",
    }
    # "In re AAA... and BBB..." would be 611 characters; the title column takes 500, and
    # a petition has no title field: this step is the only place to shorten it.
    response = client.post(url("open_parties", court), typed)
    assert response.status_code == 400
    html = response.content.decode().replace("&#x27;", "'")
    assert "may be at most 500 characters: shorten the names" in html
    assert "B" * 300 in html
    typed["name_2"] = "B" * 100
    assert client.post(url("open_parties", court), typed).status_code == 302


def test_a_bankruptcy_petition_then_an_adversary_proceeding_in_it():
    court = f.bankruptcy_court("cacb")
    filer = f.filer(court)
    client = client_for(filer.account)
    start(client, court, Menu.BANKRUPTCY, "voluntary_petition")
    client.post(url("open_case_data", court), {"chapter": "13"})
    response = client.post(url("open_parties", court), {"name_1": "", "role_1": "Debtor"})
    assert response.status_code == 400
    client.post(
        url("open_parties", court),
        {"name_1": "Ann Debtor", "role_1": "Debtor", "represented_1": "on"},
    )
    client.post(url("open_documents", court), {"main_document": pdf("petition.pdf")})
    client.post(url("open_text", court), {"free_text": ""})
    review = client.get(url("open_review", court))
    assert "$313.00" in review.content.decode().replace("&#x27;", "'")
    client.post(url("open_review", court), {"flow": flow_id(review)})
    petition = Case.objects.get(court=court, case_type="bk")
    assert petition.chapter == 13 and petition.title == "In re Ann Debtor"

    start(client, court, Menu.ADVERSARY, "adversary_complaint")
    response = client.post(
        url("open_case_data", court),
        {
            "main_case_number": petition.number,
            "title": "Trustee v. Ann Debtor",
            "nature_of_suit": "41 Objection / revocation of discharge - 727(c),(d),(e)",
        },
    )
    assert response.url == url("open_parties", court)
    client.post(
        url("open_parties", court),
        {
            "name_1": "Chapter 13 Trustee",
            "role_1": "Plaintiff",
            "represented_1": "on",
            "name_2": "Ann Debtor",
            "role_2": "Defendant",
        },
    )
    client.post(url("open_documents", court), {"main_document": pdf("adv.pdf")})
    client.post(url("open_text", court), {"free_text": ""})
    review = client.get(url("open_review", court))
    client.post(url("open_review", court), {"flow": flow_id(review)})
    adversary = Case.objects.get(court=court, case_type="ap")
    assert adversary.main_case == petition


def test_criminal_cases_are_not_opened_by_filers(court, john):
    client = client_for(john.account)
    page = client.get(url("menu", court, Menu.CRIMINAL)).content.decode().replace("&#x27;", "'")
    assert "Indictment" not in page
    assert start(client, court, Menu.CRIMINAL, "indictment").status_code == 403


def test_menus_lead_to_the_filing_menus(court, john):
    client = client_for(john.account)
    page = (
        client.get(reverse("ecf:main", args=[court.code])).content.decode().replace("&#x27;", "'")
    )
    assert url("menu", court, Menu.CIVIL) in page


def test_a_fault_after_the_files_are_stored_leaves_no_file_and_the_filer_may_retry(
    court, john, case, documents_dir, monkeypatch
):
    from nextgen.dockets import actions

    client = client_for(john.account)
    review = file_motion(client, court, case)
    before = f.stored_files(documents_dir)
    original = actions._create_documents

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(actions, "_create_documents", fail)
    with pytest.raises(RuntimeError):
        client.post(url("review", court), {"flow": flow_id(review)})
    assert f.stored_files(documents_dir) == before
    assert DocketEntry.objects.filter(case=case).count() == 1
    monkeypatch.setattr(actions, "_create_documents", original)
    response = client.post(url("review", court), {"flow": flow_id(review)})
    assert response.status_code == 302
    assert DocketEntry.objects.filter(case=case).count() == 2


def test_a_broken_upload_request_is_a_bad_request_not_a_server_error(court, john, case):
    client = client_for(john.account)
    file_motion(client, court, case)
    response = client.post(
        url("documents", court),
        data=b"--x\r\nContent-Disposition: form-data; name=main_document; filename=a.pdf\r\n",
        content_type="multipart/form-data; boundary=",
    )
    assert response.status_code == 400


def test_out_of_range_numbers_in_urls_are_a_404(court, john, case):
    client = client_for(john.account)
    huge = 10**30
    assert client.get(url("receipt", court, huge)).status_code == 404
    assert client.post(url("start", court, Menu.CIVIL, huge)).status_code == 404


def test_a_filing_starts_only_by_a_csrf_checked_post(court, john):
    client = Client(enforce_csrf_checks=True)
    client.force_login(john.account)
    complaint = event(court, Menu.CIVIL, "complaint")
    assert client.get(url("start", court, Menu.CIVIL, complaint.pk)).status_code == 405
    assert client.post(url("start", court, Menu.CIVIL, complaint.pk)).status_code == 403


def _back_to_documents(client, court, case):
    """A motion walked to the review page with one attachment, then Back to documents."""
    review = file_motion(client, court, case)
    back = client.get(url("documents", court))
    assert back.status_code == 200
    return review, back.content.decode().replace("&#x27;", "'")


def test_going_back_to_documents_keeps_the_attachments_and_their_descriptions(court, john, case):
    client = client_for(john.account)
    review, page = _back_to_documents(client, court, case)
    assert "Attached: <strong>exhibit.pdf</strong> (1 page)" in page
    assert 'value="Exhibit A"' in page
    # Nothing chosen again, the description edited: both documents are filed.
    response = client.post(url("documents", court), {"description_1": "Exhibit A (corrected)"})
    assert response.status_code == 302
    client.post(url("text", court), {"free_text": "for Lack of Jurisdiction"})
    client.post(url("review", court), {"flow": flow_id(review)})
    entry = DocketEntry.objects.get(case=case, number=2)
    assert [d.description for d in entry.documents.all()] == ["", "Exhibit A (corrected)"]


def test_a_kept_attachment_can_be_removed_or_replaced(court, john, case):
    client = client_for(john.account)
    review, _ = _back_to_documents(client, court, case)
    response = client.post(url("documents", court), {"description_1": "", "remove_1": "on"})
    assert response.status_code == 302
    client.post(url("text", court), {"free_text": ""})
    client.post(url("review", court), {"flow": flow_id(review)})
    entry = DocketEntry.objects.get(case=case, number=2)
    assert entry.documents.count() == 1

    review, _ = _back_to_documents(client, court, case)
    replaced = client.post(
        url("documents", court),
        {"attachment_1": pdf("exhibit-b.pdf"), "description_1": "Exhibit B"},
    )
    assert replaced.status_code == 302
    client.post(url("text", court), {"free_text": ""})
    client.post(url("review", court), {"flow": flow_id(review)})
    entry = DocketEntry.objects.get(case=case, number=3)
    assert [d.description for d in entry.documents.all()] == ["", "Exhibit B"]
    assert entry.documents.get(number=1).original_name == "exhibit-b.pdf"


def test_a_kept_attachment_still_needs_a_description(court, john, case):
    client = client_for(john.account)
    _back_to_documents(client, court, case)
    response = client.post(url("documents", court), {"description_1": "  "})
    assert response.status_code == 400
    assert "Describe this attachment" in response.content.decode().replace("&#x27;", "'")


def test_documents_kept_past_the_hour_are_not_swept_while_the_filing_goes_on(
    court, john, case, settings, tmp_path
):
    """The flow's hour starts again at every step; so does its staged documents' age, which
    the sweep goes by: attached long ago, kept on going Back, they are still filed."""
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    client = client_for(john.account)
    review, _ = _back_to_documents(client, court, case)
    [staged] = list((tmp_path / uploads.STAGING_DIR_NAME).iterdir())
    long_ago = time.time() - FLOW_TTL.total_seconds() - 600
    os.utime(staged, (long_ago, long_ago))
    assert client.post(url("documents", court), {"description_1": "Exhibit A"}).status_code == 302
    call_command("dockets", "sweep-filings", stdout=io.StringIO())
    client.post(url("text", court), {"free_text": ""})
    response = client.post(url("review", court), {"flow": flow_id(review)})
    entry = DocketEntry.objects.get(case=case, number=2)
    assert response.url == url("receipt", court, entry.pk)
    assert entry.documents.count() == 2


def test_a_double_click_on_a_notice_of_appearance_shows_the_receipt_not_a_refusal(court, case):
    jane = f.filer(court, first_name="Jane", last_name="Counsel")
    acme = case.parties.get(name="Acme Corp.")
    client = client_for(jane.account)
    start(client, court, Menu.CIVIL, "notice_of_appearance")
    client.post(url("case", court), {"case_number": case.number})
    client.post(url("confirm", court))
    client.post(url("parties", court), {"parties": [acme.pk]})  # the plaintiff stays open
    client.post(url("documents", court), {"main_document": pdf("appearance.pdf")})
    client.post(url("text", court), {"free_text": ""})
    token = flow_id(client.get(url("review", court)))
    before = dict(client.session.items())  # the second click's request carries these
    first = client.post(url("review", court), {"flow": token})
    session = client.session
    session.update(before)
    session.save()
    second = client.post(url("review", court), {"flow": token})
    assert first.status_code == 302 and second.status_code == 302 and second.url == first.url
    assert DocketEntry.objects.filter(case=case, event__code="notice_of_appearance").count() == 1
    assert not Event.objects.filter(action="docket.file", outcome="refused").exists()


def test_with_the_cache_down_the_submit_is_try_again_shortly_and_files_nothing(court, john, case):
    client = client_for(john.account)
    review = file_motion(client, court, case)
    client.raise_request_exception = False
    with mock.patch(
        "nextgen.dockets.submit_once.cache.add", side_effect=redis.exceptions.ConnectionError
    ):
        response = client.post(url("review", court), {"flow": flow_id(review)})
    assert response.status_code == 503
    assert DocketEntry.objects.filter(case=case).count() == 1
