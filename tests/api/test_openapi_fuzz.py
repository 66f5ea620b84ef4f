"""The served OpenAPI description stays true: schemathesis fuzzes both endpoints from it
through the WSGI app; no 5xx, and every answer (status, content type, body) is documented."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from nextgen.api import openapi

app = get_wsgi_application()
schema = schemathesis.openapi.from_wsgi("/services/openapi.json", app)
schema.config.generation.update(modes=["positive", "negative"], max_examples=50)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests here go through the real WSGI handler, which closes the database
    connection when a request ends; inside a test's transaction (PostgreSQL) that would
    end the test. Django's test client detaches the same handlers."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.mark.django_db
def test_the_served_description_is_the_built_one(client):
    assert client.get("/services/openapi.json").json() == openapi.build()


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_to_its_description(case, account):
    case.call_and_validate()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/services/cso-auth", "/services/cso-logout"])
@pytest.mark.parametrize("method", ["GET", "PUT", "PATCH", "DELETE"])
def test_other_methods_answer_the_documented_405(path, method):
    case = schema[path]["POST"].Case(method=method)
    response = case.call()
    assert response.status_code == 405
    assert response.headers["allow"] == ["POST"]
    case.validate_response(response)
