"""The dockets app's pages, under each court's prefix: included by nextgen/urls.py as
`ecf/<slug:code>/` with the namespace "dockets", so every view takes `code` first.

The filing flow (nextgen/dockets/filing/) adds its own patterns with one include line
here: path("", include("nextgen.dockets.filing.urls")).
"""

from django.urls import path

from . import staff_views, views

app_name = "dockets"

urlpatterns = [
    path("doc1/<int:pk>/", views.document, name="document"),
    *staff_views.urlpatterns,
]
