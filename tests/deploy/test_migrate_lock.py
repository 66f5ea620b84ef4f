"""Two `nextgen migrate` at once on a fresh PostgreSQL database (two app servers that
each migrated on start, or two deploy jobs): both must succeed, the second waiting for
the first on an advisory lock. Without the lock one of them crashed every time."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 120  # seconds for both migrations, on a busy 2-core machine


def _url(settings_dict: dict, name: str) -> str:
    user = quote(settings_dict["USER"] or "", safe="")
    password = (
        f":{quote(str(settings_dict['PASSWORD']), safe='')}" if settings_dict["PASSWORD"] else ""
    )
    host = settings_dict["HOST"] or "127.0.0.1"
    host = f"[{host}]" if ":" in host else quote(host, safe="")
    port = f":{settings_dict['PORT']}" if settings_dict["PORT"] else ""
    return f"postgresql://{user}{password}@{host}{port}/{quote(name, safe='')}"


@pytest.fixture
def fresh_database() -> Iterator[str]:
    """The URL of an empty database of this test's own, dropped afterwards."""
    if connection.vendor != "postgresql":
        pytest.skip("advisory locks are PostgreSQL's: runs when DATABASE_URL points at it")
    import psycopg

    settings_dict = connection.settings_dict
    name = f"nextgen_migrate_{secrets.token_hex(4)}"
    admin = psycopg.connect(_url(settings_dict, "postgres"), autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _url(settings_dict, name)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_two_migrations_at_once_on_a_fresh_database_both_succeed(fresh_database, tmp_path):
    env = {**os.environ, "DATABASE_URL": fresh_database, "PYTHONPATH": str(ROOT)}
    env.pop("NEXTGEN_DEBUG", None)
    command = [sys.executable, "-m", "nextgen.cli", "migrate", "--noinput"]
    logs = [tmp_path / f"migrate{n}.log" for n in (1, 2)]
    processes = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
        for log in logs
    ]
    try:
        codes = [p.wait(timeout=TIMEOUT) for p in processes]
    finally:
        for p in processes:
            if p.poll() is None:
                p.kill()
    outputs = [log.read_text() for log in logs]
    assert codes == [0, 0], "\n---\n".join(o[-2000:] for o in outputs)
    # And the database is fully migrated: a check for unapplied migrations passes.
    check = subprocess.run(
        [*command[:-1], "--check"], cwd=ROOT, env=env, capture_output=True, timeout=TIMEOUT
    )
    assert check.returncode == 0, check.stdout.decode() + check.stderr.decode()
