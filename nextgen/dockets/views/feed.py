"""The court's public RSS feed and the staff page that chooses its event types: thin views
over nextgen.dockets.feed."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.http import require_http_methods, require_safe

from nextgen.ecf.models import Court
from nextgen.signon.http import AuthenticatedHttpRequest

from .. import feed, notices
from ..events import MENUS_OF_KIND
from ..forms.feed import FeedEventsForm
from ..models import FilingEvent, Menu
from .staff import _render, court_staff_page


@require_safe
def rss_feed(request: HttpRequest, code: str) -> HttpResponse:
    """`cgi-bin/rss_outside.pl`: public, no sign-in, as PACER courts publish it."""
    court = get_object_or_404(Court, code=code)
    body, etag = feed.render_feed(court, request)
    response = HttpResponse(body, content_type="application/rss+xml; charset=utf-8")
    response["ETag"] = etag
    # Any cache may keep it but must ask again each time (a cheap 304 while nothing
    # changed), so an entry sealed a moment ago is never served from a cache.
    patch_cache_control(response, public=True, no_cache=True, max_age=0)
    # Given a response, Django answers it or a 304; the stubs allow None.
    conditional = get_conditional_response(request, etag=etag, response=response)
    return conditional if conditional is not None else response


def _feed_events_page(request, court, form, status=200) -> HttpResponse:
    menus = MENUS_OF_KIND.get(court.kind, ())
    events = list(FilingEvent.objects.filter(court=court).order_by("menu", "order", "id"))
    if form.is_bound:
        # Bad input comes back with the boxes as they were ticked, not as stored.
        ticked = set(form.data.getlist("events"))
    else:
        ticked = {str(e.pk) for e in events if e.in_rss_feed}
    by_menu = [
        (Menu(m).label, [(e, str(e.pk) in ticked) for e in events if e.menu == m]) for m in menus
    ]
    return _render(
        request,
        court,
        "dockets/staff/feed_events.html",
        {"form": form, "by_menu": by_menu, "intro": notices.FEED_STAFF_INTRO},
        status,
    )


@court_staff_page
@require_http_methods(["GET", "POST"])
def feed_events(request: AuthenticatedHttpRequest, court: Court) -> HttpResponse:
    if request.method == "GET":
        return _feed_events_page(request, court, FeedEventsForm(court=court))
    form = FeedEventsForm(request.POST, court=court)
    if form.is_valid():
        try:
            added, removed = feed.set_feed_events(
                acting=request.user,
                court=court,
                events=form.cleaned_data["events"],
                request=request,
            )
        except ValidationError as exc:
            form.add_flow_errors(exc)
        else:
            if added or removed:
                saved = notices.FEED_EVENTS_SAVED.format(added=len(added), removed=len(removed))
                messages.success(request, saved)
            else:
                messages.info(request, notices.FEED_EVENTS_UNCHANGED)
            return redirect("dockets:staff_feed_events", code=court.code)
    return _feed_events_page(request, court, form, status=400)
