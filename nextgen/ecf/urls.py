"""Every route of the ecf app. `urlpatterns` sit under /ecf/ in the "ecf" namespace;
`site_urlpatterns` are the central-side pages mounted at the site root, un-namespaced
(their names, "my_courts" and "efile_register", predate the app)."""

from django.urls import path

from .views import account as account_views
from .views import court as views
from .views import registration as registration_views
from .views import staff as staff_views

app_name = "ecf"

site_urlpatterns = [
    path("my-courts/", views.my_courts, name="my_courts"),
    path("efile/register/", registration_views.efile_register, name="efile_register"),
]

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
    path("<slug:code>/staff/", staff_views.staff_home, name="staff_home"),
    path("<slug:code>/staff/accounts/<int:pk>/", staff_views.filer_detail, name="staff_filer"),
    path(
        "<slug:code>/staff/accounts/<int:pk>/unlink/",
        staff_views.filer_unlink,
        name="staff_unlink",
    ),
    path("<slug:code>/staff/accounts/<int:pk>/reset/", staff_views.filer_reset, name="staff_reset"),
    path("<slug:code>/staff/go-live/", staff_views.go_live, name="staff_go_live"),
    path("<slug:code>/staff/import/", staff_views.import_accounts, name="staff_import"),
    path(
        "<slug:code>/staff/import/<int:pk>/",
        staff_views.import_status,
        name="staff_import_status",
    ),
    path("<slug:code>/staff/progress/", staff_views.progress, name="staff_progress"),
    # Court-side account care (ecf.views.account): CM/ECF recovery, secondary e-mails.
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
