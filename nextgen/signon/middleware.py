"""What a page answers when the throttle's counters cannot be reached (Redis down)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import notices
from .throttle import ThrottleUnavailable

RETRY_AFTER_SECONDS = 30


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
