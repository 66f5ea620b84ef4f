from django.contrib.auth.views import LoginView
from django.http import HttpResponse
from django.urls import path

urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("page/", lambda request: HttpResponse("signed in"), name="page"),
]
