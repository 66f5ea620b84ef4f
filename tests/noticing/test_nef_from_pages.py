"""A filing through the filing pages serves everyone by NEF once, after the submit, and
a replayed final step serves no one again."""

from __future__ import annotations

import pytest
from django.core import mail

from nextgen.dockets.models import DocketEntry
from tests.commits import run_on_commit
from tests.dockets.test_filing_flow import client_for, file_motion, flow_id, url
from tests.noticing.conftest import mailboxes

pytestmark = pytest.mark.django_db


def test_a_motion_filed_through_the_pages_reaches_every_mailbox_once(scene):
    client = client_for(scene.plaintiff_counsel.account)
    with run_on_commit():
        review = file_motion(client, scene.court, scene.case)
    assert mail.outbox == []  # nothing before the final submit
    with run_on_commit():
        client.post(url("review", scene.court), {"flow": flow_id(review)})
    with run_on_commit():
        client.post(url("review", scene.court), {"flow": flow_id(review)})  # replayed
    entry = DocketEntry.objects.get(case=scene.case, number=2)
    assert mailboxes(mail.outbox) == [
        "calendar@def.test",
        "dana@def.test",
        "docket@plf.test",
        "fran@news.test",
        "paralegal@def.test",
        "pat@plf.test",
    ]
    assert {m.subject for m in mail.outbox} == {
        f"Activity in Case {scene.case.number} {scene.case.title} {entry.event.label}"
    }
