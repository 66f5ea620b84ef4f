"""Court staff case tools: each works for the court's staff, is audited with the court,
and is a 404 (changing nothing) for anyone else, the staff of other courts included."""

import io
import re
from unittest import mock

import pytest
import redis
from django.core.exceptions import ValidationError
from django.urls import reverse

from nextgen.audit.models import Event
from nextgen.dockets import notices
from nextgen.dockets import staff as staff_actions
from nextgen.dockets.actions import DocketRefused
from nextgen.dockets.models import Case, CaseFee, DocketEntry, PartyRole, Representation
from nextgen.dockets.sample_pdf import tiny_pdf
from nextgen.dockets.submit_once import new_token
from tests.dockets import pdfs
from tests.dockets.factories import civil_case, district_court, filer, staff
from tests.factories import AccountFactory
from tests.test_redis_faults import own_redis, with_redis  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctd():
    return district_court("ctd")


@pytest.fixture
def counsel(ctd):
    return filer(ctd)


@pytest.fixture
def case(ctd, counsel):
    return civil_case(ctd, counsel)


@pytest.fixture
def clerk(ctd, client, login):
    account = staff(ctd)
    login(account)
    return account


def url(name, case=None, *args):
    court = "ctd"
    if case is None:
        return reverse(f"dockets:{name}", args=[court, *args])
    return reverse(f"dockets:{name}", args=[court, case.pk, *args])


def pdf(name="order.pdf"):
    f = io.BytesIO(tiny_pdf("Order"))
    f.name = name
    return f


def last_event(action):
    return Event.objects.filter(action=f"docket.staff.{action}").last()


def open_criminal(client, ctd, *, document=None, **fields):
    """POST the Open a Criminal Case form: an indictment of Richard Roe in office 3 unless
    `fields` say otherwise."""
    indictment = ctd.filing_events.get(menu="criminal", code="indictment")
    data = {
        "once": new_token(),
        "office": "3",
        "defendants": "Richard Roe",
        "event": indictment.pk,
        "document": document or pdf("indictment.pdf"),
    }
    return client.post(url("staff_open_criminal"), data | fields)


def test_staff_open_a_criminal_case_with_its_indictment(ctd, clerk, client):
    page = client.get(url("staff_open_criminal"))
    assert page.status_code == 200 and b"Open a Criminal Case" in page.content
    response = open_criminal(client, ctd, defendants="Richard Roe\nJohn Smith", judge="Judge Meyer")
    case = Case.objects.get(court=ctd, case_type="cr")
    assert response.status_code == 302
    assert case.number.startswith("3:") and "-cr-00001" in case.number
    assert case.title == "USA v. Richard Roe"
    assert [(p.name, p.role) for p in case.parties.all()] == [
        ("USA", PartyRole.PLAINTIFF),
        ("Richard Roe", PartyRole.DEFENDANT),
        ("John Smith", PartyRole.DEFENDANT),
    ]
    assert case.entries.get().documents.count() == 1
    audit = Event.objects.filter(action="docket.open_case").last()
    assert audit.actor == clerk and audit.court_code == "ctd"


def test_a_criminal_case_form_with_bad_input_names_the_field_and_keeps_what_was_typed(
    ctd, clerk, client
):
    response = open_criminal(client, ctd, document=io.BytesIO(b"not a pdf"), judge="Judge Meyer")
    assert response.status_code == 400
    html = response.content.decode()
    assert "is not a PDF document. Only PDF files may be filed." in html and "Judge Meyer" in html
    assert not Case.objects.filter(case_type="cr").exists()


def test_staff_add_and_terminate_an_attorney_by_cm_ecf_login(ctd, clerk, client, case):
    defendant = case.parties.get(role=PartyRole.DEFENDANT)
    newcomer = filer(ctd, login="ddefense")
    response = client.post(
        url("staff_attorney_add", case),
        {
            "attorney-party": defendant.pk,
            "attorney-login": "DDefense",
            "attorney-lead_attorney": "on",
            "attorney-to_be_noticed": "on",
        },
    )
    assert response.status_code == 302
    rep = Representation.objects.get(party=defendant, filer=newcomer)
    assert rep.lead_attorney and rep.to_be_noticed and rep.date_terminated is None
    assert last_event("add_attorney").court_code == "ctd"
    client.post(url("staff_attorney_terminate", case, rep.pk))
    rep.refresh_from_db()
    assert rep.date_terminated is not None
    assert last_event("terminate_attorney").actor == clerk


def test_an_unknown_login_or_one_of_another_court_is_refused(ctd, clerk, client, case):
    other = filer(district_court("vid"), login="vidonly")
    defendant = case.parties.get(role=PartyRole.DEFENDANT)
    for login in ("nobody", other.login):
        response = client.post(
            url("staff_attorney_add", case),
            {"attorney-party": defendant.pk, "attorney-login": login},
        )
        assert response.status_code == 400
        assert "There is no CM/ECF account with this login in this court." in (
            response.content.decode()
        )
        assert f'value="{login}"' in response.content.decode()
    assert not defendant.representations.exists()


def test_staff_add_and_terminate_a_party(ctd, clerk, client, case):
    response = client.post(
        url("staff_party_add", case),
        {"party-name": "Big Bank", "party-role": "Intervenor", "party-aliases": "BB"},
    )
    assert response.status_code == 302
    party = case.parties.get(name="Big Bank")
    assert [a.name for a in party.aliases.all()] == ["BB"]
    client.post(url("staff_party_terminate", case, party.pk))
    party.refresh_from_db()
    assert party.date_terminated is not None
    assert last_event("terminate_party").court_code == "ctd"
    bad = client.post(url("staff_party_add", case), {"party-name": "", "party-role": "x"})
    assert bad.status_code == 400 and case.parties.count() == 3


def test_terminating_a_party_terminates_its_attorneys(ctd, clerk, client, case, counsel):
    plaintiff = case.parties.get(role=PartyRole.PLAINTIFF)
    assert plaintiff.representations.get().filer == counsel
    client.post(url("staff_party_terminate", case, plaintiff.pk))
    rep = plaintiff.representations.get()
    assert rep.date_terminated == ctd.today() and rep.terminated_at is not None
    assert last_event("terminate_party").details["attorneys_terminated"] == 1


def test_staff_enter_a_minute_entry_and_an_order_on_a_motion(ctd, clerk, client, case):
    minute = ctd.filing_events.get(menu="civil", code="minute_entry")
    order = ctd.filing_events.get(menu="civil", code="order")
    client.post(
        url("staff_entry_add", case),
        {
            "entry-once": new_token(),
            "entry-event": minute.pk,
            "entry-text": "Minute Entry: Status Conference held.",
        },
    )
    client.post(
        url("staff_entry_add", case),
        {
            "entry-once": new_token(),
            "entry-event": order.pk,
            "entry-text": "ORDER granting 1 Complaint.",
            "entry-relates_to": "1",
            "entry-document": pdf(),
        },
    )
    two, three = DocketEntry.objects.filter(case=case, number__in=[2, 3]).order_by("number")
    assert not two.documents.exists() and two.filed_by == clerk
    assert three.documents.count() == 1 and [e.number for e in three.relates_to.all()] == [1]
    bad = client.post(
        url("staff_entry_add", case),
        {
            "entry-once": new_token(),
            "entry-event": order.pk,
            "entry-text": "ORDER",
            "entry-relates_to": "99",
        },
    )
    assert bad.status_code == 400
    assert "There is no such entry in this case." in bad.content.decode()
    assert case.entries.count() == 3


def test_sealing_and_unsealing_a_case_and_an_entry_is_audited(ctd, clerk, client, case):
    client.post(url("staff_case_seal", case))
    case.refresh_from_db()
    assert case.sealed and last_event("seal").court_code == "ctd"
    client.post(url("staff_case_unseal", case))
    case.refresh_from_db()
    assert not case.sealed and last_event("unseal")
    client.post(url("staff_entry_seal", case, 1))
    assert DocketEntry.objects.get(case=case, number=1).sealed
    assert last_event("seal_entry").details["entry"] == 1
    client.post(url("staff_entry_unseal", case, 1))
    assert not DocketEntry.objects.get(case=case, number=1).sealed


def test_a_correction_keeps_the_old_text_and_the_docket_says_modified_on(ctd, clerk, client, case):
    old = case.entries.get().text
    page = client.get(url("staff_entry_correct", case, 1))
    assert old in page.content.decode()
    missing = client.post(url("staff_entry_correct", case, 1), {"text": "x", "reason": ""})
    assert missing.status_code == 400 and case.entries.get().text == old
    client.post(
        url("staff_entry_correct", case, 1),
        {"text": "COMPLAINT against Acme Corp. filed by Jane Doe.", "reason": "Add defendant"},
    )
    entry = case.entries.get()
    assert entry.text == "COMPLAINT against Acme Corp. filed by Jane Doe."
    revision = entry.revisions.get()
    assert revision.previous_text == old and revision.changed_by == clerk
    assert "Modified on" in client.get(url("staff_case", case)).content.decode()
    assert last_event("correct_entry").details["reason"] == "Add defendant"


def test_staff_mark_a_fee_paid_once_with_a_receipt_number(ctd, clerk, client, case):
    fee = CaseFee.objects.get(case=case)
    missing = client.post(url("staff_fee_paid", case, fee.pk), {f"fee{fee.pk}-receipt_number": ""})
    assert missing.status_code == 400
    client.post(url("staff_fee_paid", case, fee.pk), {f"fee{fee.pk}-receipt_number": "CTD-1234"})
    fee.refresh_from_db()
    assert fee.is_paid and fee.receipt_number == "CTD-1234" and fee.marked_paid_by == clerk
    again = client.post(
        url("staff_fee_paid", case, fee.pk), {f"fee{fee.pk}-receipt_number": "X"}, follow=True
    )
    assert "already marked paid" in again.content.decode()
    fee.refresh_from_db()
    assert fee.receipt_number == "CTD-1234"


def test_staff_close_and_reopen_a_case(ctd, clerk, client, case):
    client.post(url("staff_case_close", case))
    case.refresh_from_db()
    assert case.date_terminated is not None
    client.post(url("staff_case_reopen", case))
    case.refresh_from_db()
    assert case.date_terminated is None
    assert last_event("close") and last_event("reopen").court_code == "ctd"


def all_pages(case, rep, fee):
    return [
        ("get", url("staff_cases")),
        ("get", url("staff_open_criminal")),
        ("get", url("staff_case", case)),
        ("post", url("staff_case_close", case)),
        ("post", url("staff_case_seal", case)),
        ("post", url("staff_party_add", case)),
        ("post", url("staff_attorney_terminate", case, rep.pk)),
        ("post", url("staff_entry_add", case)),
        ("post", url("staff_entry_seal", case, 1)),
        ("post", url("staff_entry_correct", case, 1)),
        ("post", url("staff_fee_paid", case, fee.pk)),
        ("get", url("staff_events")),
        ("post", url("staff_events")),
    ]


@pytest.mark.parametrize("who", ["staff of another court", "attorney of record", "a PACER user"])
def test_anyone_but_the_courts_staff_gets_a_404_and_nothing_changes(
    who, ctd, counsel, case, client, login
):
    account = {
        "staff of another court": lambda: staff(district_court("vid")),
        "attorney of record": lambda: counsel.account,
        "a PACER user": lambda: AccountFactory(),
    }[who]()
    login(account)
    rep = Representation.objects.get(party__case=case)
    fee = CaseFee.objects.get(case=case)
    before = Event.objects.count()
    for method, page in all_pages(case, rep, fee):
        assert getattr(client, method)(page).status_code == 404, page
    case.refresh_from_db()
    assert not case.sealed and case.date_terminated is None and case.entries.count() == 1
    assert Event.objects.count() == before


def test_out_of_range_numbers_are_a_404_not_an_error(ctd, clerk, client, case):
    assert client.get(reverse("dockets:staff_case", args=["ctd", 10**30])).status_code == 404
    huge = reverse("dockets:staff_entry_correct", args=["ctd", case.pk, 10**30])
    assert client.get(huge).status_code == 404
    minute = ctd.filing_events.get(menu="civil", code="minute_entry")
    response = client.post(
        url("staff_entry_add", case),
        {
            "entry-once": new_token(),
            "entry-event": minute.pk,
            "entry-text": "Minute",
            "entry-relates_to": str(10**30),
        },
    )
    assert response.status_code == 400 and case.entries.count() == 1


def test_signed_out_visitors_are_sent_to_sign_in(ctd, case, client):
    response = client.get(url("staff_case", case))
    assert response.status_code == 302 and "/csologin/login/" in response["Location"]


def test_the_staff_actions_refuse_anyone_but_the_courts_staff(ctd, counsel, case):
    vid_clerk = staff(district_court("vid"))
    for acting in (vid_clerk, counsel.account):
        with pytest.raises(DocketRefused):
            staff_actions.close_case(acting=acting, case=case, request=None)
        with pytest.raises(DocketRefused):
            staff_actions.set_case_sealed(acting=acting, case=case, sealed=True, request=None)
        with pytest.raises(DocketRefused):
            staff_actions.mark_fee_paid(
                acting=acting, fee=case.fees.get(), receipt_number="1", request=None
            )
    case.refresh_from_db()
    assert not case.sealed and case.is_open and not case.fees.get().is_paid


def test_the_ecf_staff_menu_links_to_the_cases(ctd, clerk, client):
    assert (
        url("staff_cases") in client.get(reverse("ecf:staff_home", args=["ctd"])).content.decode()
    )


def test_staff_add_an_event_to_a_menu_and_take_it_off(ctd, clerk, client):
    page = client.get(url("staff_events"))
    assert page.status_code == 200 and "Motion for Summary Judgment" in page.content.decode()
    response = client.post(
        url("staff_events"),
        {
            "menu": "civil",
            "label": "Motion to Compel",
            "group": "Motions and Related Filings",
            "who": "attorney",
            "fee": "0",
            "document_required": "on",
        },
    )
    assert response.status_code == 302
    event = ctd.filing_events.get(menu="civil", code="motion_to_compel")
    assert event.active and event.order > ctd.filing_events.get(menu="civil", code="order").order
    assert last_event("add_event").court_code == "ctd"
    again = client.post(
        url("staff_events"),
        {"menu": "civil", "label": "motion to compel", "group": "x", "who": "attorney", "fee": "0"},
    )
    assert again.status_code == 400
    assert "This menu already has an event with this name." in again.content.decode()
    wrong_menu = client.post(
        url("staff_events"),
        {"menu": "bankruptcy", "label": "Thing", "group": "x", "who": "attorney", "fee": "0"},
    )
    assert wrong_menu.status_code == 400 and not ctd.filing_events.filter(code="thing").exists()
    client.post(reverse("dockets:staff_event_disable", args=["ctd", event.pk]))
    event.refresh_from_db()
    assert not event.active and last_event("disable_event")


def test_another_courts_staff_may_not_change_this_courts_events(ctd, client, login):
    login(staff(district_court("vid")))
    event = ctd.filing_events.get(menu="civil", code="complaint")
    assert client.get(url("staff_events")).status_code == 404
    disable = reverse("dockets:staff_event_disable", args=["ctd", event.pk])
    assert client.post(disable).status_code == 404
    # Nor through their own court's pages.
    assert (
        client.post(reverse("dockets:staff_event_disable", args=["vid", event.pk])).status_code
        == 404
    )
    event.refresh_from_db()
    assert event.active


@pytest.mark.parametrize("typed", ["\u00b2", "24-cv-\u00b9\u00b2", "24-cv-12345678901234"])
def test_a_case_search_of_digits_int_or_the_column_refuses_is_no_server_error(
    ctd, case, clerk, client, typed
):
    client.raise_request_exception = False
    response = client.get(url("staff_cases"), {"q": typed})
    assert response.status_code == 200
    assert case.number not in response.content.decode()


def test_an_entry_that_relates_to_superscript_digits_names_the_field():
    from nextgen.dockets.forms.staff import EntryForm

    form = EntryForm({"entry-relates_to": "1, \u00b2"}, prefix="entry", events=[])
    assert not form.is_valid()
    assert "relates_to" in form.errors


def test_a_defendant_named_past_the_columns_limit_is_a_message_naming_defendants(
    ctd, clerk, client
):
    long_name = "R" * 301
    response = open_criminal(client, ctd, defendants=f"Richard Roe\n{long_name}")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Shorten each party&#x27;s name to 300 characters or fewer." in html
    assert long_name in html  # what was typed is kept
    assert not Case.objects.filter(case_type="cr").exists()


def test_an_alias_past_the_columns_limit_is_a_message_naming_aliases(ctd, clerk, client, case):
    response = client.post(
        url("staff_party_add", case),
        {"party-name": "Big Bank", "party-role": "Intervenor", "party-aliases": "BB\n" + "B" * 301},
    )
    assert response.status_code == 400
    assert "Shorten each alias to 300 characters or fewer." in response.content.decode()
    assert not case.parties.filter(name="Big Bank").exists()


def test_the_case_opening_action_refuses_a_title_past_the_columns_limit(ctd, clerk):
    indictment = ctd.filing_events.get(menu="criminal", code="indictment")
    with pytest.raises(ValidationError) as refused:
        staff_actions.open_criminal_case(
            acting=clerk,
            court=ctd,
            title="T" * 501,
            defendants=["Richard Roe"],
            event=indictment,
            documents=[],
            request=None,
        )
    assert refused.value.message_dict == {"title": [notices.TITLE_TOO_LONG]}
    assert not Case.objects.filter(case_type="cr").exists()


def named(data: bytes, name: str = "order.pdf") -> io.BytesIO:
    f = io.BytesIO(data)
    f.name = name
    return f


@pytest.mark.parametrize(
    "kind",
    ["encrypted_no_user_password", "open_action_javascript", "embedded_file", "fillable_form"],
)
def test_a_staff_entrys_document_obeys_the_courts_pdf_rules(ctd, clerk, client, case, kind):
    order = ctd.filing_events.get(menu="civil", code="order")
    response = client.post(
        url("staff_entry_add", case),
        {
            "entry-once": new_token(),
            "entry-event": order.pk,
            "entry-text": "ORDER",
            "entry-document": named(getattr(pdfs, kind)()),
        },
    )
    assert response.status_code == 400
    assert "order.pdf " in response.content.decode()  # the refusal names the file
    assert not DocketEntry.objects.filter(case=case, number=2).exists()


def test_a_staff_document_past_the_courts_size_limit_is_refused_naming_the_limit(
    ctd, clerk, client, case
):
    ctd.filing_size_limit_mb = 1
    ctd.save(update_fields=["filing_size_limit_mb"])
    order = ctd.filing_events.get(menu="civil", code="order")
    big = pdfs.good() + b"%" + b"x" * (1024 * 1024) + b"\n"
    response = client.post(
        url("staff_entry_add", case),
        {
            "entry-once": new_token(),
            "entry-event": order.pk,
            "entry-text": "ORDER",
            "entry-document": named(big),
        },
    )
    assert response.status_code == 400
    assert "at most 1 MB" in response.content.decode()
    assert not DocketEntry.objects.filter(case=case, number=2).exists()


def test_a_criminal_case_opens_only_with_a_charging_document_the_pdf_rules_accept(
    ctd, clerk, client
):
    response = open_criminal(
        client, ctd, document=named(pdfs.open_action_javascript(), "indictment.pdf")
    )
    assert response.status_code == 400
    assert "indictment.pdf" in response.content.decode()
    assert not Case.objects.filter(case_type="cr").exists()


def test_a_double_click_on_open_case_opens_one_case(ctd, clerk, client):
    page = client.get(url("staff_open_criminal")).content.decode()
    token = re.search(r'name="once" value="([^"]+)"', page).group(1)
    sent = [open_criminal(client, ctd, once=token) for _ in range(2)]
    case = Case.objects.get(court=ctd, case_type="cr")
    assert [r.status_code for r in sent] == [302, 302]
    assert sent[1].url == sent[0].url == url("staff_case", case)
    shown = client.get(sent[1].url).content.decode().replace("&#x27;", "'")
    assert notices.ALREADY_SUBMITTED in shown
    assert Event.objects.filter(action="docket.open_case").count() == 1


def test_a_double_click_on_add_entry_adds_one_entry(ctd, clerk, client, case):
    page = client.get(url("staff_case", case)).content.decode()
    token = re.search(r'name="entry-once" value="([^"]+)"', page).group(1)
    minute = ctd.filing_events.get(menu="civil", code="minute_entry")
    for _ in range(2):
        response = client.post(
            url("staff_entry_add", case),
            {"entry-once": token, "entry-event": minute.pk, "entry-text": "Minute Entry."},
        )
        assert response.status_code == 302
    assert case.entries.count() == 2  # the complaint and one minute entry


def test_a_refused_form_may_be_corrected_and_sent_again_once(ctd, clerk, client, case):
    order = ctd.filing_events.get(menu="civil", code="order")
    token = new_token()
    data = {"entry-once": token, "entry-event": order.pk, "entry-text": "ORDER"}
    refused = client.post(
        url("staff_entry_add", case), data | {"entry-document": named(pdfs.fillable_form())}
    )
    assert refused.status_code == 400 and f'value="{token}"' in refused.content.decode()
    assert (
        client.post(url("staff_entry_add", case), data | {"entry-document": pdf()}).status_code
        == 302
    )
    assert (
        client.post(url("staff_entry_add", case), data | {"entry-document": pdf()}).status_code
        == 302
    )
    assert case.entries.count() == 2


def test_a_form_sent_without_its_token_enters_nothing_and_says_so(ctd, clerk, client, case):
    minute = ctd.filing_events.get(menu="civil", code="minute_entry")
    response = client.post(
        url("staff_entry_add", case), {"entry-event": minute.pk, "entry-text": "Minute Entry."}
    )
    assert response.status_code == 400
    assert notices.FORM_EXPIRED in response.content.decode()
    assert case.entries.count() == 1


def test_with_the_cache_down_a_staff_form_is_try_again_shortly_not_an_error(
    with_redis,  # noqa: F811
    ctd,
    clerk,
    client,
    case,
):
    page = client.get(url("staff_case", case)).content.decode()
    token = re.search(r'name="entry-once" value="([^"]+)"', page).group(1)
    minute = ctd.filing_events.get(menu="civil", code="minute_entry")
    with_redis.stop()
    client.raise_request_exception = False
    response = client.post(
        url("staff_entry_add", case),
        {"entry-once": token, "entry-event": minute.pk, "entry-text": "Minute Entry."},
    )
    assert response.status_code == 503 and response["Retry-After"]
    assert case.entries.count() == 1


def test_a_lost_marker_after_the_entry_is_made_costs_no_error(ctd, clerk, client, case):
    minute = ctd.filing_events.get(menu="civil", code="minute_entry")
    with mock.patch(
        "nextgen.dockets.submit_once.cache.set", side_effect=redis.exceptions.ConnectionError
    ):
        response = client.post(
            url("staff_entry_add", case),
            {"entry-once": new_token(), "entry-event": minute.pk, "entry-text": "Minute."},
        )
    assert response.status_code == 302 and case.entries.count() == 2
