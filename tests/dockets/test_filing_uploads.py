"""Filed documents stream to disk: small memory whatever their size, capped at the
court's limit, and staged as temporary files only."""

from __future__ import annotations

import io
import os
import time
import tracemalloc

from django.core.management import call_command
from django.http.multipartparser import MultiPartParser

from nextgen.dockets.filing import uploads
from nextgen.dockets.filing.flow import FLOW_TTL

BOUNDARY = "nextgenboundary"
MB = 1024 * 1024


def multipart_file(tmp_path, size: int) -> tuple[str, int]:
    """A multipart body on disk: a description field, a `size`-byte file, another field."""
    path = tmp_path / "body"
    with path.open("wb") as out:
        out.write(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="description"\r\n\r\n'
            f"Exhibit A\r\n--{BOUNDARY}\r\n"
            'Content-Disposition: form-data; name="main"; filename="big.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n".encode()
        )
        out.write(b"%PDF-1.7\n")
        block = b"x" * MB
        left = size - 9
        while left > 0:
            out.write(block[: min(left, MB)])
            left -= MB
        out.write(
            f'\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name="after"\r\n\r\n'
            f"kept\r\n--{BOUNDARY}--\r\n".encode()
        )
    return str(path), path.stat().st_size


def parse(body_path: str, length: int, limit: int):
    handler = uploads.CappedTempFileHandler(limit=limit)
    meta = {
        "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
        "CONTENT_LENGTH": str(length),
    }
    with open(body_path, "rb") as stream:
        return MultiPartParser(meta, stream, [handler]).parse()


def test_an_upload_goes_to_a_temporary_file_in_small_memory(tmp_path):
    body, length = multipart_file(tmp_path, 20 * MB)
    tracemalloc.start()
    try:
        post, files = parse(body, length, limit=50 * MB)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    uploaded = files["main"]
    assert os.path.getsize(uploaded.temporary_file_path()) == 20 * MB
    assert uploaded.oversized_bytes == 0
    assert peak < 4 * MB  # chunks, never the document
    assert post["description"] == "Exhibit A"


def test_bytes_past_the_courts_limit_are_not_written_but_the_form_survives(tmp_path):
    body, length = multipart_file(tmp_path, 3 * MB)
    post, files = parse(body, length, limit=1 * MB)
    uploaded = files["main"]
    assert uploaded.oversized_bytes == 3 * MB
    assert os.path.getsize(uploaded.temporary_file_path()) == MB + 1
    assert post["after"] == "kept"


def test_staged_documents_leave_nothing_once_discarded_or_expired(tmp_path, settings):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    source = tmp_path / "upload.pdf"
    source.write_bytes(b"%PDF-1.7")

    class Upload:
        def temporary_file_path(self):
            return str(source)

    staged = uploads.stage("abc123", Upload(), "main")
    assert staged.read_bytes() == b"%PDF-1.7" and not source.exists()
    uploads.discard("abc123")
    assert not staged.parent.exists()

    uploads.staging_dir("old1")
    old = tmp_path / uploads.STAGING_DIR_NAME / "old1"
    os.utime(old, (0, 0))
    uploads.staging_dir("new1")
    assert uploads.sweep(60) == 1
    assert not old.exists() and (tmp_path / uploads.STAGING_DIR_NAME / "new1").exists()


def test_a_flow_id_is_never_a_path():
    import pytest

    with pytest.raises(ValueError):
        uploads.staging_dir("../etc")


def test_the_timed_sweep_removes_abandoned_filings_older_than_the_flow_and_keeps_the_rest(
    settings, tmp_path
):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    root = tmp_path / uploads.STAGING_DIR_NAME
    uploads.staging_dir("abandoned1")
    (root / "abandoned1" / "main.pdf").write_bytes(b"%PDF-1.7")
    gone = time.time() - FLOW_TTL.total_seconds() - 60
    os.utime(root / "abandoned1", (gone, gone))
    uploads.staging_dir("inprogress1")
    out = io.StringIO()
    call_command("dockets", "sweep-filings", stdout=out)
    assert "Removed the staged documents of 1 abandoned filing(s)." in out.getvalue()
    assert sorted(p.name for p in root.iterdir()) == ["inprogress1"]


def test_the_timed_sweep_creates_no_folder_on_a_host_without_filings(settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    assert uploads.sweep(60) == 0
    assert not (tmp_path / uploads.STAGING_DIR_NAME).exists()
