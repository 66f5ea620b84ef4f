"""Every user-facing sentence of the fees app."""

from __future__ import annotations

CLIENT_CODE_REQUIRED = (
    "Your firm requires a client code for every search and document. Enter a client "
    "code (Utilities → Change Client Code) and try again."
)
NO_CHARGES = "No charges."
WAIVER_NOTICE = (
    "Nothing is owed for a quarter whose charges are $30.00 or less; above that, the "
    "quarter's charges are billed in full."
)
# The statement's quarter comes from a link; the address is not echoed (it could be any
# text), only what a quarter looks like.
BAD_QUARTER = (
    "There is no quarterly statement for the quarter asked for: a quarter is written like "
    "2026-Q1, from 2000-Q1 to 9999-Q3. This is the current quarter's statement."
)
BAD_DATE_RANGE = "The start date must be on or before the end date."
EXEMPTION_REQUESTED = (
    "Your request has been sent to the court. Its staff will approve or deny it; the "
    "decision appears on this page."
)
EXEMPTION_ALREADY_PENDING = (
    "You already have a request pending at this court. Wait for the court's decision "
    "before sending another."
)
EXEMPTION_GRANTED = "The exemption has been granted."
EXEMPTION_ENDED = "The exemption has been ended."
EXEMPTION_ALREADY_ENDED = "This exemption has already ended."
REQUEST_APPROVED = "The request has been approved and the exemption granted."
REQUEST_DENIED = "The request has been denied."
REQUEST_ALREADY_DECIDED = "This request has already been decided."
DENIAL_REASON_REQUIRED = "Give the reason for the denial; the requester will see it."
REASON_REQUIRED = "Give the reason for the exemption."
END_BEFORE_START = "The end date must be on or after the start date."
NO_SUCH_ACCOUNT = "No PACER account has that user name."
PAA_SETTINGS_SAVED = "The firm's billing settings have been saved."


def waiver_crossing(*, quarter_total: str, cost: str, waiver: str) -> str:
    return (
        f"This request costs ${cost}. Your charges this quarter are ${quarter_total}; "
        f"with it they pass the ${waiver} quarterly waiver, and the whole quarter's "
        "charges will be billed."
    )


# Audit actions this app writes (labels for the audit trail pages).
AUDIT_ACTIONS = {
    "fees.exemption.grant": "Fee exemption granted",
    "fees.exemption.end": "Fee exemption ended",
    "fees.exemption.request": "Fee exemption requested",
    "fees.exemption.approve": "Fee exemption request approved",
    "fees.exemption.deny": "Fee exemption request denied",
    "fees.paa.settings": "Firm billing settings changed",
}
