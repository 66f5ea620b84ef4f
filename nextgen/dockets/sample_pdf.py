"""Tiny generated PDFs for the demo and the tests (pikepdf; a few hundred bytes each)."""

from __future__ import annotations

import io

import pikepdf


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def tiny_pdf(title: str = "Document", pages: int = 1) -> bytes:
    """A valid letter-size PDF with `title` on each page."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    safe = _escape(title.encode("latin-1", "replace").decode("latin-1"))
    for n in range(1, pages + 1):
        content = f"BT /F1 14 Tf 72 720 Td ({safe}) Tj 0 -24 Td (Page {n}) Tj ET".encode("latin-1")
        page = pikepdf.Dictionary(
            Type=pikepdf.Name.Page,
            MediaBox=[0, 0, 612, 792],
            Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
            Contents=pdf.make_stream(content),
        )
        pdf.pages.append(pikepdf.Page(page))
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True)  # same title, same bytes
    return out.getvalue()
