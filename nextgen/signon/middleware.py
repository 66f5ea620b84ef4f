"""What every response needs, whichever page served it: the signed-in pages' headers and
session activity, and the "try again shortly" page when the throttle's counters cannot be
reached (Redis down)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import middleware as auth_middleware
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from nextgen.nostore import add_never_cache_headers
from nextgen.throttle import ThrottleUnavailable

from . import notices
from .flows import login, sessions
from .http import mark_signed_in_with_passcode

RETRY_AFTER_SECONDS = 30


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, with `request.user` the account itself rather than a lazy stand-in.

    Every request that reaches this middleware reads its user anyway (SignedInMiddleware
    asks after the view whether it was signed in), so nothing is read that Django's
    lazy user would not read; but each of the page's few dozen reads of `request.user`
    (views, context processors, templates) no longer goes through the lazy object's
    proxy (issue 14). Same reads, same round trips, done before the view."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)  # the session check, request.auser
        user = auth_middleware.get_user(request)  # kept as request._cached_user
        request.user = user
        # request.auser() keeps its own copy: the same (marked) account, so an async view
        # sees what a sync one does. An attribute Django's request does not declare.
        vars(request)["_acached_user"] = user
        if user.is_authenticated and request.session.get(login.SESSION_SECOND_FACTOR):
            # Signed in with the passcode: the account's powers over other people's
            # records hold for this request. A password-only session (a filer who put MFA
            # off, or one begun before staff had to set it up) goes unmarked, and such
            # powers are withheld from it (signon/http.py).
            mark_signed_in_with_passcode(user)


class SignedInMiddleware:
    """After the view:

    - a page shown to a signed-in person (by session or API token) is never stored by a
      browser or proxy (`Cache-Control: no-store`): account pages show personal data, and
      Back after Log Out on a shared computer must not show them again;
    - a browser session's Signed-in Sessions row learns when and from where it was last
      seen (flows/sessions.py, at most one write a minute);
    - a sign-in from a new browser gives it its device cookie.

    Goes after AuthenticationMiddleware and ApiTokenMiddleware (it reads request.user),
    so its response step runs before SessionMiddleware saves the session."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        sessions.set_device_cookie(request, response)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            sessions.touch(request)
            if "no-store" not in response.get("Cache-Control", ""):
                add_never_cache_headers(response)
        return response


class TryAgainShortlyMiddleware:
    """Credential checks fail closed without their counters (throttle.ThrottleUnavailable):
    the page says "try again shortly" with 503 and Retry-After, never a 500. The check
    was refused before anything changed, so there is nothing to undo."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ThrottleUnavailable):
            return None
        response = render(
            request,
            "signon/try_again.html",
            {"message": notices.TRY_AGAIN_SHORTLY},
            status=503,
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
