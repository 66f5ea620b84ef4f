from django.contrib import admin
from django.urls import include, path

from . import views
from .ecf import views as ecf_views

urlpatterns = [
    path("", views.home, name="home"),
    path("csologin/", include("nextgen.signon.urls")),
    path("my-courts/", ecf_views.my_courts, name="my_courts"),
    path("ecf/", include("nextgen.ecf.urls")),
    path("admin/", admin.site.urls),
]
