"""PACER Service Center pages under /csologin/service-center/: thin views over
signon.flows.service_center. Anyone without the Service Center role gets the same 404
as for a page that does not exist, before any account is looked up."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from nextgen.forms import Form

from .. import notices
from ..flows import login as login_flow
from ..flows import mfa
from ..flows import service_center as flow
from ..models import Account
from ..permissions import require_service_center
from .passcode_door import needs_passcode

PAGE_SIZE = 25
TRAIL_PAGE_SIZE = 50
View = Callable[..., HttpResponse]


def service_center_page(view: View) -> View:
    @wraps(view)
    @never_cache
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('signon:login')}?{query}")
        require_service_center(request.user)
        if not login_flow.passed_second_factor(request):
            # As the administration pages: these change other people's accounts, so a
            # password alone (a staff member who put off MFA set-up) opens nothing.
            return needs_passcode(
                request, heading="PACER Service Center", message=notices.SC_NEEDS_PASSCODE
            )
        return view(request, *args, **kwargs)

    return wrapper


class FindForm(Form):
    q = forms.CharField(
        label="User name, name or e-mail",
        max_length=200,
        help_text='A user name, a last name, "first last", or an e-mail address.',
    )


class ReasonForm(Form):
    reason = forms.CharField(
        label="Reason",
        max_length=flow.REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the audit log.",
    )


@service_center_page
def find(request: HttpRequest) -> HttpResponse:
    form = FindForm(request.GET or None)
    page = None
    if form.is_bound and form.is_valid():
        page = Paginator(flow.find_accounts(form.cleaned_data["q"]), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "signon/service_center/find.html",
        {
            "form": form,
            "page": page,
            "query_string": query.urlencode(),
            "max_results": flow.MAX_RESULTS,
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


def _account_page(
    request: HttpRequest,
    account: Account,
    *,
    form: ReasonForm | None = None,
    mfa_form: ReasonForm | None = None,
    status: int = 200,
) -> HttpResponse:
    trail = Paginator(flow.audit_trail(account), TRAIL_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "signon/service_center/account.html",
        {
            "subject": account,
            "form": form or ReasonForm(),
            # Its own form: an error in one of the page's two reasons shows by that one.
            "mfa_form": mfa_form or ReasonForm(prefix="mfa"),
            # Not on one's own page (refused there), and shown again with its errors.
            "mfa_on": account.pk != request.user.pk
            and (mfa.is_enrolled(account) or (mfa_form is not None and mfa_form.is_bound)),
            "mfa_reset_intro": notices.SC_MFA_RESET_INTRO,
            "trail": trail,
            "rows": flow.trail_rows(trail),
        },
        status=status,
    )


@service_center_page
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _account_page(request, get_object_or_404(Account, pk=pk))


def _change(
    request: HttpRequest,
    pk: int,
    action: Callable[..., Account],
    done: str,
    *,
    prefix: str | None = None,
) -> HttpResponse:
    account = get_object_or_404(Account, pk=pk)
    form = ReasonForm(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            action(
                acting=request.user,
                account=account,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as exc:
            form.add_flow_errors(exc)
        except flow.ServiceCenterRefused as refusal:
            messages.error(request, str(refusal))
            return redirect("signon:sc_account", pk=account.pk)
        else:
            messages.success(request, done.format(username=account.username))
            return redirect("signon:sc_account", pk=account.pk)
    if prefix == "mfa":
        return _account_page(request, account, mfa_form=form, status=400)
    return _account_page(request, account, form=form, status=400)


@service_center_page
@require_POST
def deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _change(
        request,
        pk,
        flow.deactivate_account,
        "The account {username} is deactivated; its sessions have ended.",
    )


@service_center_page
@require_POST
def reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _change(request, pk, flow.reactivate_account, "The account {username} is active again.")


@service_center_page
@require_POST
def reset_mfa(request: HttpRequest, pk: int) -> HttpResponse:
    return _change(request, pk, flow.reset_mfa, notices.SC_MFA_RESET_DONE, prefix="mfa")


urlpatterns = [
    path("service-center/", find, name="service_center"),
    path("service-center/accounts/<int:pk>/", account_detail, name="sc_account"),
    path("service-center/accounts/<int:pk>/deactivate/", deactivate, name="sc_deactivate"),
    path("service-center/accounts/<int:pk>/reactivate/", reactivate, name="sc_reactivate"),
    path("service-center/accounts/<int:pk>/mfa-reset/", reset_mfa, name="sc_mfa_reset"),
]
