"""A lease shorter than one slow send lets a second worker take over a message the first
is still sending: it would go out twice."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Warning, register

# Connect, EHLO, MAIL, RCPT, DATA, the data: each may take up to EMAIL_TIMEOUT.
SMTP_STEPS = 6


@register()
def lease_outlasts_a_send(app_configs, **kwargs) -> list[Warning]:
    timeout = float(getattr(settings, "EMAIL_TIMEOUT", None) or 0)
    lease = float(settings.NEXTGEN_MAIL_LEASE_SECONDS)
    if timeout and lease < SMTP_STEPS * timeout:
        return [
            Warning(
                f"NEXTGEN_MAIL_LEASE_SECONDS ({lease:g}) is shorter than {SMTP_STEPS} x "
                f"EMAIL_TIMEOUT ({timeout:g}): a slow send may outlast its lease and the "
                "message go out twice.",
                hint=f"Set NEXTGEN_MAIL_LEASE_SECONDS to at least {SMTP_STEPS * timeout:g}.",
                id="nextgen.outbox.W001",
            )
        ]
    return []
