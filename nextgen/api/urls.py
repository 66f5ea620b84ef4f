from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("cso-auth", views.cso_auth, name="cso_auth"),
    path("cso-logout", views.cso_logout, name="cso_logout"),
    path("openapi.json", views.openapi_json, name="openapi"),
]
