"""Multi-factor authentication pages: the sign-in passcode step, the set-up a filer
cannot put off ("User Update Required"), and Manage My Account → Multi-Factor
Authentication. Thin: HTTP in, a flow call (flows/login.py, flows/mfa.py), HTTP out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from nextgen.forms import Form, refusal_status
from nextgen.hashgate import verifies_password

from ..flows import login as login_flow
from ..flows import mfa
from ..forms.mfa import AccountEnrollForm, ConfirmChangeForm, EnrollForm, OtpForm
from ..http import AuthenticatedHttpRequest, acting_account
from ..models import Account

AnyView = TypeVar("AnyView", bound=Callable[..., HttpResponse])

TITLE_OTP = "One-Time Passcode"
TITLE_SETUP = "Set Up Multi-Factor Authentication"
TITLE_REQUIRED = "User Update Required"
TITLE_MANAGE = "Multi-Factor Authentication"
TITLE_CODES = "Your Backup Codes"
TITLE_DISABLE = "Turn Off Multi-Factor Authentication"
TITLE_REGENERATE = "Make New Backup Codes"


def mfa_page(view: AnyView) -> AnyView:
    """Never cached (secrets and codes are shown), GET and POST only, codes and passwords
    kept out of error reports."""
    return sensitive_post_parameters("otp_code", "current_password")(
        never_cache(require_http_methods(["GET", "POST"])(view))
    )


def _start_again(request: HttpRequest) -> HttpResponse:
    """No pending login of this step: back to the password step, saying why."""
    messages.error(request, login_flow.PENDING_EXPIRED)
    return redirect("signon:login")


def _backup_codes_page(
    request: HttpRequest, codes: list[str], continue_url: str, message: str
) -> HttpResponse:
    # Rendered straight from the POST, never stored: the codes exist in clear only here.
    return render(
        request,
        "signon/mfa_backup_codes.html",
        {"title": TITLE_CODES, "codes": codes, "continue_url": continue_url, "message": message},
    )


def _setup_page(
    request: HttpRequest, account: Account, form: Form, *, status: int = 200, **extra: object
) -> HttpResponse:
    try:
        enrollment = mfa.enroll_start(account, request=request)
    except ValidationError:
        return redirect("signon:mfa")
    context = {
        "title": TITLE_SETUP,
        "form": form,
        "enrollment": enrollment,
        "required": mfa.is_filer(account),
        "required_text": mfa.FILERS_MUST_ENROLL,
        **extra,
    }
    return render(request, "signon/mfa_setup.html", context, status=status)


# --- sign-in, second step ------------------------------------------------------------


@mfa_page
def login_otp(request: HttpRequest) -> HttpResponse:
    """After a right password: the one-time passcode, before any session starts."""
    pending = login_flow.pending_login(request, "otp")
    if pending is None:
        return _start_again(request)
    status, error = 200, ""
    form = OtpForm()
    if request.method == "POST":
        form = OtpForm(request.POST)
        status = 400
        valid = form.is_valid()
        if valid or form.has_error("otp_code", code="format"):
            # A malformed code is a wrong code too: counted and audited (the form says
            # what a code looks like).
            code = form.cleaned_data["otp_code"] if valid else request.POST.get("otp_code", "")
            result = login_flow.verify_otp(request, code, acting=acting_account(request))
            if result.ok:
                return redirect(result.next_url)
            if result.reason == "expired":
                return _start_again(request)
            status = 429 if result.reason == "throttled" else 400
            if valid or result.reason == "throttled":
                error = result.error
                form = OtpForm()  # a wrong code is not kept
    return render(
        request,
        "signon/login_otp.html",
        {
            "title": TITLE_OTP,
            "form": form,
            "error": error,
            "username": pending.account.username,
            "lost_device": mfa.lost_device_help(),
        },
        status=status,
    )


@mfa_page
def login_mfa_setup(request: HttpRequest) -> HttpResponse:
    """A filer without MFA, after a right password: set it up, or put it off while
    skips are left. With none left, this page ("User Update Required") is where
    sign-in stops: set it up, or log out."""
    pending = login_flow.pending_login(request, "enroll")
    if pending is None:
        return _start_again(request)
    account = pending.account
    form: Form = EnrollForm()
    status, error = 200, ""
    if request.method == "POST" and "skip" in request.POST:
        try:
            result = login_flow.skip_enrollment(request, acting=acting_account(request))
        except ValidationError as exc:
            status, error = 400, " ".join(exc.messages)  # no skips left
        else:
            return redirect(result.next_url) if result.ok else _start_again(request)
    elif request.method == "POST":
        form = EnrollForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                result, codes = login_flow.enroll_and_sign_in(
                    request, form.cleaned_data["otp_code"], acting=acting_account(request)
                )
            except ValidationError as exc:
                form.add_flow_errors(exc)
                status = refusal_status(exc)
            else:
                if not result.ok:
                    return _start_again(request)
                return _backup_codes_page(request, codes, result.next_url, mfa.ENABLED)
    left = mfa.skips_left(account)
    return _setup_page(
        request,
        account,
        form,
        status=status,
        title=TITLE_SETUP if left else TITLE_REQUIRED,
        login_stage=True,
        error=error,
        skips_left=left,
        no_skips_text=mfa.NO_SKIPS_LEFT,
        action=reverse("signon:login_mfa_setup"),
    )


# --- Manage My Account → Multi-Factor Authentication -----------------------------------


@login_required
@mfa_page
def manage(request: AuthenticatedHttpRequest) -> HttpResponse:
    account = request.user
    return render(
        request,
        "signon/mfa_manage.html",
        {
            "title": TITLE_MANAGE,
            "enrolled": mfa.is_enrolled(account),
            "required": mfa.is_filer(account),
            "required_text": mfa.FILERS_MUST_ENROLL,
            "backup_codes_left": mfa.backup_codes_left(account),
            "lost_device": mfa.lost_device_help(),
        },
    )


@verifies_password  # checks or hashes a password: queues at the gate
@login_required
@mfa_page
def enroll(request: AuthenticatedHttpRequest) -> HttpResponse:
    account = request.user
    form = AccountEnrollForm()
    status = 200
    if request.method == "POST":
        form = AccountEnrollForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                codes = mfa.enroll_confirm(
                    acting=account,
                    code=form.cleaned_data["otp_code"],
                    request=request,
                    password=form.cleaned_data["current_password"],
                )
            except ValidationError as exc:
                form.add_flow_errors(exc)
                status = refusal_status(exc)
            else:
                return _backup_codes_page(request, codes, reverse("signon:mfa"), mfa.ENABLED)
    return _setup_page(request, account, form, status=status, action=reverse("signon:mfa_enroll"))


def _change_page(
    request: AuthenticatedHttpRequest,
    title: str,
    apply: Callable[[dict], HttpResponse],
) -> HttpResponse:
    """GET shows the password + code form; POST calls `apply(cleaned_data)`."""
    if not mfa.is_enrolled(request.user):
        messages.error(request, mfa.NOT_ENROLLED)
        return redirect("signon:mfa")
    form = ConfirmChangeForm()
    status = 200
    if request.method == "POST":
        form = ConfirmChangeForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                return apply(form.cleaned_data)
            except ValidationError as exc:
                form.add_flow_errors(exc)
                status = refusal_status(exc)
    return render(
        request,
        "signon/mfa_change.html",
        {"title": title, "form": form, "lost_device": mfa.lost_device_help()},
        status=status,
    )


@verifies_password  # checks or hashes a password: queues at the gate
@login_required
@mfa_page
def disable(request: AuthenticatedHttpRequest) -> HttpResponse:
    def apply(data: dict) -> HttpResponse:
        mfa.disable(
            acting=request.user,
            password=data["current_password"],
            code=data["otp_code"],
            request=request,
        )
        messages.success(request, mfa.DISABLED)
        return redirect("signon:mfa")

    return _change_page(request, TITLE_DISABLE, apply)


@verifies_password  # checks or hashes a password: queues at the gate
@login_required
@mfa_page
def regenerate(request: AuthenticatedHttpRequest) -> HttpResponse:
    def apply(data: dict) -> HttpResponse:
        codes = mfa.regenerate_backup_codes(
            acting=request.user,
            password=data["current_password"],
            code=data["otp_code"],
            request=request,
        )
        return _backup_codes_page(request, codes, reverse("signon:mfa"), mfa.CODES_REGENERATED)

    return _change_page(request, TITLE_REGENERATE, apply)


urlpatterns = [
    path("login/passcode/", login_otp, name="login_otp"),
    path("login/mfa-setup/", login_mfa_setup, name="login_mfa_setup"),
    path("account/mfa/", manage, name="mfa"),
    path("account/mfa/setup/", enroll, name="mfa_enroll"),
    path("account/mfa/turn-off/", disable, name="mfa_disable"),
    path("account/mfa/backup-codes/", regenerate, name="mfa_backup_codes"),
]
