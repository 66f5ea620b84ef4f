"""PACER-shaped document ids for doc1 links.

PACER document ids are 12 digits: three for the court, a fourth that PACER uses to ask
for the attachment list, then the document's own number. NextGen writes its documents'
row ids the same way, so programs that pick ids out of doc1 links (juriscraper reads them
from docket reports, NEFs and RSS feeds) read ours unchanged. Records' pages, the NEFs
(noticing) and the RSS feed all link through `doc1_path`.
"""

from __future__ import annotations

from django.urls import reverse

from nextgen.ecf.models import Court

from .models import Document

DOC_ID_OFFSET = 10_000_000
FALLBACK_PREFIX = "999"


def _court_prefix(court: Court) -> str:
    from .doc_prefixes import PREFIXES

    return PREFIXES.get(court.code, FALLBACK_PREFIX)


def doc_id_prefix(court: Court) -> str:
    """The first four digits of the court's doc1 ids (the rest is the row id)."""
    return f"{_court_prefix(court)}0"


def doc_id(document: Document, court: Court) -> str:
    return f"{doc_id_prefix(court)}{DOC_ID_OFFSET + document.pk:08d}"


def document_pk(text: str) -> int | None:
    """The document row id a doc1 id names (also plain row ids, the older links)."""
    if not text.isdigit() or len(text) > 15:
        return None
    if len(text) == 12:
        return int(text[4:]) - DOC_ID_OFFSET
    return int(text)


def doc1_path(document: Document, court: Court) -> str:
    """`/ecf/<code>/doc1/<12-digit id>`, without the trailing slash PACER never writes."""
    return reverse("records:doc1", args=[court.code, doc_id(document, court)]).rstrip("/")
