"""Never-cache headers set without parsing (nextgen/nostore.py): the same headers as
Django's add_never_cache_headers and never_cache, whatever the response already has."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.utils import cache as django_cache
from django.views.decorators.cache import never_cache as django_never_cache

from nextgen.nostore import add_never_cache_headers, never_cache

START = dt.datetime(2026, 11, 30, 23, 59, 58, 900000, tzinfo=dt.UTC)


def both(make) -> tuple[HttpResponse, HttpResponse]:  # noqa: ANN001
    ours, djangos = make(), make()
    add_never_cache_headers(ours)
    django_cache.add_never_cache_headers(djangos)
    return ours, djangos


def headers(response: HttpResponse) -> dict[str, str]:
    return dict(response.headers)


def test_a_fresh_response_gets_djangos_headers_second_by_second():
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(3):
            ours, djangos = both(HttpResponse)
            assert headers(ours) == headers(djangos)
            assert (
                ours["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
            )
            traveller.shift(dt.timedelta(seconds=0.6))  # a new second every other step
        assert ours["Expires"] == "Tue, 01 Dec 2026 00:00:00 GMT"


@pytest.mark.parametrize(
    "header, value",
    [("Cache-Control", "public, max-age=600"), ("Expires", "Thu, 01 Jan 2037 00:00:00 GMT")],
)
def test_a_response_with_its_own_cache_headers_gets_what_django_gives_it(header, value):
    def make() -> HttpResponse:
        response = HttpResponse()
        response[header] = value
        return response

    with time_machine.travel(START, tick=False):
        ours, djangos = both(make)
    assert headers(ours) == headers(djangos)
    assert "public" not in ours["Cache-Control"]


def test_the_decorator_is_djangos_never_cache():
    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok")

    request = RequestFactory().get("/")
    with time_machine.travel(START, tick=False):
        assert headers(never_cache(view)(request)) == headers(django_never_cache(view)(request))
    assert never_cache(view).__name__ == "view"
    with pytest.raises(TypeError, match="method_decorator"):
        never_cache(view)(object())
