from django.contrib import admin
from django.urls import include, path

from . import views
from .ecf import registration_views as efile_views
from .ecf import views as ecf_views

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("csologin/", include("nextgen.signon.urls")),
    path("my-courts/", ecf_views.my_courts, name="my_courts"),
    path("efile/register/", efile_views.efile_register, name="efile_register"),
    # The PACER access pages (query, reports, doc1) before dockets: records serves the
    # doc1 path that dockets:document names.
    path("ecf/<slug:code>/", include("nextgen.records.urls")),
    # Cases and documents under each court's prefix (before ecf's catch-all menu pattern).
    path("ecf/<slug:code>/", include("nextgen.dockets.urls")),
    path("ecf/", include("nextgen.dockets.filing.urls")),  # the filing menus and flow
    path("ecf/", include("nextgen.ecf.urls")),
    path("services/", include("nextgen.api.urls")),
    path("admin/", admin.site.urls),
]
