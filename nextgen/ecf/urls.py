from django.urls import path

from . import views

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
    path("<slug:code>/cgi-bin/<slug:menu>/", views.menu_page, name="menu_page"),
]
