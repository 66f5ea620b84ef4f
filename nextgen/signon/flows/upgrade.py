"""Upgrade a Legacy PACER Account: Person → Address → Security → Submit.

The steps start from what the account holds. Nothing changes until Security is
submitted; then, in one transaction, the account gets its new details, user name,
password and security answers, becomes upgraded, and "account.upgrade" is audited.
The session that upgraded stays signed in; any other session of the account ends
(its password changed).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from nextgen.audit.models import Action
from nextgen.audit.services import record
from nextgen.forms import Form

from .. import notices
from ..forms.person import AddressForm, PersonForm, UpgradeSecurityForm
from ..http import signed_in_account
from ..models import Account
from ..services import username_taken
from .alerts import EMAIL_CHANGED, send_security_notice
from .reauth import check_current_password
from .registration import admit_username_check
from .wizard import Journey, Refused, Step, Wizard, WizardState

PERSON = Step("person", "Person")
ADDRESS = Step("address", "Address")
SECURITY = Step("security", "Security")

PERSON_FIELDS = ("first_name", "last_name", "date_of_birth", "email", "user_type")
ADDRESS_FIELDS = ("firm", "address", "city", "state", "county", "zip_code", "country", "phone")


class AlreadyUpgraded(Refused):
    """The account is no longer legacy (upgraded meanwhile, e.g. in another tab)."""

    def __init__(self) -> None:
        super().__init__(notices.ALREADY_UPGRADED)


def _details(person: dict[str, Any], address: dict[str, Any]) -> dict[str, Any]:
    fields = {
        **{f: person[f] for f in PERSON_FIELDS if f in person},
        **{f: address[f] for f in ADDRESS_FIELDS if f in address},
    }
    if isinstance(fields.get("date_of_birth"), str):
        fields["date_of_birth"] = dt.date.fromisoformat(fields["date_of_birth"])
    return fields


def upgrade_account(
    *,
    acting: Account,
    person: dict[str, Any],
    address: dict[str, Any],
    username: str,
    password: str,
    security: tuple[str, str, str, str],
    request: HttpRequest | None = None,
) -> Account:
    """Make a legacy account an upgraded one, all or nothing. Raises AlreadyUpgraded, or
    ValidationError naming the field at fault (user name taken, password rules)."""
    username = username.strip()
    try:
        with transaction.atomic(durable=True):
            # The row lock makes two simultaneous submits upgrade once, not twice.
            locked = Account.objects.select_for_update().get(pk=acting.pk)
            if not locked.is_legacy:
                raise AlreadyUpgraded
            old_username, old_email = locked.username, locked.email
            changes = {
                name: value
                for name, value in _details(person, address).items()
                if getattr(locked, name) != value
            }
            for name, value in changes.items():
                setattr(locked, name, value)
            locked.username = username
            try:
                validate_password(password, locked)
            except ValidationError as exc:
                raise ValidationError({"password1": exc.messages}) from exc
            if username_taken(username, exclude=locked):
                raise ValidationError({"username": notices.USERNAME_TAKEN})
            locked.set_password(password)
            locked.set_security_answers(*security)
            locked.upgraded_at = timezone.now()
            locked.save(
                update_fields=[
                    *changes,
                    "username",
                    "password",
                    "security_question_1",
                    "security_answer_1",
                    "security_question_2",
                    "security_answer_2",
                    "upgraded_at",
                ]
            )
            event = record(
                Action.ACCOUNT_UPGRADE,
                request=request,
                actor=locked,
                subject=locked,
                details={
                    "old_username": old_username,
                    "new_username": locked.username,
                    "user_type": locked.user_type,
                    "changed": sorted(changes),
                },
            )
            if "email" in changes and old_email:
                # To the old address, as Personal Information does: the one person who
                # can tell a takeover from a change.
                send_security_notice(
                    account=locked,
                    kind=EMAIL_CHANGED,
                    event=event,
                    to=old_email,
                    extra={"new_email": locked.email},
                )
    except IntegrityError as exc:
        # Another account took the user name between the check and the save.
        raise ValidationError({"username": notices.USERNAME_TAKEN}) from exc
    if request is not None:
        # The password changed: keep this session, end the account's others.
        update_session_auth_hash(request, locked)
    return locked


class Upgrade(Journey):
    wizard = Wizard("upgrade", [PERSON, ADDRESS, SECURITY])
    forms = {"person": PersonForm, "address": AddressForm, "security": UpgradeSecurityForm}

    def refusal(self, request: HttpRequest) -> str | None:
        return None if signed_in_account(request).is_legacy else notices.ALREADY_UPGRADED

    def initial(self, request: HttpRequest, state: WizardState, step: Step) -> dict[str, Any]:
        if step.name in state.data:
            return state.answers(step)
        account = request.user
        if step == PERSON:
            return {f: getattr(account, f) for f in PERSON_FIELDS}
        if step == ADDRESS:
            return {f: getattr(account, f) for f in ADDRESS_FIELDS}
        return {}

    def form_kwargs(self, request: HttpRequest, state: WizardState, step: Step) -> dict[str, Any]:
        if step != SECURITY:
            return {}
        # The account as it will be, for the password rules; never the signed-in object.
        would_be = Account(pk=request.user.pk, username=request.user.username)
        for name, value in _details(state.answers(PERSON), state.answers(ADDRESS)).items():
            setattr(would_be, name, value)
        # "Is this user name taken?" is limited per client here as on registration.
        acting = signed_in_account(request)
        return {
            "account": would_be,
            "admit_username_check": lambda: admit_username_check(
                request, acting=acting, via="upgrade"
            ),
        }

    def finish(self, request: HttpRequest, state: WizardState, form: Form) -> Account:
        if not isinstance(form, UpgradeSecurityForm):
            raise TypeError("the last step's form is the UpgradeSecurityForm")
        acting = signed_in_account(request)
        # Throttled and audited like a login: a stolen session is no password oracle.
        check_current_password(
            request, acting, form.cleaned_data["current_password"], action=Action.ACCOUNT_UPGRADE
        )
        return upgrade_account(
            acting=acting,
            person=state.answers(PERSON),
            address=state.answers(ADDRESS),
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password1"],
            security=form.security(),
            request=request,
        )


UPGRADE = Upgrade()
