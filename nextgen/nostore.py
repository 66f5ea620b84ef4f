"""Django's never-cache headers, set without parsing for the usual response (issue 14).

`django.utils.cache.add_never_cache_headers` parses and rebuilds Cache-Control and
formats Expires anew on every signed-in page (about 5% of a bare signed-in request's
CPU). A response that carries neither header yet, as nearly every page, gets the very
same two values Django would give it: Expires as the current second (kept for that
second), and Cache-Control's fixed text. Any other response goes through Django's own.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from asgiref.sync import iscoroutinefunction
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils import cache as django_cache
from django.utils.http import http_date
from django.views.decorators.cache import never_cache as django_never_cache

# What django_cache.add_never_cache_headers writes into a response without Cache-Control.
NEVER_CACHE = "max-age=0, no-cache, no-store, must-revalidate, private"

# (the whole second, its http_date): http_date() shows whole seconds only.
_expires: tuple[int, str] = (-1, "")


def _now_http_date() -> str:
    global _expires
    second = int(time.time())
    if _expires[0] != second:
        _expires = (second, http_date(second))
    return _expires[1]


def add_never_cache_headers(response: HttpResponseBase) -> None:
    """django.utils.cache.add_never_cache_headers, the same headers, cheaper."""
    if "Cache-Control" in response or "Expires" in response:
        django_cache.add_never_cache_headers(response)
        return
    response.headers["Expires"] = _now_http_date()
    response.headers["Cache-Control"] = NEVER_CACHE


def never_cache(view: Callable[..., Any]) -> Callable[..., Any]:
    """django.views.decorators.cache.never_cache, with add_never_cache_headers above."""
    if iscoroutinefunction(view):
        return django_never_cache(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not hasattr(request, "META"):  # as Django's: a request, not a method's self
            raise TypeError(
                "never_cache didn't receive an HttpRequest. If you are "
                "decorating a classmethod, be sure to use @method_decorator."
            )
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    return wrapper
