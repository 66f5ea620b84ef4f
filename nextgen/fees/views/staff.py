"""Court staff pages under /ecf/<code>/staff/fees/: the court's fee exemptions and the
requests made to it. Only that court's staff: anyone else (another court's staff, the
Service Center, a signed-in reader) gets the 404 a page that is not there gets, before
any record is looked up."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from nextgen.ecf.menus import court_menu, logout_url
from nextgen.ecf.models import Court
from nextgen.ecf.views.staff import court_staff_page
from nextgen.signon.http import AuthenticatedHttpRequest
from nextgen.signon.models import Account, normalize_username

from .. import actions, notices
from ..forms.staff import ApproveForm, DenyForm, GrantForm
from ..models import Exemption, ExemptionRequest

app_name = "fees_staff"
StaffView = Callable[..., HttpResponse]


def _page(
    request: AuthenticatedHttpRequest,
    court: Court,
    *,
    grant_form: GrantForm | None = None,
    decide_forms: dict | None = None,
    status: int = 200,
) -> HttpResponse:
    pending = (
        ExemptionRequest.objects.filter(court=court, state=ExemptionRequest.State.PENDING)
        .select_related("account")
        .order_by("created_at")
    )
    decide_forms = decide_forms or {}
    return render(
        request,
        "fees/staff_exemptions.html",
        {
            "court": court,
            "menu": court_menu(request.user, court),
            "logout_url": logout_url(court),
            "title": "Fee Exemptions",
            "grant_form": grant_form or GrantForm(),
            "pending": [
                (r, *decide_forms.get(r.pk, (ApproveForm(prefix=f"a{r.pk}"), None)))
                for r in pending
            ],
            "exemptions": Exemption.objects.filter(court=court)
            .select_related("account", "granted_by")
            .order_by("revoked_at", "-ends_on", "-id")[:200],
            "today": court.today(),
        },
        status=status,
    )


@court_staff_page
@require_GET
def exemptions(request: AuthenticatedHttpRequest, court: Court) -> HttpResponse:
    return _page(request, court)


@court_staff_page
@require_POST
def grant(request: AuthenticatedHttpRequest, court: Court) -> HttpResponse:
    form = GrantForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        account = Account.objects.filter(username_key=normalize_username(data["username"])).first()
        if account is None:
            form.add_error("username", notices.NO_SUCH_ACCOUNT)
        else:
            try:
                actions.grant_exemption(
                    acting=request.user,
                    court=court,
                    account=account,
                    category=data["category"],
                    reason=data["reason"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    request=request,
                )
            except ValidationError as exc:
                form.add_flow_errors(exc)
            else:
                messages.success(request, notices.EXEMPTION_GRANTED)
                return redirect("fees_staff:exemptions", code=court.code)
    return _page(request, court, grant_form=form, status=400)


@court_staff_page
@require_POST
def end(request: AuthenticatedHttpRequest, court: Court, pk: int) -> HttpResponse:
    exemption = get_object_or_404(Exemption, pk=pk, court=court)
    try:
        actions.end_exemption(acting=request.user, exemption=exemption, request=request)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, notices.EXEMPTION_ENDED)
    return redirect("fees_staff:exemptions", code=court.code)


@court_staff_page
@require_POST
def decide(request: AuthenticatedHttpRequest, court: Court, pk: int) -> HttpResponse:
    """Approve (with the exemption's dates) or deny (with a reason) a pending request."""
    pending = get_object_or_404(ExemptionRequest, pk=pk, court=court)
    approving = request.POST.get("decision") == "approve"
    form = ApproveForm(request.POST, prefix=f"a{pk}") if approving else DenyForm(request.POST)
    if form.is_valid():
        try:
            if approving:
                actions.approve_request(
                    acting=request.user,
                    exemption_request=pending,
                    request=request,
                    **form.cleaned_data,
                )
                message = notices.REQUEST_APPROVED
            else:
                actions.deny_request(
                    acting=request.user,
                    exemption_request=pending,
                    reason=form.cleaned_data["decision_reason"],
                    request=request,
                )
                message = notices.REQUEST_DENIED
        except ValidationError as exc:
            form.add_flow_errors(exc)
        else:
            messages.success(request, message)
            return redirect("fees_staff:exemptions", code=court.code)
    forms = (form, None) if approving else (ApproveForm(prefix=f"a{pk}"), form)
    return _page(request, court, decide_forms={pk: forms}, status=400)
