"""The filing pages, under each court's cgi-bin like the rest of its CM/ECF site."""

from django.urls import path

from . import views

app_name = "filing"

P = "<slug:code>/cgi-bin/filing"

urlpatterns = [
    path(f"{P}/menu/<slug:menu>/", views.menu, name="menu"),
    path(f"{P}/menu/<slug:menu>/event/<int:event_id>/", views.start, name="start"),
    path(f"{P}/cancel/", views.cancel, name="cancel"),
    path(f"{P}/case/", views.case, name="case"),
    path(f"{P}/confirm/", views.confirm, name="confirm"),
    path(f"{P}/parties/", views.parties, name="parties"),
    path(f"{P}/relates/", views.relates, name="relates"),
    path(f"{P}/documents/", views.documents, name="documents"),
    path(f"{P}/text/", views.text, name="text"),
    path(f"{P}/review/", views.review, name="review"),
    path(f"{P}/open/case-data/", views.open_case_data, name="open_case_data"),
    path(f"{P}/open/parties/", views.open_parties, name="open_parties"),
    path(f"{P}/open/documents/", views.open_documents, name="open_documents"),
    path(f"{P}/open/text/", views.open_text, name="open_text"),
    path(f"{P}/open/review/", views.open_review, name="open_review"),
    path(f"{P}/receipt/<int:pk>/", views.receipt, name="receipt"),
]
