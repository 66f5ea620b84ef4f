"""Court pages accept an API token exactly as they accept a browser session."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

from nextgen.reversing import reverse_kept
from nextgen.signon.http import mark_signed_in_with_passcode

from . import tokens


class ApiTokenMiddleware:
    """Sign a request to a court page in by the token it carries, when it has no
    session user. No Django session is created: the token is the session.

    Only reading court pages (GET/HEAD under /ecf/, outside the staff, account and
    linking pages) take tokens: that is what PACER clients do, and a stolen token then
    reaches no page that changes anything. Goes after AuthenticationMiddleware, which
    a browser session always wins over."""

    # Pages under a court that a token never opens: they change accounts or links.
    CLOSED_TO_TOKENS = ("/staff/", "/cgi-bin/account/", "/cgi-bin/link/", "/passreset/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(reverse_kept("ecf:courts")):
            if request.method in ("GET", "HEAD") and not any(
                part in request.path for part in self.CLOSED_TO_TOKENS
            ):
                self._sign_in_by_token(request)
            response = self.get_response(request)
            # The page depends on this header as it does on the cookies.
            patch_vary_headers(response, ["X-NEXT-GEN-CSO"])
            return response
        return self.get_response(request)

    @staticmethod
    def _sign_in_by_token(request: HttpRequest) -> None:
        key = tokens.key_from_request(request)
        if not key or request.user.is_authenticated:
            return
        token = tokens.authenticate_token(key)
        if token is None:
            return
        request.user = token.account
        # A token of an account with MFA needed its passcode (and staff get none without
        # MFA): the request counts as signed in with one (signon.http).
        mark_signed_in_with_passcode(token.account)
        # Attributes Django's request does not declare: what AuthenticationMiddleware's
        # lazy user and request.auser() would cache, and the token (read with getattr).
        vars(request).update(
            _cached_user=token.account,
            _acached_user=token.account,
            nextgen_api_token=token,
            nextgen_token_client_code=tokens.client_code_from_request(request, token),
        )
