"""The dockets app's pages, under each court's prefix: included by nextgen/urls.py as
`ecf/<slug:code>/` with the namespace "dockets", so every view takes `code` first.

The filing flow (nextgen/dockets/filing/) adds its own patterns with one include line
here: path("", include("nextgen.dockets.filing.urls")).
"""

from django.urls import path

from .views import feed as feed_views
from .views import staff as staff_views

app_name = "dockets"

P = "staff/cases/<int:pk>/"
urlpatterns = [
    # The court's public RSS feed, at CM/ECF's own path; its staff page chooses the events.
    path("cgi-bin/rss_outside.pl", feed_views.rss_feed, name="rss_feed"),
    path("staff/rss/", feed_views.feed_events, name="staff_feed_events"),
    path("staff/cases/", staff_views.case_list, name="staff_cases"),
    path("staff/cases/criminal/new/", staff_views.open_criminal, name="staff_open_criminal"),
    path("staff/events/", staff_views.events, name="staff_events"),
    path(
        "staff/events/<int:event_pk>/disable/",
        staff_views.event_active,
        {"active": False},
        name="staff_event_disable",
    ),
    path(
        "staff/events/<int:event_pk>/enable/",
        staff_views.event_active,
        {"active": True},
        name="staff_event_enable",
    ),
    path(
        "staff/events/<int:event_pk>/opinion/",
        staff_views.event_opinion,
        {"is_opinion": True},
        name="staff_event_opinion",
    ),
    path(
        "staff/events/<int:event_pk>/not-opinion/",
        staff_views.event_opinion,
        {"is_opinion": False},
        name="staff_event_not_opinion",
    ),
    path(P, staff_views.case_detail, name="staff_case"),
    path(P + "close/", staff_views.case_close, name="staff_case_close"),
    path(P + "reopen/", staff_views.case_reopen, name="staff_case_reopen"),
    path(P + "seal/", staff_views.case_seal, {"sealed": True}, name="staff_case_seal"),
    path(P + "unseal/", staff_views.case_seal, {"sealed": False}, name="staff_case_unseal"),
    path(P + "parties/", staff_views.party_add, name="staff_party_add"),
    path(
        P + "parties/<int:party_pk>/terminate/",
        staff_views.party_terminate,
        name="staff_party_terminate",
    ),
    path(P + "attorneys/", staff_views.attorney_add, name="staff_attorney_add"),
    path(
        P + "attorneys/<int:rep_pk>/terminate/",
        staff_views.attorney_terminate,
        name="staff_attorney_terminate",
    ),
    path(P + "entries/", staff_views.entry_add, name="staff_entry_add"),
    path(
        P + "entries/<int:number>/seal/",
        staff_views.entry_seal,
        {"sealed": True},
        name="staff_entry_seal",
    ),
    path(
        P + "entries/<int:number>/unseal/",
        staff_views.entry_seal,
        {"sealed": False},
        name="staff_entry_unseal",
    ),
    path(
        P + "entries/<int:number>/correct/", staff_views.entry_correct, name="staff_entry_correct"
    ),
    path(P + "fees/<int:fee_pk>/paid/", staff_views.fee_paid, name="staff_fee_paid"),
]
