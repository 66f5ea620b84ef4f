"""With Redis (production), a login POST talks to it in a few round trips (issue 14):
every throttle counter of the attempt in one MULTI/EXEC, the settling of the counters in
one pipeline, the new session written once. The throttle still counts and limits as
before. Each test starts its own redis-server (tests/test_redis_faults.py)."""

from __future__ import annotations

import shutil

import pytest
import redis
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from nextgen import throttle
from tests.factories import PASSWORD, AccountFactory
from tests.test_redis_faults import own_redis, with_redis  # noqa: F401 - fixtures

pytestmark = [
    pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server"),
    pytest.mark.django_db,
]

LOGIN = "/csologin/login/"


@pytest.fixture
def commands(monkeypatch):
    """Every round trip to Redis: one entry per command, or per pipeline."""
    sent: list[str] = []
    command = redis.Redis.execute_command
    pipeline = redis.client.Pipeline.execute

    def one(self, *args, **options):
        sent.append(str(args[0]))
        return command(self, *args, **options)

    def many(self, *args, **options):
        sent.append(f"pipeline of {len(self.command_stack)}")
        return pipeline(self, *args, **options)

    monkeypatch.setattr(redis.Redis, "execute_command", one)
    monkeypatch.setattr(redis.client.Pipeline, "execute", many)
    return sent


def test_a_login_post_takes_three_round_trips(with_redis, commands):  # noqa: F811
    account = AccountFactory(username="someone")
    browser = Client()
    browser.get(LOGIN)
    commands.clear()
    response = browser.post(LOGIN, {"username": account.username, "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in browser.session
    # The throttle's 7 counters at once, their settling at once, the session stored.
    assert len([c for c in commands if c != "GET"]) <= 3, commands
    # The new session was written once, to the database and to Redis, under its new key
    # (on PostgreSQL its row in the sign-in's statement, flows/sessions.begin).
    row = Session.objects.get(session_key=browser.session.session_key)
    assert row.get_decoded() == dict(browser.session.items())
    assert browser.get(reverse("signon:manage")).status_code == 200  # signed in


def test_counters_on_redis_limit_and_expire(with_redis, rf):  # noqa: F811
    request = rf.post(LOGIN, REMOTE_ADDR="192.0.2.7")
    limit = throttle.Tier.parse(throttle.settings.NEXTGEN_THROTTLE["per_username"][0]).limit
    waits = [throttle.login_attempt(request, "target").wait for _ in range(limit + 1)]
    assert waits[:limit] == [0] * limit and waits[limit] > 0
    client = redis.Redis.from_url(with_redis.url)
    keys = client.keys("*throttle*")
    assert keys and all(client.ttl(k) > 0 for k in keys)  # no counter lives for ever


def test_giving_back_a_count_never_revives_an_ended_window(with_redis, rf):  # noqa: F811
    request = rf.post(LOGIN, REMOTE_ADDR="192.0.2.8")
    attempt = throttle.login_attempt(request, "target2")
    client = redis.Redis.from_url(with_redis.url)
    client.flushdb()  # every window ends (the server is this test's own)
    attempt.release()
    assert client.keys("*throttle*") == []
