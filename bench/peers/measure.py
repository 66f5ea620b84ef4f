"""The peers' side of bench/run.py, run with the peers' own Python (bench/peers/.venv).

    measure.py migrate                          # the peer database's tables
    measure.py login --site allauth --reps 10   # JSON: login POST and bare verify timings
    measure.py cookie                           # a signed-in allauth session cookie

A login is measured exactly as NextGen's in bench/run.py: Django's test client with CSRF
checks, a GET of the login page, then the timed POST, interleaved with a bare
check_password on the same hash (the same Argon2id parameters as NextGen's).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PASSWORD = "Bench#Peer2026"
SITES = {
    # settings module, login URL, the form's user-name field
    "loginview": ("peersite.settings_loginview", "/login/", "username"),
    "allauth": ("peersite.settings_allauth", "/accounts/login/", "login"),
}


def setup(site: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = SITES[site][0]
    import django

    django.setup()


def user(username: str):
    from django.contrib.auth.models import User

    found = User.objects.filter(username=username).first()
    return found or User.objects.create_user(username, f"{username}@example.com", PASSWORD)


def login(site: str, reps: int) -> dict:
    from django.contrib.auth.hashers import check_password
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    _, url, field = SITES[site]
    account = user(f"bench.{site}")
    encoded = account.password

    def one(capture: bool = False):
        # An address per login: allauth limits logins per address (30 a minute), and a
        # benchmark's dozens of right passwords a minute must not trip it.
        address = ".".join(str(random.randint(1, 254)) for _ in range(3))
        client = Client(enforce_csrf_checks=True, REMOTE_ADDR=f"10.{address}")
        page = client.get(url)
        token = CSRF_RE.search(page.content.decode()).group(1)
        data = {field: account.username, "password": PASSWORD, "csrfmiddlewaretoken": token}
        # Queries are counted only on the warm-up logins: CaptureQueriesContext turns on
        # the debug cursor, which NextGen's timed POSTs run without, so timed ones here
        # must too.
        counting = CaptureQueriesContext(connection) if capture else contextlib.nullcontext()
        with counting as ctx:
            started = time.perf_counter()
            response = client.post(url, data)
            elapsed = time.perf_counter() - started
        if response.status_code != 302:
            raise RuntimeError(f"{site} login POST answered {response.status_code}")
        return elapsed, len(ctx.captured_queries) if capture else None

    for _ in range(3):  # warm-up: imports, templates, connections
        _, queries = one(capture=True)
        check_password(PASSWORD, encoded)
    requests, hashes = [], []
    for _ in range(reps):
        started = time.perf_counter()
        if not check_password(PASSWORD, encoded):
            raise RuntimeError("bare verify failed")
        hashes.append(time.perf_counter() - started)
        elapsed, _ = one()
        requests.append(elapsed)
    return {"site": site, "requests": requests, "hashes": hashes, "queries": queries}


def cookie() -> str:
    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.test import Client

    account = user("bench.page")
    EmailAddress.objects.get_or_create(
        user=account, email=account.email, defaults={"primary": True, "verified": True}
    )
    client = Client()
    client.force_login(account)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["migrate", "login", "cookie"])
    parser.add_argument("--site", choices=list(SITES), default="allauth")
    parser.add_argument("--reps", type=int, default=10)
    args = parser.parse_args()
    setup("allauth" if args.command != "login" else args.site)
    if args.command == "migrate":
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    elif args.command == "login":
        print(json.dumps(login(args.site, args.reps)))
    else:
        print(cookie())


if __name__ == "__main__":
    main()
