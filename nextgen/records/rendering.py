"""The docket report's entry rows, written in Python: a 5,000-entry docket is 5,000 rows,
and building each through the template engine (and then through format_html, five
calls a row) cost most of the report's time. The markup is CM/ECF's (what programs
parse); every value read from the database goes through `escape` exactly once, as
format_html escaped it, so the bytes are the same.
"""

from __future__ import annotations

import datetime as dt
from html import escape as _html_escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from nextgen.dockets.doc_ids import DOC_ID_OFFSET, doc_id_prefix
from nextgen.ecf.models import Court

from .selectors import ReportEntry


def escape(value: object) -> str:
    """Django's escape (and format_html's) without the SafeString wrapper: & < > " '."""
    return _html_escape(str(value), quote=True)


def entry_rows(court: Court, case_pk: int, entries: list[ReportEntry]) -> SafeString:
    """The report's <tr> rows: date filed, the number (a doc1 link to the main document
    when it has one) and the text with its attachments' links, as CM/ECF writes them."""
    base = escape(reverse("records:doc1", args=[court.code, "0"])[:-1] + doc_id_prefix(court))
    # escape() works character by character, so the escaped call is the call written with
    # the escaped base and &#x27; for its quotes (the ids are digits): one escape a report.
    q = "&#x27;"
    head = f"goDLS({q}{base}"
    tail = f"{q},{q}{case_pk}{q},{q}"
    end = f"{q},{q}{q},{q}{q},{q}1{q},{q}{q},{q}{q});return(false);"

    def link(doc_pk: int, label: int, entry_pk: int) -> str:
        # records.doc1_link's markup: the href, and CM/ECF's goDLS(...) call (data for
        # the programs that read the page; the Content-Security-Policy forbids running it).
        doc_id = f"{DOC_ID_OFFSET + doc_pk:08d}"
        onclick = f"{head}{doc_id}{tail}{entry_pk}{end}"
        return f'<a href="{base}{doc_id}" onclick="{onclick}">{label}</a>'

    # Days as the rows write them, filed or entered (a docket's entries share few days;
    # the day of entry is already the day in the current time zone: selectors._report_rows).
    days: dict[dt.date, str] = {}

    def day(date: dt.date) -> str:
        text = days.get(date)
        if text is None:
            text = days[date] = date.strftime("%m/%d/%Y")
        return text

    rows = []
    for entry in entries:
        docs = entry.documents
        main = docs[0] if docs and docs[0][1] == 0 else None
        number = link(main[0], entry.number, entry.pk) if main else entry.number
        attachments = ""
        if len(docs) > 1:
            listed = ", ".join(
                f"# {link(pk, n, entry.pk)} {escape(description)}"
                for pk, n, description in docs
                if n
            )
            attachments = f" (Attachments: {listed})"
        rows.append(
            f'<tr><td valign="top" nowrap>{day(entry.date_filed)}</td>'
            f'<td class="text-no-wrap" valign="top" align="right">{number}&nbsp;</td>'
            f'<td valign="top">{escape(entry.text)}{attachments} '
            f"(Entered: {day(entry.date_entered)})</td></tr>\n"
        )
    return mark_safe("".join(rows))  # noqa: S308 (every value escaped above)
