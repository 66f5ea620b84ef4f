"""Where a page may send the user back to: only this site's own pages (no open redirect)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme

RETURN_PARAM = "next"


def safe_return_url(request: HttpRequest, url: str | None) -> str | None:
    """`url` when it is a path on this site that resolves to one of our pages, else None."""
    if not url or not url.startswith("/") or url.startswith(("//", "/\\")):
        return None
    if not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    try:
        resolve(url.split("?", 1)[0])
    except Resolver404:
        return None
    return url


def return_url_from(request: HttpRequest) -> str | None:
    return safe_return_url(request, request.POST.get(RETURN_PARAM) or request.GET.get(RETURN_PARAM))


def cancel_url_for(return_url: str | None) -> str:
    """Where Cancel on the login page goes: never back to the page that sent the user to
    sign in (it would send them straight back here). A page of a court's site means the
    court's public home page (the court website the user came from); anything else, home."""
    if return_url:
        try:
            match = resolve(return_url.split("?", 1)[0])
        except Resolver404:
            match = None
        code = match.kwargs.get("code") if match is not None else None
        if match is not None and match.namespace == "ecf" and code:
            return reverse("ecf:court_home", args=[code])
    return reverse("home")
