"""The published juriscraper parser reads NextGen's NEF, HTML and plain text, as it reads
the courts' own: every field compared with the data that made it."""

from __future__ import annotations

import logging
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail

from nextgen.dockets.doc_ids import doc1_path, doc_id
from nextgen.noticing.models import EmailPreference

logging.getLogger("juriscraper").setLevel(logging.ERROR)

from juriscraper.lib.string_utils import harmonize  # noqa: E402
from juriscraper.pacer.email import NotificationEmail, S3NotificationEmail  # noqa: E402

pytestmark = pytest.mark.django_db


def _expected_recipients(scene) -> dict[str, list[str]]:
    return {
        "Dana Defense": ["calendar@def.test", "dana@def.test", "paralegal@def.test"],
        "Fran Follower": ["fran@news.test"],
        "Pat Plaintiff": ["pat@plf.test", "docket@plf.test"],
    }


def _check(data: dict, *, scene, entry, message, plain: bool) -> None:
    case = scene.case
    assert data["court_id"] == "ctd"
    [docket] = data["dockets"]
    assert docket["docket_number"] == case.number
    assert docket["case_name"] == harmonize(case.title)
    [parsed] = docket["docket_entries"]
    assert parsed["document_number"] == str(entry.number)
    assert parsed["description"] == entry.text
    assert parsed["date_filed"] == entry.date_filed
    assert parsed["short_description"] == entry.event.label
    main = entry.documents.get(number=0)
    url = urlsplit(parsed["document_url"])
    assert url.path.endswith(doc1_path(main, case.court))
    # The id the docket report and the attachment page give the same document.
    assert parsed["pacer_doc_id"] == doc_id(main, case.court)
    query = parse_qs(url.query)
    assert parsed["pacer_case_id"] == query["caseid"][0] == str(case.pk)
    assert parsed["pacer_seq_no"] == query["de_seq_num"][0] == str(entry.number)
    assert parsed["pacer_magic_num"] == query["magic_num"][0]
    assert parsed["pacer_magic_num"] in message.body  # this recipient's own key
    assert data["contains_attachments"] is True
    recipients = {r["name"]: sorted(r["email_addresses"]) for r in data["email_recipients"]}
    assert recipients == {k: sorted(v) for k, v in _expected_recipients(scene).items()}


def test_juriscraper_reads_the_html_nef(scene):
    entry = scene.file()
    message = next(m for m in mail.outbox if m.to == ["dana@def.test"])
    html = message.alternatives[0][0]
    report = NotificationEmail("ctd")
    report._parse_text(html)
    report.subject = message.subject
    _check(report.data, scene=scene, entry=entry, message=message, plain=False)


def test_juriscraper_reads_the_plain_text_nef_as_it_arrives_by_mail(scene):
    EmailPreference.objects.create(
        filer=scene.plaintiff_counsel, address="pat@plf.test", format="text"
    )
    entry = scene.file()
    message = next(m for m in mail.outbox if m.to == ["pat@plf.test"])
    assert message.alternatives == []
    report = S3NotificationEmail("ctd")
    report._parse_text(message.message().as_string())
    assert report.content_type == "text/plain"
    _check(report.data, scene=scene, entry=entry, message=message, plain=True)
