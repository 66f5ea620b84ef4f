"""Every sentence the noticing app says to people (NEFs, staff delivery reports)."""

from __future__ import annotations

NEF_TITLE = "Notice of Electronic Filing"
NEF_SUBJECT = "Activity in Case {number} {title} {event}"
NEF_SUBJECT_NO_EVENT = "Activity in Case {number} {title}"

# The head of every NEF, in our own words.
NEF_AUTOMATIC = (
    "This message was sent automatically by the court's NextGen CM/ECF system. "
    "Replies to it are not read."
)
NEF_FREE_LOOK = (
    "Attorneys of record and parties in a case may view each document filed in it once "
    "without a PACER fee: the document link in this notice is yours alone, works once and "
    "for 15 days, and asks you to sign in with your PACER account. Save a copy when you "
    "open it; later views, and views by anyone else, are charged the usual PACER fee."
)
NEF_ENTERED = "The following transaction was entered by {by} on {entered} and filed on {filed}"
NEF_ENTERED_NO_ONE = "The following transaction was entered on {entered} and filed on {filed}"
NEF_NO_DOCUMENT = "No document attached"
NEF_VIEW_DOCUMENT = "Copy the address below into your web browser to view the document:"
NEF_MAILED_TO = "{number} Notice has been electronically mailed to:"
NEF_OTHER_MEANS = "{number} Notice will be delivered by other means to:"
NEF_DOCUMENTS = "The following document(s) are associated with this transaction:"
MAIN_DOCUMENT = "Main Document"

# Court staff: the delivery report of one filing's notices.
DELIVERY_NONE = "No notices were sent for this entry."
DELIVERY_WAITING = "Notices are being prepared."
DELIVERY_REPORT = "{total} notices: {parts}."
DELIVERY_REPORT_ONE = "1 notice: {parts}."
DELIVERY_SENT = "{n} sent"
DELIVERY_QUEUED = "{n} waiting to be sent"
DELIVERY_SENDING = "{n} being sent"
DELIVERY_RETRYING = "{n} waiting to retry"
DELIVERY_FAILED = "{n} failed (re-send with `nextgen mail retry-failed`)"
DELIVERY_OTHER_MEANS = "To be noticed by other means: {names}."

# Maintain Your E-mail (nextgen.noticing.preferences and its section of the e-mail page).
PREFS_HEADING = "E-mail notices"
PREFS_INTRO = (
    "Choose, for each address, whether it gets a notice for each filing or one Daily "
    "Summary Report of the day's filings, and in which format."
)
PREF_DELIVERY_INVALID = "Choose how this address gets notices."
PREF_FORMAT_INVALID = "Choose HTML or text."
PREF_ADDRESS_GONE = "This address is no longer one of your addresses in this court."
PREF_SAVED = "Notices to {address}: {delivery}, {format}."
FOLLOW_HEADING = "Send notices in these additional cases"
FOLLOW_INTRO = "Cases you are not attorney of record in but want notices of (public entries only)."
FOLLOW_NONE = "No additional cases."
FOLLOW_NUMBER_REQUIRED = "Enter a case number, e.g. 3:26-cv-00042 or 26-42."
FOLLOW_NOT_A_NUMBER = "This is not a case number; enter it as 3:26-cv-00042 or 26-42."
FOLLOW_NO_SUCH_CASE = "There is no case with this number in this court."
FOLLOW_AMBIGUOUS = "This number fits several cases ({numbers}): enter the one you mean in full."
FOLLOW_OF_RECORD = "You are attorney of record in this case: its notices already come to you."
FOLLOW_ALREADY = "You already get notices in this case."
FOLLOW_ADDED = "You will get notices in {number} {title}."
FOLLOW_REMOVED = "You will no longer get notices in {number}."
FOLLOW_GONE = "That case is not (or no longer) in your list."

# The Daily Summary Report (nextgen.noticing.summaries).
SUMMARY_SUBJECT = "{court}: Daily Summary Report for {date}"
SUMMARY_INTRO = (
    "The filings of {date} (court time) in the cases you get notices in, as you asked for "
    "this address: one report a day instead of a notice for each filing."
)
SUMMARY_CASE_LINK = "Docket report"
SUMMARY_NO_DOCUMENT = "No document"
SUMMARY_SEALED = "SEALED"
SUMMARY_TITLE = "Daily Summary Report for {date}"
