"""The quarter-to-date total against the waiver, on every signed-in page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

# Where a request keeps its waiver line once read (by this processor, or by a court page
# that read it with the court: ecf.menus.VIEWER_EXTRAS, registered in apps.py).
_STATUS = "_fees_waiver_status"


def remember_waiver_status(request: HttpRequest, status) -> None:  # noqa: ANN001 (selectors.WaiverStatus)
    """What a charge just recorded told of the quarter (actions.charge, once it
    commits): the page needs no query for it."""
    setattr(request, _STATUS, status)


def quarter_to_date(request: HttpRequest) -> dict:
    """Lazy: the one query runs only when a page shows the line, once per request."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    known = getattr(request, _STATUS, None)
    if known is not None:
        # Read with the court, or told by a charge: the page reads it directly, not
        # through a lazy object's wrapper on every attribute.
        return {"fees_quarter": known}

    def status():
        cached = getattr(request, _STATUS, None)
        if cached is None:
            from .selectors import waiver_status

            cached = waiver_status(user)
            setattr(request, _STATUS, cached)
        return cached

    return {"fees_quarter": SimpleLazyObject(status)}


def keep_read_with_court(request: HttpRequest, court: Any, args: tuple[Any, ...]) -> None:
    """A court page read the line with its court (selectors.annotate_waiver)."""
    from .selectors import waiver_status_of

    setattr(request, _STATUS, waiver_status_of(court, args[1]))


def forget(request: HttpRequest | None) -> None:
    """A charge was made: the page shows the total read after it, not before."""
    if request is not None and hasattr(request, _STATUS):
        delattr(request, _STATUS)
