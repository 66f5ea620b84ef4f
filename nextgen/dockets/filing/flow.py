"""The filing flow: one filing in progress per session, as CM/ECF runs it.

Filing in an existing case: event → case number → confirm the case → filer parties →
related entries (for events that answer something) → documents → docket text → final
review → submit. Opening a case: event → case data → parties → documents → docket
text → final review → submit, ending with the new case number.

The progress is a signon `Wizard` state in the session: expiring, bound to the account
that started it, and refusing any step but the current one or one already done (going
Back). Answering an earlier step again forgets every later answer, so a changed case
can never keep parties chosen for another. Steps that do not apply (related entries for
an event that answers nothing) are completed empty by the flow itself, never skipped.

Submitting is once only: an atomic `cache.add` on the flow's id admits one submit; a
second one (a double click, a replayed POST, a session saved back by a racing request)
finds the key and gets the first one's receipt. Everything is re-checked at submit
(the filer may have lost the right meanwhile), and the documents, accepted and staged
as temporary files at the documents step, reach Django's storage only then, through
the core's actions, which store them before their transaction and remove them when it
fails.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest

from nextgen.ecf.models import Court
from nextgen.signon.flows.wizard import Step, Wizard, WizardState
from nextgen.signon.models import Account

from . import uploads

FLOW_TTL = dt.timedelta(minutes=60)
# How long a submitted flow's id stays known: far longer than any session holding it.
SUBMITTED_TTL = 7 * 24 * 3600

EVENT = Step("event", "Event")
FILE = Wizard(
    "filing",
    [
        EVENT,
        Step("case", "Case Number"),
        Step("confirm", "Case"),
        Step("parties", "Filer"),
        Step("relates", "Related Filings"),
        Step("documents", "Documents"),
        Step("text", "Docket Text"),
        Step("review", "Final Review"),
    ],
    ttl=FLOW_TTL,
)
OPEN = Wizard(
    "opening",
    [
        EVENT,
        Step("casedata", "Case Data"),
        Step("parties", "Parties"),
        Step("documents", "Documents"),
        Step("text", "Docket Text"),
        Step("review", "Final Review"),
    ],
    ttl=FLOW_TTL,
)
WIZARDS = {"file": FILE, "open": OPEN}


class FilingRefused(Exception):
    """The filer may not go on; `reason` keys notices.FILING_REFUSALS."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AlreadySubmitted(Exception):
    """This flow was submitted before; `result` is what it made (0 while in progress)."""

    def __init__(self, result: int) -> None:
        super().__init__(result)
        self.result = result


@dataclass
class Flow:
    """One filing in progress, as loaded for a step."""

    kind: str  # "file" or "open"
    wizard: Wizard
    state: WizardState

    @property
    def flow_id(self) -> str:
        return self.state.data[EVENT.name]["flow_id"]

    @property
    def court_code(self) -> str:
        return self.state.data[EVENT.name]["court"]

    @property
    def event_id(self) -> int:
        return self.state.data[EVENT.name]["event_id"]

    @property
    def menu(self) -> str:
        return self.state.data[EVENT.name]["menu"]

    def answers(self, name: str) -> dict[str, Any]:
        return dict(self.state.data.get(name, {}))

    def done(self, name: str) -> bool:
        return name in self.state.data


def abandon(request: HttpRequest) -> None:
    """Forget any filing in progress in this session, and its staged documents."""
    for wizard in WIZARDS.values():
        raw = request.session.get(wizard.session_key)
        state = WizardState.from_session(raw) if raw else None
        if state is not None:
            uploads.discard(state.data.get(EVENT.name, {}).get("flow_id", ""))
        wizard.discard(request)


def begin(
    request: HttpRequest, *, account: Account, court: Court, event_id: int, menu: str, opens: bool
) -> Flow:
    """Start a new filing of `event_id` (replacing any in progress)."""
    abandon(request)
    uploads.sweep(FLOW_TTL.total_seconds())
    kind = "open" if opens else "file"
    wizard = WIZARDS[kind]
    state = wizard.begin(request, owner=account.pk)
    flow = Flow(kind, wizard, state)
    wizard.complete(
        request,
        state,
        EVENT,
        {
            "court": court.code,
            "event_id": event_id,
            "menu": menu,
            "flow_id": secrets.token_hex(16),
        },
    )
    return flow


@dataclass(frozen=True)
class Visit:
    """Where a step's page stands: the flow (None when there is none or it expired) and
    the step to show instead when this one may not run now."""

    flow: Flow | None
    redirect_to: str | None = None
    expired: bool = False


def visit(request: HttpRequest, *, account: Account, court: Court, kind: str, step: str) -> Visit:
    """May step `step` of a `kind` filing run now, for this account and court?"""
    wizard = WIZARDS[kind]
    state, expired = wizard.load(request, owner=account.pk)
    if state is None or EVENT.name not in state.data:
        return Visit(None, expired=expired)
    flow = Flow(kind, wizard, state)
    if flow.court_code != court.code:
        return Visit(None)  # a filing belongs to its court; another court's pages know nothing
    asked = wizard.step(step)
    current = wizard.current(state)
    if wizard.steps.index(asked) > wizard.steps.index(current):
        return Visit(flow, redirect_to=current.name)
    return Visit(flow)


def advance(
    request: HttpRequest,
    flow: Flow,
    step: str,
    answers: dict[str, Any],
    *,
    skip: set[str] = frozenset(),
) -> str:
    """Keep `step`'s answers, forget every later step's, complete the following steps
    named in `skip` empty (they do not apply to this filing), and name the next step."""
    wizard, state = flow.wizard, flow.state
    asked = wizard.step(step)
    position = wizard.steps.index(asked)
    for later in wizard.steps[position:]:
        state.data.pop(later.name, None)
    following = wizard.complete(request, state, asked, answers)
    while following.name in skip and following != wizard.last:
        following = wizard.complete(request, state, following, {})
    return following.name


def staged_path(flow: Flow, slot: str) -> Path:
    return uploads.staging_dir(flow.flow_id) / f"{slot}.pdf"


# --- submitting once ---------------------------------------------------------------------


def _key(flow_id: str) -> str:
    return f"nextgen:filing:submitted:{flow_id}"


def claim(flow: Flow) -> None:
    """Admit exactly one submit of this flow; AlreadySubmitted for any other."""
    if not cache.add(_key(flow.flow_id), 0, timeout=SUBMITTED_TTL):
        raise AlreadySubmitted(int(cache.get(_key(flow.flow_id)) or 0))


def release(flow: Flow) -> None:
    """The submit failed and changed nothing: the filer may correct and submit again."""
    cache.delete(_key(flow.flow_id))


def finished(request: HttpRequest, flow: Flow, result: int) -> None:
    """The submit succeeded: remember what it made, forget the flow and its staging."""
    cache.set(_key(flow.flow_id), result, timeout=SUBMITTED_TTL)
    flow.wizard.discard(request)
    uploads.discard(flow.flow_id)


def submitted_result(flow_id: str) -> int | None:
    """What the flow `flow_id` made, when it was submitted (0 while still in progress)."""
    value = cache.get(_key(flow_id)) if flow_id.isalnum() else None
    return None if value is None else int(value)
