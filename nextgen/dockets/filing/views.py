"""The filing pages: thin views over nextgen.dockets.filing.flow, one per step.

Every step page loads the filing in progress (flow.visit): none, expired, another
account's or another court's means "start again"; a step opened too soon sends the
filer to the current one. Rights are re-checked on every step, and once more at submit.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from itertools import groupby
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from nextgen.ecf.menus import court_menu, logout_url
from nextgen.ecf.models import Court
from nextgen.ecf.views.court import court_page
from nextgen.signon.http import AuthenticatedHttpRequest

from .. import actions, case_numbers, events, listeners, models, selectors
from ..actions import DocketRefused
from ..pdf_rules import PdfRefused, check_upload
from . import flow as filing
from . import forms, notices, rules, uploads

STEP_URLS = {
    ("file", "case"): "filing:case",
    ("file", "confirm"): "filing:confirm",
    ("file", "parties"): "filing:parties",
    ("file", "relates"): "filing:relates",
    ("file", "documents"): "filing:documents",
    ("file", "text"): "filing:text",
    ("file", "review"): "filing:review",
    ("open", "casedata"): "filing:open_case_data",
    ("open", "parties"): "filing:open_parties",
    ("open", "documents"): "filing:open_documents",
    ("open", "text"): "filing:open_text",
    ("open", "review"): "filing:open_review",
}
MENU_LABELS = dict(models.Menu.choices)


def _step_url(court: Court, kind: str, step: str) -> str:
    return reverse(STEP_URLS[(kind, step)], args=[court.code])


def _render(request, court, template, context=None, status=200) -> HttpResponse:
    return render(
        request,
        template,
        {"court": court, "menu": court_menu(request.user, court), "logout_url": logout_url(court)}
        | (context or {}),
        status=status,
    )


def _refused(request, court, reason: str, *, status: int = 403) -> HttpResponse:
    return _render(
        request,
        court,
        "dockets/filing/refused.html",
        {"message": notices.filing_refusal(reason)},
        status=status,
    )


def _expired(request, court) -> HttpResponse:
    return _render(
        request, court, "dockets/filing/refused.html", {"message": notices.EXPIRED}, status=409
    )


StepView = Callable[..., HttpResponse]


def step(kind: str, name: str) -> Callable[[StepView], StepView]:
    """A step page: the filing must be in progress here, at this step (or past it), and
    the filer must still be allowed to file it."""

    def decorate(view: StepView) -> StepView:
        @wraps(view)
        def wrapper(request: AuthenticatedHttpRequest, court: Court) -> HttpResponse:
            visit = filing.visit(request, account=request.user, court=court, kind=kind, step=name)
            if visit.flow is None:
                if name == "review" and request.method == "POST":
                    return _submitted_before(request, court)
                return _expired(request, court)
            if visit.redirect_to:
                return redirect(_step_url(court, kind, visit.redirect_to))
            if name == "review" and request.method == "POST":
                # A double click's second request: the first one's receipt, before any
                # refusal its own success caused (an appearance makes the filer of record).
                result = filing.submitted_result(visit.flow.flow_id)
                if result is not None:
                    return _after_duplicate(request, court, visit.flow, result)
            refusal = filing.refusal_now(visit.flow, request.user, court)
            if refusal:
                filing.refused(
                    request, visit.flow, acting=request.user, court=court, reason=refusal
                )
                return _refused(request, court, refusal)
            return view(request, court, visit.flow)

        return wrapper

    return decorate


def _page(request, court, flow, name: str, template: str, context: dict, status=200):
    event = filing.event_of(flow, court)
    steps = [s for s in flow.wizard.steps if s.name != filing.EVENT.name]
    return _render(
        request,
        court,
        template,
        {
            "flow": flow,
            "event": event,
            "menu_label": MENU_LABELS[flow.menu],
            "steps": steps,
            "current_step": name,
            "case": filing.case_of(flow, request.user, court) if flow.kind == "file" else None,
            "back_url": _back_url(court, flow, name),
            "cancel_url": reverse("filing:cancel", args=[court.code]),
        }
        | context,
        status=status,
    )


def _back_url(court: Court, flow, name: str) -> str | None:
    previous = flow.wizard.previous(flow.wizard.step(name))
    while previous is not None and (
        previous.name == filing.EVENT.name or (previous.name == "relates" and _no_relates(flow))
    ):
        previous = flow.wizard.previous(previous)
    return _step_url(court, flow.kind, previous.name) if previous is not None else None


def _no_relates(flow) -> bool:
    return flow.done("relates") and not flow.answers("relates").get("entries")


def _next(request, court, flow, name: str, answers: dict) -> HttpResponse:
    skip: set[str] = set()
    event = filing.required_event(flow, court)
    if not event.relates_to_entries:
        skip.add("relates")
    following = filing.advance(request, flow, name, answers, skip=skip)
    return redirect(_step_url(court, flow.kind, following))


# --- the menus and starting a filing ---------------------------------------------------------


@court_page
def menu(request: AuthenticatedHttpRequest, court: Court, menu: str) -> HttpResponse:
    """A filing menu (Civil, Criminal, Bankruptcy, Adversary): the court's events by group."""
    if menu not in MENU_LABELS or MENU_LABELS[menu] not in court.filing_menus:
        raise Http404
    refusal = rules.account_refusal(request.user, court)
    if refusal:
        return _refused(request, court, refusal)
    listed = [
        e
        for e in events.events_of(court, menu)
        if e.who != models.Filer.STAFF and not (e.opens_case and e.case_type == "cr")
    ]
    groups = [(group, list(items)) for group, items in groupby(listed, key=lambda e: e.group)]
    return _render(
        request,
        court,
        "dockets/filing/menu.html",
        {"menu_label": MENU_LABELS[menu], "menu_key": menu, "groups": groups},
    )


@court_page
@require_POST
def start(
    request: AuthenticatedHttpRequest, court: Court, menu: str, event_id: int
) -> HttpResponse:
    """Choose the event: begins a new filing of it (any filing in progress is dropped).
    A POST, CSRF-checked: another site cannot start or drop a filing in progress."""
    event = get_object_or_404(models.FilingEvent, pk=event_id, court=court, menu=menu, active=True)
    refusal = rules.event_refusal(request.user, court, event)
    if refusal:
        return _refused(request, court, refusal)
    flow = filing.begin(
        request,
        account=request.user,
        court=court,
        event_id=event.pk,
        menu=menu,
        opens=event.opens_case,
    )
    first = flow.wizard.current(flow.state)
    return redirect(_step_url(court, flow.kind, first.name))


@court_page
@require_POST
def cancel(request: AuthenticatedHttpRequest, court: Court) -> HttpResponse:
    filing.abandon(request)
    return redirect("ecf:main", code=court.code)


# --- filing in an existing case --------------------------------------------------------------


@court_page
@require_http_methods(["GET", "POST"])
@step("file", "case")
def case(request: AuthenticatedHttpRequest, court: Court, flow) -> HttpResponse:
    event = filing.required_event(flow, court)
    candidates = selectors.visible_cases(request.user, court).filter(case_type=event.case_type)
    matches: list[models.Case] = []
    if request.method == "POST":
        typed = request.POST.get("case_number", "")
        matches = case_numbers.resolve(typed, candidates) or []
        form = forms.CaseNumberForm(request.POST, matches=matches)
        if form.is_valid():
            found = case_numbers.resolve(form.cleaned_data["case_number"], candidates)
            chosen = form.cleaned_data.get("case")
            if found is None:
                form.add_error("case_number", notices.CASE_NUMBER_INVALID)
            elif not found:
                form.add_error("case_number", notices.CASE_NOT_FOUND)
            elif len(found) == 1 or chosen in {c.pk for c in found}:
                case_id = found[0].pk if len(found) == 1 else chosen
                return _next(
                    request,
                    court,
                    flow,
                    "case",
                    {"case_number": form.cleaned_data["case_number"], "case_id": case_id},
                )
    else:
        form = forms.CaseNumberForm(initial=flow.answers("case"))
    return _page(
        request,
        court,
        flow,
        "case",
        "dockets/filing/case.html",
        {"form": form, "ambiguous": len(matches) > 1, "ambiguous_text": notices.CASE_AMBIGUOUS},
        status=200 if request.method == "GET" or len(matches) > 1 else 400,
    )


@court_page
@require_http_methods(["GET", "POST"])
@step("file", "confirm")
def confirm(request: AuthenticatedHttpRequest, court: Court, flow) -> HttpResponse:
    if request.method == "POST":
        return _next(request, court, flow, "confirm", {})
    case = filing.required_case(flow, request.user, court)
    return _page(
        request,
        court,
        flow,
        "confirm",
        "dockets/filing/confirm.html",
        {"parties": selectors.parties_with_counsel(case)},
    )


@court_page
@require_http_methods(["GET", "POST"])
@step("file", "parties")
def parties(request: AuthenticatedHttpRequest, court: Court, flow) -> HttpResponse:
    event = filing.required_event(flow, court)
    case = filing.required_case(flow, request.user, court)
    filer = filing.required_filer(request.user, court)
    if rules.is_appearance(event):
        choices = list(rules.appearance_parties(filer, case))
    else:
        choices = list(rules.represented_parties(filer, case).order_by("pk"))
    if request.method == "POST":
        form = forms.PartiesForm(request.POST, parties=choices)
        if form.is_valid():
            return _next(request, court, flow, "parties", {"parties": form.cleaned_data["parties"]})
    else:
        form = forms.PartiesForm(initial=flow.answers("parties"), parties=choices)
    return _page(
        request,
        court,
        flow,
        "parties",
        "dockets/filing/parties.html",
        {"form": form, "appearance": rules.is_appearance(event)},
        status=400 if request.method == "POST" else 200,
    )


@court_page
@require_http_methods(["GET", "POST"])
@step("file", "relates")
def relates(request: AuthenticatedHttpRequest, court: Court, flow) -> HttpResponse:
    case = filing.required_case(flow, request.user, court)
    entries = list(selectors.visible_entries(request.user, case).select_related("event"))
    if request.method == "POST":
        form = forms.RelatesForm(request.POST, entries=entries)
        if form.is_valid():
            return _next(request, court, flow, "relates", {"entries": form.cleaned_data["entries"]})
    else:
        form = forms.RelatesForm(initial=flow.answers("relates"), entries=entries)
    return _page(
        request,
        court,
        flow,
        "relates",
        "dockets/filing/relates.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


# --- documents, docket text, review: both kinds ------------------------------------------------


def _documents(request: HttpRequest, court: Court, flow) -> HttpResponse:
    staged = flow.answers("documents")
    has_main = bool(staged.get("main")) and filing.staged_path(flow, "main").exists()
    # Attachments accepted before the filer went Back stay, as the main document does.
    kept = {
        a["slot"]: a
        for a in staged.get("attachments", [])
        if filing.staged_path(flow, a["slot"]).exists()
    }
    required = filing.required_event(flow, court).document_required
    if request.method == "POST":
        form = forms.DocumentsForm(
            request.POST, request.FILES, has_main=has_main, required=required, kept=kept
        )
        if form.is_valid():
            accepted = _check_uploads(form, court)
            if accepted is not None:
                main = staged.get("main") if has_main else None
                answers = _staged_answers(flow, form, accepted, main=main)
                return _next(request, court, flow, "documents", answers)
    else:
        form = forms.DocumentsForm(has_main=has_main, required=required, kept=kept)
    return _page(
        request,
        court,
        flow,
        "documents",
        "dockets/filing/documents.html",
        {
            "form": form,
            "staged_main": staged.get("main") if has_main else None,
            "limit_mb": court.filing_size_limit_mb,
        },
        status=400 if request.method == "POST" else 200,
    )


def _staged_answers(
    flow, form: forms.DocumentsForm, accepted, *, main: dict[str, Any] | None
) -> dict[str, Any]:
    """The documents step's answers: the newly accepted files staged (a new main document
    in place of `main`, the one still staged), kept attachments with their (possibly
    edited) descriptions, removed ones gone from the staging folder."""
    new: dict[str, dict[str, Any]] = {}
    for slot, upload, facts, description in accepted:
        uploads.stage(flow.flow_id, upload, slot)
        new[slot] = {
            "slot": slot,
            "name": upload.name,
            "description": description,
            "pages": facts.pages,
            "size": facts.size,
        }
    attachments: list[dict[str, Any]] = []
    for i in range(1, forms.ATTACHMENT_SLOTS + 1):
        slot = f"attachment_{i}"
        if slot in new:
            attachments.append(new[slot])
        elif form.keeps(i):
            description = form.cleaned_data[f"description_{i}"].strip()
            attachments.append(form.kept[slot] | {"description": description})
        elif slot in form.kept:
            filing.staged_path(flow, slot).unlink(missing_ok=True)
    return {"main": new.get("main", main), "attachments": attachments}


def _check_uploads(form: forms.DocumentsForm, court: Court):
    """Each given file checked against the PDF rules, from its temporary file; None (and
    errors on the form) when any is refused."""
    accepted = []
    names = ["main_document"] + [f"attachment_{i}" for i in range(1, forms.ATTACHMENT_SLOTS + 1)]
    for field in names:
        upload = form.cleaned_data.get(field)
        if not upload:
            continue
        try:
            facts = check_upload(upload, limit_mb=court.filing_size_limit_mb)
        except PdfRefused as refused:
            form.add_error(field, refused.message)
            continue
        slot = "main" if field == "main_document" else field
        description = form.cleaned_data.get(f"description_{field.rsplit('_', 1)[-1]}", "")
        accepted.append((slot, upload, facts, "" if slot == "main" else description.strip()))
    return None if form.errors else accepted


def _documents_view(kind: str):
    @court_page
    @require_http_methods(["GET", "POST"])
    @step(kind, "documents")
    def inner(request, court, flow):
        return _documents(request, court, flow)

    return uploads.capped_uploads(never_cache(inner))


documents = _documents_view("file")
open_documents = _documents_view("open")


def _text(request: AuthenticatedHttpRequest, court: Court, flow) -> HttpResponse:
    if request.method == "POST":
        form = forms.DocketTextForm(request.POST)
        if form.is_valid():
            return _next(
                request, court, flow, "text", {"free_text": form.cleaned_data["free_text"]}
            )
    else:
        form = forms.DocketTextForm(initial=flow.answers("text"))
    return _page(
        request,
        court,
        flow,
        "text",
        "dockets/filing/text.html",
        {"form": form, "built_text": filing.docket_text_of(flow, request.user, court)},
    )


def _review(request: AuthenticatedHttpRequest, court: Court, flow) -> HttpResponse:
    error = ""
    if request.method == "POST":
        form = forms.ReviewForm(request.POST)
        if form.is_valid() and form.cleaned_data["flow"] == flow.flow_id:
            try:
                entry_id = filing.submit(request, flow, acting=request.user, court=court)
            except filing.AlreadySubmitted as done:
                return _after_duplicate(request, court, flow, done.result)
            except filing.FilingRefused as refused:
                return _refused(request, court, refused.reason)
            except ValidationError as invalid:
                error = " ".join(invalid.messages)
            except DocketRefused as refused:
                error = refused.message
            else:
                return redirect("filing:receipt", code=court.code, pk=entry_id)
        else:
            return _expired(request, court)
    event = filing.required_event(flow, court)
    text = filing.docket_text_of(
        flow, request.user, court, extra=flow.answers("text").get("free_text", "")
    )
    case = filing.case_of(flow, request.user, court) if flow.kind == "file" else None
    chapter = flow.answers("casedata").get("chapter")
    return _page(
        request,
        court,
        flow,
        "review",
        "dockets/filing/review.html",
        {
            "form": forms.ReviewForm(initial={"flow": flow.flow_id}),
            "docket_text": text,
            "documents": filing.staged_documents(flow),
            "fee": event.fee_for(case, chapter=chapter),
            "warning": notices.REVIEW_WARNING,
            "error": error,
            "casedata": flow.answers("casedata"),
            "new_title": filing.new_case_title(flow) if flow.kind == "open" else "",
            "new_parties": flow.answers("parties").get("new_parties", []),
        },
        status=400 if error else 200,
    )


def _submitted_before(request: HttpRequest, court: Court) -> HttpResponse:
    """The final step posted again after its filing was submitted (a double click whose
    first request already finished, a replay): the first submit's receipt, never a
    second entry. The receipt page shows it only to the account that filed it."""
    token = request.POST.get("flow", "")
    result = filing.submitted_result(token) if token.isalnum() and len(token) <= 64 else None
    if result == 0:
        result = filing.wait_for_result(token)
    if result:
        return redirect("filing:receipt", code=court.code, pk=result)
    return _expired(request, court)


def _after_duplicate(request, court, flow, result: int) -> HttpResponse:
    """A second submit of one filing: never a second entry; the first one's receipt."""
    flow.wizard.discard(request)
    result = result or filing.wait_for_result(flow.flow_id)
    if result:
        return redirect("filing:receipt", code=court.code, pk=result)
    return _expired(request, court)


def _shared_step(kind: str, name: str, body):
    @court_page
    @require_http_methods(["GET", "POST"])
    @step(kind, name)
    def view(request, court, flow):
        return body(request, court, flow)

    view.__name__ = f"{kind}_{name}"
    return view


text = _shared_step("file", "text", _text)
open_text = _shared_step("open", "text", _text)
review = _shared_step("file", "review", _review)
open_review = _shared_step("open", "review", _review)


# --- opening a case -----------------------------------------------------------------------------

CASE_FORMS = {
    models.Menu.CIVIL: forms.CivilCaseForm,
    models.Menu.BANKRUPTCY: forms.BankruptcyCaseForm,
    models.Menu.ADVERSARY: forms.AdversaryCaseForm,
}
PARTY_ROLES = {
    models.Menu.CIVIL: [models.PartyRole.PLAINTIFF, models.PartyRole.DEFENDANT],
    models.Menu.BANKRUPTCY: [models.PartyRole.DEBTOR, models.PartyRole.JOINT_DEBTOR],
    models.Menu.ADVERSARY: [models.PartyRole.PLAINTIFF, models.PartyRole.DEFENDANT],
}


@court_page
@require_http_methods(["GET", "POST"])
@step("open", "casedata")
def open_case_data(request: AuthenticatedHttpRequest, court: Court, flow) -> HttpResponse:
    form_class = CASE_FORMS.get(flow.menu)
    if form_class is None:
        raise Http404
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            answers = dict(form.cleaned_data)
            if flow.menu == models.Menu.ADVERSARY:
                main_cases = selectors.visible_cases(request.user, court).filter(
                    case_type=models.CaseType.BANKRUPTCY
                )
                found = case_numbers.resolve(answers["main_case_number"], main_cases) or []
                if len(found) != 1:
                    form.add_error("main_case_number", notices.MAIN_CASE_NOT_FOUND)
                else:
                    answers["main_case_id"] = found[0].pk
            if not form.errors:
                return _next(request, court, flow, "casedata", answers)
    else:
        form = form_class(initial=flow.answers("casedata"))
    return _page(
        request,
        court,
        flow,
        "casedata",
        "dockets/filing/case_data.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@court_page
@require_http_methods(["GET", "POST"])
@step("open", "parties")
def open_parties(request: AuthenticatedHttpRequest, court: Court, flow) -> HttpResponse:
    roles = [str(r) for r in PARTY_ROLES[flow.menu]]
    options = {"roles": roles, "defaults": roles}
    if request.method == "POST":
        form = forms.NewPartiesForm(request.POST, **options)
        if form.is_valid():
            new_parties = form.cleaned_data["new_parties"]
            if flow.menu == models.Menu.BANKRUPTCY and not any(
                p["role"] == models.PartyRole.DEBTOR for p in new_parties
            ):
                form.add_error("name_1", notices.DEBTOR_REQUIRED)
            elif (
                not flow.answers("casedata").get("title")
                and len(filing.petition_title([(p["name"], p["role"]) for p in new_parties]))
                > actions.TITLE_MAX
            ):
                # The debtors' names make the title; here is the only place to shorten it.
                form.add_error("name_1", notices.PETITION_TITLE_TOO_LONG)
            else:
                answers = {"new_parties": new_parties}
                return _next(request, court, flow, "parties", answers)
    else:
        initial: dict[str, Any] = {}
        for i, p in enumerate(flow.answers("parties").get("new_parties", []), start=1):
            initial |= {f"name_{i}": p["name"], f"role_{i}": p["role"]}
            initial[f"represented_{i}"] = p["represented"]
        form = forms.NewPartiesForm(initial=initial, **options)
    return _page(
        request,
        court,
        flow,
        "parties",
        "dockets/filing/new_parties.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


# --- the receipt ----------------------------------------------------------------------------------


@court_page
def receipt(request: AuthenticatedHttpRequest, court: Court, pk: int) -> HttpResponse:
    """The filing receipt: the Notice of Electronic Filing as the filer sees it at once.
    Only the filer's own entries, and only while they may see them."""
    entry = (
        models.DocketEntry.objects.select_related("case", "event")
        .filter(pk=pk, case__court=court, filed_by=request.user)
        .first()
    )
    if (
        entry is None
        or not selectors.visible_entries(request.user, entry.case).filter(pk=pk).exists()
    ):
        raise Http404
    # The NEF's own plan (nextgen.noticing), so the receipt names whom the notice names.
    noticed, not_noticed = listeners.notice_lists(entry)
    return _render(
        request,
        court,
        "dockets/filing/receipt.html",
        {
            "title": notices.RECEIPT_TITLE,
            "entry": entry,
            "case": entry.case,
            "documents": entry.documents.all(),
            "fees": entry.fees.all(),
            "noticed": noticed,
            "not_noticed": not_noticed,
            "opened": entry.event is not None and entry.event.opens_case,
        },
    )
