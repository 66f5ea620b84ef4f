"""Court actions for operators and court staff. Each runs in one transaction with its audit row."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest

from nextgen.audit.models import Action
from nextgen.audit.services import SystemActor, record
from nextgen.signon.models import Account

from . import notifications
from .models import DEFAULT_TIME_ZONE, Court, LinkMenu


def parse_go_live(value: str) -> dt.date:
    """A go-live date as operators type it (YYYY-MM-DD); ValidationError otherwise."""
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError as exc:
        raise ValidationError(
            {"go_live": f"{value!r} is not a date; use YYYY-MM-DD, e.g. 2021-11-29."}
        ) from exc


def add_court(
    *,
    code: str,
    name: str,
    kind: str,
    go_live: dt.date | None = None,
    link_menu: str = LinkMenu.UTILITIES,
    time_zone: str = DEFAULT_TIME_ZONE,
    welcome: str = "",
    help_contact: str = "",
    acting: Account | SystemActor,
    request: HttpRequest | None = None,
) -> Court:
    """Put a court on NextGen. Raises ValidationError naming the field at fault
    (code taken or malformed, unknown kind, link menu or time zone, missing name)."""
    court = Court(
        code=code.strip().lower(),
        name=name.strip(),
        kind=kind,
        go_live=go_live,
        link_menu=link_menu,
        time_zone=time_zone.strip(),
        welcome=welcome.strip(),
        help_contact=help_contact.strip(),
    )
    # full_clean checks the choices, the slug and the unique code with the model's
    # own messages; the IntegrityError below covers a concurrent add of the same code.
    court.full_clean()
    try:
        with transaction.atomic(durable=True):
            court.save()
            record(
                Action.COURT_ADD,
                request=request,
                actor=acting,
                court_code=court.code,
                details={
                    "name": court.name,
                    "kind": court.kind,
                    "go_live": court.go_live.isoformat() if court.go_live else None,
                    "link_menu": court.link_menu,
                    "time_zone": court.time_zone,
                },
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"code": f"A court with code {court.code!r} already exists."}
        ) from exc
    return court


def set_go_live(
    *,
    court: Court,
    go_live: dt.date | None,
    acting: Account | SystemActor,
    request: HttpRequest | None = None,
    reason: str = "",
) -> Court:
    """Set (or, with None, withdraw) the date from which the court runs NextGen.
    The audit row keeps the old date: attorneys plan around announced dates.
    A new or changed date is announced to the court's unlinked filers after commit."""
    with transaction.atomic(durable=True):
        # Re-read under lock so the old value in the audit row is the one replaced.
        locked = Court.objects.select_for_update().get(pk=court.pk)
        old = locked.go_live
        locked.go_live = go_live
        locked.save(update_fields=["go_live"])
        record(
            Action.COURT_GO_LIVE,
            request=request,
            actor=acting,
            court_code=locked.code,
            details={
                "old": old.isoformat() if old else None,
                "new": go_live.isoformat() if go_live else None,
                **({"reason": reason} if reason else {}),
            },
        )
        notifications.notify_after_commit(court=locked, old=old, new=go_live, request=request)
    court.go_live = go_live
    return court
