"""Need an Account?: the registration journey's pages (flows/registration.py does the work)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from nextgen.hashgate import verifies_password

from .. import notices
from ..flows import registration as flow
from ..http import AuthenticatedHttpRequest
from .wizard import SECRET_FIELDS, WizardPages, step_page

PAGES = WizardPages(
    journey=flow.REGISTRATION,
    heading="Register for a PACER Account",
    url_names={
        "person": "signon:register",
        "address": "signon:register_address",
        "security": "signon:register_security",
    },
    refused_url_name="signon:manage",
    cancel_url_name="signon:login",
    done_url_name="signon:register_done",
)


@verifies_password  # checks or hashes a password: queues at the gate
@sensitive_post_parameters(*SECRET_FIELDS)
@never_cache
@require_http_methods(["GET", "POST"])
def register_step(request: HttpRequest, step: str) -> HttpResponse:
    return step_page(request, PAGES, step)


@never_cache
@login_required
def register_done(request: AuthenticatedHttpRequest) -> HttpResponse:
    confirmation = flow.take_confirmation(request)
    if confirmation is None:
        return redirect("signon:manage")
    return render(
        request,
        "signon/register_done.html",
        {
            "account": request.user,
            "message": notices.REGISTERED,
            "continue_url": confirmation["return_url"] or reverse("signon:manage"),
        },
    )


urlpatterns = [
    path("register/", register_step, {"step": "person"}, name="register"),
    path("register/address/", register_step, {"step": "address"}, name="register_address"),
    path("register/security/", register_step, {"step": "security"}, name="register_security"),
    path("register/done/", register_done, name="register_done"),
]
