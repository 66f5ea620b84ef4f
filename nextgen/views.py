"""The site's home page: every court on this NextGen network."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from nextgen.ecf.models import Court


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"courts": Court.objects.order_by("name")})
