"""The URL patterns' answer kept per path (nextgen/routing.py): every path resolves as
without it, each request gets a match of its own, and unmatched paths are never kept."""

from __future__ import annotations

import pytest
from django.urls import Resolver404, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern

from nextgen import routing, urls

PATHS = [
    "/",
    "/favicon.ico",
    "/csologin/login/",
    "/csologin/account/",
    "/csologin/fees/billing/",
    "/csologin/account/billing/",
    "/my-courts/",
    "/ecf/",
    "/ecf/ctd/",
    "/ecf/ctd/cgi-bin/",
    "/ecf/ctd/cgi-bin/login.pl",
    "/ecf/ctd/cgi-bin/utilities/",
    "/ecf/ctd/cgi-bin/DktRpt.pl",
    "/ecf/ctd/cgi-bin/iquery.pl",
    "/ecf/ctd/doc1/12345",
    "/ecf/ctd/staff/",
    "/ecf/ctd/staff/accounts/7/unlink/",
    "/ecf/ctd/staff/fees/",
    "/ecf/ctd/cgi-bin/filing/menu/civil/",
    "/services/cso-auth",
    "/admin/",
]

FIELDS = (
    "func",
    "args",
    "kwargs",
    "url_name",
    "app_names",
    "namespaces",
    "route",
    "view_name",
    "captured_kwargs",
    "extra_kwargs",
)


def answer(match) -> dict:  # noqa: ANN001
    return {name: getattr(match, name) for name in FIELDS}


def plain_resolver() -> URLResolver:
    """Django's own resolver over the same patterns, without the kept layer."""
    return URLResolver(RegexPattern(r"^/"), urls.patterns)


@pytest.mark.parametrize("path", PATHS)
def test_each_path_resolves_as_without_the_kept_answers(path):
    try:
        expected = answer(plain_resolver().resolve(path))
    except Resolver404:
        with pytest.raises(Resolver404):
            get_resolver("nextgen.urls").resolve(path)
        return
    for _ in range(2):  # the first finds the answer, the second reads it
        assert answer(get_resolver("nextgen.urls").resolve(path)) == expected


def test_each_request_gets_a_match_of_its_own():
    kept = urls.urlpatterns[0]
    first = kept.resolve("ecf/ctd/staff/accounts/7/unlink/")
    first.kwargs["pk"] = 8
    first.captured_kwargs["pk"] = 8
    first.app_names.append("intruder")
    again = kept.resolve("ecf/ctd/staff/accounts/7/unlink/")
    assert again.kwargs == {"code": "ctd", "pk": 7} == again.captured_kwargs
    assert "intruder" not in again.app_names


def test_a_path_that_matches_nothing_is_never_kept():
    kept = urls.urlpatterns[0]
    size = len(kept._kept)
    for _ in range(2):
        with pytest.raises(Resolver404):
            kept.resolve("no/such/page/")
    assert len(kept._kept) == size


def test_the_kept_answers_are_bounded(monkeypatch):
    kept = routing.KeptResolver(urls.patterns)
    monkeypatch.setattr(routing, "MAX_KEPT", 5)
    for pk in range(12):
        kept.resolve(f"ecf/ctd/staff/accounts/{pk}/")
    assert 0 < len(kept._kept) <= 5
    assert kept.resolve("ecf/ctd/staff/accounts/3/").kwargs == {"code": "ctd", "pk": 3}


def test_long_paths_are_answered_but_never_kept():
    # The admin's catch-all matches any path under admin/: long random ones must not
    # make the store large (each kept entry would hold the path twice).
    kept = routing.KeptResolver(urls.patterns)
    long_path = "admin/" + "a" * routing.MAX_KEPT_PATH
    match = kept.resolve(long_path)
    assert match.kwargs == {"url": "a" * routing.MAX_KEPT_PATH}
    assert kept._kept == {}


def test_a_kept_answer_does_not_keep_the_patterns_tried():
    kept = routing.KeptResolver(urls.patterns)
    kept.resolve("admin/somewhere/")
    assert [m.tried for m in kept._kept.values()] == [None]
