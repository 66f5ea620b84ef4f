from django.urls import path

from . import account_views, registration_views, staff_views, views

app_name = "ecf"

urlpatterns = [
    path("", views.court_list, name="courts"),
    path("<slug:code>/", views.court_home, name="court_home"),
    path("<slug:code>/cgi-bin/login.pl", views.entry, name="entry"),
    path("<slug:code>/cgi-bin/", views.main_page, name="main"),
    path("<slug:code>/cgi-bin/utilities/", views.utilities, name="utilities"),
    path("<slug:code>/cgi-bin/release-1.1/", views.release_menu, name="release_menu"),
    path("<slug:code>/cgi-bin/link/", views.link_start, name="link"),
    path("<slug:code>/cgi-bin/link/confirm/", views.link_confirm, name="link_confirm"),
    path("<slug:code>/cgi-bin/link/done/", views.link_done, name="link_done"),
    path("<slug:code>/cgi-bin/account/", views.maintain_account, name="maintain_account"),
    path("<slug:code>/cgi-bin/citation/", views.citation_preferences, name="citation"),
    path(
        "<slug:code>/staff/registrations/",
        registration_views.staff_registrations,
        name="staff_registrations",
    ),
    path(
        "<slug:code>/staff/registrations/<int:pk>/approve/",
        registration_views.staff_registration_approve,
        name="staff_registration_approve",
    ),
    path(
        "<slug:code>/staff/registrations/<int:pk>/reject/",
        registration_views.staff_registration_reject,
        name="staff_registration_reject",
    ),
    *staff_views.urlpatterns,
    # Court-side account care (ecf.account_views): CM/ECF recovery, secondary e-mails.
    path(
        "<slug:code>/passreset/username/",
        account_views.cmecf_forgot_username,
        name="cmecf_forgot_username",
    ),
    path(
        "<slug:code>/passreset/", account_views.cmecf_forgot_password, name="cmecf_forgot_password"
    ),
    path(
        "<slug:code>/passreset/done/",
        account_views.cmecf_password_reset_done,
        name="cmecf_password_reset_done",
    ),
    # Before the link pattern: "set-password" is not a token.
    path(
        "<slug:code>/passreset/<str:uidb64>/set-password/",
        account_views.cmecf_password_reset_set,
        name="cmecf_password_reset_set",
    ),
    path(
        "<slug:code>/passreset/<str:uidb64>/<str:token>/",
        account_views.cmecf_password_reset_link,
        name="cmecf_password_reset_link",
    ),
    path(
        "<slug:code>/cgi-bin/account/email/",
        account_views.email_information,
        name="email_information",
    ),
    path("<slug:code>/cgi-bin/<slug:menu>/", views.menu_page, name="menu_page"),
]
