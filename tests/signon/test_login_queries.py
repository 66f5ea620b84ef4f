"""A login POST reads and writes the database a fixed number of times (issue 14): the
account, one question for what follows the password (passcode, MFA set-up or neither),
last_login, the audit append, the Signed-in Sessions row and the known device, the
session. Query counts, never timings: a regression here fails CI."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from nextgen.audit.models import Event
from nextgen.signon.models.sessions import SignedInSession

pytestmark = pytest.mark.django_db

LOGIN = "/csologin/login/"
# On the test settings: SQLite, sessions in the database (Django's rotation: exists,
# insert, update), the test's transaction making savepoints. Before issue 14 it was 21
# (the MFA check asked three questions). With Redis (production) the session rotation is
# one insert (nextgen/sessions.py) and there are no savepoints: 10 (bench/README.md).
LOGIN_QUERIES = 18


def _post_login(client: Client, account, password: str):
    client.get(LOGIN)
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(LOGIN, {"username": account.username, "password": password})
    return response, ctx.captured_queries


def test_a_returning_browsers_login_post_stays_within_its_queries(account, password):
    browser = Client()
    _post_login(browser, account, password)  # the first sign-in learns the device
    browser.post("/csologin/logout/")
    response, queries = _post_login(browser, account, password)
    assert response.status_code == 302
    assert len(queries) <= LOGIN_QUERIES, "\n".join(q["sql"][:120] for q in queries)
    # Nothing the login does was dropped to get there.
    assert Event.objects.filter(action="login", actor=account).count() == 2
    assert SignedInSession.objects.filter(account=account, ended_at__isnull=True).count() == 1


def test_the_mfa_question_is_one_query(account, password):
    response, queries = _post_login(Client(), account, password)
    assert response.status_code == 302
    mfa = [q for q in queries if "otp_totp_totpdevice" in q["sql"]]
    assert len(mfa) == 1
