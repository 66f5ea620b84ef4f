"""My Account & Billing → Manage My Account: the account's type and its maintenance links."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

from ..flows.login import current_client_code
from ..http import AuthenticatedHttpRequest


@login_required
def manage(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "signon/manage.html",
        {
            "account": request.user,
            "client_code": current_client_code(request),
        },
    )


urlpatterns = [path("account/", manage, name="manage")]
