"""Manage My Account → Maintenance (personal data, password, security questions) and
the client code (billing history and exemptions: nextgen.fees). Thin: HTTP in, a flow
call, HTTP out.

Court pages send users here with ?next=<their page>; every page carries that safe return
URL through its form and offers "Return" to it after a change. A change redirects to the
page's own GET with ?done=1 (post/redirect/get), which shows the confirmation once.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

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

from .. import notices
from ..flows import maintenance as flow
from ..flows.login import current_client_code
from ..forms.maintenance import (
    AddressForm,
    ChangePasswordForm,
    ClientCodeForm,
    PersonalInfoForm,
    SecurityQuestionsForm,
)
from ..http import AuthenticatedHttpRequest
from ..redirects import RETURN_PARAM, return_url_from

TITLES = {
    "personal_info": "Personal Information",
    "address_info": "Update Address Information",
    "change_password": "Change Password",
    "security_questions": "Update Security Questions",
    "client_code": "Change Client Code",
}
# One confirmation waiting to be shown: {"page": url name, "message": text}.
SESSION_DONE = "nextgen_maintenance_done"

View = Callable[[AuthenticatedHttpRequest], HttpResponse]


def account_page(view: View) -> View:
    """Signed-in only, never cached (the pages show personal data), GET and POST only."""
    return login_required(never_cache(require_http_methods(["GET", "POST"])(view)))


def _context(request: HttpRequest, page: str, **extra: object) -> dict[str, object]:
    return_url = return_url_from(request)
    return {
        "page": page,
        "title": TITLES[page],
        "account": request.user,
        "next": return_url or "",
        "return_url": return_url or reverse("signon:manage"),
        **extra,
    }


def _page_url(page: str, return_url: str | None, **query: str) -> str:
    if return_url:
        query[RETURN_PARAM] = return_url
    url = reverse(f"signon:{page}")
    return f"{url}?{urlencode(query)}" if query else url


def _changed(request: HttpRequest, page: str, message: str) -> HttpResponse:
    request.session[SESSION_DONE] = {"page": page, "message": message}
    return redirect(_page_url(page, return_url_from(request), done="1"))


def _confirmation(request: HttpRequest, page: str) -> HttpResponse | None:
    """The confirmation of a change just made on `page`, shown once; else None."""
    if request.method != "GET" or "done" not in request.GET:
        return None
    done = request.session.get(SESSION_DONE)
    if not isinstance(done, dict) or done.get("page") != page:
        return None
    del request.session[SESSION_DONE]
    return render(
        request, "signon/maintenance_done.html", _context(request, page, message=done["message"])
    )


def _form_page(
    request: HttpRequest,
    page: str,
    form_class: type[Form],
    apply: Callable[[dict], str],
    *,
    initial: dict | None = None,
    template: str = "signon/maintenance_form.html",
    extra: dict | None = None,
) -> HttpResponse:
    """GET shows the form; POST validates it and calls `apply(cleaned_data)`, which returns
    the confirmation text or raises ValidationError. Refused input changes nothing."""
    confirmation = _confirmation(request, page)
    if confirmation is not None:
        return confirmation
    status = 200
    if request.method == "POST":
        form = form_class(request.POST)
        status = 400
        if form.is_valid():
            try:
                return _changed(request, page, apply(form.cleaned_data))
            except ValidationError as exc:
                form.add_flow_errors(exc)
                status = refusal_status(exc)
    else:
        form = form_class(initial=initial)
    return render(
        request, template, _context(request, page, form=form, **(extra or {})), status=status
    )


# --- Maintenance ------------------------------------------------------------------


@verifies_password  # checks or hashes a password: queues at the gate
@sensitive_post_parameters("current_password")
@account_page
def personal_info(request: AuthenticatedHttpRequest) -> HttpResponse:
    account = request.user

    def apply(data: dict) -> str:
        changes = {name: data[name] for name in flow.PERSONAL_FIELDS}
        changed = flow.update_personal_data(
            acting=account,
            changes=changes,
            request=request,
            current_password=data["current_password"] or None,
        )
        if not changed:
            return notices.NOTHING_CHANGED
        if "email" in changed:
            return f"{notices.PERSONAL_INFO_UPDATED} {notices.EMAIL_CHANGED}"
        return notices.PERSONAL_INFO_UPDATED

    initial = {name: getattr(account, name) for name in flow.PERSONAL_FIELDS}
    return _form_page(
        request,
        "personal_info",
        PersonalInfoForm,
        apply,
        initial=initial,
        template="signon/personal_info.html",
    )


@account_page
def address_info(request: AuthenticatedHttpRequest) -> HttpResponse:
    account = request.user

    def apply(data: dict) -> str:
        changes = {name: data[name] for name in flow.ADDRESS_FIELDS}
        changed = flow.update_personal_data(acting=account, changes=changes, request=request)
        return notices.ADDRESS_UPDATED if changed else notices.NOTHING_CHANGED

    initial = {name: getattr(account, name) for name in flow.ADDRESS_FIELDS}
    return _form_page(request, "address_info", AddressForm, apply, initial=initial)


@verifies_password  # checks or hashes a password: queues at the gate
@sensitive_post_parameters("current_password", "new_password1", "new_password2")
@account_page
def change_password(request: AuthenticatedHttpRequest) -> HttpResponse:
    def apply(data: dict) -> str:
        flow.change_password(
            acting=request.user,
            current_password=data["current_password"],
            new_password=data["new_password1"],
            request=request,
        )
        return notices.PASSWORD_CHANGED

    return _form_page(request, "change_password", ChangePasswordForm, apply)


@verifies_password  # checks or hashes a password: queues at the gate
@sensitive_post_parameters("current_password", "security_answer_1", "security_answer_2")
@account_page
def security_questions(request: AuthenticatedHttpRequest) -> HttpResponse:
    account = request.user

    def apply(data: dict) -> str:
        flow.update_security_questions(
            acting=account,
            current_password=data["current_password"],
            questions=(data["security_question_1"], data["security_question_2"]),
            answers=(data["security_answer_1"], data["security_answer_2"]),
            request=request,
        )
        return notices.SECURITY_QUESTIONS_UPDATED

    initial = {
        "security_question_1": account.security_question_1,
        "security_question_2": account.security_question_2,
    }
    return _form_page(request, "security_questions", SecurityQuestionsForm, apply, initial=initial)


# --- Settings and billing -------------------------------------------------------------


@account_page
def client_code(request: AuthenticatedHttpRequest) -> HttpResponse:
    def apply(data: dict) -> str:
        code = flow.set_client_code(
            request=request, acting=request.user, client_code=data["client_code"]
        )
        return notices.client_code_set(code) if code else notices.CLIENT_CODE_CLEARED

    current = current_client_code(request)
    return _form_page(
        request,
        "client_code",
        ClientCodeForm,
        apply,
        initial={"client_code": current},
        template="signon/client_code.html",
        extra={"client_code": current},
    )


urlpatterns = [
    path("account/personal/", personal_info, name="personal_info"),
    path("account/address/", address_info, name="address_info"),
    path("account/password/", change_password, name="change_password"),
    path("account/security-questions/", security_questions, name="security_questions"),
    path("account/client-code/", client_code, name="client_code"),
]
