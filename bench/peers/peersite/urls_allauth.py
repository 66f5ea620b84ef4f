from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import include, path


@login_required
def page(request):
    """A signed-in page: the user (from the session), one row, a base template with a nav."""
    from allauth.account.models import EmailAddress

    email = EmailAddress.objects.filter(user=request.user, primary=True).first()
    return render(request, "page.html", {"email": email})


urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("page/", page, name="page"),
    path("hello/", lambda request: HttpResponse("hello"), name="hello"),
]
