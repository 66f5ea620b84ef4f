"""Document files: storing uploads, the court's electronic document stamp, removing files.

Files go to the "documents" storage (settings.STORAGES; var/documents by default, S3
through django-storages in production: docs/operations.md) under a random name that
no one can guess; only the document view serves them. They are stored BEFORE the
filing's transaction (`store_documents`), and the actions remove them again when the
transaction fails, so no entry is ever without its file. A crash between the two leaves
a file without a row: `nextgen dockets cleanup-orphans` removes those.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO

import pikepdf
from django.conf import settings
from django.core.files import File
from django.utils import timezone

from nextgen.ecf.models import Court, CourtKind

from .models import document_storage

logger = logging.getLogger(__name__)

CHUNK = 1024 * 1024
# Storage folder of every document file; cleanup-orphans looks only in here.
ROOT = "documents"


@dataclass(frozen=True)
class DocumentUpload:
    """One file of a filing as the filer gave it: first the main document, then attachments."""

    file: IO[bytes]
    description: str = ""
    original_name: str = ""


@dataclass(frozen=True)
class StoredDocument:
    """A file already in storage, waiting for its Document row (number = position)."""

    name: str  # the storage name
    original_name: str
    description: str
    size: int
    sha256: str
    page_count: int | None
    stamp: str

    def discard(self) -> None:
        delete_files([self.name])


# --- the electronic document stamp ---------------------------------------------------


def _court_key(court: Court) -> bytes:
    """The court's own stamp key, derived from NEXTGEN_STAMP_SECRET (or SECRET_KEY)."""
    secret = getattr(settings, "NEXTGEN_STAMP_SECRET", "") or settings.SECRET_KEY
    return hmac.new(
        secret.encode(), f"nextgen.dockets.stamp:{court.code}".encode(), hashlib.sha256
    ).digest()


def stamp_id(court: Court) -> str:
    """The court's stamp prefix and number, as in "dcecfStamp_ID=1045387335"."""
    prefix = "bkecf" if court.kind == CourtKind.BANKRUPTCY else "dcecf"
    number = int.from_bytes(hashlib.sha256(_court_key(court)).digest()[:4], "big")
    return f"{prefix}Stamp_ID={number % 10**10:010d}"


def _stamp_mac(court: Court, chunks: Iterable[bytes], filed_on: dt.date, file_number: str):
    mac = hmac.new(_court_key(court), digestmod=hashlib.sha256)
    for chunk in chunks:
        mac.update(chunk)
    # The date and file number printed in the stamp are covered too.
    mac.update(f"|{filed_on:%m/%d/%Y}|{file_number}".encode())
    return mac.hexdigest()


def format_stamp(court: Court, filed_on: dt.date, file_number: str, mac: str) -> str:
    return (
        f"[STAMP {stamp_id(court)} [Date={filed_on.month}/{filed_on.day}/{filed_on.year}] "
        f"[FileNumber={file_number}] [{mac}]]"
    )


def verify_stamp(court: Court, stamp: str, file: IO[bytes]) -> bool:
    """Whether `stamp` is this court's stamp over exactly these bytes."""
    try:
        inner = stamp.split("[Date=", 1)[1]
        date_text, rest = inner.split("]", 1)
        file_number = rest.split("[FileNumber=", 1)[1].split("]", 1)[0]
        mac = rest.rsplit("[", 1)[1].rstrip("]")
        month, day, year = (int(p) for p in date_text.split("/"))
        filed_on = dt.date(year, month, day)
    except (IndexError, ValueError):
        return False
    file.seek(0)
    expected = _stamp_mac(court, iter(lambda: file.read(CHUNK), b""), filed_on, file_number)
    return hmac.compare_digest(expected, mac)


# --- storing and removing ---------------------------------------------------------------


def page_count(file: IO[bytes]) -> int | None:
    """Pages of a PDF, or None for anything pikepdf cannot open (the filing flow's PDF
    rules refuse those before they get here; imports may hold other files)."""
    try:
        file.seek(0)
        # An upload Django spooled to disk is opened by path: qpdf reads what it needs.
        path = getattr(file, "temporary_file_path", None)
        # pikepdf reads any seekable binary stream; its annotation names only BinaryIO.
        with pikepdf.open(path() if path else file) as pdf:  # type: ignore[arg-type]
            return len(pdf.pages)
    except Exception:  # noqa: BLE001 - any unreadable file simply has no page count
        return None
    finally:
        file.seek(0)


def _random_name(court: Court, original_name: str) -> str:
    suffix = ".pdf" if original_name.lower().endswith(".pdf") or not original_name else ""
    return f"{ROOT}/{court.code}/{secrets.token_urlsafe(32)}{suffix}"


def _measure(
    court: Court, f: IO[bytes], filed_on: dt.date, file_number: str
) -> tuple[int, str, str]:
    """Size, SHA-256 and stamp MAC of a file, in one streaming pass."""
    f.seek(0)
    digest = hashlib.sha256()
    size = 0

    def chunks():
        nonlocal size
        for chunk in iter(lambda: f.read(CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
            yield chunk

    mac = _stamp_mac(court, chunks(), filed_on, file_number)
    return size, digest.hexdigest(), mac


def store_documents(
    uploads: Sequence[DocumentUpload], *, court: Court, filed_on: dt.date | None = None
) -> list[StoredDocument]:
    """Store each upload under a random name with its size, SHA-256, page count and the
    court's stamp. If one fails, those already stored are removed before re-raising."""
    filed_on = filed_on or court.today()  # the court's date goes into its stamp
    # CM/ECF's FileNumber: one number for the filing, "-n" for each document in it.
    base = f"{secrets.randbelow(9 * 10**7) + 10**7}"
    stored: list[StoredDocument] = []
    try:
        for index, upload in enumerate(uploads):
            f = upload.file
            file_number = f"{base}-{index}"
            size, sha256, mac = _measure(court, f, filed_on, file_number)
            pages = page_count(f)
            original = upload.original_name or getattr(f, "name", "") or ""
            original = original.rsplit("/", 1)[-1][:255]
            name = document_storage.save(_random_name(court, original), File(f))
            stored.append(
                StoredDocument(
                    name=name,
                    original_name=original,
                    description=upload.description.strip()[:200],
                    size=size,
                    sha256=sha256,
                    page_count=pages,
                    stamp=format_stamp(court, filed_on, file_number, mac),
                )
            )
    except BaseException:
        discard(stored)
        raise
    return stored


def delete_files(names: Iterable[str]) -> None:
    """Remove stored files; a failure is logged (cleanup-orphans retries), never raised,
    so it cannot hide the error that made us clean up."""
    for name in names:
        try:
            document_storage.delete(name)
        except Exception:
            logger.exception("could not remove stored document %s", name)


def discard(stored: Iterable[StoredDocument]) -> None:
    delete_files(s.name for s in stored)


# --- orphans ------------------------------------------------------------------------------


def _walk(folder: str) -> Iterable[str]:
    try:
        dirs, files = document_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in dirs:
        yield from _walk(f"{folder}/{sub}")


def find_orphans(*, grace: dt.timedelta) -> list[str]:
    """Stored files no Document row names, older than `grace` (a younger one may belong to
    a filing whose transaction is still running)."""
    from .models import Document

    cutoff = timezone.now() - grace
    orphans: list[str] = []
    names = list(_walk(ROOT))
    for start in range(0, len(names), 500):
        batch = names[start : start + 500]
        known = set(Document.objects.filter(file__in=batch).values_list("file", flat=True))
        for name in batch:
            if name in known:
                continue
            try:
                modified = document_storage.get_modified_time(name)
            except (FileNotFoundError, NotImplementedError):
                continue
            if modified < cutoff:
                orphans.append(name)
    return orphans
