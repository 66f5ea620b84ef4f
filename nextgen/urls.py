from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from . import views
from .ecf.urls import site_urlpatterns as ecf_site_urlpatterns
from .fees.urls import staff_urlpatterns as fees_staff_urlpatterns
from .routing import KeptResolver

# Every pattern, in this order, under one KeptResolver (nextgen/routing.py): a path's
# answer is found once per process.
patterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("csologin/fees/", include("nextgen.fees.urls")),
    # Where these pages were before the fees app: bookmarks keep working.
    path(
        "csologin/account/billing/",
        RedirectView.as_view(pattern_name="fees:billing", query_string=True),
    ),
    path(
        "csologin/account/exemption/",
        RedirectView.as_view(pattern_name="fees:exemptions", query_string=True),
    ),
    path("csologin/", include("nextgen.signon.urls")),
    *ecf_site_urlpatterns,
    # The PACER access pages (query, reports, doc1) before dockets.
    path("ecf/<slug:code>/", include("nextgen.records.urls")),
    path("ecf/<slug:code>/staff/fees/", include((fees_staff_urlpatterns, "fees_staff"))),
    # Cases and documents under each court's prefix (before ecf's catch-all menu pattern).
    path("ecf/<slug:code>/", include("nextgen.dockets.urls")),
    # Maintain Your E-mail: the notice preferences' forms (nextgen.noticing).
    path("ecf/<slug:code>/", include("nextgen.noticing.urls")),
    path("ecf/", include("nextgen.dockets.filing.urls")),  # the filing menus and flow
    path("ecf/", include("nextgen.ecf.urls")),
    path("services/", include("nextgen.api.urls")),
    path("admin/", admin.site.urls),
]

urlpatterns = [KeptResolver(patterns)]
