"""Court staff pages: find CM/ECF accounts, link history, unlink, password reset,
go-live (and its notices), import, linking progress; refused to everyone else."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
from django.contrib.auth.hashers import check_password, is_password_usable
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlsafe_base64_encode

from nextgen.audit.models import Event
from nextgen.audit.services import SYSTEM
from nextgen.ecf.flows import staff
from nextgen.ecf.models import CourtRole, FilerAccount
from nextgen.ecf.services import set_go_live
from tests.commits import run_on_commit
from tests.factories import ECF_PASSWORD, AccountFactory, CourtFactory, FilerAccountFactory
from tests.passcode import with_passcode

pytestmark = pytest.mark.django_db

NEW_ECF_PASSWORD = "Fresh#Ecf2026"


@pytest.fixture
def vid():
    return CourtFactory(
        code="vid", name="District Court of the Virgin Islands", go_live=dt.date(2022, 6, 6)
    )


@pytest.fixture
def vib():
    return CourtFactory(
        code="vib",
        kind="bankruptcy",
        name="District Court of the Virgin Islands - Bankruptcy Division",
        go_live=dt.date(2022, 6, 6),
    )


@pytest.fixture
def clerk(vid):
    account = AccountFactory(username="vid.clerk", first_name="Val", last_name="Clerk")
    CourtRole.objects.create(account=account, court=vid)
    return account


@pytest.fixture
def vib_clerk(vib):
    account = AccountFactory(username="vib.clerk", first_name="Bea", last_name="Clerk")
    CourtRole.objects.create(account=account, court=vib)
    return account


@pytest.fixture
def john():
    return AccountFactory(
        username="jattorney", first_name="John", last_name="Attorney", email="john@example.com"
    )


@pytest.fixture
def linked(vid, john):
    """John's vid CM/ECF account, linked to his PACER account."""
    filer = FilerAccountFactory(
        court=vid,
        login="jattorney_vid",
        first_name="John",
        last_name="Attorney",
        email="john.cmecf@example.com",
        bar_number="VI1234",
    )
    FilerAccount.objects.filter(pk=filer.pk).update(account=john, linked_at=timezone.now())
    filer.refresh_from_db()
    return filer


def client_for(account) -> Client:
    return with_passcode(Client(), account)


@pytest.fixture
def clerk_client(clerk):
    return client_for(clerk)


def url(name: str, court: str = "vid", **kwargs) -> str:
    return reverse(f"ecf:{name}", kwargs={"code": court, **kwargs})


# --- finding accounts --------------------------------------------------------------------


@pytest.mark.parametrize(
    "key,query",
    [
        ("login", "JATTORNEY_v"),  # prefix, any case
        ("name", "john att"),
        ("name", "Attorney"),
        ("bar_number", "vi1234"),
        ("email", "John.CMECF@example.com"),
        ("pacer", "JAttorney"),
    ],
)
def test_staff_find_a_cmecf_account_by_each_key(clerk_client, linked, vid, key, query):
    FilerAccountFactory(court=vid, login="other", first_name="Ann", last_name="Other")
    # Same login in another court: never shown at vid.
    FilerAccountFactory(court=CourtFactory(code="vib"), login="jattorney_vid")
    response = clerk_client.get(url("staff_home"), {"key": key, "q": query})
    assert response.status_code == 200
    html = response.content.decode()
    results = html[html.index('id="results"') :]
    assert url("staff_filer", pk=linked.pk) in results
    assert "jattorney" in results  # the linked PACER user name
    assert results.count("<tr>") == 2  # header + one row


def test_a_search_without_a_query_names_the_field_and_keeps_the_key(clerk_client, linked):
    response = clerk_client.get(url("staff_home"), {"key": "email", "q": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#id_q">Search for</a>' in html
    assert '<option value="email" selected>' in html


def test_search_results_are_paginated(clerk_client, vid):
    FilerAccountFactory.create_batch(30, court=vid, last_name="Smith")
    first = clerk_client.get(url("staff_home"), {"key": "name", "q": "smith"}).content.decode()
    assert "Page 1 of 2" in first and "30 CM/ECF accounts found" in first
    second = clerk_client.get(url("staff_home"), {"key": "name", "q": "smith", "page": "2"})
    assert second.content.decode().count('href="/ecf/vid/staff/accounts/') == 5
    # A page number out of range or not a number is no server error.
    bad_page = {"key": "name", "q": "smith", "page": "zz"}
    assert clerk_client.get(url("staff_home"), bad_page).status_code == 200


def test_an_unknown_search_key_is_refused_politely(clerk_client, linked):
    response = clerk_client.get(url("staff_home"), {"key": "password", "q": "x"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_the_staff_link_shows_on_the_court_site_for_staff_only(clerk_client, john, vib_clerk):
    assert 'id="staff-link"' in clerk_client.get("/ecf/vid/cgi-bin/").content.decode()
    assert 'id="staff-link"' not in client_for(john).get("/ecf/vid/cgi-bin/").content.decode()
    other = client_for(vib_clerk)
    assert 'id="staff-link"' not in other.get("/ecf/vid/cgi-bin/").content.decode()
    assert 'id="staff-link"' in other.get("/ecf/vib/cgi-bin/").content.decode()


# --- link status and history ----------------------------------------------------------------


def test_the_account_page_shows_link_status_and_history(clerk_client, linked, john, vid):
    Event.objects.create(
        action="link.confirm",
        outcome="success",
        actor=john,
        subject=john,
        court_code="vid",
        details={"cmecf_login": "jattorney_vid"},
    )
    Event.objects.create(
        action="link.confirm",
        outcome="success",
        actor=john,
        court_code="vib",  # another court: not this account's history
        details={"cmecf_login": "jattorney_vid"},
    )
    html = clerk_client.get(url("staff_filer", pk=linked.pk)).content.decode()
    assert "Linked to PACER account jattorney (John Attorney)" in html
    history = html[html.index('id="history"') :]
    assert history.count("link.confirm") == 1


# --- unlinking ------------------------------------------------------------------------------


def test_unlink_requires_a_reason_and_changes_nothing_without(clerk_client, linked, john):
    response = clerk_client.post(url("staff_unlink", pk=linked.pk), {"unlink-reason": "  "})
    assert response.status_code == 400
    assert 'href="#id_unlink-reason">Reason</a>' in response.content.decode()
    linked.refresh_from_db()
    assert linked.account == john
    assert not Event.objects.filter(action="unlink").exists()


def test_unlink_keeps_the_record_mails_the_attorney_and_kills_the_old_password(
    clerk_client, clerk, linked, john
):
    with run_on_commit():
        response = clerk_client.post(
            url("staff_unlink", pk=linked.pk), {"unlink-reason": "Linked to the wrong account"}
        )
    assert response.status_code == 302
    filer = FilerAccount.objects.get(pk=linked.pk)
    assert filer.account is None and filer.linked_at is None
    assert filer.login == "jattorney_vid" and filer.bar_number == "VI1234"
    assert not is_password_usable(filer.password)
    assert not check_password(ECF_PASSWORD, filer.password)
    [message] = mail.outbox
    assert message.to == ["john@example.com"]
    assert "jattorney_vid" in message.body and "Linked to the wrong account" in message.body
    event = Event.objects.get(action="unlink")
    assert event.actor == clerk and event.subject == john and event.court_code == "vid"
    assert event.details["reason"] == "Linked to the wrong account"
    assert event.details["cmecf_login"] == "jattorney_vid"
    # The page now shows it unlinked, with the unlink in its history.
    html = clerk_client.get(url("staff_filer", pk=linked.pk)).content.decode()
    assert "Not linked" in html and "Linked to the wrong account" in html


def test_after_an_unlink_the_old_password_no_longer_links(clerk, linked, john):
    staff.unlink_filer(acting=clerk, filer=linked, reason="wrong person", request=None)
    attorney = client_for(john)
    response = attorney.post(
        "/ecf/vid/cgi-bin/link/", {"login": linked.login, "password": ECF_PASSWORD}
    )
    assert "Invalid CM/ECF login or password." in response.content.decode()
    assert FilerAccount.objects.get(pk=linked.pk).account is None


def _reset_from_mail(filer: FilerAccount, password: str) -> None:
    """Use the token of the reset link in the last mail to set a new CM/ECF password."""
    from nextgen.ecf.flows import recovery

    body = mail.outbox[-1].body
    uid = urlsafe_base64_encode(str(filer.pk).encode())
    token = re.search(rf"/{uid}/([0-9a-z]+-[0-9a-f]+)", body).group(1)
    request = RequestFactory().post("/")
    recovery.RESET.set_password(
        acting=None,
        request=request,
        scope=filer.court,
        holder=filer,
        token=token,
        new_password=password,
    )


def test_staff_sends_a_reset_and_the_attorney_links_again(clerk_client, clerk, linked, john):
    staff.unlink_filer(acting=clerk, filer=linked, reason="wrong person", request=None)
    # A linked account gets no reset; this one is unlinked now.
    with run_on_commit():
        response = clerk_client.post(
            url("staff_reset", pk=linked.pk), {"reset-reason": "Owner asked after unlink"}
        )
    assert response.status_code == 302
    message = mail.outbox[-1]
    assert message.to == ["john.cmecf@example.com"]
    event = Event.objects.get(action=staff.ACTION_RESET)
    assert event.actor == clerk and event.details["reason"] == "Owner asked after unlink"
    _reset_from_mail(FilerAccount.objects.get(pk=linked.pk), NEW_ECF_PASSWORD)
    attorney = client_for(john)
    step1 = attorney.post(
        "/ecf/vid/cgi-bin/link/", {"login": "jattorney_vid", "password": NEW_ECF_PASSWORD}
    )
    assert step1.status_code == 302
    nonce = attorney.session["nextgen_ecf_link"]["data"]["nonce"]
    attorney.post("/ecf/vid/cgi-bin/link/confirm/", {"nonce": nonce})
    assert FilerAccount.objects.get(pk=linked.pk).account == john


def test_a_reset_needs_a_reason_and_an_unlinked_account(clerk_client, linked):
    response = clerk_client.post(url("staff_reset", pk=linked.pk), {"reset-reason": ""})
    assert response.status_code == 400
    # Linked: refused with a message, nothing sent.
    with run_on_commit():
        response = clerk_client.post(url("staff_reset", pk=linked.pk), {"reset-reason": "why"})
    assert response.status_code == 302
    assert mail.outbox == []
    assert not Event.objects.filter(action=staff.ACTION_RESET).exists()


def test_unlinking_an_unlinked_account_changes_nothing(clerk_client, vid):
    filer = FilerAccountFactory(court=vid)
    response = clerk_client.post(url("staff_unlink", pk=filer.pk), {"unlink-reason": "x"})
    assert response.status_code == 302
    filer.refresh_from_db()
    assert check_password(ECF_PASSWORD, filer.password)
    assert not Event.objects.filter(action="unlink").exists()


# --- go-live and its notices ---------------------------------------------------------------------


@pytest.fixture
def three_filers(vid, john):
    waiting = FilerAccountFactory(court=vid, login="waiting", email="waiting@example.com")
    FilerAccountFactory(court=vid, login="no_mail", email="")
    done = FilerAccountFactory(court=vid, login="done", email="done@example.com")
    FilerAccountFactory(court=CourtFactory(code="ctd"), login="elsewhere")
    FilerAccount.objects.filter(pk=done.pk).update(account=john, linked_at=timezone.now())
    return waiting


def test_setting_go_live_notifies_only_unlinked_accounts_with_email(
    clerk_client, clerk, three_filers
):
    with run_on_commit():
        response = clerk_client.post(
            url("staff_go_live"), {"go_live": "2030-03-04", "reason": "Board approved"}
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["waiting@example.com"]]
    body = mail.outbox[0].body
    assert "March 4, 2030" in body and "Link a CM/ECF account to my PACER account" in body
    assert "http://testserver/ecf/vid/cgi-bin/login.pl" in body
    event = Event.objects.get(action="court.go_live")
    assert event.actor == clerk and event.details["reason"] == "Board approved"
    assert event.details == {"old": "2022-06-06", "new": "2030-03-04", "reason": "Board approved"}
    notices = Event.objects.get(action="court.go_live.notices")
    assert notices.details == {"go_live": "2030-03-04", "queued": 1, "added": 1}


def test_the_same_date_never_announced_or_a_withdrawal_sends_nothing(vid, three_filers):
    with run_on_commit():
        set_go_live(court=vid, go_live=vid.go_live, acting=SYSTEM)
        set_go_live(court=vid, go_live=None, acting=SYSTEM)
    assert mail.outbox == []


def test_the_cli_go_live_sends_notices_too(three_filers):
    with run_on_commit():
        call_command("court", "set-go-live", "vid", "2031-01-02")
    assert [m.to for m in mail.outbox] == [["waiting@example.com"]]
    assert "January 2, 2031" in mail.outbox[0].subject


def test_notices_are_written_in_batches(vid, monkeypatch):
    from nextgen.outbox import worker

    monkeypatch.setattr(worker, "EXPAND_BATCH", 2)
    FilerAccountFactory.create_batch(5, court=vid)
    with run_on_commit():
        set_go_live(court=vid, go_live=dt.date(2030, 1, 1), acting=SYSTEM)
    assert len(mail.outbox) == 5
    assert len({tuple(m.to) for m in mail.outbox}) == 5


def test_the_same_date_again_sends_only_the_notices_still_missing(vid, three_filers):
    from nextgen.outbox.models import MessageState, OutboxMessage

    FilerAccountFactory.create_batch(2, court=vid)
    with run_on_commit():
        call_command("court", "set-go-live", "vid", "2031-01-02")
    assert len(mail.outbox) == 3
    # One was given up on (mail server down for hours), and a filer was imported since.
    lost = OutboxMessage.objects.order_by("pk").first()
    lost.state = MessageState.FAILED
    lost.save()
    newcomer = FilerAccountFactory(court=vid)
    mail.outbox.clear()

    out = StringIO()
    with run_on_commit():
        call_command("court", "set-go-live", "vid", "2031-01-02", stdout=out)
    assert "queued again for every filer not yet sent one" in out.getvalue()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([lost.to[0], newcomer.email])
    assert OutboxMessage.objects.filter(state=MessageState.SENT).count() == 4


def test_a_bad_go_live_date_names_the_field_and_keeps_the_reason(clerk_client, vid):
    response = clerk_client.post(url("staff_go_live"), {"go_live": "next week", "reason": "why"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#id_go_live">NextGen go-live date</a>' in html
    assert "why</textarea>" in html
    vid.refresh_from_db()
    assert vid.go_live == dt.date(2022, 6, 6)
    response = clerk_client.post(url("staff_go_live"), {"go_live": "2030-01-01", "reason": ""})
    assert response.status_code == 400 and 'value="2030-01-01"' in response.content.decode()


# --- progress ------------------------------------------------------------------------------------


def test_progress_counts_and_links_per_day(vid, clerk_client):
    today = dt.date(2022, 6, 10)
    vid.go_live = dt.date(2022, 6, 6)
    vid.save()
    at = lambda d, h=12: dt.datetime(2022, 6, d, h, tzinfo=dt.UTC)  # noqa: E731
    links = [at(6), at(6, 23), at(8), at(10)]
    for when in links:
        filer = FilerAccountFactory(court=vid)
        FilerAccount.objects.filter(pk=filer.pk).update(account=AccountFactory(), linked_at=when)
    FilerAccountFactory.create_batch(2, court=vid)
    FilerAccountFactory(court=CourtFactory(code="ctd"))
    progress = staff.link_progress(court=vid, today=today)
    assert (progress.total, progress.linked, progress.unlinked) == (6, 4, 2)
    assert progress.percent == 67
    assert progress.days == [
        (dt.date(2022, 6, 6), 2),
        (dt.date(2022, 6, 7), 0),
        (dt.date(2022, 6, 8), 1),
        (dt.date(2022, 6, 9), 0),
        (dt.date(2022, 6, 10), 1),
    ]
    bars = staff.chart_bars(progress, width=500, height=100)
    assert [b.height for b in bars] == [100, 0, 50, 0, 50]
    # Only the last days are charted; older links are summed apart.
    short = staff.link_progress(court=vid, today=today, max_days=3)
    assert short.days[0] == (dt.date(2022, 6, 8), 1) and short.earlier == 2

    html = clerk_client.get(url("staff_progress")).content.decode()
    assert '<strong id="count-total">6</strong>' in html
    assert '<svg role="img" aria-label="Bar chart' in html
    assert '<table class="usa-table usa-table--borderless usa-table--compact" id="per-day">' in html


def test_progress_before_go_live_has_no_chart(clerk_client, vid):
    vid.go_live = dt.date(2099, 1, 1)
    vid.save()
    html = clerk_client.get(url("staff_progress")).content.decode()
    assert "goes live on January 1, 2099" in html and "<svg" not in html


def test_progress_counts_with_aggregate_queries(vid, django_assert_max_num_queries):
    FilerAccountFactory.create_batch(20, court=vid)
    with django_assert_max_num_queries(2):
        staff.link_progress(court=vid, today=dt.date(2022, 7, 1))


# --- import --------------------------------------------------------------------------------------


CSV = (
    "login,first_name,last_name,email,bar_number,password\n"
    "ann,Ann,Able,ann@example.com,VI1,Ecf#Pass2020\n"
    "bob,Bob,Baker,not-an-email,VI2,Ecf#Pass2020\n"
    "cat,Cat,Cole,cat@example.com,VI3,Ecf#Pass2020\n"
)


def test_import_from_the_browser_form_reports_bad_rows(clerk_client, clerk, vid):
    upload = SimpleUploadedFile("vid.csv", CSV.encode(), content_type="text/csv")
    with run_on_commit():  # immediate delivery: the import runs once the upload commits
        queued = clerk_client.post(url("staff_import"), {"file": upload})
    response = clerk_client.get(queued["Location"])
    assert response.status_code == 200
    html = response.content.decode()
    assert '<span id="count-created">2</span>' in html
    assert '<span id="count-errors">1</span>' in html
    assert "<td>3</td><td>bad e-mail address &#x27;not-an-email&#x27;</td>" in html
    assert set(FilerAccount.objects.filter(court=vid).values_list("login", flat=True)) == {
        "ann",
        "cat",
    }
    event = Event.objects.get(action="filers.import")
    assert event.actor == clerk and event.details["source"] == "upload:vid.csv"
    queued = Event.objects.get(action="filers.import.queued")
    assert queued.actor == clerk and queued.details["rows"] == 3


@pytest.mark.parametrize(
    "content,message",
    [
        (b"name,mail\nx,y\n", "The header lacks the column(s)"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b"", "The submitted file is empty."),
    ],
)
def test_an_unusable_file_names_the_field(clerk_client, vid, content, message):
    upload = SimpleUploadedFile("bad.csv", content)
    response = clerk_client.post(url("staff_import"), {"file": upload})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#id_file">CSV file</a>' in html and message in html
    assert not FilerAccount.objects.filter(court=vid).exists()


def test_an_upload_with_a_nul_character_refuses_that_row_by_line(clerk_client, vid):
    """Attack: a NUL byte in one field was a 500 on PostgreSQL (COPY refuses it)."""
    content = CSV.replace("cat,Cat", "cat\x00,Cat").encode()
    with run_on_commit():
        queued = clerk_client.post(
            url("staff_import"), {"file": SimpleUploadedFile("nul.csv", content)}
        )
    response = clerk_client.get(queued["Location"])
    assert response.status_code == 200
    assert "<td>4</td><td>a NUL character in login</td>" in response.content.decode()
    assert set(FilerAccount.objects.filter(court=vid).values_list("login", flat=True)) == {"ann"}


def test_an_upload_with_a_malformed_or_costly_hash_refuses_that_row(clerk_client, vid):
    content = (
        "login,first_name,last_name,email,bar_number,password_hash\n"
        "ann,Ann,Able,ann@example.com,VI1,pbkdf2_sha256$x\n"
        "bob,Bob,Baker,bob@example.com,VI2,$2b$31$" + "a" * 53 + "\n"
    ).encode()
    with run_on_commit():
        queued = clerk_client.post(
            url("staff_import"), {"file": SimpleUploadedFile("h.csv", content)}
        )
    html = clerk_client.get(queued["Location"]).content.decode()
    assert "<td>2</td><td>malformed pbkdf2_sha256 password hash</td>" in html
    assert "<td>3</td><td>password hash too costly: bcrypt cost 31 (at most 13)</td>" in html
    assert not FilerAccount.objects.filter(court=vid).exists()


def test_a_file_over_the_size_limit_is_refused_unread(clerk_client, vid, monkeypatch):
    monkeypatch.setattr(staff, "MAX_IMPORT_BYTES", 50)
    response = clerk_client.post(
        url("staff_import"), {"file": SimpleUploadedFile("big.csv", CSV.encode())}
    )
    assert response.status_code == 400 and "The file is larger than" in response.content.decode()
    assert not FilerAccount.objects.exists()


# --- refusals ------------------------------------------------------------------------------------


def _all_staff_requests(filer_pk: int):
    return [
        ("get", url("staff_home"), {"key": "login", "q": "j"}),
        ("get", url("staff_filer", pk=filer_pk), {}),
        ("post", url("staff_unlink", pk=filer_pk), {"unlink-reason": "x"}),
        ("post", url("staff_reset", pk=filer_pk), {"reset-reason": "x"}),
        ("get", url("staff_go_live"), {}),
        ("post", url("staff_go_live"), {"go_live": "2030-01-01", "reason": "x"}),
        ("get", url("staff_import"), {}),
        ("post", url("staff_import"), {"file": SimpleUploadedFile("a.csv", CSV.encode())}),
        ("get", url("staff_progress"), {}),
    ]


@pytest.mark.parametrize("who", ["attorney", "other court's staff"])
def test_every_staff_page_is_404_for_non_staff(who, linked, john, vib_clerk, vid):
    client = client_for(john if who == "attorney" else vib_clerk)
    for method, path, data in _all_staff_requests(linked.pk):
        response = getattr(client, method)(path, data)
        assert response.status_code == 404, (method, path)
    # A page that does not exist answers the same.
    assert client.get(url("staff_filer", pk=999999)).status_code == 404
    linked.refresh_from_db()
    vid.refresh_from_db()
    assert linked.account == john and vid.go_live == dt.date(2022, 6, 6)
    assert FilerAccount.objects.filter(court=vid).count() == 1
    assert not Event.objects.filter(action__in=["unlink", "court.go_live", "filers.import"])


def test_a_filer_of_another_court_is_not_found_through_this_court(clerk_client, vib):
    other = FilerAccountFactory(court=vib)
    assert clerk_client.get(url("staff_filer", pk=other.pk)).status_code == 404
    assert (
        clerk_client.post(url("staff_unlink", pk=other.pk), {"unlink-reason": "x"}).status_code
        == 404
    )


def test_signed_out_visitors_are_sent_to_log_in(client, linked):
    response = client.get(url("staff_home"))
    assert response.status_code == 302 and response["Location"].startswith("/csologin/login/")


def test_changes_need_post_and_a_csrf_token(clerk, linked):
    client = with_passcode(Client(enforce_csrf_checks=True), clerk)
    assert client.get(url("staff_unlink", pk=linked.pk)).status_code == 405
    assert client.post(url("staff_unlink", pk=linked.pk), {"unlink-reason": "x"}).status_code == 403
    linked.refresh_from_db()
    assert linked.is_linked


def test_a_deactivated_staff_account_has_no_powers(clerk, linked):
    client = client_for(clerk)
    clerk.is_active = False
    clerk.save()
    assert client.get(url("staff_home")).status_code in (302, 404)
