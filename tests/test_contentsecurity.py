"""The Content-Security-Policy header built once per process (nextgen/contentsecurity.py):
the same text django-csp builds, a view's own policy or nonce still honoured, and a
settings change shown at once."""

from __future__ import annotations

import pytest
from csp.constants import HEADER, HEADER_REPORT_ONLY, NONCE, SELF
from csp.decorators import csp_exempt, csp_update
from csp.exceptions import CSPNonceError
from csp.utils import build_policy
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings

from nextgen.contentsecurity import CSPMiddleware

NONCE_POLICY = {"DIRECTIVES": {"default-src": [SELF], "script-src": [SELF, NONCE]}}


def respond(view=None, path: str = "/x/"):  # noqa: ANN001, ANN201
    request = RequestFactory().get(path)
    middleware = CSPMiddleware(view or (lambda r: HttpResponse("ok")))
    return request, middleware(request)


def test_the_header_is_the_one_django_csp_builds_from_the_settings():
    _, response = respond()
    assert response[HEADER] == build_policy()
    assert "default-src 'self'" in response[HEADER]
    assert HEADER_REPORT_ONLY not in response


def test_a_settings_change_shows_at_once():
    respond()  # the settings' text is kept
    with override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"default-src": ["'none'"]}}):
        assert respond()[1][HEADER] == "default-src 'none'"
    with override_settings(CONTENT_SECURITY_POLICY_REPORT_ONLY={"DIRECTIVES": {"img-src": [SELF]}}):
        report_only = respond()[1][HEADER_REPORT_ONLY]
        assert report_only == build_policy(report_only=True) and "img-src 'self'" in report_only
    assert respond()[1][HEADER] == build_policy()


def test_excluded_prefixes_get_no_header():
    policy = {"DIRECTIVES": {"default-src": [SELF]}, "EXCLUDE_URL_PREFIXES": ["/open/"]}
    with override_settings(CONTENT_SECURITY_POLICY=policy):
        assert HEADER not in respond(path="/open/page")[1]
        assert respond(path="/closed/")[1][HEADER] == "default-src 'self'"


def test_a_views_own_policy_and_exemption_still_apply():
    @csp_update({"img-src": ["https://maps.example"]})
    def updated(request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok")

    @csp_exempt()
    def exempt(request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok")

    assert "https://maps.example" in respond(updated)[1][HEADER]
    assert HEADER not in respond(exempt)[1]
    assert "https://maps.example" not in respond()[1][HEADER]


def test_a_page_that_asks_for_a_nonce_gets_it_in_its_header():
    def with_nonce(request: HttpRequest) -> HttpResponse:
        return HttpResponse(str(request.csp_nonce))  # type: ignore[attr-defined]

    with override_settings(CONTENT_SECURITY_POLICY=NONCE_POLICY):
        _, response = respond(with_nonce)
        assert f"'nonce-{response.content.decode()}'" in response[HEADER]
        request, plain = respond()
        assert "nonce-" not in plain[HEADER]
    # As django-csp: once the header is written, asking for a nonce is an error.
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)
