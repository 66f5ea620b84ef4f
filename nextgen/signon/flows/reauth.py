"""Asking for the current password again before a sensitive change.

Shared by Manage My Account (password, security questions) and MFA (set-up, turning
off, new backup codes).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest

from nextgen import throttle
from nextgen.audit.models import Action, Outcome
from nextgen.audit.services import record_alone

from .. import notices
from ..models import Account


def check_current_password(
    request: HttpRequest, account: Account, password: str, *, action: Action
) -> None:
    """Refuse (ValidationError on `current_password`) unless `password` is the account's.

    A wrong guess here is a wrong guess at the login: a stolen session must not become a
    free password oracle, so it waits on and counts toward the same throttle. The
    session proved itself at sign-in, so other clients' failures never hold it back.
    """
    attempt = throttle.login_attempt(request, account.username_key, proved=True)
    if wait := attempt.wait:
        record_alone(
            action,
            outcome=Outcome.REFUSED,
            request=request,
            actor=account,
            details={"reason": "throttled"},
        )
        raise ValidationError(notices.throttled(throttle.describe_wait(wait)), code="throttled")
    if not account.check_password(password):
        record_alone(
            action,
            outcome=Outcome.FAILURE,
            request=request,
            actor=account,
            details={"reason": "wrong current password"},
        )
        raise ValidationError({"current_password": notices.WRONG_CURRENT_PASSWORD})
    attempt.succeeded()
