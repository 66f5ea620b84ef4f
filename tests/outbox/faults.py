"""Parts to break on purpose for the mail worker's fault tests: a PostgreSQL cluster of the
test's own (initdb/pg_ctl, never the shared :5432), an SMTP server that counts what it
accepts per recipient (aiosmtpd), and `nextgen mail worker` as a real subprocess."""

from __future__ import annotations

import asyncio
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition: Callable[[], object], *, timeout: float, what: str, log=None) -> object:
    """Poll until `condition()` is truthy; fail naming `what` (and the worker's log)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            result = condition()
        except psycopg.OperationalError:
            result = None  # the cluster is restarting
        if result:
            return result
        time.sleep(0.1)
    tail = f"\n--- worker log ---\n{log()}" if log else ""
    raise AssertionError(f"timed out waiting for {what}{tail}")


def pg_bin_dir() -> Path | None:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    return Path(found[-1]).parent if found else None


class Cluster:
    """A throwaway PostgreSQL cluster in a temp dir on a free port (trust auth, no fsync),
    run as the postgres user when the tests run as root (initdb refuses root)."""

    def __init__(self) -> None:
        self.bin = pg_bin_dir()
        self.dir = Path(tempfile.mkdtemp(prefix="nextgen-pg-"))
        self.data = self.dir / "data"
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            shutil.chown(self.dir, "postgres", "postgres")

    def _run(self, *args: str, timeout: float = 60) -> None:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if self.as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, timeout=timeout)

    def start(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync")
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c full_page_writes=off -c synchronous_commit=off"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.dir / "log"),
            "-o",
            options,
            "-w",
            "start",
        )

    def restart(self) -> None:
        """Stop (fast: every connection is cut) and start again."""
        # -l again: without it the new server writes to (and holds open) pg_ctl's stdout.
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.dir / "log"),
            "-m",
            "fast",
            "-w",
            "restart",
        )

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, name: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def execute(self, sql: str, *, database: str = "postgres") -> list[tuple]:
        with psycopg.connect(self.url(database), autocommit=True, connect_timeout=3) as conn:
            cursor = conn.execute(sql)
            return cursor.fetchall() if cursor.description else []


class CountingInbox:
    """An aiosmtpd handler counting accepted messages per recipient. `hold_at=n` makes it
    stop answering at the n-th RCPT (a worker mid-send) until `release` is set; `delay`
    slows every accepted message down."""

    def __init__(self, *, hold_at: int | None = None, delay: float = 0.0) -> None:
        self.counts: Counter[str] = Counter()
        self.hold_at = hold_at
        self.delay = delay
        self.rcpts = 0
        self.held = threading.Event()
        self.release = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        self.rcpts += 1
        if self.hold_at is not None and self.rcpts == self.hold_at:
            self.held.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        for recipient in envelope.rcpt_tos:
            self.counts[recipient] += 1
        return "250 Message accepted for delivery"

    def total(self) -> int:
        return sum(self.counts.values())


class SmtpServer:
    def __init__(self, handler: CountingInbox, port: int) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(handler, hostname="127.0.0.1", port=port)
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()


def django_env(database_url: str, smtp_port: int, var_dir: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("NEXTGEN_", "EMAIL_", "REDIS_", "DATABASE_"))
    }
    env.update(
        {
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "nextgen.settings",
            "DATABASE_URL": database_url,
            "NEXTGEN_VAR_DIR": str(var_dir),
            "NEXTGEN_SECRET_KEY": "fault-tests-" + "x" * 40,
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            # Short, so each test stays within seconds: the same code paths as production.
            "EMAIL_TIMEOUT": "0.5",
            "EMAIL_USE_TLS": "0",  # the local test server speaks plain SMTP
            "NEXTGEN_MAIL_DELIVERY": "worker",
            "NEXTGEN_MAIL_LEASE_SECONDS": "3",
            "NEXTGEN_MAIL_RETRY_DELAYS": ",".join(["0.3"] * 30),
        }
    )
    return env


def run_django(env: dict[str, str], *args: str, timeout: float = 120) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "nextgen.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise AssertionError(f"nextgen {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


class WorkerProcess:
    """`nextgen mail worker` in a subprocess of its own, its output in a file."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.log_path = log
        self._log = log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "nextgen.cli", "mail", "worker", "--poll", "0.1"],
            env=env,
            cwd=ROOT,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def kill(self) -> None:
        """SIGKILL: no clean-up, no last words, as the OOM killer or a power cut."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()
        return self.process.returncode
