"""Placeholder: routes of this journey are being built."""

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path


def _not_yet(request: HttpRequest, **kwargs) -> HttpResponse:
    raise Http404


urlpatterns = [
    path("account/upgrade/", _not_yet, name="upgrade"),
]
