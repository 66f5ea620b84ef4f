"""Account actions shared by several journeys. Each runs in one transaction with its audit row."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from nextgen.audit.models import Action
from nextgen.audit.services import record

from .models import Account, UserType, normalize_username

LEGACY_CREATED_AT = dt.datetime(2012, 3, 1, 12, 0, tzinfo=dt.UTC)


def username_taken(username: str, *, exclude: Account | None = None) -> bool:
    qs = Account.objects.filter(username_key=normalize_username(username))
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.exists()


def create_account(
    *,
    username: str,
    password: str,
    first_name: str,
    last_name: str,
    email: str,
    user_type: str = UserType.SEARCH_ONLY,
    legacy: bool = False,
    shared: bool = False,
    service_center: bool = False,
    security: tuple[str, str, str, str] | None = None,
    acting: Account | None,
    request: HttpRequest | None = None,
    via: str = "registration",
    **fields: Any,
) -> Account:
    """Create a PACER account: upgraded unless `legacy`. Raises ValidationError naming
    the field at fault (user name taken, password rules).

    `acting` is the staff account creating it, or None when the person creates their
    own (registration, or the command line and the demo on their behalf): the new
    account is then the event's actor."""
    username = username.strip()
    if not username:
        raise ValidationError({"username": "Enter a user name."})
    if user_type not in UserType.values:
        raise ValidationError({"user_type": f"Unknown user type {user_type!r}."})
    account = Account(
        username=username,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip(),
        user_type=user_type,
        is_shared=shared,
        is_service_center=service_center,
        **fields,
    )
    if legacy:
        account.created_at = fields.get("created_at", LEGACY_CREATED_AT)
        account.upgraded_at = None
    else:
        account.upgraded_at = timezone.now()
    try:
        validate_password(password, account)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    account.set_password(password)
    if security:
        account.set_security_answers(*security)
    try:
        with transaction.atomic(durable=True):
            if username_taken(username):
                raise IntegrityError
            account.save()
            record(
                Action.ACCOUNT_CREATE,
                request=request,
                actor=acting or account,
                subject=account,
                details={"via": via, "legacy": legacy, "shared": shared, "user_type": user_type},
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"username": "That user name is not available. Choose another."}
        ) from exc
    return account
