"""Manage My Account → Firm billing (PAA). Thin: HTTP in, a flows/paa.py call, HTTP out.

Every change is a POST that redirects back (post/redirect/get) with its confirmation as a
message; refused input re-renders the page with the field named and the input kept. A PAA's
page answers 404 to anyone but its administrator.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from .. import notices
from ..flows import paa as flow
from ..forms.paa import InviteForm, PaaForm
from ..http import AuthenticatedHttpRequest
from ..models import Paa


def _firm_billing_page(
    request: AuthenticatedHttpRequest, form: PaaForm | None = None, status: int = 200
) -> HttpResponse:
    account = request.user
    return render(
        request,
        "signon/paa.html",
        {
            "title": "Firm billing (PAA)",
            "intro": notices.PAA_INTRO,
            "paying": flow.paying_membership(account),
            "invitations": flow.open_invitations(account),
            "administered": flow.administered_by(account),
            "form": form or PaaForm(),
            "shared_notice": notices.PAA_SHARED_CANNOT_CREATE if account.is_shared else "",
        },
        status=status,
    )


@login_required
@never_cache
@require_GET
def firm_billing(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Who pays for this account, its invitations, its PAAs, and a form to create one."""
    return _firm_billing_page(request)


@login_required
@never_cache
@require_POST
def paa_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PaaForm(request.POST)
    if form.is_valid():
        try:
            paa = flow.create_paa(account=request.user, **form.cleaned_data, request=request)
        except ValidationError as exc:
            form.add_flow_errors(exc)
        else:
            messages.success(request, notices.PAA_CREATED)
            return redirect("signon:paa_detail", pk=paa.pk)
    return _firm_billing_page(request, form, status=400)


def _detail_page(
    request: HttpRequest, paa: Paa, form: InviteForm | None = None, status: int = 200
) -> HttpResponse:
    overview = flow.paa_overview(paa)
    return render(
        request,
        "signon/paa_detail.html",
        {
            "paa": paa,
            "overview": overview,
            "form": form or InviteForm(),
        },
        status=status,
    )


@login_required
@never_cache
@require_GET
def paa_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    paa = flow.paa_of_administrator(account=request.user, paa_id=pk)
    return _detail_page(request, paa)


@login_required
@never_cache
@require_POST
def paa_invite(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    paa = flow.paa_of_administrator(account=request.user, paa_id=pk)
    form = InviteForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            flow.invite_member(
                actor=request.user,
                paa=paa,
                username=form.cleaned_data["username"],
                request=request,
            )
        except ValidationError as exc:
            form.add_flow_errors(exc)
            if getattr(exc, "code", None) == "throttled":
                status = 429
        else:
            # The same words whatever the user name: no enumeration.
            messages.success(request, notices.PAA_INVITE_SENT)
            return redirect("signon:paa_detail", pk=paa.pk)
    return _detail_page(request, paa, form, status=status)


@login_required
@never_cache
@require_POST
def paa_respond(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    decision = request.POST.get("decision")
    if decision not in ("accept", "decline"):
        messages.error(request, "Choose Accept or Decline.")
        return redirect("signon:paa")
    accept = decision == "accept"
    try:
        flow.respond_to_invitation(
            account=request.user, membership_id=pk, accept=accept, request=request
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, notices.PAA_ACCEPTED if accept else notices.PAA_DECLINED)
    return redirect("signon:paa")


@login_required
@never_cache
@require_POST
def paa_end(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    try:
        membership = flow.end_membership(actor=request.user, membership_id=pk, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("signon:paa")
    was_invitation = membership.responded_at is None
    messages.success(
        request,
        notices.PAA_INVITATION_CANCELLED if was_invitation else notices.PAA_MEMBERSHIP_ENDED,
    )
    if membership.paa.administrator_id == request.user.pk:
        return redirect(reverse("signon:paa_detail", args=[membership.paa_id]))
    return redirect("signon:paa")


urlpatterns = [
    path("account/paa/", firm_billing, name="paa"),
    path("account/paa/create/", paa_create, name="paa_create"),
    path("account/paa/<int:pk>/", paa_detail, name="paa_detail"),
    path("account/paa/<int:pk>/invite/", paa_invite, name="paa_invite"),
    path("account/paa/invitations/<int:pk>/respond/", paa_respond, name="paa_respond"),
    path("account/paa/memberships/<int:pk>/end/", paa_end, name="paa_end"),
]
