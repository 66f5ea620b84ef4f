"""A PostgreSQL restart under persistent connections (issue 13 item 7).

App processes keep their database connection open between requests (CONN_MAX_AGE).
After a restart that connection is dead; without health checks the next request on it
fails (a 500), once per worker. With CONN_HEALTH_CHECKS (on in nextgen/settings.py) the
connection is checked when a request first uses it and quietly replaced.

The test runs its own PostgreSQL cluster (initdb and pg_ctl, a temporary directory, a
free port; as the postgres user when run as root, since initdb refuses root) and
restarts it; the shared server is never touched."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import Error as DatabaseError
from django.db.utils import ConnectionHandler

from nextgen import settings as nextgen_settings

BINARIES = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
TIMEOUT = 60  # seconds for any one pg_ctl or initdb call

pytestmark = pytest.mark.skipif(
    not BINARIES and not os.environ.get("CI"),  # in CI a missing PostgreSQL is a failure
    reason="needs PostgreSQL's server binaries (/usr/lib/postgresql/*/bin)",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self, root: Path) -> None:
        self.bin = Path(BINARIES[-1])
        self.data = root / "data"
        self.log = root / "server.log"
        self.port = _free_port()
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:  # initdb refuses to run as root
            shutil.chown(root, user="postgres", group="postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.bin / tool), *args]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=TIMEOUT)

    def pg_ctl(self, action: str, *extra: str) -> None:
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            "pg_ctl", action, "-D", str(self.data), "-l", str(self.log), "-w",
            "-t", str(TIMEOUT), "-o", options, *extra,
        )  # fmt: skip

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    root = Path(tempfile.mkdtemp(prefix="nextgen-pg-"))
    os.chmod(root, 0o755)
    try:
        own = Cluster(root)
        own.pg_ctl("start")
        try:
            yield own
        finally:
            own.pg_ctl("stop", "-m", "immediate")
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _connection(url: str, *, health_checks: bool):
    """A connection set up as nextgen/settings.py sets up DATABASES (persistent)."""
    config = nextgen_settings.database_config(url)
    assert config["CONN_MAX_AGE"] > 0  # persistent by default on PostgreSQL
    assert config["CONN_HEALTH_CHECKS"] is True  # and checked by default
    config["CONN_HEALTH_CHECKS"] = health_checks
    return ConnectionHandler({"default": config})["default"]


def _request(connection) -> int:
    """What one request does with the connection: Django's request_started and
    request_finished handlers around a query."""
    connection.close_if_unusable_or_obsolete()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()[0]
    finally:
        connection.close_if_unusable_or_obsolete()


@pytest.mark.parametrize("health_checks", [True, False], ids=["checked", "unchecked"])
def test_the_first_request_after_a_postgresql_restart_succeeds(
    cluster, django_db_blocker, health_checks
):
    with django_db_blocker.unblock():
        connection = _connection(cluster.url, health_checks=health_checks)
        try:
            assert _request(connection) == 1
            kept = connection.connection
            assert kept is not None  # kept open between requests
            cluster.pg_ctl("restart", "-m", "fast")
            if health_checks:
                assert _request(connection) == 1  # on a new connection, no error
                assert connection.connection is not kept
            else:  # what the health checks prevent: this request would be a 500
                with pytest.raises(DatabaseError):
                    _request(connection)
                assert _request(connection) == 1  # and the one after it recovers
        finally:
            connection.close()
