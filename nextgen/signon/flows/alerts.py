"""Security notices: the e-mails that tell an account holder about a change they may not
have made (e-mail address, password, a sign-in from a new device).

A stolen session or password shows itself only if the owner hears of it, so each message
goes to the address that was on file *before* the change, names what changed and when,
and tells the owner whom to call, quoting the audit event's number as the reference the
PACER Service Center looks up. Queued (nextgen.mail): sent only once the change commits,
a mail failure retried, never raised into the page.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from nextgen.audit.models import Event
from nextgen.mail import queue_templated_mail

from .. import notices
from ..models import Account

EMAIL_CHANGED = "email_changed"
PASSWORD_CHANGED = "password_changed"
PASSWORD_RESET = "password_reset_done"
NEW_DEVICE = "new_device"

# Fixed subjects: nothing a user typed goes into a subject line.
SUBJECTS = {
    EMAIL_CHANGED: "PACER: the e-mail address of your account was changed",
    PASSWORD_CHANGED: "PACER: your password was changed",
    PASSWORD_RESET: "PACER: your password was reset",
    NEW_DEVICE: "PACER: new sign-in to your account",
}


def send_security_notice(
    *,
    account: Account,
    kind: str,
    event: Event | None,
    to: str | None = None,
    extra: dict[str, str] | None = None,
) -> None:
    """Queue one security notice to `to` (default: the account's address on file).

    Call inside the transaction of the change, so a rolled-back change sends nothing."""
    psc = settings.NEXTGEN_SERVICE_CENTER
    context = {
        "name": account.full_name or account.username,
        "username": account.username,
        "when": timezone.now().strftime("%Y-%m-%d %H:%M UTC"),
        "reference": f"NG-{event.pk}" if event is not None else "",
        "report": notices.security_report(f"NG-{event.pk}" if event is not None else ""),
        "psc_phone": psc["phone"],
        "psc_email": psc["email"],
        **(extra or {}),
    }
    queue_templated_mail(
        to=[to or account.email],
        subject=SUBJECTS[kind],
        body_template=f"signon/email/{kind}.txt",
        context=context,
    )
