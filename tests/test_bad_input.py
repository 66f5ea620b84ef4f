"""No page answers a 500 to what a browser or client can send: NUL characters and the
UTF-8 bytes of a lone surrogate, in every form field and query parameter of every page
(PostgreSQL refuses NUL in text; a lone surrogate cannot be encoded at all)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver

from nextgen.ecf.models import CourtRole
from tests.factories import AccountFactory, CourtFactory, FilerAccountFactory

pytestmark = pytest.mark.django_db

# Every field name a NextGen form uses, give or take: a field a form does not have is
# ignored, so one body serves every page.
FIELDS = [
    "username",
    "password",
    "client_code",
    "login",
    "email",
    "first_name",
    "last_name",
    "bar_number",
    "code",
    "new_password1",
    "new_password2",
    "answer_1",
    "answer_2",
    "nonce",
    "go_live",
    "reason",
    "q",
    "key",
    "current_password",
    "same_person",
    "phone",
    "firm",
    "address",
    "city",
    "state",
    "zip_code",
]
# NUL, and the UTF-8 bytes of U+D800 (a lone surrogate), percent-encoded as sent.
BAD = ["a%00b", "a%ED%A0%80b"]


def every_page() -> list[str]:
    paths: list[str] = []

    def walk(resolver, prefix: str) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern, prefix + str(pattern.pattern))
            else:
                paths.append(prefix + str(pattern.pattern))

    walk(get_resolver(), "")
    pages = []
    for route in paths:
        if route.startswith("admin/"):
            continue
        path = "/" + re.sub(r"<slug:code>", "vid", route)
        pages.append(re.sub(r"<(?:int:)?\w+>", "1", re.sub(r"<str:\w+>", "x", path)))
    return pages


@pytest.mark.parametrize("bad", BAD, ids=["nul", "surrogate"])
def test_no_page_answers_500_to_nul_or_surrogate_bytes(bad):
    vid = CourtFactory(code="vid")
    FilerAccountFactory(court=vid, login="bob")
    clerk = AccountFactory()
    CourtRole.objects.create(account=clerk, court=vid, role="staff")
    signed_in = Client(raise_request_exception=False)
    signed_in.force_login(clerk)
    clients = [Client(raise_request_exception=False), signed_in]
    body = "&".join(f"{name}={bad}" for name in FIELDS)
    failures = []
    for path in every_page():
        for client in clients:
            got = client.get(f"{path}?next={bad}&q={bad}&key={bad}&logout")
            posted = client.generic(
                "POST", path, body, content_type="application/x-www-form-urlencoded"
            )
            failures += [(m, path, r.status_code) for m, r in (("GET", got), ("POST", posted))]
    assert [f for f in failures if f[2] >= 500] == []
