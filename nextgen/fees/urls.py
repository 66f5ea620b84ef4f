"""Every route of the fees app. `urlpatterns` (namespace "fees") are the account
holder's pages under /csologin/fees/; `staff_urlpatterns` (namespace "fees_staff") the
court staff's exemption pages under /ecf/<code>/staff/fees/, so those views take `code`
first."""

from django.urls import path

from .views import account as views
from .views import staff as staff_views

app_name = "fees"

urlpatterns = [
    path("billing/", views.billing, name="billing"),
    path("billing/history.csv", views.billing_csv, name="billing_csv"),
    path("billing/statement/", views.statement, name="statement"),
    path("exemptions/", views.exemptions, name="exemptions"),
    path("paa/<int:pk>/billing/", views.paa_billing, name="paa_billing"),
    path("paa/<int:pk>/billing.csv", views.paa_billing_csv, name="paa_billing_csv"),
    path("paa/<int:pk>/settings/", views.paa_settings, name="paa_settings"),
]

staff_urlpatterns = [
    path("exemptions/", staff_views.exemptions, name="exemptions"),
    path("exemptions/grant/", staff_views.grant, name="grant"),
    path("exemptions/<int:pk>/end/", staff_views.end, name="end"),
    path("exemptions/requests/<int:pk>/decide/", staff_views.decide, name="decide"),
]
