"""The account's fee pages (central, under /csologin/fees/): Review Billing History and
its CSV, the quarterly statement, exemptions and requests, and a firm's billing. Thin:
HTTP in, a selector or action, HTTP out."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nextgen.signon.flows.paa import paa_of_administrator
from nextgen.signon.http import AuthenticatedHttpRequest
from nextgen.signon.redirects import return_url_from

from .. import actions, notices, rules, selectors, spreadsheet
from ..forms.account import ExemptionRequestForm, HistoryForm, PaaSettingsForm
from ..models import PaaFeeSettings

app_name = "fees"
PAGE_SIZE = 100


def _history_filter(request: HttpRequest) -> tuple[HistoryForm, dict]:
    """The filter as typed (kept on the page), and the values to use: a bad field is
    named and left out of the query, the good ones still apply; never a 500."""
    form = HistoryForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
        return form, form.cleaned_data  # only the fields that are valid
    return form, {}


def _csv_refusal(form: HistoryForm) -> HttpResponse | None:
    """A download with a bad filter field exports nothing: a file without the filter
    would look like the charges asked for. The field is named, as on the page."""
    if not form.errors:
        return None
    lines = [
        f"{form.fields[name].label}: {error}" if name in form.fields else str(error)
        for name, errors in form.errors.items()
        for error in errors
    ]
    return HttpResponse("\n".join(lines), status=400, content_type="text/plain; charset=utf-8")


def _page(request: HttpRequest, found: selectors.History):
    paginator = Paginator(found.transactions, PAGE_SIZE)
    # The count from the totals: no COUNT(*) over every charge for the first page.
    paginator.count = found.count
    # get_page() turns any ?page= value (text, 0, too large) into a real page.
    return paginator.get_page(request.GET.get("page"))


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
@never_cache
@require_GET
def billing(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Review Billing History: a date range, sorted by date or client code, totals per
    client code, CSV; links to the quarterly statements."""
    form, data = _history_filter(request)
    found = selectors.history(
        accounts=request.user,
        start=data.get("start"),
        end=data.get("end"),
        sort=data.get("sort") or "date",
    )
    quarter = rules.Quarter.of(timezone.now())
    return render(
        request,
        "fees/billing.html",
        {
            "title": "Review Billing History",
            "form": form,
            "found": found,
            "entries": _page(request, found),
            "query": _query_without_page(request),
            "no_charges": notices.NO_CHARGES,
            "quarters": [quarter, quarter.previous, quarter.previous.previous],
            "return_url": return_url_from(request) or reverse("signon:manage"),
        },
        status=400 if form.errors else 200,
    )


@login_required
@never_cache
@require_GET
def billing_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, data = _history_filter(request)
    if refusal := _csv_refusal(form):
        return refusal
    found = selectors.history(
        accounts=request.user,
        start=data.get("start"),
        end=data.get("end"),
        sort=data.get("sort") or "date",
    )
    return spreadsheet.csv_response(
        "billing-history.csv", spreadsheet.HEADER, spreadsheet.transaction_rows(found.transactions)
    )


@login_required
@never_cache
@require_GET
def statement(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The quarterly statement: the quarter's charges, the waiver, the amount due."""
    asked = request.GET.get("quarter", "")
    quarter = rules.Quarter.parse(asked)
    refusal = notices.BAD_QUARTER if asked and quarter is None else ""
    quarter = quarter or rules.Quarter.of(timezone.now())
    found = selectors.statement(request.user, quarter)
    paginator = Paginator(found.transactions, PAGE_SIZE)
    paginator.count = found.count
    return render(
        request,
        "fees/statement.html",
        {
            "title": f"Quarterly Statement {quarter.label}",
            "statement": found,
            "entries": paginator.get_page(request.GET.get("page")),
            "query": f"quarter={quarter}",
            "waiver_notice": notices.WAIVER_NOTICE,
            "no_charges": notices.NO_CHARGES,
            "refusal": refusal,
        },
        status=400 if refusal else 200,
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def exemptions(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Change PACER Exemption Status: the account's exemptions (court by court), its
    requests with their decisions, and a request to a court."""
    form = ExemptionRequestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                actions.request_exemption(acting=request.user, request=request, **form.cleaned_data)
            except ValidationError as exc:
                form.add_flow_errors(exc)
            else:
                messages.success(request, notices.EXEMPTION_REQUESTED)
                return redirect("fees:exemptions")
    return render(
        request,
        "fees/exemptions.html",
        {
            "title": "Change PACER Exemption Status",
            "form": form,
            "exemptions": selectors.exemptions_of(request.user)[:50],
            "requests": selectors.requests_of(request.user)[:50],
            "return_url": return_url_from(request) or reverse("signon:manage"),
        },
        status=status,
    )


# --- a firm's (PAA's) billing -----------------------------------------------------------------


def _firm_history(request: AuthenticatedHttpRequest, pk: int):
    paa = paa_of_administrator(account=request.user, paa_id=pk)
    form, data = _history_filter(request)
    found = selectors.history(
        accounts=[],
        start=data.get("start"),
        end=data.get("end"),
        sort=data.get("sort") or "date",
        since=selectors.member_joins(paa),
    )
    return paa, form, found


@login_required
@never_cache
@require_GET
def paa_billing(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The firm administrator's view: members' charges since they joined, per member and
    client code, with totals."""
    paa, form, found = _firm_history(request, pk)
    settings = PaaFeeSettings.objects.filter(paa=paa).first()
    return render(
        request,
        "fees/paa_billing.html",
        {
            "title": f"Firm billing: {paa.firm_name}",
            "paa": paa,
            "form": form,
            "found": found,
            "by_member": selectors.member_totals(found.transactions),
            "entries": _page(request, found),
            "query": _query_without_page(request),
            "settings_form": PaaSettingsForm(
                initial={"require_client_code": bool(settings and settings.require_client_code)}
            ),
            "no_charges": notices.NO_CHARGES,
        },
        status=400 if form.errors else 200,
    )


@login_required
@never_cache
@require_GET
def paa_billing_csv(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _paa, form, found = _firm_history(request, pk)
    if refusal := _csv_refusal(form):
        return refusal
    header = [*spreadsheet.HEADER]
    header.insert(1, "PACER Login")
    return spreadsheet.csv_response(
        "firm-billing.csv",
        header,
        spreadsheet.transaction_rows(found.transactions, with_account=True),
    )


@login_required
@never_cache
@require_POST
def paa_settings(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    paa = paa_of_administrator(account=request.user, paa_id=pk)
    form = PaaSettingsForm(request.POST)
    form.is_valid()  # a checkbox: anything but "on" is off
    actions.set_paa_client_code_required(
        acting=request.user,
        paa=paa,
        required=bool(form.cleaned_data.get("require_client_code")),
        request=request,
    )
    messages.success(request, notices.PAA_SETTINGS_SAVED)
    return redirect("fees:paa_billing", pk=paa.pk)
