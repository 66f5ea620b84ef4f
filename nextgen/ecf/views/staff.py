"""Court staff pages under /ecf/<code>/staff/: thin views over ecf.flows.staff.

Every page first loads the court and requires the staff role there (or the Service
Center role); anyone else gets the same 404 as for a page that does not exist, before
any record is looked up, so a refusal tells nothing about what exists.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from nextgen.signon.flows.login import passed_second_factor
from nextgen.signon.http import AuthenticatedHttpRequest, is_signed_in
from nextgen.signon.models import Account
from nextgen.signon.views.passcode_door import needs_passcode

from .. import notices
from ..flows import import_jobs, staff
from ..forms.staff import GoLiveForm, ImportForm, ReasonForm, SearchForm
from ..menus import court_menu, logout_url
from ..models import Court, FilerAccount, FilerImport
from ..permissions import is_court_staff, is_service_center

PAGE_SIZE = 25
StaffView = Callable[..., HttpResponse]


def _staff_page(view: StaffView, may_enter: Callable[[Account, Court], bool]) -> StaffView:
    @wraps(view)
    @never_cache
    def wrapper(request: HttpRequest, code: str, *args, **kwargs) -> HttpResponse:
        court = get_object_or_404(Court, code=code)
        if not is_signed_in(request):
            # As on every court page: sign in first. Signed-out visitors learn nothing
            # a signed-in non-staff account would not (both end at a 404).
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('signon:login')}?{query}")
        if not may_enter(request.user, court):
            raise Http404
        if not passed_second_factor(request):
            # As the Service Center and administration pages: these act on other people's
            # accounts and see sealed material, so a password alone (a session begun
            # before staff had to set MFA up, or an API token) opens nothing.
            return needs_passcode(
                request, heading=notices.STAFF_HEADING, message=notices.STAFF_NEEDS_PASSCODE
            )
        return view(request, court, *args, **kwargs)

    return wrapper


def staff_page(view: StaffView) -> StaffView:
    """Load the court and require its staff role (or the Service Center's); never cached
    (link states change)."""
    return _staff_page(
        view, lambda account, court: is_court_staff(account, court) or is_service_center(account)
    )


def court_staff_page(view: StaffView) -> StaffView:
    """Load the court and require that court's own staff role, the Service Center's not
    admitted: for what only the court decides or sees (its dockets' sealed material,
    the fee exemptions it grants)."""
    return _staff_page(view, is_court_staff)


def _render(
    request: AuthenticatedHttpRequest, court: Court, template: str, context: dict, status: int = 200
) -> HttpResponse:
    return render(
        request,
        template,
        {
            "court": court,
            "menu": court_menu(request.user, court),
            "logout_url": logout_url(court),
            **context,
        },
        status=status,
    )


# --- finding accounts ---------------------------------------------------------------------


@staff_page
def staff_home(request: AuthenticatedHttpRequest, court: Court) -> HttpResponse:
    """Find CM/ECF accounts; links to the other staff pages."""
    form = SearchForm(request.GET or None)
    page = None
    if form.is_bound and form.is_valid():
        results = staff.search_filers(
            court=court, key=form.cleaned_data["key"], query=form.cleaned_data["q"]
        )
        page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return _render(
        request,
        court,
        "ecf/staff/search.html",
        {
            "form": form,
            "page": page,
            "query_string": query.urlencode(),
            "max_results": staff.MAX_RESULTS,
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


def _filer_page(
    request: AuthenticatedHttpRequest,
    court: Court,
    filer: FilerAccount,
    *,
    unlink_form: ReasonForm | None = None,
    reset_form: ReasonForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return _render(
        request,
        court,
        "ecf/staff/filer.html",
        {
            "filer": filer,
            "history": staff.filer_history(court=court, filer=filer),
            "unlink_form": unlink_form or ReasonForm(prefix="unlink"),
            "reset_form": reset_form or ReasonForm(prefix="reset"),
        },
        status=status,
    )


def _filer(court: Court, pk: int) -> FilerAccount:
    return get_object_or_404(FilerAccount.objects.select_related("account"), pk=pk, court=court)


@staff_page
def filer_detail(request: AuthenticatedHttpRequest, court: Court, pk: int) -> HttpResponse:
    return _filer_page(request, court, _filer(court, pk))


def _filer_action(
    request: AuthenticatedHttpRequest,
    court: Court,
    pk: int,
    *,
    prefix: str,
    act: Callable[..., object],
    done: Callable[[FilerAccount], str],
) -> HttpResponse:
    """A staff action on one CM/ECF account that takes a reason (unlink, send a reset):
    the form's errors on the account's page (400), a refusal or the `done` message back
    on that page."""
    filer = _filer(court, pk)
    form = ReasonForm(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            act(
                acting=request.user,
                filer=filer,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as exc:
            form.add_flow_errors(exc)
        except staff.StaffActionRefused as refusal:
            messages.error(request, str(refusal))
            return redirect("ecf:staff_filer", code=court.code, pk=filer.pk)
        else:
            messages.success(request, done(filer))
            return redirect("ecf:staff_filer", code=court.code, pk=filer.pk)
    return _filer_page(request, court, filer, status=400, **{f"{prefix}_form": form})


@staff_page
@require_POST
def filer_unlink(request: AuthenticatedHttpRequest, court: Court, pk: int) -> HttpResponse:
    return _filer_action(
        request,
        court,
        pk,
        prefix="unlink",
        act=staff.unlink_filer,
        done=lambda filer: notices.STAFF_UNLINKED.format(login=filer.login),
    )


@staff_page
@require_POST
def filer_reset(request: AuthenticatedHttpRequest, court: Court, pk: int) -> HttpResponse:
    return _filer_action(
        request,
        court,
        pk,
        prefix="reset",
        act=staff.send_reset,
        done=lambda filer: notices.STAFF_RESET_SENT.format(to=filer.email_of_record),
    )


# --- go-live, import, progress ---------------------------------------------------------------


@staff_page
@require_http_methods(["GET", "POST"])
def go_live(request: AuthenticatedHttpRequest, court: Court) -> HttpResponse:
    if request.method == "POST":
        form = GoLiveForm(request.POST)
        if form.is_valid():
            try:
                staff.set_court_go_live(
                    acting=request.user,
                    court=court,
                    go_live=form.cleaned_data["go_live"],
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
            except ValidationError as exc:
                form.add_flow_errors(exc)
            else:
                messages.success(
                    request,
                    notices.STAFF_GO_LIVE_SET.format(date=f"{court.go_live:%B %-d, %Y}"),
                )
                return redirect("ecf:staff_go_live", code=court.code)
        status = 400
    else:
        form = GoLiveForm(initial={"go_live": court.go_live})
        status = 200
    return _render(request, court, "ecf/staff/go_live.html", {"form": form}, status=status)


@staff_page
@require_http_methods(["GET", "POST"])
def import_accounts(request: AuthenticatedHttpRequest, court: Court) -> HttpResponse:
    """Upload a CSV: it is checked, kept and imported in the background (import_jobs)."""
    status = 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = import_jobs.queue_import(
                    acting=request.user,
                    court=court,
                    upload=upload,
                    name=upload.name,
                    request=request,
                )
            except ValidationError as exc:
                form.add_flow_errors(exc)
            else:
                return redirect("ecf:staff_import_status", code=court.code, pk=job.pk)
        status = 400
    else:
        form = ImportForm()
    return _render(
        request,
        court,
        "ecf/staff/import.html",
        {"form": form, "imports": import_jobs.recent_imports(court=court)},
        status=status,
    )


@staff_page
def import_status(request: AuthenticatedHttpRequest, court: Court, pk: int) -> HttpResponse:
    """One upload's progress while it runs (the page reloads itself), its report after."""
    job = get_object_or_404(FilerImport, pk=pk, court=court)
    return _render(request, court, "ecf/staff/import_status.html", {"job": job})


@staff_page
def progress(request: AuthenticatedHttpRequest, court: Court) -> HttpResponse:
    result = staff.link_progress(court=court)
    return _render(
        request,
        court,
        "ecf/staff/progress.html",
        {
            "progress": result,
            "bars": staff.chart_bars(result),
            "chart_width": 600,
            "chart_height": 160,
        },
    )
