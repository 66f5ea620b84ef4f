"""CSV downloads that a spreadsheet opens as data, never as formulas."""

from __future__ import annotations

import csv
from collections.abc import Iterable

from django.http import StreamingHttpResponse

from .rules import QUARTER_TIME_ZONE

# A cell starting with one of these is a formula (or can become one) in Excel, LibreOffice
# and Google Sheets: descriptions, criteria and client codes are user-typed text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(filename: str, header: list[str], rows: Iterable[list[object]]):
    """Stream the rows (never all in memory: a history may hold 100,000 charges)."""
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([safe_cell(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def transaction_rows(transactions, *, with_account: bool = False):
    for t in transactions.iterator(chunk_size=2000):
        row = [
            t.created_at.astimezone(QUARTER_TIME_ZONE).strftime("%Y-%m-%d %H:%M:%S"),
            t.court.code.upper(),
            t.client_code,
            t.description,
            t.criteria,
            t.billable_pages,
            f"{t.cost:.2f}",
            t.get_free_reason_display() if t.free_reason else "",
        ]
        if with_account:
            row.insert(1, t.account.username)
        yield row


HEADER = [
    "Date (Eastern)",
    "Court",
    "Client Code",
    "Description",
    "Search Criteria",
    "Billable Pages",
    "Cost",
    "Free Because",
]
