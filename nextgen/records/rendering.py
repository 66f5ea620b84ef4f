"""The docket report's entry rows, written in Python: a 5,000-entry docket is 5,000 rows,
and building each through the template engine cost most of the report's time. The
markup is CM/ECF's (what programs parse); every value is escaped by format_html."""

from __future__ import annotations

from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from .templatetags.records import doc1_link


def entry_rows(entries, doc_links: dict[int, dict]) -> SafeString:
    rows = []
    for entry in entries:
        docs = list(entry.documents.all())
        main = docs[0] if docs and docs[0].number == 0 else None
        number = doc1_link(doc_links.get(main.pk), entry.number) if main else entry.number
        attachments = ""
        if len(docs) > 1:
            attachments = format_html(
                " (Attachments: {})",
                format_html_join(
                    ", ",
                    "# {} {}",
                    (
                        (doc1_link(doc_links.get(d.pk), d.number), d.description)
                        for d in docs
                        if d.number
                    ),
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
    return mark_safe("".join(rows))  # noqa: S308 (each row built by format_html)
