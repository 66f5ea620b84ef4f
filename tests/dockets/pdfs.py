"""PDF documents for filing tests, made with pikepdf: good ones and one of each kind the
court refuses."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, String


def _pdf(pages: int = 1, text: str = "Document") -> pikepdf.Pdf:
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    )
    for i in range(pages):
        content = f"BT /F1 18 Tf 72 720 Td ({text} page {i + 1}) Tj ET".encode()
        page = pdf.add_blank_page(page_size=(612, 792))
        page.Resources = Dictionary(Font=Dictionary(F1=font))
        page.Contents = pdf.make_stream(content)
    return pdf


def _bytes(pdf: pikepdf.Pdf, **save_options) -> bytes:
    out = io.BytesIO()
    pdf.save(out, **save_options)
    return out.getvalue()


def good(pages: int = 1, text: str = "Document") -> bytes:
    return _bytes(_pdf(pages, text))


def with_link() -> bytes:
    """An external link (a URI action): accepted."""
    pdf = _pdf()
    link = Dictionary(
        Type=Name.Annot,
        Subtype=Name.Link,
        Rect=Array([72, 700, 300, 720]),
        A=Dictionary(S=Name.URI, URI=String("https://www.uscourts.gov/")),
    )
    pdf.pages[0].Annots = pdf.make_indirect(Array([pdf.make_indirect(link)]))
    return _bytes(pdf)


def pdfa() -> bytes:
    """A PDF/A-1b claim in the metadata and an output intent: accepted."""
    pdf = _pdf()
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["pdfaid:part"] = "1"
        meta["pdfaid:conformance"] = "B"
    pdf.Root.OutputIntents = Array(
        [Dictionary(Type=Name.OutputIntent, S=Name.GTS_PDFA1, OutputConditionIdentifier="sRGB")]
    )
    return _bytes(pdf)


def signed_form() -> bytes:
    """An AcroForm whose only field is a signature: a signed document, accepted."""
    pdf = _pdf()
    sig = pdf.make_indirect(
        Dictionary(
            Type=Name.Annot,
            Subtype=Name.Widget,
            FT=Name.Sig,
            T=String("Signature1"),
            Rect=Array([0, 0, 0, 0]),
        )
    )
    pdf.Root.AcroForm = Dictionary(Fields=Array([sig]), SigFlags=3)
    return _bytes(pdf)


def encrypted() -> bytes:
    return _bytes(_pdf(), encryption=pikepdf.Encryption(owner="owner", user="user"))


def encrypted_no_user_password() -> bytes:
    """Opens without a password, but carries security settings: refused as encrypted."""
    return _bytes(_pdf(), encryption=pikepdf.Encryption(owner="owner", user=""))


def open_action_javascript() -> bytes:
    pdf = _pdf()
    pdf.Root.OpenAction = Dictionary(S=Name.JavaScript, JS=String("app.alert('hi')"))
    return _bytes(pdf)


def names_javascript() -> bytes:
    pdf = _pdf()
    action = pdf.make_indirect(Dictionary(S=Name.JavaScript, JS=String("this.print()")))
    pdf.Root.Names = Dictionary(JavaScript=Dictionary(Names=Array([String("a"), action])))
    return _bytes(pdf)


def page_additional_action_launch() -> bytes:
    pdf = _pdf()
    launch = Dictionary(S=Name.Launch, F=String("calc.exe"))
    pdf.pages[0].AA = Dictionary(O=launch)
    return _bytes(pdf)


def annotation_launch() -> bytes:
    pdf = _pdf()
    link = Dictionary(
        Type=Name.Annot,
        Subtype=Name.Link,
        Rect=Array([72, 700, 300, 720]),
        A=Dictionary(
            S=Name.URI,
            URI=String("https://example.com/"),
            Next=Dictionary(S=Name.Launch, F=String("cmd.exe")),
        ),
    )
    pdf.pages[0].Annots = Array([pdf.make_indirect(link)])
    return _bytes(pdf)


def document_additional_action_javascript() -> bytes:
    pdf = _pdf()
    pdf.Root.AA = Dictionary(WC=Dictionary(S=Name.JavaScript, JS=String("1")))
    return _bytes(pdf)


def embedded_file() -> bytes:
    pdf = _pdf()
    pdf.attachments["secret.txt"] = pikepdf.AttachedFileSpec(pdf, b"hidden data")
    return _bytes(pdf)


def file_attachment_annotation() -> bytes:
    pdf = _pdf()
    spec = pikepdf.AttachedFileSpec(pdf, b"hidden data", filename="x.txt")
    annot = Dictionary(
        Type=Name.Annot,
        Subtype=Name.FileAttachment,
        Rect=Array([0, 0, 10, 10]),
        FS=spec.obj,
    )
    pdf.pages[0].Annots = Array([pdf.make_indirect(annot)])
    return _bytes(pdf)


def media_annotation(subtype: str = "RichMedia") -> bytes:
    pdf = _pdf()
    annot = Dictionary(Type=Name.Annot, Subtype=Name("/" + subtype), Rect=Array([0, 0, 10, 10]))
    pdf.pages[0].Annots = Array([pdf.make_indirect(annot)])
    return _bytes(pdf)


def fillable_form() -> bytes:
    pdf = _pdf()
    field = pdf.make_indirect(
        Dictionary(
            Type=Name.Annot,
            Subtype=Name.Widget,
            FT=Name.Tx,
            T=String("name"),
            Rect=Array([72, 600, 300, 620]),
            P=pdf.pages[0].obj,
        )
    )
    pdf.pages[0].Annots = Array([field])
    pdf.Root.AcroForm = Dictionary(Fields=Array([field]))
    return _bytes(pdf)


def malformed() -> bytes:
    """A PDF header followed by nothing a reader can use."""
    return b"%PDF-1.7\n" + b"\x00garbage" * 200 + b"\n%%EOF\n"


def truncated() -> bytes:
    """A real PDF cut in half (a broken download)."""
    data = good(pages=3)
    return data[: len(data) // 3]


def not_pdf() -> bytes:
    return b"PK\x03\x04 this is a zip file, not a PDF"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path
