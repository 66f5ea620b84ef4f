"""Every sentence the filing pages say, in one place (PDF rules, case numbers, refusals).

Where NextGen CM/ECF has words for a page, a field or a button, these are they."""

from __future__ import annotations

# --- PDF rules (NextGen CM/ECF Release 1.8) ---------------------------------------------

PDF_REFUSALS = {
    "not_pdf": "{name} is not a PDF document. Only PDF files may be filed.",
    "encrypted": (
        "{name} is encrypted or password-protected. Remove the password and the security "
        "settings, save the PDF again and attach it."
    ),
    "active_content": (
        "{name} contains JavaScript or launch actions. PDF documents with active content "
        "cannot be filed: print it to a new PDF and attach that."
    ),
    "embedded_files": (
        "{name} contains embedded files (attachments inside the PDF). File each document "
        "separately, as an attachment, instead."
    ),
    "media": (
        "{name} contains audio or video. PDF documents with multimedia cannot be filed: "
        "submit the recording to the court as the court's rules say."
    ),
    "fillable": (
        "{name} is a fillable PDF form. Fillable PDF forms must be flattened before filing: "
        "print the completed form to a new PDF (or use your PDF program's Flatten command) "
        "and attach that."
    ),
    "malformed": (
        "{name} is damaged or is not a valid PDF document and cannot be read. Save or print "
        "it to a new PDF and attach that."
    ),
    "empty": "{name} is empty.",
}


def pdf_refusal(reason: str, name: str) -> str:
    return PDF_REFUSALS[reason].format(name=name or "The file")


def too_large(name: str, size_mb: float, limit_mb: int) -> str:
    return (
        f"{name or 'The file'} is {size_mb:.1f} MB. This court accepts PDF files of at most "
        f"{limit_mb} MB each: split the document into parts and file the parts as attachments."
    )


# --- case numbers ------------------------------------------------------------------------

CASE_NUMBER_LABEL = "Case Number"
CASE_NUMBER_HELP = "For example 3:26-cv-00042, 26-cv-42, 3:26cv42, 26-42 or 26-10042."
CASE_NUMBER_INVALID = (
    "That is not a case number this court uses. Enter it as 3:26-cv-00042, 26-cv-42, "
    "3:26cv42 or 26-42 (bankruptcy: 26-10042)."
)
CASE_NOT_FOUND = "There is no case with that number in this court."
CASE_AMBIGUOUS = "More than one case matches that number. Choose the case:"


# --- who may file ----------------------------------------------------------------------

FILING_REFUSALS = {
    "not_filer": (
        "You are not a filer in this court. To file here, link your CM/ECF account to your "
        "PACER account (Utilities → Link a CM/ECF account to my PACER account), or register "
        "for e-filing with this court."
    ),
    "legacy": (
        "Your PACER account is a Legacy PACER Account. Upgrade it (My Account & Billing → "
        "Manage My Account → Upgrade) before filing."
    ),
    "shared": (
        "You are signed in with a shared firm PACER account. Log on with your individual "
        "upgraded PACER account to file."
    ),
    "inactive": "Your PACER account is deactivated and cannot file.",
    "mfa": (
        "Filers must use multi-factor authentication. Set it up (My Account & Billing → "
        "Multi-factor authentication) before filing."
    ),
    "staff_only": "Only court staff may file this event.",
    "not_of_record": (
        "You are not an attorney of record in this case. File a Notice of Appearance for the "
        "party you represent first; it makes you attorney of record."
    ),
    "criminal_not_added": (
        "You are not an attorney of record in this criminal case. In criminal cases the "
        "court's staff add attorneys: contact the Clerk's Office."
    ),
    "pro_se_not_own": "Pro se filers may file only in their own cases.",
    "pro_se_appearance": (
        "Pro se filers may file only in their own cases; a Notice of Appearance is for attorneys."
    ),
    "already_of_record": (
        "You are already attorney of record for every party you could appear for in this case."
    ),
    "case_closed": "This case is closed. Contact the Clerk's Office to file in it.",
    "parties_changed": (
        "A party you chose is no longer one you may file for: the party or your "
        "representation of it was terminated, or you became its attorney of record. "
        "Start the filing again from the menu."
    ),
    "wrong_menu": "This event is not filed in this kind of case.",
    "criminal_open": "Criminal cases are opened by court staff.",
}


def filing_refusal(reason: str) -> str:
    return FILING_REFUSALS[reason]


# --- the flow's pages --------------------------------------------------------------------

EXPIRED = "Your filing expired or was already submitted. Start it again from the menu."
ALREADY_SUBMITTED = "This filing was already submitted. Its receipt is below."
REVIEW_WARNING = (
    "Attention!! Pressing the NEXT button on this screen commits this transaction. You will "
    "have no further opportunity to modify this transaction if you continue."
)
PARTIES_REQUIRED = "Select the party or parties you are filing for."
PETITION_TITLE_TOO_LONG = (
    "The case title is made of the debtors' names (In re ... and ...) and may be at most "
    "500 characters: shorten the names."
)
RELATES_REQUIRED = "Select the filing or filings this document responds to."
MAIN_DOCUMENT_REQUIRED = "Attach the main document (a PDF file)."
DESCRIPTION_REQUIRED = "Describe this attachment (for example: Exhibit A)."
RECEIPT_TITLE = "Notice of Electronic Filing"
FEE_DUE = "A filing fee of ${amount} is due for this filing; pay it as the Clerk's Office directs."

FILING_REFUSALS["expired"] = EXPIRED
REPRESENTED_REQUIRED = "Tick “I represent this party” for at least one party you file for."
DEBTOR_REQUIRED = "Enter the debtor's name."
PARTY_ROLE_REQUIRED = "Choose the role of {name}."
MAIN_CASE_NOT_FOUND = "There is no bankruptcy case with that number in this court."
