"""The closed door of pages with powers over other accounts (the Service Center, court
staff pages, the administration site) for a session signed in without a passcode."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def needs_passcode(request: HttpRequest, *, heading: str, message: str) -> HttpResponse:
    """403 with `message` and a Log Out button: signing in again with the passcode (or
    setting MFA up, which those accounts cannot put off) is the way in."""
    return render(
        request,
        "signon/admin_closed.html",
        {"message": message, "heading": heading},
        status=403,
    )
