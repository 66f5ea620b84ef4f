"""Which PDF documents a court accepts for filing (NextGen CM/ECF Release 1.8 rules).

A filed document is refused when it is not a PDF, is encrypted, carries JavaScript or
launch actions, embedded files or audio/video, is a fillable form, is damaged, or is
larger than the court allows. PDF/A files, scans and external links (URI actions) are
accepted. The document is read with pikepdf (qpdf), never with a parser of our own, and
from a file on disk: uploads are streamed to a temporary file, so a 100 MB document is
never held in a worker's memory.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from django.core.files.uploadedfile import TemporaryUploadedFile

from .filing import notices

MB = 1024 * 1024
DEFAULT_SIZE_LIMIT_MB = 50
# A PDF's header may follow a little junk (some scanners write a preamble); readers
# accept it within the first kilobyte, and so do we.
HEADER_WINDOW = 1024

# Action types that run code or another program.
ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/ResetForm"}
# Action types and annotation subtypes that play audio or video.
MEDIA_ACTIONS = {"/Sound", "/Movie", "/Rendition", "/RichMediaExecute"}
MEDIA_ANNOTATIONS = {"/Sound", "/Movie", "/Screen", "/RichMedia", "/3D"}


class PdfRefused(Exception):
    """A document the court does not accept; `message` says why, in plain words."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class PdfFacts:
    """What filing records about an accepted document."""

    pages: int
    size: int
    sha256: str


def sha256_of(path: Path, *, chunk: int = MB) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def check_pdf(
    path: str | Path, *, name: str = "", size_limit_mb: int = DEFAULT_SIZE_LIMIT_MB
) -> PdfFacts:
    """The facts of an acceptable PDF at `path`, or PdfRefused naming the rule it breaks."""
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise PdfRefused("empty", notices.pdf_refusal("empty", name))
    if size > size_limit_mb * MB:
        raise PdfRefused("too_large", notices.too_large(name, size / MB, size_limit_mb))
    with path.open("rb") as fh:
        if b"%PDF-" not in fh.read(HEADER_WINDOW):
            raise PdfRefused("not_pdf", notices.pdf_refusal("not_pdf", name))
    try:
        # No silent repair: a file qpdf could read only by reconstructing its cross-reference
        # table has lost something, and the court would docket other than what was signed.
        with pikepdf.open(path, attempt_recovery=False) as pdf:
            reason = _refusal(pdf)
            pages = len(pdf.pages)
    except pikepdf.PasswordError:
        reason, pages = "encrypted", 0
    except (pikepdf.PdfError, RecursionError, ValueError, KeyError, TypeError, RuntimeError):
        reason, pages = "malformed", 0
    if reason is None and pages == 0:
        reason = "malformed"
    if reason is not None:
        raise PdfRefused(reason, notices.pdf_refusal(reason, name))
    return PdfFacts(pages=pages, size=size, sha256=sha256_of(path))


def check_upload(upload: TemporaryUploadedFile, *, limit_mb: int) -> PdfFacts:
    """check_pdf for a file uploaded through the capped handler (nextgen.dockets.filing.
    uploads), which cut it at the court's limit and said how big it really was."""
    oversized = getattr(upload, "oversized_bytes", 0)
    name = upload.name or ""
    if oversized:
        raise PdfRefused("too_large", notices.too_large(name, oversized / MB, limit_mb))
    return check_pdf(upload.temporary_file_path(), name=name, size_limit_mb=limit_mb)


def _refusal(pdf: pikepdf.Pdf) -> str | None:
    """The first rule the open document breaks, or None. Order: the most specific
    guidance first (a fillable form is also "active" when its fields carry scripts, but
    flattening is what the filer needs to hear)."""
    if pdf.is_encrypted:
        return "encrypted"
    if _is_damaged(pdf):
        return "malformed"
    if _is_fillable(pdf):
        return "fillable"
    found: set[str] = set()
    seen: set[tuple[int, int]] = set()
    for obj in pdf.objects:
        _scan(obj, found, seen, depth=0)
        if found:
            break
    _scan(pdf.trailer, found, seen, depth=0)
    for reason in ("active_content", "embedded_files", "media"):
        if reason in found:
            return reason
    return None


def _is_damaged(pdf: pikepdf.Pdf) -> bool:
    """qpdf reconstructs what it can of a broken file; a page tree that lost pages or a
    page whose content is gone means the court would docket something other than what the
    filer saw."""
    pages = pdf.Root.get("/Pages")
    if not isinstance(pages, pikepdf.Dictionary) or pages.get("/Count") != len(pdf.pages):
        return True
    for page in pdf.pages:
        if "/Contents" not in page.obj:
            continue  # a blank page
        contents = page.obj.get("/Contents")
        parts = contents if isinstance(contents, pikepdf.Array) else [contents]
        if not all(isinstance(part, pikepdf.Stream) for part in parts):
            return True
    return False


def _is_fillable(pdf: pikepdf.Pdf) -> bool:
    """An interactive form with fields a person could fill in. Signature fields alone do
    not count: a digitally signed PDF is a finished document."""
    acroform = pdf.Root.get("/AcroForm")
    if not isinstance(acroform, pikepdf.Dictionary):
        return False
    if "/XFA" in acroform:
        return True
    fields = acroform.get("/Fields")
    if not isinstance(fields, pikepdf.Array):
        return False
    return any(_field_type(field) != "/Sig" for field in fields)


def _field_type(field: pikepdf.Object, depth: int = 0) -> str:
    if not isinstance(field, pikepdf.Dictionary) or depth > 32:
        return ""
    if "/FT" in field:
        return str(field.FT)
    kids = field.get("/Kids")
    if isinstance(kids, pikepdf.Array) and len(kids):
        types = {_field_type(kid, depth + 1) for kid in kids}
        return "/Sig" if types == {"/Sig"} else "/Tx"
    return ""


def _scan(obj: pikepdf.Object, found: set[str], seen: set[tuple[int, int]], depth: int) -> None:
    """Look at one object and the direct objects inside it (indirect ones are visited in
    their own turn by the caller's walk over every object of the file)."""
    if depth > 64:  # a maliciously deep nesting is damaged, not something to recurse into
        raise RecursionError("nesting too deep")
    if not isinstance(obj, pikepdf.Object):
        return  # pikepdf gives numbers, names' text and null as plain Python values
    if obj.is_indirect and depth > 0:
        return
    if obj.is_indirect:
        key = obj.objgen
        if key in seen:
            return
        seen.add(key)
    if isinstance(obj, pikepdf.Stream):
        _look_at(obj.stream_dict, found)
        children: Iterable[tuple[str | int, pikepdf.Object]] = obj.stream_dict.items()
    elif isinstance(obj, pikepdf.Dictionary):
        _look_at(obj, found)
        children = obj.items()
    elif isinstance(obj, pikepdf.Array):
        children = enumerate(obj)
    else:
        return
    for _, child in children:
        if isinstance(child, pikepdf.Dictionary | pikepdf.Array | pikepdf.Stream):
            _scan(child, found, seen, depth + 1)


def _look_at(d: pikepdf.Dictionary, found: set[str]) -> None:
    keys = set(d.keys())
    kind = str(d.get("/S", "")) if "/S" in keys else ""
    subtype = str(d.get("/Subtype", "")) if "/Subtype" in keys else ""
    type_ = str(d.get("/Type", "")) if "/Type" in keys else ""
    # JavaScript wherever it hides: actions (/S /JavaScript), the Names tree (/JavaScript),
    # and any dictionary carrying a /JS entry.
    if kind in ACTIVE_ACTIONS or "/JS" in keys or "/JavaScript" in keys:
        found.add("active_content")
    if kind in MEDIA_ACTIONS or subtype in MEDIA_ANNOTATIONS or "/RichMediaContent" in keys:
        found.add("media")
    if (
        type_ == "/EmbeddedFile"
        or subtype == "/FileAttachment"
        or "/EmbeddedFiles" in keys
        or ("/EF" in keys and type_ in ("", "/Filespec"))
        or kind == "/GoToE"
    ):
        found.add("embedded_files")
