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
