"""Placeholder: routes of this journey are being built."""

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path


def _not_yet(request: HttpRequest, **kwargs) -> HttpResponse:
    raise Http404


urlpatterns = [
    path("account/personal/", _not_yet, name="personal_info"),
    path("account/address/", _not_yet, name="address_info"),
    path("account/password/", _not_yet, name="change_password"),
    path("account/security-questions/", _not_yet, name="security_questions"),
    path("account/client-code/", _not_yet, name="client_code"),
    path("account/exemption/", _not_yet, name="exemption"),
    path("account/billing/", _not_yet, name="billing"),
]
