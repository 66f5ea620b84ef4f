"""Central sign-on pages. Each view module owns its routes (see its `urlpatterns`)."""

from django.urls import path

from .views import (
    account,
    login,
    maintenance,
    mfa,
    paa,
    recovery,
    registration,
    service_center,
    sessions,
    upgrade,
)

app_name = "signon"

urlpatterns = [
    path("login/", login.login_page, name="login"),
    path("logout/", login.logout_page, name="logout"),
    *account.urlpatterns,
    *registration.urlpatterns,
    *upgrade.urlpatterns,
    *recovery.urlpatterns,
    *maintenance.urlpatterns,
    *sessions.urlpatterns,
    *mfa.urlpatterns,
    *paa.urlpatterns,
    *service_center.urlpatterns,
]
