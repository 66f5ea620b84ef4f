"""The records pages under each court's prefix: included by nextgen/urls.py as
`ecf/<slug:code>/` (before the dockets app, whose `dockets:document` name reverses to
the same doc1 path this app serves) with the namespace "records"."""

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
    # PACER links have no trailing slash; the older dockets:document links have one.
    re_path(r"^doc1/(?P<doc_id>\d{1,15})/?$", views.doc1, name="doc1"),
]
