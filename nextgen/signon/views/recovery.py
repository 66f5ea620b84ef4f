"""Forgot User Name, Forgot Your Password? and the password reset link. Thin: the work
is in nextgen.signon.flows.recovery."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from .. import notices
from ..flows import recovery
from ..forms.recovery import ForgotPasswordForm, ForgotUsernameForm, SetPasswordForm

View = Callable[..., HttpResponse]


def referrer_policy(policy: str) -> Callable[[View], View]:
    """Set Referrer-Policy on a view's responses, whatever the site-wide policy says."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            response = view(request, *args, **kwargs)
            response.headers["Referrer-Policy"] = policy
            return response

        return wrapped

    return decorator


# Pages whose URL holds the token, or that follow it, send no Referer at all.
no_referrer = referrer_policy("no-referrer")
# The set-password page cannot be no-referrer: under that policy the browser sends
# "Origin: null" with the form's POST, and Django's CSRF check (rightly) refuses it. Its
# URL holds no token, and same-origin sends a Referer only back to this site.
same_origin_referrer = referrer_policy("same-origin")


def _form_page(
    request: HttpRequest,
    template: str,
    form: ForgotUsernameForm | ForgotPasswordForm,
    *,
    error: str = "",
    status: int = 200,
    **context,
) -> HttpResponse:
    return render(
        request,
        template,
        {"form": form, "error": error, "login_url": reverse("signon:login"), **context},
        status=status,
    )


def _answer(request: HttpRequest, message: str) -> HttpResponse:
    """The one answer to a valid request, the same whether or not an account matched: it
    echoes nothing that was typed."""
    return render(
        request,
        "signon/recovery_sent.html",
        {"message": message, "login_url": reverse("signon:login")},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def forgot_username(request: HttpRequest) -> HttpResponse:
    template = "signon/forgot_username.html"
    # ?more=1 shows the name and birth date fields without JavaScript.
    more = request.GET.get("more") == "1"
    if request.method == "GET":
        return _form_page(request, template, ForgotUsernameForm(), more=more)
    form = ForgotUsernameForm(request.POST)
    more = more or form.wants_more_options()
    if not form.is_valid():
        answer = recovery.RESET.reject_invalid_input(
            request=request, action=recovery.ACTION_USERNAME, fields=form.errors
        )
        status = 429 if answer.throttled else 400
        return _form_page(request, template, form, error=answer.message, status=status, more=more)
    answer = recovery.send_username_reminder(request=request, **form.cleaned_data)
    if answer.throttled:
        return _form_page(request, template, form, error=answer.message, status=429, more=more)
    return _answer(request, answer.message)


@never_cache
@require_http_methods(["GET", "POST"])
def forgot_password(request: HttpRequest) -> HttpResponse:
    template = "signon/forgot_password.html"
    if request.method == "GET":
        return _form_page(request, template, ForgotPasswordForm())
    form = ForgotPasswordForm(request.POST)
    if not form.is_valid():
        answer = recovery.RESET.reject_invalid_input(
            request=request, action=recovery.ACTION_PASSWORD, fields=form.errors
        )
        status = 429 if answer.throttled else 400
        return _form_page(request, template, form, error=answer.message, status=status)
    answer = recovery.send_password_reset(
        request=request, email=form.cleaned_data["email"], username=form.cleaned_data["username"]
    )
    if answer.throttled:
        return _form_page(request, template, form, error=answer.message, status=429)
    return _answer(request, answer.message)


def _invalid_link(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "signon/password_reset_invalid.html",
        {"message": notices.RESET_LINK_INVALID, "forgot_url": reverse("signon:forgot_password")},
    )


@never_cache
@no_referrer
@require_GET
def password_reset_link(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The link from the e-mail: the token goes into the session, and the browser on to a
    URL without it, so no later request can leak it in a Referer header."""
    if not recovery.RESET.open_link(request=request, uidb64=uidb64, token=token):
        return _invalid_link(request)
    return redirect("signon:password_reset_set", uidb64=uidb64)


@sensitive_post_parameters("new_password", "confirm_password")
@never_cache
@same_origin_referrer
@require_http_methods(["GET", "POST"])
def password_reset_set(request: HttpRequest, uidb64: str) -> HttpResponse:
    pending = recovery.RESET.pending(request, uidb64)
    if pending is None:
        recovery.RESET.refuse_stale(request=request, uidb64=uidb64)
        return _invalid_link(request)
    form = SetPasswordForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            recovery.RESET.set_password(
                request=request,
                holder=pending.holder,
                new_password=form.cleaned_data["new_password"],
                token=pending.token,
            )
        except ValidationError as exc:
            if getattr(exc, "code", None) == "invalid_link":
                return _invalid_link(request)
            form.add_flow_errors(exc)
        else:
            return redirect("signon:password_reset_done")
    return render(
        request,
        "signon/password_reset_set.html",
        {"form": form, "username": pending.holder.username},
        status=400 if form.is_bound else 200,
    )


@never_cache
@no_referrer
@require_GET
def password_reset_done(request: HttpRequest) -> HttpResponse:
    return render(
        request, "signon/password_reset_done.html", {"login_url": reverse("signon:login")}
    )


urlpatterns = [
    path("forgot-username/", forgot_username, name="forgot_username"),
    path("forgot-password/", forgot_password, name="forgot_password"),
    # Before the link pattern: "done" and "set-password" are not tokens.
    path("reset/done/", password_reset_done, name="password_reset_done"),
    path("reset/<str:uidb64>/set-password/", password_reset_set, name="password_reset_set"),
    path("reset/<str:uidb64>/<str:token>/", password_reset_link, name="password_reset_link"),
]
