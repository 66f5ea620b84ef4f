"""Need an Account? Registration: Person → Address → Security, then signed in.

The account is created only when Security is submitted, by services.create_account
(password rules, user name free, "account.create" audited in one transaction).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest

from nextgen import throttle
from nextgen.audit.models import Action, Outcome
from nextgen.audit.services import record_alone
from nextgen.forms import Form

from .. import notices
from ..forms.person import AddressForm, PersonForm, SecurityForm
from ..models import Account
from ..services import create_account
from .login import start_session
from .wizard import Journey, Step, Wizard, WizardState

PERSON = Step("person", "Person")
ADDRESS = Step("address", "Address")
SECURITY = Step("security", "Security")
SESSION_REGISTERED = "nextgen_registered"
# What the Person and Address steps fill in on the new account.
_ACCOUNT_FIELDS = {
    "first_name",
    "last_name",
    "date_of_birth",
    "email",
    "user_type",
    "firm",
    "address",
    "city",
    "state",
    "county",
    "zip_code",
    "country",
    "phone",
}


def would_be_account(person: dict[str, Any], address: dict[str, Any]) -> Account:
    """An unsaved account holding what the person has entered so far."""
    fields = {**person, **address}
    if isinstance(fields.get("date_of_birth"), str):
        fields["date_of_birth"] = dt.date.fromisoformat(fields["date_of_birth"])
    return Account(**{k: v for k, v in fields.items() if k in _ACCOUNT_FIELDS})


class Registration(Journey):
    wizard = Wizard("registration", [PERSON, ADDRESS, SECURITY])
    forms = {"person": PersonForm, "address": AddressForm, "security": SecurityForm}

    def refusal(self, request: HttpRequest) -> str | None:
        # A signed-in person already has an account; a new one needs its own sign-in.
        return notices.REGISTER_SIGNED_IN if request.user.is_authenticated else None

    def initial(self, request: HttpRequest, state: WizardState, step: Step) -> dict[str, Any]:
        if step == ADDRESS and not state.data.get(ADDRESS.name):
            return {"country": "United States"}
        return state.answers(step)

    def form_kwargs(self, request: HttpRequest, state: WizardState, step: Step) -> dict[str, Any]:
        if step == SECURITY:
            return {
                "account": would_be_account(state.answers(PERSON), state.answers(ADDRESS)),
                # Registration refuses a signed-in visitor (refusal above): nobody acts.
                "admit_username_check": lambda: admit_username_check(request, acting=None),
            }
        return {}

    def finish(self, request: HttpRequest, state: WizardState, form: Form) -> Account:
        if not isinstance(form, SecurityForm):
            raise TypeError("the last step's form is the SecurityForm")
        draft = would_be_account(state.answers(PERSON), state.answers(ADDRESS))
        person = {f: getattr(draft, f) for f in _ACCOUNT_FIELDS}
        try:
            account = create_account(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                security=form.security(),
                acting=None,  # nobody is signed in: the new account is the actor
                request=request,
                via="registration",
                **person,
            )
        except ValidationError as exc:
            # create_account names the password "password"; the form calls it "password1".
            errors = getattr(exc, "error_dict", {})
            if "password" in errors:
                errors["password1"] = errors.pop("password")
            raise
        start_session(request, account, acting=None, via="registration")
        # The confirmation page shows once, to the session that registered.
        request.session[SESSION_REGISTERED] = {"return_url": state.return_url}
        return account


REGISTRATION = Registration()

USERNAME_CHECKS_BY_CLIENT = throttle.Throttle("registration-client", "registration")


def admit_username_check(
    request: HttpRequest, *, acting: Account | None, via: str = "registration"
) -> str:
    """Count one "is this user name taken?" answer against the client; "" to go ahead,
    else the notice to show instead (the refusal is audited). The Security step must say
    when a name is taken, so the number of names one client may try is what is limited."""
    client = throttle.client_key(request)
    wait = throttle.admit(USERNAME_CHECKS_BY_CLIENT, client).wait
    if wait:
        record_alone(
            Action.ACCOUNT_CREATE,
            outcome=Outcome.REFUSED,
            request=request,
            details={"via": via, "reason": "throttled"},
        )
        return notices.registration_throttled(throttle.describe_wait(wait))
    return ""


def take_confirmation(request: HttpRequest) -> dict[str, str] | None:
    """The just-finished registration's confirmation details, once."""
    return request.session.pop(SESSION_REGISTERED, None)
