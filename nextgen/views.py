"""The site's home page: every court on this NextGen network."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static

from nextgen.ecf.models import Court


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"courts": Court.objects.order_by("name")})


def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers and bookmarks ask for whatever the page's <link> says.
    Resolved per request: the static file's URL carries its hash in production."""
    return redirect(static("uswds/img/favicons/favicon.ico"), permanent=True)
