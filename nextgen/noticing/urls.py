"""Every route of the noticing app: the POST views behind Maintain Your E-mail, included
by nextgen/urls.py under `ecf/<slug:code>/` with the namespace "noticing"."""

from django.urls import path

from .views import preferences as views

app_name = "noticing"

urlpatterns = [
    path(
        "cgi-bin/account/email/notices/",
        views.email_preference,
        name="email_preference",
    ),
    path("cgi-bin/account/email/follow/", views.follow_case, name="follow_case"),
    path("cgi-bin/account/email/unfollow/", views.unfollow_case, name="unfollow_case"),
]
