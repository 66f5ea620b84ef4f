"""Court staff case pages under /ecf/<code>/staff/cases/: thin views over dockets.staff.

Only the court's staff (its CourtRole) get these pages; anyone else, the staff of other
courts included, gets the 404 of a page that does not exist, before any case is looked
up. A form with bad input comes back with its fields named and what was typed kept.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from nextgen.ecf.menus import court_menu, logout_url
from nextgen.ecf.models import Court, FilerAccount, normalize_login
from nextgen.ecf.views.staff import court_staff_page
from nextgen.signon.http import AuthenticatedHttpRequest

from .. import notices, staff
from ..actions import DocketRefused
from ..documents import DocumentUpload, discard, store_documents
from ..filing.uploads import capped_uploads
from ..forms import staff as forms
from ..listeners import with_reports
from ..models import Case, CaseFee, CaseType, DocketEntry, Filer, FilingEvent, Menu, Party
from ..models import Representation as Rep
from ..pdf_rules import PdfRefused, check_upload
from ..selectors import docket, parties_with_counsel
from ..submit_once import STAFF_FORMS

PAGE_SIZE = 25
View = Callable[..., HttpResponse]


def _render(request, court, template, context, status=200) -> HttpResponse:
    return render(
        request,
        template,
        {"court": court, "menu": court_menu(request.user, court), "logout_url": logout_url(court)}
        | context,
        status=status,
    )


def _case(court: Court, pk: int) -> Case:
    return get_object_or_404(Case.objects.select_related("court", "main_case"), pk=pk, court=court)


_MENU_OF_CASE_TYPE: dict[str, str] = {
    CaseType.CIVIL: Menu.CIVIL,
    CaseType.CRIMINAL: Menu.CRIMINAL,
    CaseType.BANKRUPTCY: Menu.BANKRUPTCY,
    CaseType.ADVERSARY: Menu.ADVERSARY,
}


def _menu_of(case: Case) -> str:
    return _MENU_OF_CASE_TYPE[case.case_type]


def _staff_events(case: Case):
    return FilingEvent.objects.filter(
        court=case.court, menu=_menu_of(case), who=Filer.STAFF, opens_case=False, active=True
    ).order_by("order")


def _store_pdf(form, court: Court, upload):
    """Store an uploaded PDF; None with the error on the form when the court's PDF rules
    refuse it (the same rules as an attorney's filing: staff documents are served too)."""
    if upload is None:
        return []
    try:
        check_upload(upload, limit_mb=court.filing_size_limit_mb)
    except PdfRefused as refused:
        form.add_error("document", refused.message)
        return None
    return store_documents([DocumentUpload(file=upload, original_name=upload.name)], court=court)


def _back(case: Case) -> HttpResponse:
    return redirect("dockets:staff_case", code=case.court.code, pk=case.pk)


# --- the case list and criminal cases -------------------------------------------------------


@court_staff_page
def case_list(request: AuthenticatedHttpRequest, court: Court) -> HttpResponse:
    form = forms.CaseSearchForm(request.GET or None)
    cases = Case.objects.filter(court=court).order_by("-year", "-sequence")
    if form.is_valid() and form.cleaned_data["q"]:
        q = form.cleaned_data["q"].strip()
        match = Q(title__icontains=q)
        # 0-9 only: str.isdigit() also takes "²", which int() refuses.
        digits = "".join(ch for ch in q.rsplit("-", 1)[-1] if ch in "0123456789")
        if digits:
            match |= Q(sequence=int(digits))
        cases = cases.filter(match)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(request, court, "dockets/staff/cases.html", {"form": form, "page": page})


@capped_uploads
@court_staff_page
@require_http_methods(["GET", "POST"])
def open_criminal(request: AuthenticatedHttpRequest, court: Court) -> HttpResponse:
    events = FilingEvent.objects.filter(
        court=court, menu=Menu.CRIMINAL, opens_case=True, active=True
    ).order_by("order")
    if not events:
        raise Http404  # a bankruptcy court has no criminal cases
    form = forms.CriminalCaseForm(request.POST or None, request.FILES or None, events=events)
    if request.method == "POST" and form.is_valid():
        if not STAFF_FORMS.claim(form.token):
            return _sent_before(request, court, form.token)
        case = None
        try:
            documents = _store_pdf(form, court, form.cleaned_data["document"])
            if documents is not None:
                case, _ = staff.open_criminal_case(
                    acting=request.user,
                    court=court,
                    title=form.cleaned_data["title"],
                    defendants=form.defendant_names(),
                    event=events.get(pk=form.cleaned_data["event"]),
                    documents=documents,
                    office=form.cleaned_data["office"],
                    judge=form.cleaned_data["judge"],
                    cause=form.cleaned_data["cause"],
                    sealed=form.cleaned_data["sealed"],
                    request=request,
                )
        except ValidationError as exc:
            form.add_flow_errors(_form_errors(exc, {"parties": "defendants"}))
        finally:
            _settle(form.token, case)
        if case is not None:
            messages.success(request, notices.CASE_OPENED.format(number=case.number))
            return _back(case)
    status = 400 if form.is_bound else 200
    return _render(request, court, "dockets/staff/open_criminal.html", {"form": form}, status)


def _settle(token: str, case: Case | None) -> None:
    """A once-only form's POST is over: it made something in `case`, or (None) nothing,
    and the same form may be sent again."""
    if case is None:
        STAFF_FORMS.release(token)
    else:
        STAFF_FORMS.done(token, case.pk)


def _sent_before(request, court: Court, token: str) -> HttpResponse:
    """A once-only form sent again (a double click): nothing more is entered; the staff
    member sees the case the first sending made or added to (the case list while it
    still runs)."""
    messages.info(request, notices.ALREADY_SUBMITTED)
    case_pk = STAFF_FORMS.result(token)
    if case_pk:
        return redirect("dockets:staff_case", code=court.code, pk=case_pk)
    return redirect("dockets:staff_cases", code=court.code)


def _form_errors(exc: ValidationError, rename: dict[str, str]) -> ValidationError:
    """An action's errors under the form's field names (unknown fields: the whole form)."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError(
        {rename.get(field, field): errors for field, errors in exc.error_dict.items()}
    )


# --- one case ----------------------------------------------------------------------------


def _case_page(request, court, case, status=200, **bound) -> HttpResponse:
    parties = list(parties_with_counsel(case))
    active_parties = [p for p in parties if p.date_terminated is None]
    context = {
        "case": case,
        "parties": parties,
        "entries": with_reports(docket(request.user, case)),  # + NEF delivery reports
        "fees": case.fees.select_related("entry", "marked_paid_by"),
        "party_form": bound.get("party_form") or forms.PartyForm(prefix="party"),
        "attorney_form": bound.get("attorney_form")
        or forms.AttorneyForm(prefix="attorney", parties=active_parties),
        "entry_form": bound.get("entry_form")
        or forms.EntryForm(prefix="entry", events=_staff_events(case)),
        "receipt_forms": {},
        "receipt_form": bound.get("receipt_form"),
        "receipt_fee": bound.get("receipt_fee"),
        "modified_label": notices.MODIFIED_ON,
    }
    return _render(request, court, "dockets/staff/case.html", context, status)


@court_staff_page
def case_detail(request: AuthenticatedHttpRequest, court: Court, pk: int) -> HttpResponse:
    return _case_page(request, court, _case(court, pk))


def _simple(request, case, run, done: str) -> HttpResponse:
    """Run a staff action without a form: success or refusal as a message, back to the case."""
    try:
        run()
    except DocketRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, done)
    return _back(case)


@court_staff_page
@require_POST
def case_close(request: AuthenticatedHttpRequest, court: Court, pk: int) -> HttpResponse:
    case = _case(court, pk)
    return _simple(
        request,
        case,
        lambda: staff.close_case(acting=request.user, case=case, request=request),
        notices.CASE_CLOSED.format(number=case.number),
    )


@court_staff_page
@require_POST
def case_reopen(request: AuthenticatedHttpRequest, court: Court, pk: int) -> HttpResponse:
    case = _case(court, pk)
    return _simple(
        request,
        case,
        lambda: staff.reopen_case(acting=request.user, case=case, request=request),
        notices.CASE_REOPENED.format(number=case.number),
    )


@court_staff_page
@require_POST
def case_seal(
    request: AuthenticatedHttpRequest, court: Court, pk: int, sealed: bool
) -> HttpResponse:
    case = _case(court, pk)
    return _simple(
        request,
        case,
        lambda: staff.set_case_sealed(
            acting=request.user, case=case, sealed=sealed, request=request
        ),
        (notices.CASE_SEALED if sealed else notices.CASE_UNSEALED).format(number=case.number),
    )


@court_staff_page
@require_POST
def party_add(request: AuthenticatedHttpRequest, court: Court, pk: int) -> HttpResponse:
    case = _case(court, pk)
    form = forms.PartyForm(request.POST, prefix="party")
    if form.is_valid():
        try:
            party = staff.add_party(
                acting=request.user,
                case=case,
                name=form.cleaned_data["name"],
                role=form.cleaned_data["role"],
                aliases=form.cleaned_data["aliases"].splitlines(),
                request=request,
            )
        except ValidationError as exc:
            form.add_flow_errors(exc)
        else:
            messages.success(request, notices.PARTY_ADDED.format(name=party.name, role=party.role))
            return _back(case)
    return _case_page(request, court, case, status=400, party_form=form)


@court_staff_page
@require_POST
def party_terminate(
    request: AuthenticatedHttpRequest, court: Court, pk: int, party_pk: int
) -> HttpResponse:
    case = _case(court, pk)
    party = get_object_or_404(Party, pk=party_pk, case=case)
    return _simple(
        request,
        case,
        lambda: staff.terminate_party(acting=request.user, party=party, request=request),
        notices.PARTY_TERMINATED.format(name=party.name),
    )


@court_staff_page
@require_POST
def attorney_add(request: AuthenticatedHttpRequest, court: Court, pk: int) -> HttpResponse:
    case = _case(court, pk)
    active = [p for p in case.parties.all() if p.date_terminated is None]
    form = forms.AttorneyForm(request.POST, prefix="attorney", parties=active)
    if form.is_valid():
        party = next(p for p in active if str(p.pk) == form.cleaned_data["party"])
        filer = FilerAccount.objects.filter(
            court=court, login_key=normalize_login(form.cleaned_data["login"])
        ).first()
        if filer is None:
            form.add_error("login", notices.NO_SUCH_LOGIN)
        else:
            try:
                staff.add_attorney(
                    acting=request.user,
                    party=party,
                    filer=filer,
                    lead_attorney=form.cleaned_data["lead_attorney"],
                    to_be_noticed=form.cleaned_data["to_be_noticed"],
                    pro_hac_vice=form.cleaned_data["pro_hac_vice"],
                    request=request,
                )
            except ValidationError as exc:
                form.add_flow_errors(_form_errors(exc, {"filer": "login"}))
            except DocketRefused as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(
                    request,
                    notices.ATTORNEY_ADDED.format(attorney=filer.full_name, party=party.name),
                )
                return _back(case)
    return _case_page(request, court, case, status=400, attorney_form=form)


@court_staff_page
@require_POST
def attorney_terminate(
    request: AuthenticatedHttpRequest, court: Court, pk: int, rep_pk: int
) -> HttpResponse:
    case = _case(court, pk)
    rep = get_object_or_404(
        Rep.objects.select_related("filer", "party"), pk=rep_pk, party__case=case
    )
    return _simple(
        request,
        case,
        lambda: staff.terminate_attorney(acting=request.user, representation=rep, request=request),
        notices.ATTORNEY_TERMINATED.format(attorney=rep.filer.full_name, party=rep.party.name),
    )


@capped_uploads
@court_staff_page
@require_POST
def entry_add(request: AuthenticatedHttpRequest, court: Court, pk: int) -> HttpResponse:
    case = _case(court, pk)
    events = _staff_events(case)
    form = forms.EntryForm(request.POST, request.FILES, prefix="entry", events=events)
    if form.is_valid():
        if not STAFF_FORMS.claim(form.token):
            return _sent_before(request, court, form.token)
        entry = None
        try:
            entry = _enter(request, form, court, case, events)
        finally:
            _settle(form.token, case if entry is not None else None)
        if entry is not None:
            messages.success(request, notices.ENTRY_ADDED.format(number=entry.number))
            return _back(case)
    return _case_page(request, court, case, status=400, entry_form=form)


def _enter(request, form, court: Court, case: Case, events) -> DocketEntry | None:
    """The entry the staff form asks for; None with the errors on the form."""
    related = list(
        DocketEntry.objects.filter(case=case, number__in=form.cleaned_data["relates_to"])
    )
    if len(related) != len(set(form.cleaned_data["relates_to"])):
        form.add_error("relates_to", notices.ENTRY_NOT_FOUND)
    documents = _store_pdf(form, court, form.cleaned_data["document"])
    if form.errors:
        discard(documents or [])
        return None
    try:
        return staff.enter_entry(
            acting=request.user,
            case=case,
            event=events.get(pk=form.cleaned_data["event"]),
            text=form.cleaned_data["text"],
            relates_to=related,
            documents=documents,
            sealed=form.cleaned_data["sealed"],
            request=request,
        )
    except ValidationError as exc:
        form.add_flow_errors(exc)
        return None


def _entry(case: Case, number: int) -> DocketEntry:
    return get_object_or_404(DocketEntry, case=case, number=number)


@court_staff_page
@require_POST
def entry_seal(
    request: AuthenticatedHttpRequest, court: Court, pk: int, number: int, sealed: bool
) -> HttpResponse:
    case = _case(court, pk)
    entry = _entry(case, number)
    return _simple(
        request,
        case,
        lambda: staff.set_entry_sealed(
            acting=request.user, entry=entry, sealed=sealed, request=request
        ),
        (notices.ENTRY_SEALED if sealed else notices.ENTRY_UNSEALED).format(number=entry.number),
    )


@court_staff_page
@require_http_methods(["GET", "POST"])
def entry_correct(
    request: AuthenticatedHttpRequest, court: Court, pk: int, number: int
) -> HttpResponse:
    case = _case(court, pk)
    entry = _entry(case, number)
    form = forms.CorrectionForm(request.POST or None, initial={"text": entry.text})
    if request.method == "POST" and form.is_valid():
        try:
            staff.correct_entry(
                acting=request.user,
                entry=entry,
                text=form.cleaned_data["text"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as exc:
            form.add_flow_errors(exc)
        else:
            messages.success(request, notices.ENTRY_CORRECTED.format(number=entry.number))
            return _back(case)
    return _render(
        request,
        court,
        "dockets/staff/correct.html",
        {
            "case": case,
            "entry": entry,
            "form": form,
            "revisions": entry.revisions.select_related("changed_by"),
        },
        status=400 if form.is_bound else 200,
    )


@court_staff_page
@require_POST
def fee_paid(request: AuthenticatedHttpRequest, court: Court, pk: int, fee_pk: int) -> HttpResponse:
    case = _case(court, pk)
    fee = get_object_or_404(CaseFee, pk=fee_pk, case=case)
    form = forms.ReceiptForm(request.POST, prefix=f"fee{fee.pk}")
    if form.is_valid():
        try:
            staff.mark_fee_paid(
                acting=request.user,
                fee=fee,
                receipt_number=form.cleaned_data["receipt_number"],
                request=request,
            )
        except DocketRefused as refusal:
            messages.error(request, refusal.message)
            return _back(case)
        messages.success(request, notices.FEE_PAID.format(amount=fee.amount))
        return _back(case)
    return _case_page(request, court, case, status=400, receipt_form=form, receipt_fee=fee)


# --- the court's filing events --------------------------------------------------------------


def _events_page(request, court, form, status=200) -> HttpResponse:
    from ..events import MENUS_OF_KIND

    menus = MENUS_OF_KIND.get(court.kind, ())
    events = FilingEvent.objects.filter(court=court).order_by("menu", "order", "id")
    by_menu = [(Menu(m).label, [e for e in events if e.menu == m]) for m in menus]
    return _render(
        request,
        court,
        "dockets/staff/events.html",
        {"form": form or forms.EventForm(menus=[Menu(m) for m in menus]), "by_menu": by_menu},
        status,
    )


@court_staff_page
@require_http_methods(["GET", "POST"])
def events(request: AuthenticatedHttpRequest, court: Court) -> HttpResponse:
    from ..events import MENUS_OF_KIND

    if request.method == "GET":
        return _events_page(request, court, None)
    menus = [Menu(m) for m in MENUS_OF_KIND.get(court.kind, ())]
    form = forms.EventForm(request.POST, menus=menus)
    if form.is_valid():
        try:
            event = staff.add_event(
                acting=request.user, court=court, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_flow_errors(exc)
        else:
            messages.success(
                request,
                notices.EVENT_ADDED.format(label=event.label, menu=event.get_menu_display()),
            )
            return redirect("dockets:staff_events", code=court.code)
    return _events_page(request, court, form, status=400)


@court_staff_page
@require_POST
def event_active(
    request: AuthenticatedHttpRequest, court: Court, event_pk: int, active: bool
) -> HttpResponse:
    event = get_object_or_404(FilingEvent.objects.select_related("court"), pk=event_pk, court=court)
    staff.set_event_active(acting=request.user, event=event, active=active, request=request)
    done = notices.EVENT_ENABLED if active else notices.EVENT_DISABLED
    messages.success(request, done.format(label=event.label, menu=event.get_menu_display()))
    return redirect("dockets:staff_events", code=court.code)


@court_staff_page
@require_POST
def event_opinion(
    request: AuthenticatedHttpRequest, court: Court, event_pk: int, is_opinion: bool
) -> HttpResponse:
    event = get_object_or_404(FilingEvent.objects.select_related("court"), pk=event_pk, court=court)
    staff.set_event_opinion(
        acting=request.user, event=event, is_opinion=is_opinion, request=request
    )
    done = notices.EVENT_OPINION if is_opinion else notices.EVENT_NOT_OPINION
    messages.success(request, done.format(label=event.label))
    return redirect("dockets:staff_events", code=court.code)
