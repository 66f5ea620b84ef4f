"""The records tests' scene: a court's docket (tests/records/factories.docket) and a
PACER reader signed in with a client code."""

from __future__ import annotations

import pytest

from tests.factories import AccountFactory
from tests.records.factories import docket


@pytest.fixture
def d():
    return docket()


@pytest.fixture
def reader(d, client, login):
    account = AccountFactory(username="reader")
    login(account, client_code="acme-42")
    return account
