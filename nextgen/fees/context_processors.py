"""The quarter-to-date total against the waiver, on every signed-in page."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def remember_waiver_status(request: HttpRequest, status) -> None:  # noqa: ANN001 (selectors.WaiverStatus)
    """What a charge just recorded told of the quarter (actions.charge, once it
    commits): the page needs no query for it."""
    request._fees_waiver_status = status  # type: ignore[attr-defined]


def quarter_to_date(request: HttpRequest) -> dict:
    """Lazy: the one query runs only when a page shows the line, once per request."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def status():
        cached = getattr(request, "_fees_waiver_status", None)
        if cached is None:
            from .selectors import waiver_status

            cached = request._fees_waiver_status = waiver_status(user)
        return cached

    return {"fees_quarter": SimpleLazyObject(status)}
