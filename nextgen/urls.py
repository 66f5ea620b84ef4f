from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("csologin/", include("nextgen.signon.urls")),
    path("admin/", admin.site.urls),
]
