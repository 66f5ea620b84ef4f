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

Submitting is once only (nextgen.dockets.submit_once, keyed by the flow's id): a second
submit (a double click, a replayed POST, a session saved back by a racing request) finds
the key and gets the first one's receipt. Everything is re-checked at submit
(the filer may have lost the right meanwhile), and the documents, accepted and staged
as temporary files at the documents step, reach Django's storage only then, through
the core's actions, which store them before their transaction and remove them when it
fails.
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
from collections.abc import Set
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.http import HttpRequest

from nextgen.audit.models import Action, Outcome
from nextgen.audit.services import record_alone
from nextgen.ecf.models import Court, FilerAccount
from nextgen.signon.flows.wizard import Step, Wizard, WizardState
from nextgen.signon.models import Account

from .. import actions, models, selectors
from ..submit_once import OnceMarkers
from . import rules, uploads

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
    """Forget any filing in progress in this session, and the signed-in account's staged
    documents (another owner's, or an expired flow's, are left to `uploads.sweep`)."""
    for wizard in WIZARDS.values():
        state, _ = wizard.load(request, owner=request.user.pk)
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
    skip: Set[str] = frozenset(),
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
    # The flow lives on from now; so do its staged documents (uploads.sweep goes by age).
    uploads.touch(flow.flow_id)
    return following.name


def staged_path(flow: Flow, slot: str) -> Path:
    return uploads.staging_dir(flow.flow_id) / f"{slot}.pdf"


# --- submitting once ---------------------------------------------------------------------


SUBMITS = OnceMarkers("nextgen:filing:submitted:", SUBMITTED_TTL)


def claim(flow: Flow) -> None:
    """Admit exactly one submit of this flow; AlreadySubmitted for any other."""
    if not SUBMITS.claim(flow.flow_id):
        raise AlreadySubmitted(SUBMITS.result(flow.flow_id) or 0)


def release(flow: Flow) -> None:
    """The submit failed and changed nothing: the filer may correct and submit again."""
    SUBMITS.release(flow.flow_id)


def finished(request: HttpRequest, flow: Flow, result: int) -> None:
    """The submit succeeded: remember what it made, forget the flow and its staging."""
    SUBMITS.done(flow.flow_id, result)
    flow.wizard.discard(request)
    uploads.discard(flow.flow_id)


def wait_for_result(flow_id: str, *, timeout: float = 15.0) -> int:
    """The entry a submit still running in another request makes (a double click's first
    request): waits for it briefly, so the second request can show the same receipt.
    0 when it failed or is still running after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = submitted_result(flow_id)
        if result != 0:
            return result or 0
        time.sleep(0.1)
    return 0


def submitted_result(flow_id: str) -> int | None:
    """What the flow `flow_id` made, when it was submitted (0 while still in progress)."""
    return SUBMITS.result(flow_id) if flow_id.isalnum() else None


# --- what the flow's answers name ------------------------------------------------------------


def event_of(flow: Flow, court: Court) -> models.FilingEvent | None:
    return models.FilingEvent.objects.filter(
        pk=flow.event_id, court=court, menu=flow.menu, active=True
    ).first()


def case_of(flow: Flow, account: Account, court: Court) -> models.Case | None:
    """The case chosen at the case step, if this account may (still) see it."""
    case_id = flow.answers("case").get("case_id")
    return selectors.visible_case(account, court, case_id) if case_id else None


def required_event(flow: Flow, court: Court) -> models.FilingEvent:
    """The flow's event where it must exist (refusal_now says "wrong_menu" otherwise)."""
    event = event_of(flow, court)
    if event is None:
        raise FilingRefused("wrong_menu")
    return event


def required_case(flow: Flow, account: Account, court: Court) -> models.Case:
    """The chosen case where there must be one (refusal_now says "wrong_menu" otherwise)."""
    case = case_of(flow, account, court)
    if case is None:
        raise FilingRefused("wrong_menu")
    return case


def required_filer(account: Account, court: Court) -> FilerAccount:
    """The filer's CM/ECF account here, where it must exist (refusal_now says "not_filer"
    otherwise)."""
    filer = rules.filer_of(account, court)
    if filer is None:
        raise FilingRefused("not_filer")
    return filer


def main_case_of(flow: Flow, account: Account, court: Court) -> models.Case | None:
    case_id = flow.answers("casedata").get("main_case_id")
    return selectors.visible_case(account, court, case_id) if case_id else None


def chosen_parties(flow: Flow, case: models.Case) -> list[models.Party]:
    ids = flow.answers("parties").get("parties", [])
    return list(models.Party.objects.filter(case=case, pk__in=ids).order_by("pk"))


def chosen_entries(flow: Flow, account: Account, case: models.Case) -> list[models.DocketEntry]:
    ids = flow.answers("relates").get("entries", [])
    return list(selectors.visible_entries(account, case).filter(pk__in=ids).select_related("event"))


def party_specs(flow: Flow) -> list[actions.PartySpec]:
    return [
        actions.PartySpec(p["name"], p["role"], represented=p["represented"])
        for p in flow.answers("parties").get("new_parties", [])
    ]


def new_case_title(flow: Flow) -> str:
    """The title of the case being opened: as entered, or "In re <debtor>" for a petition."""
    title = flow.answers("casedata").get("title", "")
    return title or petition_title([(p.name, p.role) for p in party_specs(flow)])


def petition_title(parties: list[tuple[str, str]]) -> str:
    """ "In re <debtor> and <joint debtor>" from (name, role) pairs; "" without a debtor."""
    debtors = [
        name
        for name, role in parties
        if role in (models.PartyRole.DEBTOR, models.PartyRole.JOINT_DEBTOR)
    ]
    return f"In re {' and '.join(debtors)}" if debtors else ""


def staged_documents(flow: Flow) -> list[dict[str, Any]]:
    """The accepted documents, main first: slot, name, description, pages, size."""
    answers = flow.answers("documents")
    main = answers.get("main")
    return ([main] if main else []) + list(answers.get("attachments", []))


def refusal_now(flow: Flow, account: Account, court: Court) -> str | None:
    """Why this filing may not go on now (rights change while a flow waits), or None."""
    event = event_of(flow, court)
    if event is None:
        return "wrong_menu"
    refusal = rules.event_refusal(account, court, event)
    if refusal or flow.kind == "open" or not flow.done("case"):
        return refusal
    case = case_of(flow, account, court)
    filer = rules.filer_of(account, court)
    if case is None or filer is None:
        return "not_filer" if filer is None else "wrong_menu"
    refusal = rules.case_refusal(account, filer, event, case)
    if refusal or not flow.done("parties"):
        return refusal
    # The parties chosen must still be choosable: since the parties step, staff may have
    # terminated a party or the filer's representation of it, or (for an appearance) the
    # filer's appearance in another tab may have made them attorney of record already.
    ids = set(flow.answers("parties").get("parties", []))
    if rules.is_appearance(event):
        allowed = rules.appearance_parties(filer, case)
    else:
        allowed = rules.represented_parties(filer, case)
    if len(ids) != allowed.filter(pk__in=ids).count():
        return "parties_changed"
    return None


def refused(
    request: HttpRequest, flow: Flow, *, acting: Account, court: Court, reason: str
) -> None:
    """Record a refused filing in the audit log (every access attempt is there) and
    forget the flow; nothing else changes."""
    record_alone(
        Action.DOCKET_FILE,
        outcome=Outcome.REFUSED,
        request=request,
        actor=acting,
        court_code=court.code,
        details={"reason": reason, "event_id": flow.event_id},
    )
    abandon(request)


def docket_text_of(flow: Flow, account: Account, court: Court, *, extra: str = "") -> str:
    """The docket text as it will be entered: built from the event and the choices, with
    the filer's own words right after the event's name, as CM/ECF places them ("MOTION
    to Dismiss for Lack of Jurisdiction filed by Acme Corp.")."""
    event = required_event(flow, court)
    if flow.kind == "open":
        represented = [p for p in party_specs(flow) if p.represented]
        text = actions.docket_text(event, filer_parties=represented)
    else:
        case = required_case(flow, account, court)
        text = actions.docket_text(
            event,
            filer_parties=chosen_parties(flow, case),
            relates_to=sorted(chosen_entries(flow, account, case), key=lambda e: e.number),
        )
    extra = " ".join(extra.split())
    if not extra:
        return text
    lead = actions.docket_text(event).rstrip(".")  # the event's name as the text writes it
    if text.startswith(lead):
        return f"{lead} {extra}{text[len(lead) :]}"
    return f"{text} {extra}"


# --- the final submit ----------------------------------------------------------------------


def submit(request: HttpRequest, flow: Flow, *, acting: Account, court: Court) -> int:
    """File it: the new entry's id (a new case's first entry when opening). Once only
    (AlreadySubmitted otherwise); FilingRefused, ValidationError or PdfRefused change
    nothing, and the filer may correct and submit again."""
    claim(flow)
    try:
        refusal = refusal_now(flow, acting, court)
        if refusal:
            refused(request, flow, acting=acting, court=court, reason=refusal)
            raise FilingRefused(refusal)
        entry = _commit(request, flow, acting=acting, court=court)
    except BaseException:
        release(flow)
        raise
    finished(request, flow, entry.pk)
    return entry.pk


def _commit(
    request: HttpRequest, flow: Flow, *, acting: Account, court: Court
) -> models.DocketEntry:
    event = required_event(flow, court)
    extra = flow.answers("text").get("free_text", "")
    text = docket_text_of(flow, acting, court, extra=extra)
    documents = staged_documents(flow)
    handles = []
    try:
        for doc in documents:
            path = staged_path(flow, doc["slot"])
            if not path.exists():
                raise FilingRefused("expired")
            handles.append(path.open("rb"))
        stored = actions.store_documents(
            [
                actions.DocumentUpload(
                    file=fh, description=doc.get("description", ""), original_name=doc["name"]
                )
                for fh, doc in zip(handles, documents, strict=True)
            ],
            court=court,
        )
    finally:
        for fh in handles:
            fh.close()
    if flow.kind == "open":
        data = flow.answers("casedata")
        _, entry = actions.open_case(
            acting=acting,
            court=court,
            case_type=event.case_type,
            title=new_case_title(flow),
            parties=party_specs(flow),
            event=event,
            documents=stored,
            text=text,
            office=data.get("office"),
            main_case=main_case_of(flow, acting, court),
            nature_of_suit=data.get("nature_of_suit", ""),
            chapter=data.get("chapter"),
            cause=data.get("cause", ""),
            jurisdiction=data.get("jurisdiction", ""),
            demand=data.get("demand", ""),
            jury_demand=data.get("jury_demand", ""),
            request=request,
        )
        return entry
    case = required_case(flow, acting, court)
    return actions.file_entry(
        acting=acting,
        case=case,
        event=event,
        text=text,
        filer_parties=chosen_parties(flow, case),
        relates_to=chosen_entries(flow, acting, case),
        documents=stored,
        request=request,
        appearance=rules.filer_of(acting, court) if rules.is_appearance(event) else None,
    )
