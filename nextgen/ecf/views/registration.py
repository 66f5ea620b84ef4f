"""E-file registration pages: thin views over ecf.flows.registration.

Central side: /efile/register/ (the applicant asks a court and sees their requests).
Court side: /ecf/<code>/staff/registrations/ (that court's staff, or the Service Center,
decide). Every change is a POST; refused input is shown again as typed and changes nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from nextgen.signon.http import AuthenticatedHttpRequest

from .. import notices
from ..flows import registration as flow
from ..forms.registration import DecisionForm, RegistrationForm
from ..menus import court_menu, logout_url
from ..models import Court
from .staff import staff_page

# --- central side: the applicant -------------------------------------------------------


def _register_page(
    request: AuthenticatedHttpRequest, form: RegistrationForm, status: int = 200
) -> HttpResponse:
    refusal = flow.account_refusal(request.user)
    return render(
        request,
        "ecf/efile_register.html",
        {
            "title": notices.REGISTRATION_TITLE,
            "intro": notices.REGISTRATION_INTRO,
            "refusal": notices.REGISTRATION_REFUSALS[refusal] if refusal else "",
            "form": form,
            "has_courts": flow.live_courts().exists(),  # what the form offers
            "requests": flow.requests_of(request.user)[:50],
        },
        status=status,
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def efile_register(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Ask a live court for e-filing rights; see the status of earlier requests."""
    if request.method == "GET":
        # "My courts" links here with the court (and kind) chosen.
        initial = {k: request.GET[k] for k in ("court", "kind") if request.GET.get(k)}
        return _register_page(request, RegistrationForm(initial=initial))
    form = RegistrationForm(request.POST)
    if not form.is_valid():
        return _register_page(request, form, status=400)
    data = form.cleaned_data
    try:
        flow.request_registration(
            acting=request.user,
            court=data["court"],
            kind=data["kind"],
            bar_number=data["bar_number"],
            bar_state=data["bar_state"],
            note=data["note"],
            request=request,
        )
    except ValidationError as exc:
        form.add_flow_errors(exc)
        return _register_page(request, form, status=400)
    except flow.RegistrationRefused as refusal:
        form.add_error(None, refusal.message)
        return _register_page(request, form, status=400)
    messages.success(request, notices.REGISTRATION_SENT)
    return redirect("efile_register")


# --- court side: the court's staff ------------------------------------------------------


def _staff_page(
    request: AuthenticatedHttpRequest,
    court: Court,
    *,
    bound: tuple[int, DecisionForm] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    rows = []
    for registration in flow.pending_at(court):
        form = DecisionForm(auto_id=f"id_r{registration.pk}_%s")
        if bound and bound[0] == registration.pk:
            form = bound[1]
        rows.append({"registration": registration, "form": form})
    return render(
        request,
        "ecf/staff_registrations.html",
        {
            "court": court,
            "menu": court_menu(request.user, court),
            "logout_url": logout_url(court),
            "rows": rows,
            "error": error,
        },
        status=status,
    )


@staff_page
@require_http_methods(["GET"])
def staff_registrations(request: AuthenticatedHttpRequest, court: Court) -> HttpResponse:
    """The court's pending e-file registration requests, oldest first."""
    return _staff_page(request, court)


def _decide(
    request: AuthenticatedHttpRequest, court: Court, pk: int, *, approve: bool
) -> HttpResponse:
    form = DecisionForm(request.POST, auto_id=f"id_r{pk}_%s")
    if not form.is_valid():
        return _staff_page(request, court, bound=(pk, form), status=400)
    try:
        if approve:
            filer = flow.approve_registration(
                acting=request.user,
                court=court,
                registration_id=pk,
                reason=form.cleaned_data["reason"],
                request=request,
            )
            message = notices.registration_approved(filer.full_name, court.name)
        else:
            registration = flow.reject_registration(
                acting=request.user,
                court=court,
                registration_id=pk,
                reason=form.cleaned_data["reason"],
                request=request,
            )
            message = notices.registration_rejected(registration.account.full_name)
    except ValidationError as exc:
        form.add_flow_errors(exc)
        return _staff_page(request, court, bound=(pk, form), status=400)
    except flow.RegistrationRefused as refusal:
        return _staff_page(request, court, error=refusal.message, status=409)
    messages.success(request, message)
    return redirect(reverse("ecf:staff_registrations", args=[court.code]))


@staff_page
@require_POST
def staff_registration_approve(
    request: AuthenticatedHttpRequest, court: Court, pk: int
) -> HttpResponse:
    return _decide(request, court, pk, approve=True)


@staff_page
@require_POST
def staff_registration_reject(
    request: AuthenticatedHttpRequest, court: Court, pk: int
) -> HttpResponse:
    return _decide(request, court, pk, approve=False)
