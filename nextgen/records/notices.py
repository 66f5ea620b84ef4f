"""Every user-facing sentence of the records app (CM/ECF's words where it has them)."""

from __future__ import annotations

QUERY_TITLE = "Query"
REPORTS_TITLE = "Reports"
DOCKET_REPORT_TITLE = "Docket Report"
WRITTEN_OPINIONS_TITLE = "Written Opinions Report"

# CM/ECF's own words for a search or report that finds nothing.
NO_CASES = "No records found."
CASE_NOT_FOUND = "Case not found."
CANNOT_FIND_CASE = "Cannot find case"
NO_OPINIONS = "No written opinions were filed in this date range."
NO_ENTRIES = "There are no docket entries in this range."
PICK_A_CASE = "This number fits more than one case; choose one."

# Field messages.
ENTER_CRITERIA = "Enter a case number, or a last name or business name."
NOT_A_CASE_NUMBER = "Enter a case number such as 3:26-cv-00042 or 26-10042."
DATE_FORMAT = "Enter a date as MM/DD/YYYY."
DATE_ORDER = "The start date must be less than or equal to the end date."
NUMBER_ORDER = (
    "The starting document number must be less than or equal to the ending document number."
)
NAME_TOO_SHORT = "Enter at least two letters of the name before a wildcard (*)."
CASE_REQUIRED = "Enter the case number."

RECEIPT_ACCEPT = (
    "To accept charges shown below, click on the 'View Document' button, otherwise click "
    "the 'Back' button on your browser."
)
ATTACHMENTS_INTRO = "Document Number {number} of case {case}: choose the document to view."
REPORT_FREE = "This report is free of charge."

# The query menu of a case, in CM/ECF's order.
QUERY_MENU = [
    ("alias", "Alias"),
    ("associated", "Associated Cases"),
    ("attorneys", "Attorney"),
    ("summary", "Case Summary"),
    ("docket", "Docket Report"),
    ("filers", "Filers"),
    ("history", "History/Documents"),
    ("parties", "Parties"),
    ("status", "Status"),
]
