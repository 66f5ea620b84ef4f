"""A PostgreSQL restart under persistent connections (issue 13 item 7).

App processes keep their database connection open between requests (CONN_MAX_AGE).
After a restart that connection is dead; without health checks the next request on it
fails (a 500), once per worker. With CONN_HEALTH_CHECKS (on in nextgen/settings.py) the
connection is checked when a request first uses it and quietly replaced; so is a pooled
connection (NEXTGEN_DB_POOL) when the pool hands it out. The check asks the server only
when the socket has something to read (nextgen/pgbackend/liveness.py), which a restart
leaves behind.

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


def _connection(url: str, *, health_checks: bool, pooled: bool = False):
    """A connection set up as nextgen/settings.py sets up DATABASES (persistent, or from
    a pool of 2 as under the threaded app servers)."""
    os.environ["NEXTGEN_DB_POOL"] = "2" if pooled else "0"
    try:
        config = nextgen_settings.database_config(url)
    finally:
        del os.environ["NEXTGEN_DB_POOL"]
    assert config["ENGINE"] == "nextgen.pgbackend"
    if pooled:
        assert config["OPTIONS"]["pool"]["max_size"] == 2
    else:
        assert config["CONN_MAX_AGE"] > 0  # persistent by default on PostgreSQL
    assert config["CONN_HEALTH_CHECKS"] is True  # and checked by default
    config["CONN_HEALTH_CHECKS"] = health_checks
    # An alias of its own: Django keeps one pool per alias for the whole process.
    alias = "restart_pooled" if pooled else "default"
    return ConnectionHandler({"default": dict(config), alias: config})[alias]


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


class _Spy:
    """Counts the statements a psycopg connection is asked to run."""

    def __init__(self, conn) -> None:
        self.conn, self.statements = conn, 0
        self.cursor, self.execute = conn.cursor, conn.execute

    def __enter__(self):
        def cursor(*args, **kwargs):
            self.statements += 1
            return self.cursor(*args, **kwargs)

        def execute(*args, **kwargs):
            self.statements += 1
            return self.execute(*args, **kwargs)

        self.conn.cursor, self.conn.execute = cursor, execute
        return self

    def __exit__(self, *exc) -> None:
        del self.conn.cursor, self.conn.execute


def test_a_quiet_live_connection_is_checked_without_a_query(cluster, django_db_blocker):
    with django_db_blocker.unblock():
        connection = _connection(cluster.url, health_checks=True)
        try:
            assert _request(connection) == 1
            with _Spy(connection.connection) as spy:
                connection.close_if_unusable_or_obsolete()  # a new request begins
                connection.close_if_health_check_failed()  # its first query checks
                assert connection.health_check_done
            assert spy.statements == 0
            assert connection.connection is spy.conn  # kept, not replaced
        finally:
            connection.close()


def test_a_connection_left_inside_a_transaction_is_checked_by_the_server(
    cluster, django_db_blocker
):
    from nextgen.pgbackend.liveness import has_news

    with django_db_blocker.unblock():
        connection = _connection(cluster.url, health_checks=True)
        try:
            assert _request(connection) == 1
            assert not has_news(connection.connection)
            connection.connection.execute("BEGIN")  # an earlier request left it open
            assert has_news(connection.connection)
        finally:
            connection.close()


def test_the_pool_checks_its_connections_with_the_socket_check(cluster, django_db_blocker):
    from nextgen.pgbackend.liveness import check_pooled

    with django_db_blocker.unblock():
        connection = _connection(cluster.url, health_checks=True, pooled=True)
        try:
            assert connection.pool._check is check_pooled
        finally:
            connection.close_pool()


def test_a_restarted_servers_pooled_connections_are_replaced_without_an_error(
    cluster, django_db_blocker
):
    with django_db_blocker.unblock():
        connection = _connection(cluster.url, health_checks=True, pooled=True)
        try:
            assert _request(connection) == 1
            assert _request(connection) == 1  # the pool now holds a used connection
            cluster.pg_ctl("restart", "-m", "fast")
            for _ in range(3):  # each of the pool's dead connections is replaced
                assert _request(connection) == 1
        finally:
            connection.close_pool()


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


def test_postgresql_statements_are_bound_and_prepared_by_the_server(monkeypatch):
    """Issue 14: the pages' repeated queries are parsed and planned once per connection."""
    config = nextgen_settings.database_config("postgresql://postgres@127.0.0.1:5432/x")
    assert config["OPTIONS"]["server_side_binding"] is True
    assert config["OPTIONS"]["prepare_threshold"] == 5
    monkeypatch.setenv("NEXTGEN_DB_PREPARED", "0")  # behind a transaction-pooling PgBouncer
    config = nextgen_settings.database_config("postgresql://postgres@127.0.0.1:5432/x")
    assert "server_side_binding" not in config.get("OPTIONS", {})
