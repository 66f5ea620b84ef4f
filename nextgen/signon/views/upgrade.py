"""Manage My Account → Upgrade: the legacy account upgrade's pages (flows/upgrade.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from nextgen.hashgate import verifies_password

from .. import notices
from ..flows import upgrade as flow
from .wizard import SECRET_FIELDS, WizardPages, step_page

PAGES = WizardPages(
    journey=flow.UPGRADE,
    heading="Upgrade Your PACER Account",
    url_names={
        "person": "signon:upgrade",
        "address": "signon:upgrade_address",
        "security": "signon:upgrade_security",
    },
    refused_url_name="signon:manage",
    cancel_url_name="signon:manage",
    done_url_name="signon:manage",
    done_message=notices.UPGRADED,
)


@verifies_password  # checks or hashes a password: queues at the gate
@sensitive_post_parameters(*SECRET_FIELDS, "current_password")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def upgrade_step(request: HttpRequest, step: str) -> HttpResponse:
    return step_page(request, PAGES, step)


urlpatterns = [
    path("account/upgrade/", upgrade_step, {"step": "person"}, name="upgrade"),
    path("account/upgrade/address/", upgrade_step, {"step": "address"}, name="upgrade_address"),
    path("account/upgrade/security/", upgrade_step, {"step": "security"}, name="upgrade_security"),
]
