"""Filed documents on their way in: streamed to disk, capped at the court's limit, and
kept as temporary files (never in storage) until the filing is submitted.

Django's default handlers keep small uploads in memory; the filing pages put only
`CappedTempFileHandler` on the request, so every document goes to a temporary file in
64 KB chunks whatever its size, and bytes past the court's limit are not even written:
a 100 MB upload costs a worker a chunk of memory, not 100 MB. The PDF rules then read
the document from its path (nextgen/dockets/pdf_rules.py).

Between the documents step and the final submit, the accepted documents wait in a
staging folder of their own, one per filing in progress, under the upload temp
directory. Nothing reaches Django's storage before the final submit, so a filing left
half done leaves no stored file; its staging folder is removed when the filing is
cancelled, replaced, submitted, or found expired by a later filing's start.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from nextgen.ecf.models import Court

STAGING_DIR_NAME = "nextgen-filing"


class CappedUploadedFile(TemporaryUploadedFile):
    """A temporary upload that says how big the file really was when it was cut short."""

    oversized_bytes: int = 0


class CappedTempFileHandler(TemporaryFileUploadHandler):
    """Writes each uploaded file to a temporary file, stopping at `limit` bytes.

    An oversized file is still read to its end (the rest of the form follows it in the
    request and must not be lost) but its surplus is dropped; the file comes back with
    `oversized_bytes` set to its real size, for the form to refuse it with the limit."""

    def __init__(self, request: HttpRequest | None = None, *, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0

    file: CappedUploadedFile

    def new_file(
        self,
        field_name: str,
        file_name: str,
        content_type: str,
        content_length: int | None,
        charset: str | None = None,
        content_type_extra: dict[str, bytes] | None = None,
    ) -> None:
        # TemporaryFileUploadHandler.new_file, with the file class that can say it was cut.
        super(TemporaryFileUploadHandler, self).new_file(
            field_name, file_name, content_type, content_length, charset, content_type_extra
        )
        self.file = CappedUploadedFile(file_name, content_type, 0, charset, content_type_extra)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.received += len(raw_data)
        room = self.limit + 1 - (self.received - len(raw_data))
        if room > 0:
            self.file.write(raw_data[:room])

    def file_complete(self, file_size: int) -> CappedUploadedFile:
        super().file_complete(min(file_size, self.limit + 1))
        self.file.oversized_bytes = file_size if file_size > self.limit else 0
        return self.file


def use_capped_handler(request: HttpRequest, *, limit_mb: int) -> None:
    """Put the capped handler on `request`: call before anything reads request.POST."""
    request.upload_handlers = [CappedTempFileHandler(request, limit=limit_mb * 1024 * 1024)]


def capped_uploads(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Wrap a court page that takes documents (URL kwarg `code`): every file of its
    requests streams to a temporary file capped at the court's limit. The CSRF check
    reads request.POST, so it moves inside, after the handler is in place."""
    protected = csrf_protect(view)

    @csrf_exempt
    @wraps(view)
    def outer(request: HttpRequest, code: str, *args, **kwargs) -> HttpResponseBase:
        court = Court.objects.filter(code=code).only("filing_size_limit_mb").first()
        if court is not None:
            use_capped_handler(request, limit_mb=court.filing_size_limit_mb)
        return protected(request, code, *args, **kwargs)

    return outer


def _staging_path() -> Path:
    return Path(settings.FILE_UPLOAD_TEMP_DIR or tempfile.gettempdir()) / STAGING_DIR_NAME


def _staging_root() -> Path:
    root = _staging_path()
    root.mkdir(parents=True, exist_ok=True)
    return root


def staging_dir(flow_id: str) -> Path:
    """The folder holding one filing's accepted documents until it is submitted."""
    if not flow_id.isalnum():  # flow ids are ours (hex), never a path a client chose
        raise ValueError("bad flow id")
    path = _staging_root() / flow_id
    path.mkdir(exist_ok=True)
    return path


def stage(flow_id: str, uploaded: TemporaryUploadedFile, slot: str) -> Path:
    """Move an accepted upload into its filing's staging folder (a rename on one disk)."""
    target = staging_dir(flow_id) / f"{slot}.pdf"
    shutil.move(uploaded.temporary_file_path(), target)
    return target


def touch(flow_id: str) -> None:
    """Mark a filing's staged documents as in use now: the flow's lifetime starts again at
    every step, and the sweep goes by this folder's age (documents kept on going Back
    would otherwise look abandoned an hour after they were attached)."""
    if flow_id and flow_id.isalnum():
        with contextlib.suppress(FileNotFoundError):  # nothing staged yet
            os.utime(_staging_path() / flow_id)


def discard(flow_id: str) -> None:
    if flow_id and flow_id.isalnum():
        shutil.rmtree(_staging_root() / flow_id, ignore_errors=True)


def sweep(max_age_seconds: float) -> int:
    """Remove the staging folders of filings abandoned longer than `max_age_seconds`
    ago; how many went."""
    cutoff = time.time() - max_age_seconds
    removed = 0
    root = _staging_path()
    if not root.is_dir():
        # Nothing staged on this host (and a timer run as another user must not create
        # the folder the app's own user then could not write to).
        return 0
    for path in root.iterdir():
        try:
            if path.is_dir() and path.stat().st_mtime < cutoff:
                shutil.rmtree(path, ignore_errors=True)
                removed += 1
        except FileNotFoundError:
            continue  # another worker swept it first
    return removed
