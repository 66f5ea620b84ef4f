"""Forgot User Name, Forgot Your Password? and the password reset link: the engine's pages
(nextgen.recovery.views) with the central side's forms and templates. The work is in
nextgen.signon.flows.recovery."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import path, reverse

from nextgen.recovery.flows import Scope
from nextgen.recovery.views import RecoveryPages

from ..flows import recovery
from ..forms.recovery import ForgotPasswordForm, ForgotUsernameForm, SetPasswordForm
from ..http import acting_account
from ..models import Account


def _context(scope: Scope | None) -> dict[str, str]:
    return {
        "login_url": reverse("signon:login"),
        "forgot_url": reverse("signon:forgot_password"),
    }


def _username(account: Account) -> dict[str, str]:
    return {"username": account.username}


def _more_options(request: HttpRequest, form: ForgotUsernameForm) -> dict[str, Any]:
    # ?more=1 shows the name and birth date fields without JavaScript; so does using them.
    return {"more": request.GET.get("more") == "1" or form.wants_more_options()}


PAGES = RecoveryPages[Account](
    reset=recovery.RESET,
    context=_context,
    sent_template="signon/recovery_sent.html",
    templates="signon/password_reset",
    set_form=SetPasswordForm,
    holder_context=_username,
)

forgot_username = PAGES.request_view(
    form_class=ForgotUsernameForm,
    template="signon/forgot_username.html",
    action=recovery.ACTION_USERNAME,
    send=lambda request, scope, data: recovery.send_username_reminder(
        acting=acting_account(request), request=request, **data
    ),
    page_context=_more_options,
)
forgot_password = PAGES.request_view(
    form_class=ForgotPasswordForm,
    template="signon/forgot_password.html",
    action=recovery.ACTION_PASSWORD,
    send=lambda request, scope, data: recovery.send_password_reset(
        acting=acting_account(request),
        request=request,
        email=data["email"],
        username=data["username"],
    ),
)
password_reset_link = PAGES.link_view()
password_reset_set = PAGES.set_view()
password_reset_done = PAGES.done_view()

urlpatterns = [
    path("forgot-username/", forgot_username, name="forgot_username"),
    path("forgot-password/", forgot_password, name="forgot_password"),
    # Before the link pattern: "done" and "set-password" are not tokens.
    path("reset/done/", password_reset_done, name="password_reset_done"),
    path("reset/<str:uidb64>/set-password/", password_reset_set, name="password_reset_set"),
    path("reset/<str:uidb64>/<str:token>/", password_reset_link, name="password_reset_link"),
]
