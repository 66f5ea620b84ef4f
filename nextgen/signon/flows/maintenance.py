"""Manage My Account → Maintenance and settings: the account holder changes their own data.

Every write here takes the account, runs in one transaction and writes its audit row in
that same transaction. The HTML pages (views/maintenance.py) and any future API call
these functions, so both refuse the same things in the same words (notices.py).

Personal data (name, e-mail, firm, address, phone) is kept in PACER and forwarded to the
courts ("Any changes made in PACER are automatically forwarded to our court"). That is
what PERSONAL_DATA_LISTENERS is for: the court side appends a listener, once, in its
AppConfig.ready(); update_personal_data() calls every listener inside its transaction, so
a listener that raises undoes the whole change and a court can never miss an update.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from nextgen.audit.models import Action
from nextgen.audit.services import record

from .. import notices
from ..models import SECURITY_QUESTIONS, Account
from . import alerts
from .alerts import send_security_notice
from .login import SESSION_CLIENT_CODE, current_client_code
from .reauth import check_current_password

# --- the personal-data registry ---------------------------------------------------

PersonalDataListener = Callable[[Account, dict[str, dict[str, Any]]], object]

#: Called as listener(account, changes) after a change of personal data is saved, inside
#: the same transaction. `account` holds the new values; `changes` maps each changed field
#: name to {"old": ..., "new": ...} (only fields that really changed; never a secret).
#: A listener that raises rolls the change back. Append once, in AppConfig.ready().
PERSONAL_DATA_LISTENERS: list[PersonalDataListener] = []

PERSONAL_FIELDS = ("first_name", "last_name", "email")
ADDRESS_FIELDS = ("firm", "address", "city", "state", "county", "zip_code", "country", "phone")
PERSONAL_DATA_FIELDS = PERSONAL_FIELDS + ADDRESS_FIELDS


def update_personal_data(
    *,
    acting: Account,
    changes: dict[str, Any],
    request: HttpRequest | None,
    current_password: str | None = None,
) -> list[str]:
    """Apply `changes` (field → new value) to the account's personal data; return the names
    of the fields that really changed (empty: nothing saved, audited or forwarded).

    A new e-mail address needs the current password (`current_password`, checked and
    throttled like a login): password reset links go to that address, so a stolen session
    that could change it would own the account for good. The previous address is told.

    Raises ValidationError naming the field when a value breaks the model's rules or the
    password is missing or wrong, and ValueError for a field that is not personal data (a
    programming error, not input).
    """
    unknown = set(changes) - set(PERSONAL_DATA_FIELDS)
    if unknown:
        raise ValueError(f"Not personal data: {', '.join(sorted(unknown))}")
    if "email" in changes and changes["email"] != acting.email:
        # The shape first, so a malformed address is named as such and costs no guess.
        draft = Account(**{name: getattr(acting, name) for name in PERSONAL_DATA_FIELDS})
        draft.email = changes["email"]
        others = [f.name for f in Account._meta.concrete_fields if f.name != "email"]
        draft.clean_fields(exclude=others)
        if not current_password:
            raise ValidationError({"current_password": notices.EMAIL_CHANGE_NEEDS_PASSWORD})
        if request is None:
            raise ValueError("An e-mail change needs the request, to throttle the password check")
        check_current_password(
            request, acting, current_password, action=Action.ACCOUNT_EMAIL_CHANGE
        )
    with transaction.atomic(durable=True):
        # Old values come from the locked row, not the caller's copy, so the audit row
        # is right even when two pages save at once.
        fresh = Account.objects.select_for_update().get(pk=acting.pk)
        diff = {
            name: {"old": getattr(fresh, name), "new": value}
            for name, value in changes.items()
            if getattr(fresh, name) != value
        }
        if not diff:
            return []
        for name, change in diff.items():
            setattr(fresh, name, change["new"])
        others = [f.name for f in Account._meta.concrete_fields if f.name not in diff]
        fresh.clean_fields(exclude=others)
        fresh.save(update_fields=list(diff))
        # Forwarded to the courts before the audit event: record() locks the chain head
        # until COMMIT, and every audited write in the system waits for that lock.
        for listener in PERSONAL_DATA_LISTENERS:
            listener(fresh, diff)
        only_address = set(diff) <= set(ADDRESS_FIELDS)
        event = record(
            Action.ACCOUNT_ADDRESS if only_address else Action.ACCOUNT_PERSONAL_INFO,
            request=request,
            actor=acting,
            subject=fresh,
            details={"changes": diff},
        )
        if "email" in diff:
            # To the old address: the one person who can tell a takeover from a change.
            # After the event, whose number the notice quotes (one queued row).
            send_security_notice(
                account=fresh,
                kind=alerts.EMAIL_CHANGED,
                event=event,
                to=diff["email"]["old"],
                extra={"new_email": diff["email"]["new"]},
            )
    # Committed: the caller's object (often request.user) now shows the new values too.
    for name, change in diff.items():
        setattr(acting, name, change["new"])
    return list(diff)


# --- current password, throttled like a login ---------------------------------------


def change_password(
    *, acting: Account, current_password: str, new_password: str, request: HttpRequest
) -> None:
    """Change the password after checking the current one and the password rules.

    Ends every other session of the account (new security stamp) and keeps this one
    (update_session_auth_hash). Raises ValidationError naming the field at fault.
    """
    check_current_password(request, acting, current_password, action=Action.ACCOUNT_PASSWORD_CHANGE)
    if new_password == current_password:
        raise ValidationError({"new_password1": notices.NEW_PASSWORD_SAME})
    try:
        validate_password(new_password, acting)
    except ValidationError as exc:
        raise ValidationError({"new_password1": exc.messages}) from exc
    with transaction.atomic(durable=True):
        acting.set_password(new_password)
        acting.rotate_security_stamp()
        acting.save(update_fields=["password", "security_stamp"])
        update_session_auth_hash(request, acting)
        event = record(
            Action.ACCOUNT_PASSWORD_CHANGE,
            request=request,
            actor=acting,
            details={"other_sessions_ended": True},
        )
        # After the event, whose number the notice quotes (one queued row).
        send_security_notice(account=acting, kind=alerts.PASSWORD_CHANGED, event=event)


def update_security_questions(
    *,
    acting: Account,
    current_password: str,
    questions: tuple[str, str],
    answers: tuple[str, str],
    request: HttpRequest,
) -> None:
    """Replace both security questions and their (hashed) answers."""
    check_current_password(
        request, acting, current_password, action=Action.ACCOUNT_SECURITY_QUESTIONS
    )
    known = {key for key, _ in SECURITY_QUESTIONS}
    q1, q2 = questions
    if q1 not in known:
        raise ValidationError({"security_question_1": "Select a security question."})
    if q2 not in known:
        raise ValidationError({"security_question_2": "Select a security question."})
    if q1 == q2:
        raise ValidationError({"security_question_2": notices.SECURITY_QUESTIONS_SAME})
    if not all(a.strip() for a in answers):
        raise ValidationError("Answer both security questions.")
    old = [acting.security_question_1, acting.security_question_2]
    with transaction.atomic(durable=True):
        acting.set_security_answers(q1, answers[0], q2, answers[1])
        acting.save(
            update_fields=[
                "security_question_1",
                "security_answer_1",
                "security_question_2",
                "security_answer_2",
            ]
        )
        # The questions are recorded; the answers never are (hashed or not).
        record(
            Action.ACCOUNT_SECURITY_QUESTIONS,
            request=request,
            actor=acting,
            details={"questions": {"old": old, "new": [q1, q2]}},
        )


# --- client code ---------------------------------------------------------------------

CLIENT_CODE_MAX = 32
CLIENT_CODE_PATTERN = re.compile(r"[A-Za-z0-9 ._-]*")


def valid_client_code(text: str) -> str | None:
    """`text` as a client code (runs of spaces made one), or None if the rule refuses
    it: up to 32 letters, digits, spaces, hyphens, underscores and periods. The one rule
    for a code typed on Change Client Code and one a program's cookie sets."""
    code = " ".join(text.split())
    if len(code) > CLIENT_CODE_MAX or not CLIENT_CODE_PATTERN.fullmatch(code):
        return None
    return code


def set_client_code(*, request: HttpRequest, acting: Account, client_code: str) -> str:
    """Set (or, when blank, clear) the billing client code of this session; return it."""
    code = valid_client_code(client_code)
    if code is None:
        raise ValidationError({"client_code": notices.CLIENT_CODE_RULE})
    old = current_client_code(request)
    with transaction.atomic(durable=True):
        request.session[SESSION_CLIENT_CODE] = code
        record(
            Action.ACCOUNT_CLIENT_CODE,
            request=request,
            actor=acting,
            details={"old": old, "new": code},
        )
    return code
