"""My Account & Billing → Manage My Account: the account's type and its maintenance links."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from ..flows.login import current_client_code


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "signon/manage.html",
        {
            "account": request.user,
            "client_code": current_client_code(request),
        },
    )


urlpatterns = [path("account/", manage, name="manage")]
