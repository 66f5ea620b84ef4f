"""The mail worker survives its faults, and every message arrives exactly once: a worker
killed mid-send and mid-fan-out (SIGKILL), PostgreSQL restarted under it, the mail
server down and hung. Each test breaks a part of its own: a PostgreSQL cluster of its
own (never the shared one), an aiosmtpd server counting messages per recipient, and
`nextgen mail worker` as a real process; leases, timeouts and retry delays are seconds
(tests/outbox/faults.py) so each test ends within seconds."""

from __future__ import annotations

import itertools
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.outbox.faults import (
    Cluster,
    CountingInbox,
    SmtpServer,
    WorkerProcess,
    django_env,
    free_port,
    pg_bin_dir,
    run_django,
    wait_for,
)

pytestmark = [
    pytest.mark.faults,
    pytest.mark.skipif(pg_bin_dir() is None, reason="needs PostgreSQL's initdb and pg_ctl"),
]

TEMPLATE = "nextgen_faults"
_names = itertools.count(1)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[Cluster]:
    """One cluster per test module, migrated once into a template database."""
    cluster = Cluster()
    cluster.start()
    try:
        cluster.execute(f"CREATE DATABASE {TEMPLATE}")
        var_dir = tmp_path_factory.mktemp("var")
        run_django(django_env(cluster.url(TEMPLATE), free_port(), var_dir), "migrate", "-v0")
        yield cluster
    finally:
        cluster.stop()


class Scene:
    """One test's database (a copy of the migrated template), SMTP port and workers."""

    def __init__(self, cluster: Cluster, tmp: Path) -> None:
        self.cluster = cluster
        self.database = f"faults_{next(_names)}"
        cluster.execute(f"CREATE DATABASE {self.database} TEMPLATE {TEMPLATE}")
        self.smtp_port = free_port()
        self.env = django_env(cluster.url(self.database), self.smtp_port, tmp)
        self.tmp = tmp
        self.workers: list[WorkerProcess] = []
        self.servers: list[SmtpServer] = []

    def smtp(self, inbox: CountingInbox) -> CountingInbox:
        self.servers.append(SmtpServer(inbox, self.smtp_port))
        return inbox

    def worker(self) -> WorkerProcess:
        worker = WorkerProcess(self.env, self.tmp / f"worker{len(self.workers)}.log")
        self.workers.append(worker)
        return worker

    def log(self) -> str:
        return "\n".join(w.log() for w in self.workers)

    def queue(self, recipients: list[str]) -> None:
        run_django(
            self.env,
            "shell",
            "-c",
            "from nextgen.mail import queue_mail\n"
            f"for to in {recipients!r}:\n"
            "    queue_mail(to=[to], subject='Reset your PACER password', body='link for ' + to)\n",
        )

    def states(self) -> dict[str, int]:
        rows = self.cluster.execute(
            "SELECT state, count(*) FROM outbox_outboxmessage GROUP BY state",
            database=self.database,
        )
        return dict(rows)

    def all_sent(self, n: int) -> bool:
        return self.states() == {"sent": n}

    def close(self) -> None:
        for worker in self.workers:
            worker.stop()
        for server in self.servers:
            server.stop()


@pytest.fixture
def scene(cluster, tmp_path) -> Iterator[Scene]:
    scene = Scene(cluster, tmp_path)
    yield scene
    scene.close()


def addresses(n: int) -> list[str]:
    return [f"filer{i}@example.com" for i in range(n)]


def test_a_worker_killed_mid_send_leaves_nothing_lost_and_nothing_twice(scene):
    to = addresses(8)
    inbox = scene.smtp(CountingInbox(hold_at=3))  # answers nothing at the third message
    scene.queue(to)
    first = scene.worker()
    wait_for(inbox.held.is_set, timeout=20, what="the worker to be mid-send", log=scene.log)
    first.kill()
    inbox.release.set()
    assert scene.states() == {"sent": 2, "sending": 1, "queued": 5}

    second = scene.worker()  # takes the dead worker's message over once its lease runs out
    wait_for(lambda: scene.all_sent(len(to)), timeout=20, what="every message", log=scene.log)
    assert inbox.counts == {address: 1 for address in to}
    assert "lease of attempt 1 ran out" in second.log()
    assert second.stop() == 0  # SIGTERM: a clean stop


def test_a_worker_killed_mid_fanout_leaves_every_notice_sent_exactly_once(scene):
    filers = 12
    inbox = scene.smtp(CountingInbox(hold_at=5))
    run_django(
        scene.env,
        "shell",
        "-c",
        "import datetime as dt\n"
        "from nextgen.ecf.models import Court, FilerAccount\n"
        "from nextgen.audit.services import SYSTEM\n"
        "from nextgen.ecf.services import set_go_live\n"
        "court = Court.objects.create(code='vid', name='District of the Virgin Islands',"
        " kind='district')\n"
        f"for i in range({filers}):\n"
        "    FilerAccount.objects.create(court=court, login=f'filer{i}', first_name='F',"
        " last_name=str(i), email=f'filer{i}@example.com', password='!')\n"
        "set_go_live(court=court, go_live=dt.date(2031, 1, 2), acting=SYSTEM)\n",
    )
    first = scene.worker()
    wait_for(inbox.held.is_set, timeout=20, what="the fan-out to be mid-way", log=scene.log)
    first.kill()
    inbox.release.set()

    scene.worker()
    wait_for(lambda: scene.all_sent(filers), timeout=20, what="every notice", log=scene.log)
    assert inbox.counts == {address: 1 for address in addresses(filers)}
    [(events,)] = scene.cluster.execute(
        "SELECT count(*) FROM audit_event WHERE action = 'court.go_live.notices'",
        database=scene.database,
    )
    assert events == 1

    # Running the same go-live again sends nothing more: nothing is missing.
    run_django(scene.env, "court", "set-go-live", "vid", "2031-01-02")
    wait_for(
        lambda: (
            scene.cluster.execute(
                "SELECT count(*) FROM outbox_fanoutjob WHERE state = 'done'",
                database=scene.database,
            )[0][0]
            == 1
        ),
        timeout=20,
        what="the re-run to be expanded",
        log=scene.log,
    )
    assert scene.all_sent(filers)
    assert inbox.counts == {address: 1 for address in addresses(filers)}


def test_the_worker_carries_on_through_a_postgresql_restart(scene):
    to = addresses(25)
    inbox = scene.smtp(CountingInbox(delay=0.15))
    scene.queue(to)
    worker = scene.worker()
    wait_for(lambda: inbox.total() >= 4, timeout=20, what="the first messages", log=scene.log)
    scene.cluster.restart()

    wait_for(lambda: scene.all_sent(len(to)), timeout=25, what="every message", log=scene.log)
    assert inbox.counts == {address: 1 for address in to}
    assert worker.process.poll() is None  # still running, never restarted
    log = worker.log()
    assert "database is unavailable" in log or "cannot record" in log


def test_mail_queued_while_the_mail_server_is_down_is_delivered_once_when_it_is_back(scene):
    to = addresses(4)
    scene.queue(to)
    scene.worker()  # nothing listens on the SMTP port: every connection is refused
    wait_for(
        lambda: (
            scene.cluster.execute(
                "SELECT count(*) FROM outbox_outboxmessage WHERE attempts >= 2 "
                "AND last_error LIKE 'ConnectionRefusedError%'",
                database=scene.database,
            )[0][0]
            == len(to)
        ),
        timeout=20,
        what="failed attempts",
        log=scene.log,
    )
    inbox = scene.smtp(CountingInbox())
    wait_for(lambda: scene.all_sent(len(to)), timeout=20, what="every message", log=scene.log)
    assert inbox.counts == {address: 1 for address in to}


def test_a_hung_mail_server_times_out_and_the_mail_is_delivered_once_later(scene):
    to = addresses(3)
    # A server that accepts connections and never says a word.
    hung = socket.socket()
    hung.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    hung.bind(("127.0.0.1", scene.smtp_port))
    hung.listen(16)
    try:
        scene.queue(to)
        scene.worker()
        wait_for(
            lambda: (
                scene.cluster.execute(
                    "SELECT count(*) FROM outbox_outboxmessage WHERE last_error LIKE '%timed out%'",
                    database=scene.database,
                )[0][0]
                >= 1
            ),
            timeout=20,
            what="a timed-out attempt",
            log=scene.log,
        )
    finally:
        hung.close()
    inbox = scene.smtp(CountingInbox())
    wait_for(lambda: scene.all_sent(len(to)), timeout=20, what="every message", log=scene.log)
    assert inbox.counts == {address: 1 for address in to}
