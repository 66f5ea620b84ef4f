"""Multi-step journeys (registration, upgrade): one object in the session, with an expiry.

A journey's progress is a `WizardState` kept under one session key, as a
`nextgen.session_state` entry: bound to the account that began it (None before
sign-in), expiring WIZARD_TTL after the last completed step. Each step's
page asks the `Wizard` whether it may run: only the current step, or an earlier
one already completed (to go Back), may. So a later step's URL opened too soon,
a step replayed after the journey finished, or a journey left too long all lead
back to the right step by construction, not by checks in each view.

Nothing is written to the database until the last step is submitted: the
earlier steps' answers wait in the session, and the last step's answers (the
password and security answers) are never stored there at all.
"""

from __future__ import annotations

import abc
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

from nextgen.forms import Form
from nextgen.session_state import SessionState

from ..models import Account

WIZARD_TTL = dt.timedelta(minutes=30)
# Secrets never wait in the session, even if a future step asks for them early.
_NEVER_STORED = ("password", "answer")


@dataclass(frozen=True)
class Step:
    name: str  # the key of its answers in the state, and the end of its URL name
    title: str  # shown in the step indicator: the seeds' "Person", "Address", "Security"


@dataclass
class WizardState:
    """One journey in progress. JSON-safe, because sessions are stored as JSON; its expiry
    is kept by the session-state entry around it."""

    owner: int | None  # the signed-in account it belongs to; None before sign-in
    return_url: str = ""
    data: dict[str, dict[str, Any]] = field(default_factory=dict)

    def answers(self, step: Step) -> dict[str, Any]:
        return dict(self.data.get(step.name, {}))


@dataclass(frozen=True)
class Visit:
    """The answer to "may this step run now?": `step` is the one to show. When it is not
    the step asked for, the caller redirects there."""

    state: WizardState | None
    step: Step
    asked: Step
    expired: bool = False

    @property
    def allowed(self) -> bool:
        return self.state is not None and self.step == self.asked


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class Wizard:
    """The shape of one journey: its name and its steps, in order."""

    def __init__(self, name: str, steps: Sequence[Step], *, ttl: dt.timedelta = WIZARD_TTL):
        self.name = name
        self.steps = tuple(steps)
        self.state = SessionState(f"nextgen_wizard:{name}", ttl=ttl)

    @property
    def session_key(self) -> str:
        return self.state.key

    @property
    def first(self) -> Step:
        return self.steps[0]

    @property
    def last(self) -> Step:
        return self.steps[-1]

    def step(self, name: str) -> Step:
        """The step called `name`; KeyError when there is none."""
        for step in self.steps:
            if step.name == name:
                return step
        raise KeyError(name)

    def previous(self, step: Step) -> Step | None:
        i = self.steps.index(step)
        return self.steps[i - 1] if i else None

    def current(self, state: WizardState) -> Step:
        """The first step not yet completed."""
        return next((s for s in self.steps if s.name not in state.data), self.last)

    def completed(self, state: WizardState | None) -> list[Step]:
        return [s for s in self.steps if state is not None and s.name in state.data]

    # --- the session ------------------------------------------------------------
    def _save(self, request: HttpRequest, state: WizardState) -> None:
        """Keep `state`, with a full TTL from now."""
        self.state.put(request, owner=state.owner, return_url=state.return_url, data=state.data)

    def load(self, request: HttpRequest, *, owner: int | None) -> tuple[WizardState | None, bool]:
        """The journey in progress for `owner`, and whether one had expired."""
        found = self.state.read(request, owner=owner)
        if found.data is None:
            return None, found.expired
        try:
            return WizardState(owner, **found.data), False
        except TypeError:  # an older shape: start again rather than fail
            self.discard(request)
            return None, False

    def begin(
        self, request: HttpRequest, *, owner: int | None, return_url: str | None = None
    ) -> WizardState:
        state = WizardState(owner=owner, return_url=return_url or "")
        self._save(request, state)
        return state

    def discard(self, request: HttpRequest) -> None:
        self.state.discard(request)

    # --- moving through the steps ----------------------------------------------
    def visit(
        self,
        request: HttpRequest,
        name: str,
        *,
        owner: int | None,
        return_url: str | None = None,
    ) -> Visit:
        """May step `name` run now? Opening the first step with no journey in progress
        begins one; any other step then sends the person back to the first."""
        asked = self.step(name)
        state, expired = self.load(request, owner=owner)
        if state is None:
            if asked == self.first:
                state = self.begin(request, owner=owner, return_url=return_url)
            return Visit(state, self.first, asked, expired)
        if return_url and return_url != state.return_url:
            state.return_url = return_url
            # Not a completed step: the journey keeps its expiry.
            self.state.update(request, owner=owner, return_url=return_url, data=state.data)
        current = self.current(state)
        if self.steps.index(asked) > self.steps.index(current):
            return Visit(state, current, asked)
        return Visit(state, asked, asked)

    def complete(
        self, request: HttpRequest, state: WizardState, step: Step, answers: Mapping[str, Any]
    ) -> Step:
        """Keep a step's answers, give the person another full TTL, and name the next step."""
        if step == self.last:
            raise ValueError("the last step finishes the journey; it is never stored")
        state.data[step.name] = {
            k: _jsonable(v)
            for k, v in answers.items()
            if not any(word in k for word in _NEVER_STORED)
        }
        self._save(request, state)
        return self.current(state)


class Refused(Exception):
    """The journey cannot go on for this person (e.g. the account was upgraded meanwhile)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Journey(abc.ABC):
    """What a wizard journey does at each step: the forms, their starting values, the end."""

    wizard: Wizard
    forms: Mapping[str, type[Form]]

    def owner(self, request: HttpRequest) -> int | None:
        """The account the journey belongs to (a journey is never carried across sign-ins)."""
        return request.user.pk if request.user.is_authenticated else None

    @abc.abstractmethod
    def refusal(self, request: HttpRequest) -> str | None:
        """Why this person may not take the journey at all, or None."""

    def initial(self, request: HttpRequest, state: WizardState, step: Step) -> dict[str, Any]:
        """Starting values of a step's form: what was entered before, if anything."""
        return state.answers(step)

    def form_kwargs(self, request: HttpRequest, state: WizardState, step: Step) -> dict[str, Any]:
        return {}

    @abc.abstractmethod
    def finish(self, request: HttpRequest, state: WizardState, form: Form) -> Account:
        """Write everything in one transaction. Raises ValidationError naming a field, or
        Refused when the journey can no longer be finished."""

    def submit_last(self, request: HttpRequest, state: WizardState, form: Form) -> Account:
        """Finish, then forget the journey, so its steps cannot be replayed."""
        try:
            account = self.finish(request, state, form)
        except Refused:
            self.wizard.discard(request)
            raise
        self.wizard.discard(request)
        return account
