"""A mail worker killed (SIGKILL) in the middle of an NEF fan-out: the next worker
delivers every notice, primary and secondary addresses, exactly once. Its own PostgreSQL
cluster, aiosmtpd server and worker processes (tests/outbox/faults.py)."""

from __future__ import annotations

from tests.outbox.faults import CountingInbox, run_django, wait_for
from tests.outbox.test_worker_faults import cluster, scene  # noqa: F401 - fixtures
from tests.outbox.test_worker_faults import pytestmark as fault_marks

pytestmark = fault_marks

ATTORNEYS = 8

SETUP = f"""
from nextgen.dockets import actions
from nextgen.dockets.events import event
from nextgen.ecf.models import SecondaryEmail
from tests.dockets.factories import civil_case, district_court, filer, of_record, stored
court = district_court('ctd')
counsel = filer(court, email='lead@example.com')
case = civil_case(court, counsel)
acme = case.parties.get(name='Acme Corp.')
for i in range({ATTORNEYS}):
    lawyer = filer(court, email=f'filer{{i}}@example.com')
    SecondaryEmail.objects.create(filer=lawyer, email=f'alt{{i}}@example.com')
    of_record(acme, lawyer)
actions.file_entry(acting=counsel.account, case=case,
    event=event(court, 'civil', 'motion_to_dismiss'), documents=stored(court, 'Motion'))
"""


def test_a_worker_killed_mid_nef_fanout_still_delivers_every_notice_exactly_once(scene):  # noqa: F811
    # The complaint's NEF (1 message) goes first; the motion's stops at its 5th message.
    inbox = scene.smtp(CountingInbox(hold_at=6))
    run_django(scene.env, "shell", "-c", SETUP)
    first = scene.worker()
    wait_for(inbox.held.is_set, timeout=30, what="the NEF fan-out to be mid-way", log=scene.log)
    first.kill()
    inbox.release.set()

    expected = {"lead@example.com": 2}  # the complaint's NEF and the motion's
    for i in range(ATTORNEYS):
        expected[f"filer{i}@example.com"] = expected[f"alt{i}@example.com"] = 1
    total = sum(expected.values())
    scene.worker()
    wait_for(lambda: scene.all_sent(total), timeout=30, what="every notice", log=scene.log)
    assert dict(inbox.counts) == expected
    [(recorded,)] = scene.cluster.execute(
        "SELECT count(*) FROM noticing_notice n JOIN outbox_outboxmessage m"
        " ON n.message_id = m.id WHERE m.state = 'sent'",
        database=scene.database,
    )
    assert recorded == total
