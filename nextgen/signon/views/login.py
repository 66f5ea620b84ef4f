"""The PACER login page, logout, and the cookie-refused page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from nextgen.hashgate import verifies_password

from .. import notices
from ..flows import login as login_flow
from ..forms.login import LoginForm
from ..http import acting_account
from ..redirects import RETURN_PARAM, cancel_url_for, return_url_from


def _render(
    request: HttpRequest,
    form: LoginForm,
    return_url: str | None,
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "signon/login.html",
        {
            "form": form,
            "next": return_url or "",
            "error": error,
            "notice": notices.LOGIN_NOTICE,
            "cookies_required": notices.COOKIES_REQUIRED,
            "cancel_url": cancel_url_for(return_url),
        },
        status=status,
    )


@verifies_password
@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login_page(request: HttpRequest) -> HttpResponse:
    return_url = return_url_from(request)
    if request.method == "GET":
        # No session yet: an anonymous visit must not write a session row (bots would
        # fill the table). The CSRF cookie doubles as the cookie test: the page's form
        # always writes its token, which sets the cookie (ensure_csrf_cookie would only
        # mask the secret a second time, 32 system calls on every attorney's first page).
        if request.user.is_authenticated and return_url:
            return redirect(return_url)
        return _render(request, LoginForm(), return_url)

    form = LoginForm(request.POST)
    if settings.CSRF_COOKIE_NAME not in request.COOKIES:
        # The CSRF cookie set on GET did not come back: cookies are refused. (A browser
        # usually meets csrf_failure below first; this catches clients exempt from it.)
        return _render(
            request,
            LoginForm(initial={"username": request.POST.get("username", "")}),
            return_url,
            error=notices.COOKIES_REFUSED,
            status=400,
        )
    if not form.is_valid():
        login_flow.refused_input(request, request.POST.get("username", ""), fields=form.errors)
        return _render(request, form, return_url, status=400)
    result = login_flow.sign_in(
        request,
        form.cleaned_data["username"],
        form.cleaned_data["password"],
        acting=acting_account(request),
        client_code=form.cleaned_data["client_code"],
        return_url=return_url,
    )
    if not result.ok:
        retry = LoginForm(
            initial={
                "username": form.cleaned_data["username"],
                "client_code": form.cleaned_data["client_code"],
            }
        )
        return _render(
            request,
            retry,
            return_url,
            error=result.error,
            status=429 if result.reason == "throttled" else 200,
        )
    # Signed in (to the return URL), or on to the one-time passcode / MFA set-up step.
    return redirect(result.next_url)


@require_POST
def logout_page(request: HttpRequest) -> HttpResponse:
    login_flow.sign_out(request, acting=acting_account(request))
    return redirect(f"{reverse('signon:login')}")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form posted without our cookies: most often a browser that refuses cookies."""
    return render(
        request,
        "signon/cookies.html",
        {
            "message": notices.COOKIES_REFUSED,
            "login_url": reverse("signon:login"),
            "next": request.GET.get(RETURN_PARAM, ""),
        },
        status=403,
    )
