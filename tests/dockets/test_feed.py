"""The court's RSS feed (cgi-bin/rss_outside.pl): recent public filings in PACER's RSS form,
read by the published juriscraper PacerRssFeed exactly as the data that made it; sealed
material never in it; court staff choose its event types."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from juriscraper.pacer import PacerRssFeed

from nextgen.audit.models import Event
from nextgen.dockets import actions, feed
from nextgen.dockets import staff as staff_actions
from nextgen.dockets.doc_ids import doc1_path, doc_id
from nextgen.dockets.events import event
from nextgen.dockets.models import FilingEvent, Menu, PartyRole
from tests.dockets.factories import (
    bankruptcy_court,
    civil_case,
    district_court,
    filer,
    staff,
    stored,
)
from tests.passcode import with_passcode

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctd():
    return district_court("ctd")


@pytest.fixture
def counsel(ctd):
    return filer(ctd)


def feed_url(code: str = "ctd") -> str:
    return reverse("dockets:rss_feed", args=[code])


def parsed(client, code: str = "ctd") -> list[dict]:
    """The feed as juriscraper reads it (its own tests feed the text the same way)."""
    response = client.get(feed_url(code))
    assert response.status_code == 200
    reader = PacerRssFeed(code)
    reader._parse_text(response.content.decode("utf-8"))
    return reader.data


def motion(counsel, case, label_code: str = "motion_to_dismiss", **kwargs):
    return actions.file_entry(
        acting=counsel.account,
        case=case,
        event=event(case.court, Menu.CIVIL, label_code),
        documents=stored(case.court, "Motion"),
        **kwargs,
    )


def test_the_feed_is_public_at_cmecfs_path(ctd, counsel, client):
    civil_case(ctd, counsel)
    response = client.get(feed_url())
    assert feed_url() == "/ecf/ctd/cgi-bin/rss_outside.pl"
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    assert b'<rss version="2.0"' in response.content
    assert f"<title>{ctd.name} - Recent Entries</title>".encode() in response.content


def test_juriscraper_reads_every_item_as_the_data_that_made_it(ctd, counsel, client):
    clerk = staff(ctd)
    case = civil_case(ctd, counsel, title="Doe v. Acme Corp.")
    complaint = case.entries.get()
    odd = staff_actions.add_event(
        acting=clerk,
        court=ctd,
        menu=Menu.CIVIL,
        label="Motion to Compel & for <Sanctions>",
        group="Motions",
        request=None,
    )
    compel = actions.file_entry(
        acting=counsel.account, case=case, event=odd, documents=stored(ctd, "Compel")
    )
    minute = staff_actions.enter_entry(
        acting=clerk,
        case=case,
        event=event(ctd, Menu.CIVIL, "minute_entry"),
        text="Minute Entry for a status conference.",
        request=None,
    )
    other = civil_case(ctd, counsel, title="Roe v. Widget Co.")

    items = parsed(client)

    made = [other.entries.get(), minute, compel, complaint]  # newest first
    assert len(items) == len(made)
    for item, entry in zip(items, made, strict=True):
        docket = entry.case
        assert item["court_id"] == "ctd"
        assert item["pacer_case_id"] == str(docket.pk)
        assert item["docket_number"] == docket.number
        assert item["case_name"] == docket.title
        [parsed_entry] = item["docket_entries"]
        assert parsed_entry["short_description"] == entry.event.label
        assert parsed_entry["date_filed"] == entry.date_entered.replace(microsecond=0)
        documents = list(entry.documents.filter(number=0))
        if documents:
            assert parsed_entry["document_number"] == str(entry.number)
            assert parsed_entry["pacer_doc_id"] == doc_id(
                documents[0], documents[0].entry.case.court
            )
            assert parsed_entry["pacer_seq_no"] == str(entry.pk)
        else:
            assert parsed_entry["document_number"] is None
            assert parsed_entry["pacer_doc_id"] == ""


def test_item_links_lead_to_the_docket_report_and_the_document(ctd, counsel, client, login):
    case = civil_case(ctd, counsel)
    document = case.entries.get().documents.get()
    body = client.get(feed_url()).content.decode()
    assert f"<link>http://testserver/ecf/ctd/cgi-bin/DktRpt.pl?{case.pk}</link>" in body
    doc1 = f"{doc1_path(document, ctd)}?caseid={case.pk}&amp;de_seq_num="
    assert doc1 in body.replace("&amp;amp;", "&amp;")
    # The doc1 link leads a signed-in user to the document's Transaction Receipt (records).
    login(counsel.account)
    entry = case.entries.get()
    response = client.get(
        f"{doc1_path(document, ctd)}?caseid={case.pk}&de_seq_num={entry.pk}", follow=True
    )
    assert response.status_code == 200 and "Transaction Receipt" in response.content.decode()


def test_a_bankruptcy_courts_items_carry_type_office_chapter_and_trustee(client):
    court = bankruptcy_court("cacb")
    counsel = filer(court)
    case, petition = actions.open_case(
        acting=counsel.account,
        court=court,
        case_type="bk",
        chapter=7,
        title="Jane Q. Debtor",
        parties=[
            actions.PartySpec("Jane Q. Debtor", PartyRole.DEBTOR, represented=True),
            actions.PartySpec("Tese-Milner, Angela G.", PartyRole.TRUSTEE),
        ],
        event=event(court, Menu.BANKRUPTCY, "voluntary_petition"),
        documents=stored(court, "Petition"),
    )
    [item] = parsed(client, "cacb")
    assert item["docket_number"] == case.number
    assert item["pacer_case_id"] == str(case.pk)
    assert item["case_name"] == "Jane Q. Debtor"
    assert item["type"] == "bk"
    assert item["office"] == str(case.office)
    assert item["chapter"] == "7"
    assert item["trustee_str"] == "Tese-Milner, Angela G."
    [entry] = item["docket_entries"]
    assert entry["short_description"] == petition.event.label
    assert entry["document_number"] == str(petition.number)
    assert entry["pacer_doc_id"] == doc_id(petition.documents.get(), court)


def test_sealed_cases_and_sealed_entries_never_appear(ctd, counsel, client):
    clerk = staff(ctd)
    public = civil_case(ctd, counsel, title="Public v. Open")
    secret = civil_case(ctd, counsel, title="Hidden v. Secret")
    staff_actions.set_case_sealed(acting=clerk, case=secret, sealed=True, request=None)
    sealed_motion = motion(counsel, public, "motion_summary_judgment", sealed=True)
    # Even an event type ticked for the feed, and a signed-in court clerk asking.
    assert sealed_motion.event.in_rss_feed
    client.force_login(clerk)
    body = client.get(feed_url()).content.decode()
    items = parsed(client)
    assert [i["docket_number"] for i in items] == [public.number]
    assert "Hidden" not in body and "Secret" not in body and secret.number not in body
    assert "Summary Judgment" not in body
    assert f"?{secret.pk}<" not in body and f"de_seq_num={sealed_motion.pk}" not in body


def test_only_the_ticked_event_types_and_the_last_day_appear(ctd, counsel, client, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC), tick=False)
    case = civil_case(ctd, counsel)  # the complaint: more than a day old by now
    time_machine.move_to(dt.datetime(2026, 11, 3, 12, 0, tzinfo=dt.UTC), tick=False)
    dismiss = motion(counsel, case)
    FilingEvent.objects.filter(code="notice_of_appearance").update(in_rss_feed=False)
    actions.file_entry(
        acting=counsel.account,
        case=case,
        event=event(ctd, Menu.CIVIL, "notice_of_appearance"),
        documents=stored(ctd, "Appearance"),
    )
    items = parsed(client)
    assert [i["docket_entries"][0]["short_description"] for i in items] == [dismiss.event.label]
    assert "Notice of Appearance" not in client.get(feed_url()).content.decode()


def test_an_unchanged_feed_answers_304_and_a_sealing_changes_it(ctd, counsel, client):
    case = civil_case(ctd, counsel)
    first = client.get(feed_url())
    etag = first["ETag"]
    assert "no-cache" in first["Cache-Control"] and "public" in first["Cache-Control"]
    again = client.get(feed_url(), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    staff_actions.set_entry_sealed(
        acting=staff(ctd), entry=case.entries.get(), sealed=True, request=None
    )
    after = client.get(feed_url(), HTTP_IF_NONE_MATCH=etag)
    assert after.status_code == 200 and after["ETag"] != etag
    assert case.title not in after.content.decode()


def test_the_query_count_does_not_grow_with_the_items(ctd, counsel, client):
    case = civil_case(ctd, counsel)
    with CaptureQueriesContext(connection) as few:
        client.get(feed_url())
    for _ in range(6):
        motion(counsel, case)
    civil_case(ctd, counsel, title="Another v. Case")
    with CaptureQueriesContext(connection) as many:
        response = client.get(feed_url())
    assert response.content.count(b"<item>") == 8
    assert len(many) == len(few)


def test_feed_readers_may_ask_with_head_but_never_post(ctd, counsel, client):
    civil_case(ctd, counsel)
    head = client.head(feed_url())
    assert head.status_code == 200 and head["ETag"] == client.get(feed_url())["ETag"]
    assert client.post(feed_url()).status_code == 405


def test_an_unknown_court_is_a_404(client):
    assert client.get(feed_url("nope")).status_code == 404


# --- the staff page ---------------------------------------------------------------------------


def staff_url(code: str = "ctd") -> str:
    return reverse("dockets:staff_feed_events", args=[code])


def ticked(court) -> set[str]:
    """The court's event types in the feed, as "menu:code"."""
    return {
        f"{menu}:{code}"
        for menu, code in FilingEvent.objects.filter(court=court, in_rss_feed=True).values_list(
            "menu", "code"
        )
    }


def test_court_staff_untick_an_event_type_and_it_is_audited(ctd, counsel, client):
    clerk = staff(ctd)
    with_passcode(client, clerk)
    page = client.get(staff_url())
    assert page.status_code == 200
    keep = FilingEvent.objects.filter(court=ctd).exclude(menu=Menu.CIVIL, code="stipulation")
    response = client.post(staff_url(), {"events": [e.pk for e in keep]})
    assert response.status_code == 302
    assert ticked(ctd) == {f"{e.menu}:{e.code}" for e in keep}
    assert "civil:stipulation" not in ticked(ctd) and "criminal:stipulation" in ticked(ctd)
    audit = Event.objects.filter(action=feed.ACTION_FEED_EVENTS).get()
    assert audit.actor == clerk and audit.court_code == "ctd"
    assert audit.details["removed"] == ["civil:stipulation"]
    assert audit.details["added"] == []
    description = client.get(feed_url()).content.decode()
    assert "Docket entries of type: " in description and "answer_complaint" in description


def test_bad_input_names_the_field_keeps_the_ticks_and_changes_nothing(ctd, client):
    with_passcode(client, staff(ctd))
    other_court = district_court("vid")
    before = ticked(ctd)
    one = FilingEvent.objects.filter(court=ctd).first()
    for nonsense in (["abc"], [str(FilingEvent.objects.filter(court=other_court).first().pk)]):
        response = client.post(staff_url(), {"events": [str(one.pk), *nonsense]})
        assert response.status_code == 400
        content = response.content.decode()
        assert "Event types in the RSS feed" in content
        # Only what was ticked comes back ticked.
        assert content.count(" checked>") == 1
        assert f'value="{one.pk}" checked' in content
        assert ticked(ctd) == before
    assert not Event.objects.filter(action=feed.ACTION_FEED_EVENTS).exists()


def test_only_this_courts_staff_get_the_page(ctd, client):
    client.force_login(staff(district_court("vid")))
    assert client.get(staff_url()).status_code == 404
    assert client.post(staff_url(), {"events": []}).status_code == 404
    assert len(ticked(ctd)) == FilingEvent.objects.filter(court=ctd).count()


def test_the_action_refuses_anyone_but_staff(ctd, counsel):
    with pytest.raises(actions.DocketRefused):
        feed.set_feed_events(acting=counsel.account, court=ctd, events=[], request=None)
    assert len(ticked(ctd)) == FilingEvent.objects.filter(court=ctd).count()
