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
