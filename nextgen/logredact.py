"""Keeping secrets in URLs out of the logs.

A password reset link carries its token in the path (/csologin/reset/<uid>/<token>/, and
the court's /ecf/<court>/passreset/<uid>/<token>/). The view moves the token into the
session at once, but the request line of that first GET would still reach the server's
access log and Django's request log, where anyone who reads logs could use it within the
hour. `redact` replaces such a token with [redacted]; the gunicorn logger class below
(named in gunicorn.conf.py) and the logging filter (settings.LOGGING) apply it to every
line written. Nothing here imports Django: gunicorn's master process loads it too.
"""

from __future__ import annotations

import logging
import re
from collections.abc import MutableMapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any, cast

from gunicorn import glogging

if TYPE_CHECKING:
    from gunicorn.glogging import _AtomsDict
    from gunicorn.http import Request
    from gunicorn.http.wsgi import Response

REDACTED = "[redacted]"
# <prefix>/<uidb64>/<token>: the token segment, unless it is the token-free page's name.
_TOKEN_IN_PATH = re.compile(
    r"(/(?:reset|passreset)/[^/\s?#\"]+/)(?!set-password(?:/|$))([^/\s?#\"]+)"
)


def redact(text: str) -> str:
    """`text` with every reset token in a URL path replaced by [redacted]."""
    return _TOKEN_IN_PATH.sub(rf"\g<1>{REDACTED}", text)


class GunicornLogger(glogging.Logger):
    """gunicorn's logger, with reset tokens taken out of every access-log field (request
    line, path, query, Referer, raw URI, any header or environ value)."""

    def atoms(
        self,
        resp: Response,
        req: Request,
        environ: MutableMapping[str, Any],
        request_time: timedelta,
    ) -> _AtomsDict:
        atoms = super().atoms(resp, req, environ, request_time)
        # The same keys with their text redacted: still the atoms gunicorn formats.
        return cast(
            "_AtomsDict", {k: redact(v) if isinstance(v, str) else v for k, v in atoms.items()}
        )


class RedactTokensFilter(logging.Filter):
    """For Django's own loggers (django.request names the path of every 4xx and 5xx,
    django.server each request line): the same redaction, on the message and its args."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {
                k: redact(v) if isinstance(v, str) else v for k, v in record.args.items()
            }
        return True
