"""The dockets app's pages, under each court's prefix: included by nextgen/urls.py as
`ecf/<slug:code>/` with the namespace "dockets", so every view takes `code` first.

The filing flow (nextgen/dockets/filing/) adds its own patterns with one include line
here: path("", include("nextgen.dockets.filing.urls")).
"""

from django.urls import path

from . import feed_views, staff_views, views

app_name = "dockets"

urlpatterns = [
    path("doc1/<int:pk>/", views.document, name="document"),
    # The court's public RSS feed, at CM/ECF's own path; its staff page chooses the events.
    path("cgi-bin/rss_outside.pl", feed_views.rss_feed, name="rss_feed"),
    path("staff/rss/", feed_views.feed_events, name="staff_feed_events"),
    *staff_views.urlpatterns,
]
