"""What every response to a signed-in request needs, whichever page served it."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from .flows import sessions


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
