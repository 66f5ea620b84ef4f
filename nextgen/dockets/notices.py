"""Every user-facing sentence of the dockets app (CM/ECF's words where it has them)."""

from __future__ import annotations

# Why an action refused; each says why in plain words and nothing changed.
REFUSALS = {
    "staff_only": "Only court staff may file this event.",
    "not_staff": "Only the court's staff may do this.",
    "not_filer": (
        "You are not a filer in this court. Link your CM/ECF account (Utilities) or register "
        "for e-filing before you file."
    ),
    "case_closed": "This case is closed. Court staff can reopen it.",
    "already_sealed": "It is already sealed.",
    "not_sealed": "It is not sealed.",
    "already_paid": "This fee is already marked paid.",
    "already_terminated": "This is already terminated.",
    "already_closed": "The case is already closed.",
    "already_open": "The case is already open.",
    "already_of_record": "This attorney is already of record for this party.",
}

# Field messages.
EVENT_WRONG_COURT = "Choose an event of this court's menu for this kind of case."
EVENT_NOT_OPENING = "This event does not open a case."
EVENT_OPENS_CASE = "This event opens a new case; choose an event for an existing case."
TITLE_REQUIRED = "Enter the case title, e.g. Doe v. Acme Corp."
PARTIES_REQUIRED = "Add at least one party."
PARTY_NAME_REQUIRED = "Enter the party's name."
PARTY_NAME_TOO_LONG = "Shorten each party's name to 300 characters or fewer."
ALIAS_TOO_LONG = "Shorten each alias to 300 characters or fewer."
TITLE_TOO_LONG = "Shorten the case title to 500 characters or fewer."
PARTY_ROLE_INVALID = "Choose the party's role."
CASE_TYPE_INVALID = "This court does not take this kind of case."
OFFICE_INVALID = "Enter the office: one digit, 1 to 9."
CHAPTER_REQUIRED = "Choose the chapter: 7, 11 or 13."
MAIN_CASE_REQUIRED = "An adversary proceeding is opened within a bankruptcy case of this court."
DOCUMENT_REQUIRED = "Attach the main document (PDF)."
DOCUMENTS_NOT_ALLOWED = "This event takes no document."
FILER_PARTY_WRONG_CASE = "Choose filer parties of this case."
RELATES_TO_WRONG_CASE = "Choose entries of this case."
TEXT_REQUIRED = "Enter the docket text."
RECEIPT_REQUIRED = "Enter the receipt number."
REASON_REQUIRED = "Enter the reason for the correction."
FILER_WRONG_COURT = "Choose a CM/ECF account of this court."
PARTY_WRONG_CASE = "Choose a party of this case."
ENTRY_NOT_FOUND = "There is no such entry in this case."
ENTRY_NUMBERS_INVALID = "Enter entry numbers separated by commas."

EVENT_MENU_INVALID = "Choose one of this court's menus."
EVENT_LABEL_REQUIRED = "Enter the event's name, e.g. Motion to Compel."
EVENT_GROUP_REQUIRED = "Enter the menu group, e.g. Motions and Related Filings."
EVENT_WHO_INVALID = "Choose who may file the event."
EVENT_FEE_INVALID = "Enter a fee of $0.00 or more."
EVENT_EXISTS = "This menu already has an event with this name."

# Shown on dockets.
MODIFIED_ON = "Modified on {date}"
SEALED_LABEL = "SEALED"

# Staff pages.
NO_SUCH_LOGIN = "There is no CM/ECF account with this login in this court."
CASE_OPENED = "Case {number} is open."
CASE_CLOSED = "Case {number} is closed."
CASE_REOPENED = "Case {number} is reopened."
CASE_SEALED = "Case {number} is sealed."
CASE_UNSEALED = "Case {number} is unsealed."
PARTY_ADDED = "{name} ({role}) is added."
PARTY_TERMINATED = "{name} is terminated."
ATTORNEY_ADDED = "{attorney} is attorney of record for {party}."
ATTORNEY_TERMINATED = "{attorney} is terminated as attorney for {party}."
ENTRY_ADDED = "Entry {number} is on the docket."
ALREADY_SUBMITTED = "This form was already sent once; it was entered once, not twice."
FORM_EXPIRED = "This form has expired. Load the page again and enter it anew."
ENTRY_SEALED = "Entry {number} is sealed."
ENTRY_UNSEALED = "Entry {number} is unsealed."
ENTRY_CORRECTED = "Entry {number} is corrected."
FEE_PAID = "The ${amount} fee is marked paid."
EVENT_ADDED = "{label} is on the {menu} menu."
EVENT_ENABLED = "{label} is back on the {menu} menu."
EVENT_DISABLED = "{label} is off the {menu} menu."

# The RSS feed (nextgen.dockets.feed) and its staff page.
FEED_TITLE = "{court} - Recent Entries"
FEED_STAFF_INTRO = (
    "The court's RSS feed lists the public entries of the last 24 hours whose event is "
    "ticked here. Sealed cases and sealed entries never appear in it."
)
FEED_EVENTS_SAVED = "The RSS feed's event types are saved ({added} added, {removed} removed)."
FEED_EVENTS_UNCHANGED = "Nothing changed: the RSS feed lists the same event types."
FEED_EVENT_WRONG_COURT = "Choose event types of this court."
EVENT_OPINION = "{label} entries are written opinions (free, in the Written Opinions report)."
EVENT_NOT_OPINION = "{label} entries are no longer written opinions."
