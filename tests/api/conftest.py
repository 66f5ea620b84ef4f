import datetime as dt
import json

import pytest

from tests.factories import CourtFactory

AUTH = "/services/cso-auth"
LOGOUT = "/services/cso-logout"


@pytest.fixture
def vid(db):
    return CourtFactory(
        code="vid", name="District Court of the Virgin Islands", go_live=dt.date(2022, 6, 6)
    )


@pytest.fixture
def cso_auth(client):
    """POST a JSON body to /services/cso-auth; returns the response."""

    def _post(body=None, *, raw: str | None = None, content_type="application/json", **extra):
        data = raw if raw is not None else json.dumps(body)
        return client.post(AUTH, data, content_type=content_type, **extra)

    return _post


@pytest.fixture
def cso_logout(client):
    def _post(body=None, *, raw: str | None = None):
        data = raw if raw is not None else json.dumps(body)
        return client.post(LOGOUT, data, content_type="application/json")

    return _post


@pytest.fixture
def token_for(cso_auth, password):
    """Sign `account` in through the API; returns its token."""

    def _token(account, **body):
        answer = cso_auth(
            {"loginId": account.username, "password": password, "redactFlag": "1", **body}
        ).json()
        assert answer["loginResult"] == "0", answer
        return answer["nextGenCSO"]

    return _token
