"""The PDF rules (NextGen CM/ECF Release 1.8): what a court refuses, and what it accepts."""

from __future__ import annotations

import pytest

from nextgen.dockets.pdf_rules import MB, PdfRefused, check_pdf
from tests.dockets import pdfs


def refusal(tmp_path, data: bytes, **options) -> PdfRefused:
    path = pdfs.write(tmp_path, "doc.pdf", data)
    with pytest.raises(PdfRefused) as caught:
        check_pdf(path, name="doc.pdf", **options)
    return caught.value


@pytest.mark.parametrize(
    "make",
    [pdfs.good, pdfs.with_link, pdfs.pdfa, pdfs.signed_form],
    ids=["plain", "external link", "PDF/A", "signed, no fillable fields"],
)
def test_an_ordinary_pdf_is_accepted_with_its_facts(tmp_path, make):
    path = pdfs.write(tmp_path, "doc.pdf", make())
    facts = check_pdf(path, name="doc.pdf")
    assert facts.pages == 1
    assert facts.size == path.stat().st_size
    assert len(facts.sha256) == 64


def test_the_page_count_is_the_documents(tmp_path):
    path = pdfs.write(tmp_path, "doc.pdf", pdfs.good(pages=7))
    assert check_pdf(path).pages == 7


def test_a_file_that_is_not_a_pdf_is_refused(tmp_path):
    refused = refusal(tmp_path, pdfs.not_pdf())
    assert refused.reason == "not_pdf"
    assert "doc.pdf is not a PDF document" in refused.message


def test_an_empty_file_is_refused(tmp_path):
    assert refusal(tmp_path, b"").reason == "empty"


@pytest.mark.parametrize("make", [pdfs.encrypted, pdfs.encrypted_no_user_password])
def test_an_encrypted_pdf_is_refused(tmp_path, make):
    refused = refusal(tmp_path, make())
    assert refused.reason == "encrypted"
    assert "password" in refused.message


@pytest.mark.parametrize(
    "make",
    [
        pdfs.open_action_javascript,
        pdfs.names_javascript,
        pdfs.page_additional_action_launch,
        pdfs.annotation_launch,
        pdfs.document_additional_action_javascript,
    ],
    ids=[
        "OpenAction JavaScript",
        "Names JavaScript",
        "page AA Launch",
        "link Next Launch",
        "document AA JavaScript",
    ],
)
def test_javascript_and_launch_actions_are_refused(tmp_path, make):
    refused = refusal(tmp_path, make())
    assert refused.reason == "active_content"
    assert "JavaScript or launch actions" in refused.message


@pytest.mark.parametrize("make", [pdfs.embedded_file, pdfs.file_attachment_annotation])
def test_embedded_files_are_refused(tmp_path, make):
    assert refusal(tmp_path, make()).reason == "embedded_files"


@pytest.mark.parametrize("subtype", ["RichMedia", "Movie", "Sound", "Screen"])
def test_audio_and_video_are_refused(tmp_path, subtype):
    assert refusal(tmp_path, pdfs.media_annotation(subtype)).reason == "media"


def test_a_fillable_form_is_refused_with_flattening_guidance(tmp_path):
    refused = refusal(tmp_path, pdfs.fillable_form())
    assert refused.reason == "fillable"
    assert "Fillable PDF forms must be flattened" in refused.message


@pytest.mark.parametrize("make", [pdfs.malformed, pdfs.truncated])
def test_a_damaged_pdf_is_refused(tmp_path, make):
    assert refusal(tmp_path, make()).reason == "malformed"


def test_a_file_over_the_courts_limit_is_refused_naming_the_limit(tmp_path):
    data = pdfs.good() + b"%" + b"x" * MB  # a valid PDF padded past 1 MB
    refused = refusal(tmp_path, data, size_limit_mb=1)
    assert refused.reason == "too_large"
    assert "at most 1 MB" in refused.message


def test_a_file_at_the_courts_limit_is_accepted(tmp_path):
    path = pdfs.write(tmp_path, "doc.pdf", pdfs.good())
    assert check_pdf(path, size_limit_mb=1).pages == 1
