"""Two app servers, one PostgreSQL, one Redis: what running NextGen behind a load
balancer relies on (docs/operations.md, "Running the app servers").

Two gunicorn servers (one worker each, as `make serve` runs them, minus collectstatic)
on their own ports share the test's PostgreSQL database and one Redis. A browser signs
in on one and carries on on the other with the same cookies; wrong passwords counted on
both add up to one throttle; signing out on one ends the session on both.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, AccountFactory, FilerAccountFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("NEXTGEN_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
START_TIMEOUT = 45  # seconds for a server to answer its first page
REQUEST_TIMEOUT = 20
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""


@pytest.fixture
def database_url(transactional_db) -> str:
    """A DATABASE_URL for the test's own database (test_<name>, migrated by pytest-django),
    so the servers see what the test commits."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "two app servers share one PostgreSQL database: runs when DATABASE_URL points "
            "at PostgreSQL (as in CI)"
        )
    db = connection.settings_dict
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(str(db['PASSWORD']), safe='')}" if db["PASSWORD"] else ""
    host = db["HOST"] or "127.0.0.1"
    host = f"[{host}]" if ":" in host else quote(host, safe="")
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgresql://{user}{password}@{host}{port}/{quote(db['NAME'], safe='')}"


@pytest.fixture
def shared_redis() -> Iterator[tuple[str, str]]:
    """The Redis both servers use, and a key prefix of this test run's own (removed after)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=5)
    try:
        client.ping()
    except redis.exceptions.RedisError as exc:
        message = f"Redis at {REDIS_URL} is not reachable ({exc}); NEXTGEN_TEST_REDIS_URL sets it"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    prefix = f"deploytest-{secrets.token_hex(6)}"
    yield REDIS_URL, prefix
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_serving(server: Server) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(
                f"server {server.name} exited ({server.process.returncode}):\n{server.log_tail()}"
            )
        try:
            if requests.get(server.url + reverse("signon:login"), timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.25)
    pytest.fail(f"server {server.name} did not answer in {START_TIMEOUT}s:\n{server.log_tail()}")


@pytest.fixture
def servers(database_url, shared_redis, tmp_path) -> Iterator[tuple[Server, Server]]:
    """Two gunicorn servers on 127.0.0.1, one worker each, on the test's database and one
    Redis, sharing the secret key as every process of one deployment must. Always stopped."""
    import gunicorn

    from nextgen.audit.services import audit_key

    redis_url, prefix = shared_redis
    env = {
        # Not the browser tests' async escape hatch: a deployment must not carry it.
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "nextgen.settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "NEXTGEN_CACHE_PREFIX": prefix,
        "NEXTGEN_SECRET_KEY": secrets.token_urlsafe(50),
        # The test process's own audit key: one key per deployment, so the events both
        # write form one verifiable chain.
        "NEXTGEN_AUDIT_KEY": audit_key().decode(),
        "NEXTGEN_DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "NEXTGEN_VAR_DIR": str(tmp_path / "var"),
        "NEXTGEN_TASKS_BACKEND": "immediate",
        "NEXTGEN_PROXY_COUNT": "0",
        "NEXTGEN_BEHIND_PROXY": "0",
        "NEXTGEN_HTTPS": "0",
        "NEXTGEN_STATIC_MANIFEST": "0",
        # Cheap hashing, as in the test process: the test account is hashed the same way.
        "NEXTGEN_ARGON2_TIME_COST": "1",
        "NEXTGEN_ARGON2_MEMORY_KIB": "256",
    }
    for name in ("EMAIL_HOST", "NEXTGEN_ALLOW_LOCAL_CACHE"):
        env.pop(name, None)
    # The production checks pass for this configuration (a shared cache). The servers
    # below speak plain HTTP on loopback, which the checks refuse (nextgen.E021): the
    # check runs with HTTPS on, as a production server behind TLS would.
    check = subprocess.run(
        [sys.executable, "-m", "nextgen.cli", "check", "--deploy", "--fail-level", "ERROR"],
        cwd=ROOT,
        env={**env, "NEXTGEN_HTTPS": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert check.returncode == 0, check.stdout + check.stderr

    started: list[Server] = []
    try:
        for name in ("A", "B"):
            port = _free_port()
            log = tmp_path / f"server-{name}.log"
            args = [
                sys.executable,
                "-m",
                "gunicorn",
                "nextgen.wsgi:application",
                "--workers",
                "1",
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout",
                "60",
            ]
            if gunicorn.version_info >= (25, 1):
                args.append("--no-control-socket")  # two masters would share one socket
            with log.open("wb") as out:
                process = subprocess.Popen(
                    args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
                )
            started.append(Server(name, port, process, log))
        for server in started:
            _wait_until_serving(server)
        yield started[0], started[1]
    finally:
        for server in started:
            if server.process.poll() is None:
                server.process.terminate()
        for server in started:
            try:
                server.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.process.kill()
                server.process.wait(timeout=5)


def _csrf(html: str) -> str:
    match = CSRF.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def _try_password(browser: requests.Session, server: Server, username: str, password: str):
    login = server.url + reverse("signon:login")
    page = browser.get(login, timeout=REQUEST_TIMEOUT)
    assert page.status_code == 200, page.status_code
    return browser.post(
        login,
        {"csrfmiddlewaretoken": _csrf(page.text), "username": username, "password": password},
        allow_redirects=False,
        timeout=REQUEST_TIMEOUT,
    )


def test_a_session_started_on_one_server_carries_on_on_the_other(servers):
    a, b = servers
    account = AccountFactory(username="twoservers", first_name="Tess", last_name="Twoserver")
    # A filer (a linked CM/ECF account) is asked to set up MFA: a two-step sign-in.
    FilerAccountFactory(account=account, linked_at=timezone.now())
    browser = requests.Session()  # one cookie jar, as a browser behind a load balancer

    # The password step on A leaves a pending login (MFA set-up) in the session ...
    response = _try_password(browser, a, account.username, PASSWORD)
    assert response.status_code == 302, response.text[:500]
    assert response.headers["Location"] == reverse("signon:login_mfa_setup")

    # ... which B finishes: the filer puts MFA off and is signed in.
    setup = browser.get(b.url + reverse("signon:login_mfa_setup"), timeout=REQUEST_TIMEOUT)
    assert setup.status_code == 200, setup.text[:500]
    response = browser.post(
        b.url + reverse("signon:login_mfa_setup"),
        {"csrfmiddlewaretoken": _csrf(setup.text), "skip": "1"},
        allow_redirects=False,
        timeout=REQUEST_TIMEOUT,
    )
    assert response.status_code == 302, response.text[:500]

    # Either server knows who is signed in.
    for server in (a, b):
        page = browser.get(
            server.url + reverse("signon:manage"), allow_redirects=False, timeout=REQUEST_TIMEOUT
        )
        assert page.status_code == 200, (server.name, page.status_code)
        assert "Twoserver" in page.text

    # Signing out on A ends the session on B too: even the old session cookie, sent
    # again, opens nothing there (no copy of the session kept in one process's memory).
    page = browser.get(a.url + reverse("signon:manage"), timeout=REQUEST_TIMEOUT)
    old_session = browser.cookies.get(settings.SESSION_COOKIE_NAME)
    assert old_session
    browser.post(
        a.url + reverse("signon:logout"),
        {"csrfmiddlewaretoken": _csrf(page.text)},
        allow_redirects=False,
        timeout=REQUEST_TIMEOUT,
    )
    after = requests.get(
        b.url + reverse("signon:manage"),
        cookies={settings.SESSION_COOKIE_NAME: old_session},
        allow_redirects=False,
        timeout=REQUEST_TIMEOUT,
    )
    assert after.status_code == 302
    assert after.headers["Location"].startswith(reverse("signon:login"))


def test_wrong_passwords_on_both_servers_count_together(servers):
    """3 wrong passwords on A and 2 on B fill the 5-a-minute throttle: the 6th try is
    refused (429) on either server, even with the right password.

    The throttle counts in one-minute windows (the throttle staggers their edges per
    key), so a run that happens to straddle an edge starts counting afresh halfway. A
    fresh user name gets one more go then; counters that were not shared would fail every
    go alike."""
    a, b = servers
    outcomes = []
    for attempt in range(3):
        account = AccountFactory(username=f"throttled{attempt}")
        browser = requests.Session()
        wrong = [
            _try_password(browser, server, account.username, "Wrong#Guess1").status_code
            for server in (a, a, a, b, b)
        ]
        assert wrong == [200] * 5, wrong  # each one an ordinary "invalid" answer
        sixth_on_b = _try_password(browser, b, account.username, PASSWORD)
        sixth_on_a = _try_password(browser, a, account.username, "Wrong#Guess1")
        outcomes.append((sixth_on_b.status_code, sixth_on_a.status_code))
        if outcomes[-1] == (429, 429):
            break
    assert outcomes[-1] == (429, 429), outcomes
