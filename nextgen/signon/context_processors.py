"""Notices a signed-in account sees on every page: legacy and shared accounts may not file."""

from django.http import HttpRequest

from . import notices


def account_notices(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    found: list[str] = []
    if user is not None and user.is_authenticated:
        if user.is_legacy:
            found.append("legacy")
        if user.is_shared:
            found.append("shared")
    return {
        "account_notices": found,
        "legacy_notice": notices.LEGACY_MUST_UPGRADE,
        "shared_notice": notices.SHARED_CANNOT_FILE,
    }
