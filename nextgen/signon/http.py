"""The request of a signed-in page, as the type checker sees it.

Django types `request.user` as an Account or AnonymousUser. A view behind
`login_required` (or another sign-in check) only ever sees an Account, and annotating
its request as AuthenticatedHttpRequest says so, instead of re-checking at every use.
It lives in signon, beside Account, so the shared core stays free of signon imports.
"""

from __future__ import annotations

from typing import TypeGuard

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from .models import Account

# Whoever is looking at a page: a signed-in account, or nobody.
Viewer = Account | AnonymousUser


class AuthenticatedHttpRequest(HttpRequest):
    """Only an annotation: Django still passes its own HttpRequest, signed in."""

    user: Account


def is_signed_in(request: HttpRequest) -> TypeGuard[AuthenticatedHttpRequest]:
    """Someone is signed in: a sign-in check that lets the checker know it, for the
    decorators that guard a court's pages."""
    return request.user.is_authenticated


def signed_in_account(request: HttpRequest) -> Account:
    """The signed-in account, for code reached only past a sign-in check that takes a
    plain request (a wizard journey's steps); refused (403) should nobody be signed in."""
    if not is_signed_in(request):
        raise PermissionDenied
    return request.user


def acting_account(request: HttpRequest) -> Account | None:
    """Who acts in a journey open to everyone (sign-in, its passcode step, sign-out): the
    signed-in account, or None when nobody is signed in."""
    return request.user if is_signed_in(request) else None


# Set on the account of a request signed in with a passcode: a browser session that
# passed the second factor, or an API token (which needs the passcode of an account with
# MFA; staff cannot get one without). Powers over other people's records (a court staff
# member's view of sealed material) need it, so any account object that did not come from
# such a request (a password-only session, a related row, a future caller) has none.
_WITH_PASSCODE = "nextgen_signed_in_with_passcode"


def mark_signed_in_with_passcode(account: Account) -> None:
    """This request's account was signed in with a passcode (set on the account object of
    this request alone, by signon's AuthenticationMiddleware or the API token's)."""
    vars(account)[_WITH_PASSCODE] = True


def signed_in_with_passcode(user: Viewer) -> bool:
    """Whether `user` is the account of a request signed in with a passcode."""
    return bool(vars(user).get(_WITH_PASSCODE)) if user.is_authenticated else False
