"""Telling a request the user made on our own pages from one another site started.

`cgi-bin/login.pl?logout` ends the session on a plain GET, because PACER clients rely on
that path. A GET is also what any other site can make a visitor's browser send (a link,
an image, a redirect), so it ends a session only when the request shows it came from our
own pages, or was typed or bookmarked:

* `Sec-Fetch-Site` (every current browser sends it): `same-origin`, or `none` for a
  typed address or a bookmark. `same-site` (a sibling subdomain) and `cross-site` do not.
* Without that header (older browsers, programs): the `SameSite=Strict` marker cookie
  below, which a browser never sends on a request another site started, and which a
  program's cookie jar sends back like any other cookie.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

MARKER_COOKIE = "nextgen_same_site"
OWN_SITE = frozenset({"same-origin", "none"})


def is_own_site_request(request: HttpRequest) -> bool:
    """Whether the request came from our own pages (or was typed), by the signals above."""
    fetch_site = request.META.get("HTTP_SEC_FETCH_SITE")
    if fetch_site is not None:
        return fetch_site.strip().lower() in OWN_SITE
    return request.COOKIES.get(MARKER_COOKIE) == "1"


class SameSiteMarkerMiddleware:
    """Sets the SameSite=Strict marker cookie for a browser session that lacks it. It
    carries no authority (the session does); it only says "not started by another site"."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(request, "nextgen_api_token", None) is None
            and MARKER_COOKIE not in request.COOKIES
        ):
            response.set_cookie(
                MARKER_COOKIE,
                "1",
                max_age=settings.SESSION_COOKIE_AGE,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Strict",
            )
        return response
