"""The filing receipt names whom the NEF is mailed to, as the NEF itself does: followers
included, addresses on the daily summary left out, and those noticed by other means."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from nextgen.noticing.models import EmailPreference, Notice
from tests.dockets.test_filing_flow import client_for, url
from tests.noticing.conftest import mailboxes
from tests.test_mail_queue import worker_delivery  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def _lists(scene, entry) -> tuple[str, str]:
    page = client_for(scene.defense_counsel.account).get(url("receipt", scene.court, entry.pk))
    assert page.status_code == 200
    html = page.content.decode()
    noticed = re.search(r'<ul class="usa-list" id="receipt-noticed">(.*?)</ul>', html, re.S)
    other = re.search(r'<ul class="usa-list" id="receipt-not-noticed">(.*?)</ul>', html, re.S)
    assert noticed is not None and other is not None
    return noticed.group(1), other.group(1)


def test_the_receipt_names_every_address_the_nef_is_mailed_to_followers_included(scene):
    entry = scene.file()
    noticed, _ = _lists(scene, entry)
    for address in mailboxes(mail.outbox):
        assert address in noticed
    assert "Fran Follower" in noticed and "fran@news.test" in noticed


def test_an_address_on_the_daily_summary_is_not_on_the_receipt(scene):
    EmailPreference.objects.create(
        filer=scene.defense_counsel, address="Paralegal@Def.test", delivery="summary"
    )
    entry = scene.file()
    noticed, _ = _lists(scene, entry)
    assert "paralegal@def.test" not in noticed
    assert "dana@def.test" in noticed


def test_the_receipt_names_those_noticed_by_other_means_and_not_the_quiet_or_gone(scene):
    entry = scene.file()
    noticed, other = _lists(scene, entry)
    assert "Paper Only" in other
    for left_out in ("quiet@def.test", "gone@def.test"):
        assert left_out not in noticed and left_out not in other


def test_a_sealed_entry_s_receipt_leaves_the_follower_out(scene):
    entry = scene.file(sealed=True)
    noticed, _ = _lists(scene, entry)
    assert "fran@news.test" not in noticed
    assert "dana@def.test" in noticed


def test_once_sent_the_receipt_names_the_addresses_the_nef_went_to_whatever_changed_since(scene):
    entry = scene.file()
    assert "paralegal@def.test" in mailboxes(mail.outbox)
    # Later the paralegal's address moves to the daily summary: this NEF was still sent.
    EmailPreference.objects.create(
        filer=scene.defense_counsel, address="paralegal@def.test", delivery="summary"
    )
    noticed, _ = _lists(scene, entry)
    assert "paralegal@def.test" in noticed and "fran@news.test" in noticed


def test_before_the_worker_sends_it_the_receipt_names_whom_it_will_reach(
    scene,
    worker_delivery,  # noqa: F811
):
    entry = scene.file()
    assert mail.outbox == [] and not Notice.objects.filter(entry=entry).exists()
    noticed, other = _lists(scene, entry)
    for address in ("pat@plf.test", "docket@plf.test", "dana@def.test", "fran@news.test"):
        assert address in noticed
    assert "Paper Only" in other


def test_while_the_notices_are_part_written_the_receipt_names_everyone_the_nef_will_reach(
    scene,
    worker_delivery,  # noqa: F811
):
    """The worker writes notices in chunks: one chunk written, the job not done yet."""
    entry = scene.file()
    Notice.objects.create(
        entry=entry,
        filer=scene.defense_counsel,
        name="Dana Defense",
        address="dana@def.test",
        recipient_key=f"filer:{scene.defense_counsel.pk}:dana@def.test",
    )
    noticed, _ = _lists(scene, entry)
    for address in ("pat@plf.test", "docket@plf.test", "dana@def.test", "fran@news.test"):
        assert address in noticed
