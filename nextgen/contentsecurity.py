"""The Content-Security-Policy header (settings.CONTENT_SECURITY_POLICY), built once.

django-csp's middleware builds the header's text from the settings on every response,
twice (the policy and the report-only one; issue 14: about a tenth of a bare signed-in
request's CPU). For a response that no view changed (no `@csp_update`, `@csp_replace`,
`@csp_exempt`..., no nonce asked for: every NextGen page today) the text depends on the
settings alone, so it is kept per process and built again after a settings change.
Any other response goes through django-csp's own code, unchanged.
"""

from __future__ import annotations

from typing import Any

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.http.response import HttpResponseBase

# What django-csp's decorators leave on a response; any of them means a policy of its own.
_PER_RESPONSE = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt_ro",
)

# report_only -> (the header's text, or "" for no such header; its EXCLUDE_URL_PREFIXES).
_BUILT: dict[bool, tuple[str, tuple[str, ...]]] = {}


@receiver(setting_changed)
def _forget(**kwargs: Any) -> None:
    _BUILT.clear()


def settings_policy(*, report_only: bool) -> tuple[str, tuple[str, ...]]:
    """build_policy() of the settings alone, and the path prefixes that get no header:
    kept per process."""
    kept = _BUILT.get(report_only)
    if kept is None:
        name = "CONTENT_SECURITY_POLICY_REPORT_ONLY" if report_only else "CONTENT_SECURITY_POLICY"
        prefixes = (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
        kept = _BUILT[report_only] = (build_policy(report_only=report_only), tuple(prefixes))
    return kept


class CSPMiddleware(DjangoCSPMiddleware):
    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if getattr(request, "_csp_nonce", None) is not None or any(
            hasattr(response, name) for name in _PER_RESPONSE
        ):
            return super().process_response(request, response)
        # The rest is django-csp 4.0's process_response with nothing per response:
        # get_policy_parts() would give all None, so the text is the settings' own.
        # (The exempt attributes were ruled out above.)
        if response.status_code in (500, 404) and settings.DEBUG:
            return response
        for header, report_only in ((HEADER, False), (HEADER_REPORT_ONLY, True)):
            text, prefixes = settings_policy(report_only=report_only)
            if text and header not in response and not request.path_info.startswith(prefixes):
                response[header] = text
        # As django-csp: a nonce asked for after the header was written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response
