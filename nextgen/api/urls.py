from django.urls import path

from .views import auth as views

app_name = "api"

urlpatterns = [
    path("cso-auth", views.cso_auth, name="cso_auth"),
    path("cso-logout", views.cso_logout, name="cso_logout"),
    path("openapi.json", views.openapi_json, name="openapi"),
]
