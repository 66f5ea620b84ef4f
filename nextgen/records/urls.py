"""The records pages under each court's prefix: included by nextgen/urls.py as
`ecf/<slug:code>/` (before the dockets app) with the namespace "records". Its doc1 view
is the only way a filed document leaves the server: every doc1 link (NEFs, the RSS
feed, the staff docket) names `records:doc1`."""

from django.urls import path, re_path

from .views import access as views

app_name = "records"

urlpatterns = [
    path("cgi-bin/iquery.pl", views.iquery, name="iquery"),
    path("cgi-bin/DktRpt.pl", views.docket_report, name="docket_report"),
    path("cgi-bin/WrtOpRpt.pl", views.written_opinions, name="written_opinions"),
    path("cgi-bin/DisplayMenu.pl", views.reports_menu, name="reports"),
    path(
        "cgi-bin/possible_case_numbers.pl",
        views.possible_case_numbers,
        name="possible_case_numbers",
    ),
    path("cgi-bin/qry/<slug:report>.pl", views.case_report, name="case_report"),
    # PACER links have no trailing slash; older NextGen links had one. Every run of ASCII
    # digits is this view's (a 404 past 15 digits), so no other route can serve a doc1.
    re_path(r"^doc1/(?P<doc_id>[0-9]+)/?$", views.doc1, name="doc1"),
]
