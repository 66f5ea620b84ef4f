"""The docket report's lean reads (issue 14): the same entries, documents, parties and
charge as the general selectors, in a pinned number of queries, and the viewer's facts
read once never answer for another viewer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from nextgen.dockets import selectors as dockets
from nextgen.dockets.models import PartyAlias
from nextgen.fees.models import Transaction
from nextgen.records import selectors
from tests.dockets.factories import filer, of_record
from tests.factories import AccountFactory
from tests.passcode import passcode_viewer
from tests.records.test_pages import docket_report_sql

pytestmark = pytest.mark.django_db

DOCKET = "/ecf/ctd/cgi-bin/DktRpt.pl"


def as_rows(entries) -> list[tuple]:
    """docket_entries' model instances as the report's rows."""
    return [
        (
            e.pk,
            e.number,
            e.date_filed,
            timezone.localtime(e.date_entered).date(),  # the report shows the local day
            e.text,
            [(doc.pk, doc.number, doc.description) for doc in e.documents.all()],
        )
        for e in entries
    ]


def report_rows(entries) -> list[tuple]:
    return [(e.pk, e.number, e.date_filed, e.date_entered, e.text, e.documents) for e in entries]


OPTIONS = [
    selectors.DocketOptions(),
    selectors.DocketOptions(sort="most recent date first"),
    selectors.DocketOptions(sort="document number"),
    selectors.DocketOptions(date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 9)),
    selectors.DocketOptions(date_to=dt.date(2026, 3, 10), sort="most recent date first"),
    selectors.DocketOptions(date_from=timezone.localdate(), date_range_type="Entered"),
    selectors.DocketOptions(number_from=2, number_to=4),
    selectors.DocketOptions(number_from=2, sort="most recent date first"),
]


@pytest.mark.parametrize("options", OPTIONS)
def test_the_reports_rows_are_docket_entries_with_their_documents_for_each_viewer(d, options):
    reader, counsel = AccountFactory(), d.counsel.account
    for viewer in (reader, counsel, d.clerk):
        case = dockets.visible_case(viewer, d.court, d.case.pk, reading=True)
        assert report_rows(selectors.docket_report_entries(viewer, case, options)) == as_rows(
            selectors.docket_entries(viewer, case, options)
        )


def test_the_day_of_entry_is_the_day_in_the_current_time_zone(d):
    # 03:30 UTC on March 10 is still March 9 in New York: the report's day follows the
    # time zone of the request, for each time zone in turn (its SQL is kept per zone).
    entry = d.case.entries.order_by("number").first()
    entry.date_entered = dt.datetime(2026, 3, 10, 3, 30, tzinfo=dt.UTC)
    entry.save(update_fields=["date_entered"])
    case = dockets.visible_case(d.clerk, d.court, d.case.pk, reading=True)
    for zone, day in (("America/New_York", 9), ("UTC", 10), ("America/New_York", 9)):
        with timezone.override(zone):
            rows = selectors.docket_report_entries(d.clerk, case, selectors.DocketOptions())
        assert next(r for r in rows if r.pk == entry.pk).date_entered == dt.date(2026, 3, day)


def test_a_sealed_entry_is_in_the_rows_of_staff_and_counsel_only(d):
    reader = AccountFactory()
    seen = {}
    clerk = passcode_viewer(d.clerk)  # as a session with the passcode hands it over
    for name, viewer in (("reader", reader), ("counsel", d.counsel.account), ("clerk", clerk)):
        case = dockets.visible_case(viewer, d.court, d.case.pk, reading=True)
        entries = selectors.docket_report_entries(viewer, case, selectors.DocketOptions())
        seen[name] = d.sealed.pk in [e.pk for e in entries]
    assert seen == {"reader": False, "counsel": True, "clerk": True}


def test_a_sealed_case_is_no_case_for_a_reader_and_whole_for_its_counsel(d):
    d.case.sealed = True
    d.case.save(update_fields=["sealed"])
    assert dockets.visible_case(AccountFactory(), d.court, d.case.pk, reading=True) is None
    counsel = d.counsel.account
    case = dockets.visible_case(counsel, d.court, d.case.pk, reading=True)
    entries = selectors.docket_report_entries(counsel, case, selectors.DocketOptions())
    assert [e.number for e in entries] == [1, 2, 3, 4]


def test_the_counsel_role_read_with_the_case_answers_only_for_that_viewer(d):
    counsel = d.counsel.account
    case = dockets.visible_case(counsel, d.court, d.case.pk, reading=True)
    with CaptureQueriesContext(connection) as asked:
        assert dockets.is_attorney_of_record(counsel, case)
    assert len(asked) == 0  # read with the case
    other = AccountFactory()
    with CaptureQueriesContext(connection) as asked:
        assert not dockets.is_attorney_of_record(other, case)
    assert len(asked) == 1  # another viewer is asked about, never answered from the fact
    assert not dockets.can_see_sealed(other, case)


def test_a_case_read_for_a_change_carries_no_counsel_role(d):
    counsel = d.counsel.account
    case = dockets.visible_case(counsel, d.court, d.case.pk)
    with CaptureQueriesContext(connection) as asked:
        assert dockets.is_attorney_of_record(counsel, case)
    assert len(asked) == 1


@pytest.mark.parametrize("terminated", [True, False])
def test_the_reports_parties_are_parties_and_counsel(d, terminated):
    plaintiff = d.case.parties.get(role="Plaintiff")
    defendant = d.case.parties.get(role="Defendant")
    PartyAlias.objects.create(party=defendant, name="Acme Holdings")
    PartyAlias.objects.create(party=plaintiff, name="J. Doe")
    other = filer(d.court, first_name="Tom", last_name="Former")
    of_record(defendant, other, date_terminated=dt.date(2026, 3, 5))
    of_record(defendant, filer(d.court, first_name="Nia", last_name="Now"))
    defendant.date_terminated = dt.date(2026, 3, 6)
    defendant.save(update_fields=["date_terminated"])

    def shown(parties):
        return [
            (
                p.pk,
                p.name,
                p.date_terminated,
                [a.name for a in p.aliases.all()],
                [(r.pk, r.filer.last_name, r.date_terminated) for r in p.representations.all()],
            )
            for p in parties
        ]

    expected = shown(selectors.parties_and_counsel(d.case, terminated=terminated))
    assert shown(selectors.report_parties(d.case, terminated=terminated)) == expected
    assert len(expected) == (2 if terminated else 1)


def test_parties_without_aliases_or_counsel_are_one_query(d):
    PartyAlias.objects.filter(party__case=d.case).delete()
    d.case.parties.get(role="Plaintiff").representations.all().delete()
    with CaptureQueriesContext(connection) as asked:
        parties = selectors.report_parties(d.case)
    assert len(asked) == 1
    assert [(list(p.aliases.all()), list(p.representations.all())) for p in parties] == [
        ([], []),
        ([], []),
    ]


# Real commits (no test transaction around): the charge's commit tells the page the
# quarter's total, as in production.
@pytest.mark.django_db(transaction=True)
def test_the_docket_report_is_a_pinned_number_of_queries_and_one_charge(d, client, login):
    reader = AccountFactory()
    login(reader)
    docket_report_sql(client, d)  # what a session caches on its first page
    before = Transaction.objects.filter(account=reader).count()
    queries = docket_report_sql(client, d)
    # Besides the transaction's own statements: the session (a row here, Redis in
    # production) and its account, the court with the viewer's link and staff role, the
    # case with the counsel role, the entries with their documents, the parties, their
    # aliases and attorneys (the fixture's parties have some), the fee's facts (schedule,
    # exemption, the firm's client code rule), and the charge with its day's total and
    # the quarter's total the page shows (one statement on PostgreSQL; elsewhere the
    # charge, the day's total and the quarter's total).
    own = ("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT")
    statements = [q for q in queries if not q.startswith(own)]
    expected = 10 if connection.vendor == "postgresql" else 12
    assert len(statements) == expected, "\n".join(statements)
    assert Transaction.objects.filter(account=reader).count() == before + 1


def format_html_rows(court, case_pk, entries) -> str:
    """The rows as they were written before (format_html and records.doc1_link per value),
    the reference the one-pass rendering must equal byte for byte."""
    from django.urls import reverse
    from django.utils.html import format_html, format_html_join

    from nextgen.dockets.doc_ids import DOC_ID_OFFSET, doc_id_prefix
    from nextgen.records.templatetags.records import doc1_link

    base = reverse("records:doc1", args=[court.code, "0"])[:-1]

    def link(pk, entry_pk):
        doc_id = f"{doc_id_prefix(court)}{DOC_ID_OFFSET + pk:08d}"
        return {
            "href": f"{base}{doc_id}",
            "onclick": f"goDLS('{base}{doc_id}','{case_pk}','{entry_pk}','','','1','','');"
            "return(false);",
        }

    rows = []
    for entry in entries:
        docs = entry.documents
        main = docs[0] if docs and docs[0][1] == 0 else None
        number = doc1_link(link(main[0], entry.pk), entry.number) if main else entry.number
        attachments = ""
        if len(docs) > 1:
            attachments = format_html(
                " (Attachments: {})",
                format_html_join(
                    ", ",
                    "# {} {}",
                    ((doc1_link(link(pk, entry.pk), n), text) for pk, n, text in docs if n),
                ),
            )
        rows.append(
            format_html(
                '<tr><td valign="top" nowrap>{}</td><td class="text-no-wrap" valign="top" '
                'align="right">{}&nbsp;</td><td valign="top">{}{} (Entered: {})</td></tr>\n',
                entry.date_filed.strftime("%m/%d/%Y"),
                number,
                entry.text,
                attachments,
                timezone.localtime(entry.date_entered).strftime("%m/%d/%Y"),
            )
        )
    return "".join(rows)


def test_the_rows_are_the_bytes_format_html_wrote_whatever_the_text(d):
    from nextgen.records.rendering import entry_rows

    at = timezone.now()
    tricky = "Motion <b>&amp;</b> \"quoted\" & 'single' <script>alert(1)</script>"
    entries = [
        selectors.ReportEntry(7, 1, dt.date(2026, 3, 2), at, tricky, [(11, 0, "")]),
        selectors.ReportEntry(
            8,
            2,
            dt.date(2026, 3, 9),
            at,
            "With attachments",
            [(12, 0, ""), (13, 1, "A <&>"), (14, 2, "B \"'")],
        ),
        selectors.ReportEntry(9, 3, dt.date(2026, 3, 10), at, "No documents", []),
        selectors.ReportEntry(
            10, 4, dt.date(2026, 3, 11), at, "Only attachments", [(15, 1, "x"), (16, 2, "y")]
        ),
    ]
    assert str(entry_rows(d.court, d.case.pk, entries)) == format_html_rows(
        d.court, d.case.pk, entries
    )
